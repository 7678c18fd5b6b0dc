"""Names by the lists: Finnish first names and surnames from public name statistics, found in
their inflected forms by a bounded set of stem guesses, and the word lists that keep everyday
words, services and firms from being taken for names.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from importlib import resources

from consult.privacy.findings import Taken
from consult.privacy.normalise import Normalised

_WORD = re.compile(r"[A-ZÅÄÖ](?<![\w][A-ZÅÄÖ])[a-zåäöA-ZÅÄÖ]{1,30}(?:-[A-ZÅÄÖ][a-zåäö]{1,30})?(?![\w])")


def listed(name: str) -> set[str]:
    text = resources.files("consult.data").joinpath(name).read_text("utf-8")
    return {line.strip().lower() for line in text.splitlines() if line.strip() and not line.startswith("#")}


@cache
def common_names() -> frozenset[str]:
    """Finnish first names and surnames (lower case) from public name statistics, less the
    ones that are everyday words; ``scripts/refresh_names.py`` writes the file."""
    return frozenset(listed("names_fi.txt") - listed("names_fi_exclude.txt"))


# Case endings and clitics a name takes in a note, longest first; what is left is a stem.
_CLITICS = ("kaan", "kään", "kin", "han", "hän", "pa", "pä", "ko", "kö")
_ENDINGS = (
    "ineen", "ille", "illa", "illä", "ilta", "iltä", "issa", "issä", "ista", "istä", "iksi",
    "seen", "lle", "lla", "llä", "lta", "ltä", "ssa", "ssä", "sta", "stä", "ksi", "tta", "ttä",
    "ten", "den", "iin", "aan", "ään", "een", "oon", "öön", "uun", "yyn",
    "na", "nä", "ta", "tä", "in", "ia", "iä", "ja", "jä", "n", "a", "ä", "t", "e", "i",
)  # fmt: skip
_GRADATION = (("k", "kk"), ("t", "tt"), ("p", "pp"), ("d", "t"), ("v", "p"), ("g", "k"), ("nn", "nt"),
              ("ll", "lt"), ("rr", "rt"), ("mm", "mp"))  # fmt: skip


def _stems(word: str) -> set[str]:
    """What a (lower-case) word may inflect from: riikan → riikka, virtasella → virtanen,
    ellenin → ellen, mäkisen → mäkinen. A bounded set of guesses, checked against the list."""
    bases = {word}
    for clitic in _CLITICS:
        if word.endswith(clitic) and len(word) > len(clitic) + 3:
            bases.add(word[: -len(clitic)])
    stems = set(bases)
    for base in bases:
        for ending in _ENDINGS:
            if base.endswith(ending) and len(base) - len(ending) >= 2:
                stems.add(base[: -len(ending)])
    forms = set(stems)
    for stem in stems:
        if stem.endswith(("se", "s")):  # virtase-n, virtas-ta → virtanen
            forms.add(stem[: -2 if stem.endswith("se") else -1] + "nen")
        if stem.endswith("e"):  # niemen → niemi, kallen → kalle (kept above)
            forms.add(stem[:-1] + "i")
        if stem.endswith("i"):  # elleni-n → ellen
            forms.add(stem[:-1])
    graded = set()
    for form in forms:
        # The weak grade in the stem's last syllable: riika → riikka, jutan → jutta.
        for weak, strong in _GRADATION:
            cut = form.rfind(weak, 0, len(form) - 1)
            if cut > 0 and len(form) - cut <= 4:
                graded.add(form[:cut] + strong + form[cut + len(weak) :])
    return forms | graded


@cache
def ordinary_words() -> frozenset[str]:
    """Word forms the stemmer would take for an inflected name (päiviä, toinen), and the
    Swedish and English words consult itself writes where the guard reads them (the minutes)."""
    return frozenset(listed("names_fi_words.txt") | listed("own_words.txt"))


@lru_cache(maxsize=65536)
def is_name(word: str) -> bool:
    """Whether a capitalised word is, or inflects from, a listed name; the same words come
    back in note after note, so each is judged once."""
    names, ordinary = common_names(), ordinary_words()
    return any(
        part.lower() not in ordinary and not _stems(part.lower()).isdisjoint(names)
        for part in word.split("-")
    )


@cache
def not_people() -> tuple[str, ...]:
    """Services, programmes and firms a note names, as the stems their inflected forms start
    with (Teamsissa, Peluurin): capitalised and unknown to the lexicon, but nobody."""
    return tuple(sorted(listed("not_people.txt")))


@cache
def excluded_names() -> frozenset[str]:
    return frozenset(listed("names_fi_exclude.txt"))


def listed_names(view: Normalised, taken: Taken) -> list[tuple[int, int]]:
    found = []
    for match in _WORD.finditer(view.text):
        word = match[0]
        if word.isupper() and len(word) <= 4:  # an abbreviation (SHL, TE, KELA)
            continue
        if is_name(word):
            span = view.original_span(*match.span())
            if not taken.overlaps(*span):
                found.append(span)
    return found
