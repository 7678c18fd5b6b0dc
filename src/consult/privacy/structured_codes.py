"""Identity codes by structure and checksum, in the canonical form (``digits_view``).

A code is a date (DDMMYY, DDMMYYYY or D.M.YYYY, any separator between the parts), then any
separator or century sign, then the individual number and the check character. Separators
of any kind do not matter (line breaks, commas, pipes, brackets, doubled dashes); the
checksum, one chance in 31, is what keeps a date followed by a number from being refused.
"""

from __future__ import annotations

import re
from datetime import date

from consult.privacy.findings import valid_date
from consult.privacy.identity_codes import CENTURIES, CHECK_CHARS, check_character, regions
from consult.privacy.normalise import Normalised, _Builder, digits_view

_GAP = r"(?:[^\w+]|_){0,4}"
_DAY = r"(?:\d\d|\d(?=[\W_]))"
_STRUCTURED = {
    years: re.compile(
        rf"(?=(?P<code>(?P<d>{_DAY})[\W_]{{0,3}}(?P<m>{_DAY})[\W_]{{0,3}}(?P<y>\d{{{years}}})"
        rf"(?P<sep>{_GAP}(?:(?P<sign>[+A-FU-Y])(?P=sign)?{_GAP})?)"
        r"(?P<i>\d{3})(?P<gap>[ \-]?)(?P<c>[0-9A-Y])))",
        re.IGNORECASE,
    )
    for years in (2, 4)
}


def _structured_verdict(match: re.Match[str], today: date, joined: bool = False) -> bool:
    """Whether a candidate is a code. A date written in parts (13.10.1952) has the same
    separator between its parts and one before the individual number; in a text whose words
    were taken out (``joined``) the date is one token, as written."""
    first = match.string[match.end("d") : match.start("m")]
    second = match.string[match.end("m") : match.start("y")]
    if first != second or (joined and " " in first):
        return False
    if first and not match["sep"]:
        return False
    day, month, year_text = int(match["d"]), int(match["m"]), match["y"]
    individual, check_char = match["i"], match["c"].upper()
    sign = (match["sign"] or "").upper()
    if sign == "-":  # a dash may be the sign or only a separator: tried as both below
        sign = ""
    if int(individual) < 2 or check_char not in CHECK_CHARS:
        return False
    if match["gap"]:  # "308 T": the check character stands alone, not a word's first letter
        after = match.string[match.end("c") : match.end("c") + 1]
        if after.isalnum():
            return False
    if len(year_text) == 4:
        year = int(year_text)
        centuries = [year // 100 * 100]
        if sign and CENTURIES.get(sign, centuries[0]) != centuries[0]:
            return False
        if not 1800 <= year <= today.year:
            return False
        # "28.4.2024 2053": a recent date and a number. Without a sign a code with a written-out
        # year is taken for one of a client at least 15 years old.
        if not sign and "-" not in match["sep"] and check_char.isdigit() and year > today.year - 15:
            return False
    elif sign:
        centuries = [CENTURIES[sign]]
    else:
        centuries = [1900, 2000]
    short_year = int(year_text[-2:])
    if not any(valid_date(day, month, c + short_year) for c in centuries):
        return False
    return check_char == check_character(f"{day:02d}{month:02d}{short_year:02d}", individual)


def _structured_codes(view: Normalised, today: date, joined: bool = False) -> list[tuple[int, int]]:
    """Spans (in ``view.text``) of codes found by structure and checksum."""
    found: list[tuple[int, int]] = []
    verdicts: dict[tuple[int, str], bool] = {}
    for years, pattern in _STRUCTURED.items():
        covered = -1
        for region_start, region_end in regions(view.text):
            for match in pattern.finditer(view.text, region_start, region_end):
                if match.start() < covered:
                    continue
                key = (years, match["code"] + view.text[match.end("code") : match.end("code") + 1])
                verdict = verdicts.get(key)
                if verdict is None:
                    verdict = verdicts[key] = _structured_verdict(match, today, joined)
                if verdict:
                    covered = match.end("code")
                    found.append((match.start(), covered))
    return found


# What is left of a text when its words are taken out: the numbers, each with a sign in front
# of it ("syntymäaika 131052, loppuosa -308T" is "131052 -308T").
_NUMBER_TOKEN = re.compile(r"[-+]?\w*\d(?:[\w./]*\w)?|(?<![\w-])[-+](?![\w-])")


def _skeleton(view: Normalised) -> Normalised:
    builder = _Builder(view.text)
    for token in _NUMBER_TOKEN.finditer(view.text):
        if builder.length:
            builder.add(" ", token.start(), token.start(), one_for_one=False)
        builder.copy(*token.span())
    return builder.build(parent=view)


def canonical_view(view: Normalised) -> Normalised:
    return digits_view(view)


# The end of a code standing apart: "-308T", "308T". Words before it are taken out only
# around these, so a note's other numbers are not read together.
_CODE_TAIL = re.compile(
    r"(?<![\w])(?<!\d[.,/-])(?:[-+A-FU-Y][( ]{0,2}\d{3}[0-9A-Y]|\d{3}[A-HJ-NPR-Y])(?!\w)", re.IGNORECASE
)
_BEFORE_TAIL = 120


def codes_by_structure(canonical: Normalised, today: date) -> list[tuple[int, int]]:
    """Original spans of codes found in the canonical form, and with the words before a
    code's end taken out ("syntymäaika 131052, loppuosa -308T")."""
    spans = [canonical.original_span(s, e) for s, e in _structured_codes(canonical, today)]
    for tail in _CODE_TAIL.finditer(canonical.text):
        begin = max(0, tail.start() - _BEFORE_TAIL)
        piece = canonical.text[begin : tail.end()]
        window = Normalised(piece, piece, [0], [(begin, tail.end())], [True], parent=canonical)
        skeleton = _skeleton(window)
        spans += [skeleton.original_span(s, e) for s, e in _structured_codes(skeleton, today, joined=True)]
    return spans
