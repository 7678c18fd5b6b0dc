"""Text as the privacy guard reads it, with the way back to the text as written.

People paste identifiers from web pages, PDFs and phones: fullwidth digits, a non-breaking
hyphen or an en dash for the century sign, a zero-width space or soft hyphen inside, a code
percent-encoded in a URL or written as HTML character references. ``normalise`` undoes all
of that (percent-decoding, HTML references, Unicode NFKC, every dash to ``-``, every space to
`` ``, format characters removed) and remembers, for each
piece of the result, which characters of the original it came from, so that a finding can be
reported as the user wrote it. One pass, linear in the text; ASCII and Finnish letters are
copied through untouched, so an ordinary note costs little more than a copy.
"""

from __future__ import annotations

import codecs
import html
import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field

# Runs that need a closer look: percent-encoded bytes, HTML character references, and
# characters outside ASCII other than the Finnish and Swedish letters (which stay as they are).
_SPECIAL = re.compile(
    r"(?P<pct>(?:%[0-9A-Fa-f]{2})+)|(?P<odd>[^\x00-\x7fäöåÄÖÅ]+)"
    r"|(?P<entity>&(?:amp;){0,3}(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z]{2,8});)"
)
# The first character of each: "%", "&", or outside ASCII but not å ä ö Å Ä Ö.
_CANDIDATE = re.compile(r"[%&\x80-\xc3\xc6-\xd5\xd7-\xe3\xe6-\xf5\xf7-\U0010ffff]")
# Dashes that NFKC leaves alone (it already maps the fullwidth and small hyphen-minus).
_DASHES = frozenset("\u2010\u2011\u2012\u2013\u2014\u2015\u2043\u2212\u02d7\u207b\u208b\u2e3a\u2e3b\ufe58")
# Cyrillic and Greek letters drawn like Latin ones: a check character typed as Cyrillic Т.
_LOOKALIKES = dict(
    zip(
        "АВЕКМНОРСТХУаеорсухіјѕҮΑΒΕΖΗΙΚΜΝΟΡΤΥΧοѵ",
        "ABEKMHOPCTXYaeopcyxijsYABEZHIKMNOPTYXov",
        strict=True,
    )
)
# Full stops of other scripts, as an address's dot: example。fi.
_FULL_STOPS = frozenset("\u3002\uff61\u0701\u06d4\u2024")
# Invisible characters that are not format characters (category Cf) but show nothing.
_INVISIBLE = frozenset("\u034f\u115f\u1160\u3164\uffa0\u180e")


@dataclass(slots=True)
class Normalised:
    """``text`` read from ``source``: piece ``i`` starts at ``starts[i]`` in ``text`` and came
    from ``source[origins[i][0]:origins[i][1]]``; a piece marked ``one_for_one`` has one
    character for each character of its origin (the same one or its plain form)."""

    text: str
    source: str
    starts: list[int] = field(default_factory=list)
    origins: list[tuple[int, int]] = field(default_factory=list)
    one_for_one: list[bool] = field(default_factory=list)
    parent: Normalised | None = None

    def _origin(self, index: int) -> tuple[int, int]:
        piece = bisect_right(self.starts, index) - 1
        begin, end = self.origins[piece]
        if self.one_for_one[piece]:
            begin += index - self.starts[piece]
            return begin, begin + 1
        return begin, end

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Where ``text[start:end]`` (not empty) is in the text the user wrote."""
        begin, finish = self._origin(start)[0], self._origin(end - 1)[1]
        if self.parent is not None:
            return self.parent.original_span(begin, finish)
        return begin, finish

    def original(self, start: int, end: int) -> str:
        begin, finish = self.original_span(start, end)
        root = self
        while root.parent is not None:
            root = root.parent
        return root.source[begin:finish]


class _Builder:
    def __init__(self, source: str) -> None:
        self.source = source
        self.parts: list[str] = []
        self.length = 0
        self.starts: list[int] = []
        self.origins: list[tuple[int, int]] = []
        self.one_for_one: list[bool] = []

    def copy(self, begin: int, end: int) -> None:
        if begin < end:
            self.add(self.source[begin:end], begin, end, one_for_one=True)

    def add(self, text: str, begin: int, end: int, one_for_one: bool) -> None:
        """``text`` stands for ``source[begin:end]``; a removed character leaves a gap in the
        origins and nothing in the text."""
        if not text:
            return
        self.parts.append(text)
        if one_for_one and self.one_for_one and self.one_for_one[-1] and self.origins[-1][1] == begin:
            # Runs of the same kind of piece are one piece: a pasted megabyte stays a few.
            self.origins[-1] = (self.origins[-1][0], end)
        else:
            self.starts.append(self.length)
            self.origins.append((begin, end))
            self.one_for_one.append(one_for_one)
        self.length += len(text)

    def take_last_char(self) -> int | None:
        """Gives back the last character added one for one, so a combining mark can join it."""
        if not self.one_for_one or not self.one_for_one[-1]:
            return None
        begin, end = self.origins[-1]
        self.parts[-1] = self.parts[-1][:-1]
        self.origins[-1] = (begin, end - 1)
        self.length -= 1
        if begin == end - 1:
            self.starts.pop(), self.origins.pop(), self.one_for_one.pop()
        return end - 1

    def build(self, parent: Normalised | None = None) -> Normalised:
        return Normalised(
            "".join(self.parts), self.source, self.starts, self.origins, self.one_for_one, parent
        )


def _plain(cluster: str) -> str:
    """One character (with its combining marks) as the guard reads it."""
    if cluster[0] in _INVISIBLE or unicodedata.category(cluster[0]) == "Cf":
        return ""
    out = []
    for char in unicodedata.normalize("NFKC", cluster):
        category = unicodedata.category(char)
        if category.startswith("M"):  # a mark left after composing: 1̲ is 1 (ä stays ä)
            continue
        if char in _LOOKALIKES:
            out.append(_LOOKALIKES[char])
        elif char.isdecimal():  # Arabic-Indic, Devanagari, Thai...: NFKC keeps them as they are
            out.append(str(unicodedata.decimal(char)))
        elif char in _FULL_STOPS:
            out.append(".")
        elif char in _DASHES or category == "Pd":
            out.append("-")
        elif char in _INVISIBLE or unicodedata.category(char) == "Cf":
            continue
        elif unicodedata.category(char) == "Zs":
            out.append(" ")
        elif char in "\u2028\u2029\x85":
            out.append("\n")
        else:
            out.append(char)
    return "".join(out)


def _clusters(text: str, begin: int, end: int) -> list[tuple[int, int]]:
    """Each character with the combining marks that follow it."""
    spans: list[tuple[int, int]] = []
    for index in range(begin, end):
        if spans and unicodedata.combining(text[index]):
            spans[-1] = (spans[-1][0], index + 1)
        else:
            spans.append((index, index + 1))
    return spans


class _OneForOne(dict[int, str]):
    """A ``str.translate`` table, filled as characters are met: a character's plain form
    when that is one character, else NUL (never in a run of non-ASCII characters), which
    sends the run the slow way."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        plain = "\x00" if unicodedata.combining(char) else _plain(char)
        self[code] = value = plain if len(plain) == 1 else "\x00"
        return value


_ONE_FOR_ONE = _OneForOne()


def _odd(builder: _Builder, text: str, begin: int, end: int) -> None:
    run = text[begin:end]
    plain = run.translate(_ONE_FOR_ONE)
    if "\x00" not in plain:  # fullwidth digits, dashes, spaces: one character for one
        builder.add(plain, begin, end, one_for_one=True)
        return
    clusters = _clusters(text, begin, end)
    if clusters and unicodedata.combining(text[begin]):
        base = builder.take_last_char()  # "a" + U+0308 is "ä"
        if base is not None:
            clusters[0] = (base, clusters[0][1])
    for start, finish in clusters:
        piece = text[start:finish]
        builder.add(_plain(piece), start, finish, one_for_one=len(piece) == 1 == len(_plain(piece)))


def _percent(builder: _Builder, text: str, begin: int, end: int) -> None:
    """Percent-encoded UTF-8, each decoded character mapped to its own ``%XX`` bytes."""
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    char_start = begin
    for position in range(begin, end, 3):
        decoded = decoder.decode(bytes([int(text[position + 1 : position + 3], 16)]))
        if decoded:
            builder.add("".join(_plain(c) for c in decoded), char_start, position + 3, one_for_one=False)
            char_start = position + 3
    tail = decoder.decode(b"", final=True)
    if tail:
        builder.add(tail, char_start, end, one_for_one=False)


def normalise(text: str) -> Normalised:
    candidate = _CANDIDATE.search(text)
    if candidate is None:  # ASCII and Finnish letters only: read as written
        return Normalised(text, text, [0], [(0, len(text))], [True])
    builder = _Builder(text)
    copied_to = 0
    # A character-class search finds the few places to look at ten times faster than the
    # alternation would on its own; a "%" or "&" that starts no encoding is skipped.
    while candidate is not None:
        match = _SPECIAL.match(text, candidate.start())
        if match is None:
            candidate = _CANDIDATE.search(text, candidate.start() + 1)
            continue
        builder.copy(copied_to, match.start())
        if match.lastgroup == "pct":
            _percent(builder, text, *match.span())
        elif match.lastgroup == "entity":  # pasted from HTML: &#8209; &nbsp; &commat;
            # Encoded twice over or more (&amp;#64;): the "amp;" layers are peeled off first.
            decoded = html.unescape("&" + re.sub(r"^(?:amp;)+", "", match[0][1:]))
            plain = "".join(_plain(c) for c in decoded) if decoded != match[0] else decoded
            builder.add(plain, *match.span(), one_for_one=plain == match[0])
        else:
            _odd(builder, text, *match.span())
        copied_to = match.end()
        candidate = _CANDIDATE.search(text, copied_to)
    builder.copy(copied_to, len(text))
    return builder.build()


# "matti at example dot fi", "matti(at)example.fi", "matti [ät] example [piste] fi",
# "matti @ example . fi". Each
# alternative starts with a bracket or a space, so the search skips most of a note at once;
# the spaces around are taken in afterwards.
# The words Finns and Swedes say for "@".
_AT_WORDS = r"(?:[aä]t[- ]?merkki|kissanhäntä|miukumauku|snabel-?a|at-sign)"
_MASKED = re.compile(
    r"[(\[{<][ \t]{0,2}(?:(?P<at>" + _AT_WORDS + r"|at|ät|a|@)|dot|piste|pt|\.)[ \t]{0,2}[)\]}>]"
    r"|[ \t](?:(?P<spaced_at>" + _AT_WORDS + r"|at|ät|@)|dot|piste|\.)(?=[ \t])",
    re.IGNORECASE,
)


# Every spelled-out "@" matches this; without it there is nothing to put back.
_AT_HINT = re.compile(r"@|[(\[{<][ \t]{0,2}[aä]|[ \t][aä]t[ \t]|" + _AT_WORDS, re.IGNORECASE)


def may_hold_email(view: Normalised) -> bool:
    """False when ``view`` holds no "@" and nothing spelled out as one: ``unmask_email`` would
    give the view back as it is, and no detector of addresses has anything to start from."""
    return _AT_HINT.search(view.text) is not None


def _spaces(text: str, position: int, step: int) -> int:
    """``position`` moved over at most three spaces or tabs, back (-1) or on (1)."""
    for _ in range(3):
        char = position - 1 if step < 0 else position
        if not 0 <= char < len(text) or text[char] not in " \t":
            break
        position += step
    return position


def unmask_email(view: Normalised, name_first: bool = True) -> Normalised:
    """``view`` with the spelled-out ``@`` and ``.`` of an e-mail address put back. Of two
    spelled-out ats in a row, the first is read as the address's own name ("at at example.fi")
    unless ``name_first`` is false, when the second is the host's name ("x at at dot fi"):
    the guard reads both ways."""
    text, builder = view.text, _Builder(view.text)
    copied_to = 0
    if _AT_HINT.search(text) is None:  # nothing spelled out: most notes
        return view
    matches = list(_MASKED.finditer(text))
    for number, match in enumerate(matches):
        start, end = _spaces(text, match.start(), -1), _spaces(text, match.end(), 1)
        if start < copied_to:
            continue
        following = matches[number + 1] if number + 1 < len(matches) else None
        if (
            name_first
            and match["spaced_at"] is not None
            and following is not None
            and (following["spaced_at"] is not None or following["at"] is not None)
            and not text[match.end() : following.start()].strip()
        ):
            continue  # "at at example.fi", "at (at) example.fi": the first is the name

        builder.copy(copied_to, start)
        at = match["at"] is not None or match["spaced_at"] is not None
        builder.add("@" if at else ".", start, end, one_for_one=False)
        copied_to = end
    builder.copy(copied_to, len(text))
    return builder.build(parent=view)


# Letters drawn like digits, read as digits inside a number (13IO52, O4O): O and I are never a
# check character; l is read as 1 only inside a run, since a lower-case l may be the check L.
# A | is not read as 1: people write it as a separator (131052|308T, loppuosa |308T).
_DIGIT_BESIDE_LIKE = re.compile(r"[0-9][OoIl]|[OoIl][0-9]")
_DIGIT_OR_LIKE = frozenset("0123456789OoIl")
_DIGIT_LIKE = str.maketrans("OoIl", "0011")
_MONTHS = {
    **{stem: i for i, stem in enumerate(
        ("tammi", "helmi", "maalis", "huhti", "touko", "kesä", "heinä", "elo", "syys", "loka", "marras", "joulu"), 1
    )},
    **{m: i for i, m in enumerate(
        ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
         "november", "december"), 1
    )},
    **{m: i for i, m in enumerate(
        ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
         "november", "december"), 1
    )},
    **{m: i for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )},
    "okt": 10, "sept": 9, "mai": 5, "maij": 5,
}  # fmt: skip
# A month in words between a day and a year: "13. lokakuuta 1952", "13 oktober 1952". The
# pattern starts at the word (a look back at every character of a long number would cost).
_MONTH_WORD = re.compile(
    r"(?P<month>(?:"
    r"(?:tammi|helmi|maalis|huhti|touko|kesä|heinä|elo|syys|loka|marras|joulu)kuu[a-zåäö]{0,4}"
    r"|"
    + "|".join(sorted((m for m in _MONTHS if m.isascii()), key=len, reverse=True))
    + r")\.?)(?P<after>[ \t\n]{0,3})(?=\d)",
    re.IGNORECASE,
)
_DIGIT_THEN_WORD = re.compile(r"\d\.?[ \t\n]{0,3}(?=[^\W\d_])")


def _month_number(word: str) -> int:
    word = word.lower().rstrip(".")
    if "kuu" in word:
        return _MONTHS[word[: word.index("kuu")]]
    return _MONTHS[word]


def digits_view(view: Normalised) -> Normalised:
    """``view`` with numbers read as numbers: look-alike letters inside a run of digits are
    digits and a month in words between a day and a year is its number (13. lokakuuta 1952
    is 13.10.1952). Linear: one walk for each of the two."""
    text = view.text
    chars: list[str] | None = None
    # Each run is found from a digit beside a look-alike and widened by hand, once: a pattern
    # with a star on each side would look at a long run of digits again from every start.
    end = 0
    for touch in _DIGIT_BESIDE_LIKE.finditer(text):
        if touch.start() < end:
            continue
        start, end = touch.start(), touch.end()
        while start > 0 and text[start - 1] in _DIGIT_OR_LIKE:
            start -= 1
        while end < len(text) and text[end] in _DIGIT_OR_LIKE:
            end += 1
        # A word's letters are not digits ("klo10"): a run that a word touches loses its
        # look-alikes on that side, unless one letter alone stands before it (a century sign:
        # 0AO2, "A O02H") or the run is a long number ("puhOI0100").
        digits = sum(char.isdigit() for char in text[start:end])
        if start > 1 and text[start - 1].isalpha() and text[start - 2].isalpha() and digits < 4:
            while start < end and not text[start].isdigit():
                start += 1
        if text[end : end + 1].isalpha() and text[end + 1 : end + 2].isalpha():
            while end > start and not text[end - 1].isdigit():
                end -= 1
        word = text[start:end]
        if not word:
            continue
        if chars is None:
            chars = list(text)
        for offset, char in enumerate(word):
            if char.isdigit():
                continue
            inner = 0 < offset < len(word) - 1
            if (char == "|" and inner) or (char == "l" and offset == len(word) - 1):
                continue
            chars[start + offset] = char.translate(_DIGIT_LIKE)
    mapped = text if chars is None else "".join(chars)
    months = []
    # Only where a word follows a digit is a month looked for: the alternation of month
    # names tried at every character would cost half a second a megabyte.
    for lead in _DIGIT_THEN_WORD.finditer(mapped):
        match = _MONTH_WORD.match(mapped, lead.end())
        if match is not None:
            months.append((lead.start() + 1, match.end(), match["month"]))
    if not months:
        if chars is None:
            return view
        return Normalised(mapped, mapped, [0], [(0, len(mapped))], [True], parent=view)
    builder = _Builder(mapped)
    copied_to = 0
    for start, end, month in months:
        builder.copy(copied_to, start)
        builder.add(f".{_month_number(month):02d}.", start, end, one_for_one=False)
        copied_to = end
    builder.copy(copied_to, len(mapped))
    return builder.build(parent=view)
