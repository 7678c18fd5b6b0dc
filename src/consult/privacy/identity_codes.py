"""Finnish personal identity codes as people write them: the date's digits perhaps split by
dots or spaces, the century sign perhaps spaced, replaced or left out, judged by the date, the
individual number and the check character. Also what the other ways of finding codes share:
the century signs, the check character, and the parts of a text worth looking at.
"""

from __future__ import annotations

import re

from consult.privacy.findings import Kind, valid_date
from consult.privacy.normalise import Normalised

CENTURIES = {"+": 1800, "-": 1900, "Y": 1900, "X": 1900, "W": 1900, "V": 1900, "U": 1900,
              "A": 2000, "B": 2000, "C": 2000, "D": 2000, "E": 2000, "F": 2000}  # fmt: skip
CHECK_CHARS = "0123456789ABCDEFHJKLMNPRSTUVWXY"

# An identity code as people write it: the date's digits may be split by single dots or
# spaces (13.10.52); the century sign may have spaces around it, be replaced by spaces or
# another separator (. / _ :) or be left out (which forms count is decided in
# ``_identity_code_kind``). Nothing is required before the code (a digit glued in front) or
# after it ("308T4kk"). A lookahead, so every start is tried: a wrong candidate cannot hide a
# right one that overlaps it.
_D = r"\d[. ]?"
_IDENTITY_CODE = re.compile(
    rf"(?=(?P<code>(?P<date>{_D}{_D}{_D}{_D}{_D}\d)(?P<sep> {{0,2}}(?P<sign>[-+A-FU-Y]) {{0,2}}| {{0,2}}[./_:] {{0,2}}| {{1,2}}|)"
    r"(?P<individual>\d ?\d ?\d)(?P<gap> ?)(?P<check>[0-9A-Y])?))",
    re.IGNORECASE,
)
# A number too long to be one code; its two ends are kept, each long enough to hold a code.
_KEPT_END = 32
_LONG_NUMBER = re.compile(r"\d(?:[. ]?\d){64,}")


def check_character(date_digits: str, individual: str) -> str:
    return CHECK_CHARS[int(date_digits + individual) % 31]


def _identity_code_kind(match: re.Match[str]) -> Kind | None:
    """What the candidate is: a code, a code with a wrong check character, or nothing."""
    date_part, sign, check = match["date"], (match["sign"] or "").upper(), (match["check"] or "").upper()
    individual = match["individual"].replace(" ", "")
    digits = date_part.replace(".", "").replace(" ", "")
    day, month, year = int(digits[:2]), int(digits[2:4]), int(digits[4:6])
    if sign:
        dated = valid_date(day, month, CENTURIES[sign] + year)
    else:
        dated = any(valid_date(day, month, century + year) for century in (1900, 2000))
    if not dated or int(individual) < 2 or (check and check not in CHECK_CHARS):
        return None
    written = len(date_part) == 6 or date_part[2:3] == date_part[5:6] != ""  # DDMMYY, DD.MM.YY
    if not check:
        # Date, sign and individual number name a person without the check character; the
        # next character must end the number ("131052-308." but not "131052-3085").
        after = match.string[match.end("code") : match.end("code") + 1]
        if sign and written and not match["gap"] and not after.isalnum():
            return "identity_code_mistyped"
        return None
    # Without a sign only the compact form is a code: "20.03.2020 20" is a date and a number.
    if not sign and (len(date_part) != 6 or len(match["individual"]) != 3 or match["gap"]):
        return None
    if check == check_character(digits, individual):
        return "identity_code"
    # A wrong check character is refused only where the code is unmistakably written as one:
    # with its century sign and the date as DDMMYY or DD.MM.YY.
    if sign and written:
        return "identity_code_mistyped"
    return None


_last_regions: tuple[str, list[tuple[int, int]]] = ("", [(0, 0)])


def regions(text: str) -> list[tuple[int, int]]:
    """``_long_number_regions`` of the text, remembered for the next pass over the same text."""
    global _last_regions
    if _last_regions[0] is not text:
        _last_regions = (text, _long_number_regions(text))
    return _last_regions[1]


def _long_number_regions(text: str) -> list[tuple[int, int]]:
    """The parts of ``text`` to look for codes in: all of it except the middle of numbers
    longer than 64 characters. A window deep inside such a number (an account, a reference,
    a pasted column of digits) is part of that number; its ends are still looked at, so
    digits glued in front of a code or after it do not hide it."""
    regions, start = [], 0
    for run in _LONG_NUMBER.finditer(text):
        regions.append((start, run.start() + _KEPT_END))
        start = run.end() - _KEPT_END
    regions.append((start, len(text)))
    return regions


def codes_as_written(view: Normalised) -> list[tuple[int, int, Kind, bool]]:
    """(start, end, kind, written with its century sign) of every code in the view."""
    found: list[tuple[int, int, Kind, bool]] = []
    # Digits repeat their windows ("1111…"): each distinct candidate is judged once.
    verdicts: dict[str, Kind | None] = {}
    covered = -1  # a code found covers its span: the windows inside it are not codes too
    for region_start, region_end in regions(view.text):
        for match in _IDENTITY_CODE.finditer(view.text, region_start, region_end):
            start = match.start()
            if start < covered:
                continue
            candidate = match["code"]
            if match["check"] is None:  # judged with the character after it
                candidate += view.text[match.end("code") : match.end("code") + 1]
            try:
                kind = verdicts[candidate]
            except KeyError:
                kind = verdicts[candidate] = _identity_code_kind(match)
            # A wrong check character counts only for a code standing apart: 0130100-8 10 is
            # a business ID and a number, not a mistyped code glued to a digit.
            if kind == "identity_code_mistyped" and start and view.text[start - 1].isdigit():
                kind = None
            if kind is not None:
                covered = match.end("code")
                found.append((start, covered, kind, match["sign"] is not None))
    return found
