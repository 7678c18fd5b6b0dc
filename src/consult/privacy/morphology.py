"""Names by Finnish morphology (Voikko).

Voikko's lexicon knows Finnish words in every inflected form, first names and surnames among
them (Kauhasen → Kauhanen, surname). A capitalised word it reads only as a name is a name; one
it does not know at all is most often a name from another language (Warsamen, Yilmazin); one
that is also an everyday word (Toivo, Satu, Mäki) is a name only beside another name or where
a name stands (after "asiakas", "rouva", "nimeltä", before "kanssa"). The list of names stays
as a complement. The lexicon is pyvoikko's, read by ``consult.privacy.lexicon`` into 6 MiB
(pyvoikko's own loader takes 220 MiB); it is read when a note first holds a capitalised word,
never at start-up (``warm_up`` lets an app do it on a worker thread).
"""

from __future__ import annotations

import re
from functools import lru_cache

from consult.privacy.lexicon import analyse, lexicon
from consult.privacy.names import excluded_names, is_name, not_people, ordinary_words
from consult.privacy.normalise import Normalised

_NAME_CLASSES = frozenset({"etunimi", "sukunimi"})
_UPPER = "".join(chr(c) for c in range(0x41, 0x2000) if chr(c).isupper() and chr(c).isalpha())
_CAPITALISED = re.compile(
    rf"(?<![\w'’])[{re.escape(_UPPER)}][^\W\d_]{{1,30}}(?:[-'’][^\W\d_]{{1,30}})?(?![\w])"
)
_NAME_BEFORE = frozenset(
    {"asiakas", "rouva", "herra", "neiti", "nimi", "tytär", "poika", "äiti", "isä", "puoliso", "vaimo",
     "mies", "aviomies", "avopuoliso", "sisko", "sisar", "veli", "lapsi", "ystävä", "naapuri", "isoäiti",
     "isoisä", "mummo", "vaari", "serkku", "täti", "setä", "eno", "tuttava", "kumppani", "poikaystävä",
     "tyttöystävä", "omainen", "huoltaja", "edunvalvoja", "nimeltä", "nimeltään"}
)  # fmt: skip
_NAME_AFTER = frozenset({"kanssa", "luona", "luota", "luokse", "kanssaan"})
# Unknown words looked up in one check before the rest are left to the list: a pasted
# megabyte of distinct words is still checked in bounded time.
_LOOKUP_BUDGET = 4000
_lookups = 0


def voikko() -> object:
    """The lexicon, read once (a quarter of a second)."""
    return lexicon()


@lru_cache(maxsize=131072)
def _analyses(word: str) -> tuple[tuple[str, str], ...]:
    """(class, base form) of each reading of a lower-case word."""
    try:
        return tuple((word_class, base.lower()) for word_class, base in analyse(word))
    except Exception:  # an analysis without a word class: the word is taken as unknown, as before
        return ()


def _analysed(word: str) -> tuple[tuple[str, str], ...] | None:
    """The analyses, or None once this check's budget of new words is spent."""
    global _lookups
    if _analyses.cache_info().currsize and word in _cached_words:
        return _analyses(word)
    if _lookups >= _LOOKUP_BUDGET:
        return None
    _lookups += 1
    if len(_cached_words) > 131072:  # as many as the cache keeps: a long session stays bounded
        _cached_words.clear()
    _cached_words.add(word)
    return _analyses(word)


_cached_words: set[str] = set()


def _word_kind(word: str) -> str:
    """'name', 'maybe' (also an everyday word), 'unknown', 'word' or 'skip'; or 'compound', a
    hyphenated word whose parts are all skipped, which is 'word' if the lexicon knows it whole
    and 'skip' otherwise (``morphology_names`` asks the lexicon only where that counts)."""
    kind = _parts_kind(word)
    if "-" not in word or kind == "word":
        return kind
    if kind == "skip":
        return "compound"
    return "word" if _known_compound(word) else kind


def _known_compound(word: str) -> bool:
    """A compound the lexicon knows whole and never as a name (Ylä-Savo, Pohjois-Savossa) is
    that word, though a part of it (Ylä) is no word on its own. A lookup costs a third of a
    millisecond, and every case code (AAA-AAC) is such a word, distinct."""
    whole = _analysed(word.lower())
    return whole is not None and bool(whole) and not {c for c, _ in whole} & _NAME_CLASSES


def _parts_kind(word: str) -> str:
    kinds = []
    for part in re.split(r"[-'’]", word):
        if not part or not part[0].isupper() or (part.isupper() and len(part) <= 5):
            continue  # "TE-toimisto", "SHL": an abbreviation
        lower = part.lower()
        if lower in ordinary_words() or lower.startswith(not_people()):
            kinds.append("word")
            continue
        analyses = _analysed(lower)
        if analyses is None:
            kinds.append("name" if is_name(part) else "word")
            continue
        classes = {c for c, _ in analyses}
        if not analyses:
            kinds.append("unknown" if part.isascii() or not part.isupper() else "skip")
        elif classes <= _NAME_CLASSES:
            listed_word = lower in excluded_names() or any(b in excluded_names() for _, b in analyses)
            kinds.append("maybe" if listed_word else "name")
        elif classes & _NAME_CLASSES:
            kinds.append("maybe")
        else:
            kinds.append("word")
    for kind in ("name", "unknown", "maybe", "word"):
        if kind in kinds:
            return kind
    return "skip"


def _base_forms(word: str) -> set[str]:
    analyses = _analysed(word.lower())
    return {word.lower()} | ({b for _, b in analyses} if analyses else set())


_WORD_AROUND = re.compile(r"[^\W\d_]+")


def morphology_names(view: Normalised) -> list[tuple[int, int]]:
    global _lookups
    _lookups = 0
    text = view.text
    words = list(_CAPITALISED.finditer(text))
    kinds = [_word_kind(m[0]) for m in words]
    found = []
    for index, (match, kind) in enumerate(zip(words, kinds, strict=True)):
        if kind == "compound":
            # Skipped unless it is a word right after a name: only then is the lexicon asked.
            after_name = index > 0 and kinds[index - 1] in ("name", "unknown")
            after_name = after_name and text[words[index - 1].end() : match.start()] in (" ", "-")
            kind = "word" if after_name and _known_compound(match[0]) else "skip"
        if kind in ("name", "unknown"):
            found.append(match.span())
            continue
        if kind == "skip":
            continue
        # Beside a name: the next or previous capitalised word, one space away.
        beside = False
        # An everyday word only after a name (Aatu Ikäheimon), never before it (Tapasin Saima).
        for other in (index - 1, index + 1) if kind == "maybe" else (index - 1,):
            if 0 <= other < len(words) and kinds[other] in ("name", "unknown"):
                first, second = sorted((match, words[other]), key=lambda m: m.start())
                if text[first.end() : second.start()] in (" ", "-"):
                    beside = True
        if not beside and kind == "maybe":
            previous = list(_WORD_AROUND.finditer(text, max(0, match.start() - 30), match.start()))
            following = _WORD_AROUND.search(text, match.end(), match.end() + 30)
            beside = bool(previous and _base_forms(previous[-1][0]) & _NAME_BEFORE) or bool(
                following and following[0].lower() in _NAME_AFTER
            )
        if beside:
            found.append(match.span())
    return found
