"""The guard for free text: nothing that identifies a client may reach a case.

Refused: Finnish personal identity codes (every century sign, any case; with a written century
sign also a wrong check character, since a mistyped code still points at a person), e-mail
addresses and phone numbers. Warned (the worker may confirm): likely personal names, street
addresses and birth dates. Pure: no UI, no database.

The text is normalised before it is looked at (see ``consult.privacy.normalise``), so the ways people
actually write and paste identifiers (fullwidth digits, a zero-width space or soft hyphen
inside, an en dash as the century sign, percent-encoding, ``x at example dot fi``) are caught.
Every pattern has bounded repetition and every pass is one walk over the text: a pasted
megabyte is checked in well under a second. A finding reports the original substring.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache
from importlib import resources
from itertools import pairwise
from typing import Literal

from consult.privacy.normalise import Normalised, _Builder, digits_view, normalise, unmask_email

Kind = Literal["identity_code", "identity_code_mistyped", "email", "phone", "name", "address", "birth_date"]
REFUSED: frozenset[str] = frozenset({"identity_code", "identity_code_mistyped", "email", "phone"})

_CENTURIES = {"+": 1800, "-": 1900, "Y": 1900, "X": 1900, "W": 1900, "V": 1900, "U": 1900,
              "A": 2000, "B": 2000, "C": 2000, "D": 2000, "E": 2000, "F": 2000}  # fmt: skip
_CHECK_CHARS = "0123456789ABCDEFHJKLMNPRSTUVWXY"

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
# A phone number: international (+358 …, 00358 …) or Finnish with a leading 0 (040 …, (09) …),
# 7 to 15 digits in groups split by at most three of space . - / ( ). Letters may touch it
# ("puh0401234567"), digits may not (it would be part of a longer number), nor a digit and a
# dot, comma, slash or hyphen (the month of a date, 10.01.2020; the decimals of a sum; the
# last part of a reference, TYM-2025-0412).
# (Each look back follows the first character, so the search can skip to a +, ( or 0.)
_PHONE = re.compile(
    r"(?:\+(?<![\d+]\+)(?<!\d[.,/-]\+) ?\(?\d|\((?<![\d+]\()(?<!\d[.,/-]\()0|0(?<![\d+]0)(?<!\d[.,/-]0))"
    r"(?:[ .\-()/]{0,3}\d){6,14}(?!\d)"
)
_DIGIT_GROUP = re.compile(r"\d+")
_ANY_DIGIT = re.compile(r"\d")
# Top-level domains that may follow a comma or a dot and a space ("example,fi", "example. fi"):
# only these, since a sentence goes on after a comma.
_COMMON_TLDS = r"(?:fi|com|net|org|se|eu|info|io|ax|ee|de|nu|no|dk|uk)"
_EMAIL_LOCAL = re.compile(r"[\w.+\-]+")
# The last label, the top-level domain, is letters: "hinta @ 5.50" is not an address.
_EMAIL_DOMAIN = re.compile(
    r"[\w\-]{1,63}(?:\.[\w\-]{1,63}){0,7}(?:\.[^\W\d_]{2,24}|(?:\. |, ?)" + _COMMON_TLDS + r"\b)"
)
_ADDRESS = re.compile(
    r"[A-ZÅÄÖ](?<![\w-][A-ZÅÄÖ])[a-zåäö-]{0,40}(?:katu|tie|kuja|polku|raitti|väylä|ranta|kaari|rinne|mäki|tori|"
    r"puistikko|gatan|vägen|gränd|stigen) {1,3}\d{1,4}(?: ?[A-Za-z]\b)?(?: ?(?:as\.?|bst\.?) ?\d{1,3})?"
)
_DATE = re.compile(r"(\d{1,2})\. ?(\d{1,2})\. ?(\d{4})(?!\d)")
_WORD = re.compile(r"[A-ZÅÄÖ](?<![\w][A-ZÅÄÖ])[a-zåäöA-ZÅÄÖ]{1,30}(?:-[A-ZÅÄÖ][a-zåäö]{1,30})?(?![\w])")


@dataclass(frozen=True, slots=True)
class Finding:
    kind: Kind
    text: str

    @property
    def refused(self) -> bool:
        return self.kind in REFUSED


def _listed(name: str) -> set[str]:
    text = resources.files("consult.data").joinpath(name).read_text("utf-8")
    return {line.strip().lower() for line in text.splitlines() if line.strip() and not line.startswith("#")}


@cache
def common_names() -> frozenset[str]:
    """Finnish first names and surnames (lower case) from public name statistics, less the
    ones that are everyday words; ``scripts/refresh_names.py`` writes the file."""
    return frozenset(_listed("names_fi.txt") - _listed("names_fi_exclude.txt"))


def _check_char(date_digits: str, individual: str) -> str:
    return _CHECK_CHARS[int(date_digits + individual) % 31]


def _valid_date(day: int, month: int, year: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _identity_code_kind(match: re.Match[str]) -> Kind | None:
    """What the candidate is: a code, a code with a wrong check character, or nothing."""
    date_part, sign, check = match["date"], (match["sign"] or "").upper(), (match["check"] or "").upper()
    individual = match["individual"].replace(" ", "")
    digits = date_part.replace(".", "").replace(" ", "")
    day, month, year = int(digits[:2]), int(digits[2:4]), int(digits[4:6])
    if sign:
        dated = _valid_date(day, month, _CENTURIES[sign] + year)
    else:
        dated = any(_valid_date(day, month, century + year) for century in (1900, 2000))
    if not dated or int(individual) < 2 or (check and check not in _CHECK_CHARS):
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
    if check == _check_char(digits, individual):
        return "identity_code"
    # A wrong check character is refused only where the code is unmistakably written as one:
    # with its century sign and the date as DDMMYY or DD.MM.YY.
    if sign and written:
        return "identity_code_mistyped"
    return None


_last_regions: tuple[str, list[tuple[int, int]]] = ("", [(0, 0)])


def _regions(text: str) -> list[tuple[int, int]]:
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


def _identity_codes(view: Normalised) -> list[tuple[int, int, Kind, bool]]:
    """(start, end, kind, written with its century sign) of every code in the view."""
    found: list[tuple[int, int, Kind, bool]] = []
    # Digits repeat their windows ("1111…"): each distinct candidate is judged once.
    verdicts: dict[str, Kind | None] = {}
    covered = -1  # a code found covers its span: the windows inside it are not codes too
    for region_start, region_end in _regions(view.text):
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


def _looks_like_date_or_time(candidate: str) -> bool:
    """01.02.2026, 09.30-10.15, 01/2026-03/2026: dates, times and months, not a number."""
    if "." not in candidate and "/" not in candidate:
        return False
    groups = [len(g) for g in _DIGIT_GROUP.findall(candidate)]
    return any(a <= 2 and (b <= 2 or b == 4) for a, b in pairwise(groups))


def _phones(view: Normalised, taken: _Taken) -> list[tuple[int, int]]:
    found = []
    for match in _PHONE.finditer(view.text):
        if ". " in match[0] or _looks_like_date_or_time(match[0]):  # a sentence ends inside it
            continue
        digits = "".join(c for c in match[0] if c.isdigit())
        if not 7 <= len(digits) <= 15:
            continue
        # A Finnish number's area code never starts 00: that is the international prefix, and a
        # country code and a whole number follow it. "B0000001", "B0010000" are counters.
        international = digits.startswith("00") and not match[0].lstrip("( ").startswith("+")
        if international and (digits[2] == "0" or len(digits) < 10):
            continue
        if _allowed_number(view.text, *match.span()):
            continue
        span = view.original_span(*match.span())
        if not taken.overlaps(*span):
            found.append(span)
    return found


def _emails(view: Normalised) -> list[tuple[int, int]]:
    """Finds each ``@`` and looks a bounded way either side: no pattern runs over the text."""
    text = view.text
    found: list[tuple[int, int]] = []
    if "@" not in text:
        return found
    # Where the run of address characters that ends at each position starts: one pass.
    run_starts = {run.end(): run.start() for run in _EMAIL_LOCAL.finditer(text)}
    position = text.find("@")
    while position != -1:
        local_start = run_starts.get(position)
        domain = _EMAIL_DOMAIN.match(text, position + 1)
        if local_start is not None and domain is not None:
            found.append(view.original_span(max(local_start, position - 64), domain.end()))
        position = text.find("@", position + 1)
    return found


class _Taken:
    """Spans of the original text already reported; overlap is found by bisection, so a text
    with a hundred thousand findings is not compared pairwise."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        spans = sorted(spans) if len(spans) > 1 else spans
        self.starts = [start for start, _ in spans]
        self.reach: list[int] = []  # the furthest end among the spans up to here
        for _, end in spans:
            self.reach.append(max(end, self.reach[-1]) if self.reach else end)

    def overlaps(self, start: int, end: int) -> bool:
        before = bisect_left(self.starts, end)
        return before > 0 and self.reach[before - 1] > start


def _birth_dates(view: Normalised, today: date, taken: _Taken) -> list[tuple[int, int]]:
    found = []
    text = view.text
    for match in _DATE.finditer(text):
        if match.start() and (text[match.start() - 1].isdigit() or text[match.start() - 1] == "."):
            continue  # the end of a longer number: 2024.12.1990
        # A date more than 15 years back is more likely someone's birthday than a meeting.
        if int(match[3]) > today.year - 15 or not _valid_date(int(match[1]), int(match[2]), int(match[3])):
            continue
        span = view.original_span(*match.span())
        if not taken.overlaps(*span):
            found.append(span)
    return found


# --- Identifiers by structure and checksum, in the canonical form (``digits_view``) ----------
#
# A code is a date (DDMMYY, DDMMYYYY or D.M.YYYY, any separator between the parts), then any
# separator or century sign, then the individual number and the check character. Separators
# of any kind do not matter (line breaks, commas, pipes, brackets, doubled dashes); the
# checksum, one chance in 31, is what keeps a date followed by a number from being refused.
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
    if int(individual) < 2 or check_char not in _CHECK_CHARS:
        return False
    if match["gap"]:  # "308 T": the check character stands alone, not a word's first letter
        after = match.string[match.end("c") : match.end("c") + 1]
        if after.isalnum():
            return False
    if len(year_text) == 4:
        year = int(year_text)
        centuries = [year // 100 * 100]
        if sign and _CENTURIES.get(sign, centuries[0]) != centuries[0]:
            return False
        if not 1800 <= year <= today.year:
            return False
        # "28.4.2024 2053": a recent date and a number. Without a sign a code with a written-out
        # year is taken for one of a client at least 15 years old.
        if not sign and "-" not in match["sep"] and check_char.isdigit() and year > today.year - 15:
            return False
    elif sign:
        centuries = [_CENTURIES[sign]]
    else:
        centuries = [1900, 2000]
    short_year = int(year_text[-2:])
    if not any(_valid_date(day, month, c + short_year) for c in centuries):
        return False
    return check_char == _check_char(f"{day:02d}{month:02d}{short_year:02d}", individual)


def _structured_codes(view: Normalised, today: date, joined: bool = False) -> list[tuple[int, int]]:
    """Spans (in ``view.text``) of codes found by structure and checksum."""
    found: list[tuple[int, int]] = []
    verdicts: dict[tuple[int, str], bool] = {}
    for years, pattern in _STRUCTURED.items():
        covered = -1
        for region_start, region_end in _regions(view.text):
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


def _canonical(view: Normalised) -> Normalised:
    return digits_view(view)


# The end of a code standing apart: "-308T", "308T". Words before it are taken out only
# around these, so a note's other numbers are not read together.
_CODE_TAIL = re.compile(
    r"(?<![\w])(?<!\d[.,/-])(?:[-+A-FU-Y][( ]{0,2}\d{3}[0-9A-Y]|\d{3}[A-HJ-NPR-Y])(?!\w)", re.IGNORECASE
)
_BEFORE_TAIL = 120


def _codes_by_structure(canonical: Normalised, today: date) -> list[tuple[int, int]]:
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


# --- Phone numbers with the library made for them -------------------------------------------
#
# Windows around runs of digit groups (at most four separators between two groups, at least
# seven digits) are handed to ``phonenumbers``; most of a note is never looked at by it, and a
# run of digits too long to be a number (a pasted column) is cut into windows of bounded size.
_PHONE_RUN = re.compile(r"(?:\+[ ]?|\(?)?\d(?:(?:[^\w\n]|_){0,4}\(?\d)*+")
_PHONE_WINDOW = 48
# Separators ``phonenumbers`` does not read as one (040_123_4567, 040:1234567, 040|123|4567):
# each becomes a space, one for one, so a span in the window is a span in the text.
_TO_SPACE = str.maketrans({c: " " for c in "_:|,;\t\\*~'\"`^=!?"})
_CLOCK = re.compile(r"(?:\bklo|\bkello|\bkl|\bclock|\bat)\.?[ ]{0,2}$", re.IGNORECASE)
_TIME_OR_DATE = re.compile(
    r"\(?\d{1,2}[.:]\d{2}\)?(?:[ ]?-[ ]?\d{1,2}[.:]\d{2})?"  # 9.30, 09.30-10.15
    r"|\d{1,2}[./]\d{1,2}[./](?:\d{2}|\d{4})?(?:[ ]?-[ ]?\d{1,2}[./]\d{1,2}[./](?:\d{2}|\d{4})?)?"  # dates
    r"|\d{1,2}/\d{4}(?:[ ]?-[ ]?\d{1,2}/\d{4})?"  # 09/2022
    r"|\d{4}[ ]?-[ ]?\d{4}"  # 0800-0930, 2025-2026
)
# A month of a year or a date inside what the library takes for a number (02/2020 0,
# 01.01.2020 1,00 €, 04/2020-01/2020): a note's dates run into its sums.
_MONTH_OF_YEAR = re.compile(
    r"(?<![\d.])(?:(?P<m>\d{1,2})/(?:19|20)\d\d|(?P<d>\d{1,2})[./](?P<dm>\d{1,2})[./](?:(?:19|20)\d\d)?)(?![\d/])"
)


def _holds_a_date(raw: str) -> bool:
    for match in _MONTH_OF_YEAR.finditer(raw):
        if match["m"] is not None and 1 <= int(match["m"]) <= 12:
            return True
        if match["d"] is not None and 1 <= int(match["d"]) <= 31 and 1 <= int(match["dm"]) <= 12:
            return True
    return False


_BUSINESS_ID = re.compile(r"(\d{7})-(\d)(?!\d)")
_BUSINESS_WORDS = re.compile(r"y-?tunnus|fo-?nummer|business id|yritystunnus|ly-?tunnus", re.IGNORECASE)


def _valid_business_id(digits: str, check_digit: str) -> bool:
    remainder = sum(int(d) * w for d, w in zip(digits, (7, 9, 10, 5, 8, 4, 2), strict=True)) % 11
    return remainder != 1 and str(0 if remainder == 0 else 11 - remainder) == check_digit


def _allowed_number(text: str, start: int, end: int) -> bool:
    """A number ``phonenumbers`` accepts that a note means otherwise: a clock time or a range of
    them, a date, the middle of a longer reference (1203/05.00.00/2026), a business ID beside
    its name."""
    raw = text[start:end]
    if _TIME_OR_DATE.fullmatch(raw.strip("() ")) or _holds_a_date(raw):
        return True
    before, after = text[max(0, start - 2) : start], text[end : end + 2]
    if (
        before[-1:].isdigit()
        or after[:1].isdigit()
        or re.search(r"\d[./-]$", before)
        or re.match(r"[./-]\d", after)
        or after[:1] in ("%", "€")
    ):
        return True
    if _CLOCK.search(text[max(0, start - 12) : start]):
        return True
    business = _BUSINESS_ID.match(raw.strip())
    if business and _valid_business_id(*business.groups()):
        return _BUSINESS_WORDS.search(text[max(0, start - 40) : start]) is not None
    return False


@cache
def _phone_library():
    import phonenumbers

    return phonenumbers


_LONG_DIGITS = re.compile(r"\d{16,}")
# Windows handed to ``phonenumbers`` in one check; past it the hand-written pattern alone
# judges, so a megabyte of distinct numbers stays bounded in time.
_PHONE_BUDGET = 3000


def _phone_windows(text: str) -> list[tuple[int, int]]:
    windows: list[tuple[int, int]] = []
    for whole in _PHONE_RUN.finditer(text):
        # A run of more digits than any number has is no number: what is on either side is.
        pieces, at = [], whole.start()
        for long in _LONG_DIGITS.finditer(text, whole.start(), whole.end()):
            pieces.append((at, long.start()))
            at = long.end()
        pieces.append((at, whole.end()))
        windows += _windows_of(text, pieces)
    return windows


def _windows_of(text: str, pieces: list[tuple[int, int]]) -> list[tuple[int, int]]:
    windows = []
    for start, end in pieces:
        if sum(c.isdigit() for c in text[start : min(end, start + 64)]) < 7 and end - start < 64:
            continue
        while end - start > _PHONE_WINDOW:
            windows.append((start, start + _PHONE_WINDOW))
            start += _PHONE_WINDOW - 20
        windows.append((start, end))
    return windows


@lru_cache(maxsize=16384)
def _window_phones(window: str) -> tuple[tuple[int, int], ...]:
    library = _phone_library()
    matches = library.PhoneNumberMatcher(window.translate(_TO_SPACE), "FI", leniency=library.Leniency.VALID)
    return tuple((match.start, match.end) for match in matches)


def _library_phones(view: Normalised) -> list[tuple[int, int]]:
    """Spans (in ``view.text``) of numbers ``phonenumbers`` finds valid for Finland or with a
    country code, less the allowances."""
    text = view.text
    windows = _phone_windows(text)
    if not windows:
        return []
    found: list[tuple[int, int]] = []
    for start, end in windows[:_PHONE_BUDGET]:
        for relative_start, relative_end in _window_phones(text[start:end]):
            span = (start + relative_start, start + relative_end)
            if found and span[0] < found[-1][1]:
                continue
            if not _allowed_number(text, *span):
                found.append(span)
    return found


# --- E-mail addresses around a written "@" ---------------------------------------------------
#
# Whatever is on either side of a written "@" (＠, &#64; and &amp;#64; are one already): a
# local part, perhaps quoted, and a host with or without a top-level domain (nimi@alue,
# x@localhost), spaces or another "@" between. A host starts with a letter: "hinta @ 5.50".
_LOCAL_BEFORE = re.compile(r"(?:\"[^\"\n]{1,64}\"|[\w.+\-']{1,64})[ \t]{0,2}@{1,3}$")
_HOST_AFTER = re.compile(r"@{0,2}[ \t]{0,2}[^\W\d_][\w\-]{0,62}(?:(?:[.,。]|\. )[\w\-]{1,63}){0,7}")


def _written_at_emails(view: Normalised, spelled: bool = False) -> list[tuple[int, int]]:
    """Spans in ``view.text``. Where the @ was spelled out (``spelled``) the host needs a dot:
    "tavattiin at Kela" is no address."""
    text, found = view.text, []
    position = text.find("@")
    while position != -1:
        local = _LOCAL_BEFORE.search(text, max(0, position - 70), position + 1)
        host = _HOST_AFTER.match(text, position + 1)
        dotted = host is not None and any(c in host[0] for c in ".,。")
        if (
            local is not None
            and host is not None
            and any(c.isalnum() for c in local[0])
            and (dotted or not spelled)
        ):
            found.append((local.start(), host.end()))
            position = text.find("@", host.end())
            continue
        position = text.find("@", position + 1)
    return found


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
def _ordinary_words() -> frozenset[str]:
    """Word forms the stemmer would take for an inflected name (päiviä, toinen)."""
    return frozenset(_listed("names_fi_words.txt"))


@lru_cache(maxsize=65536)
def _is_name(word: str) -> bool:
    """Whether a capitalised word is, or inflects from, a listed name; the same words come
    back in note after note, so each is judged once."""
    names, ordinary = common_names(), _ordinary_words()
    return any(
        part.lower() not in ordinary and not _stems(part.lower()).isdisjoint(names)
        for part in word.split("-")
    )


# --- Names by Finnish morphology (Voikko) ----------------------------------------------------
#
# Voikko's lexicon knows Finnish words in every inflected form, first names and surnames among
# them (Kauhasen → Kauhanen, surname). A capitalised word it reads only as a name is a name; one
# it does not know at all is most often a name from another language (Warsamen, Yilmazin); one
# that is also an everyday word (Toivo, Satu, Mäki) is a name only beside another name or where
# a name stands (after "asiakas", "rouva", "nimeltä", before "kanssa"). The list of names stays
# as a complement. pyvoikko costs seconds to import: it is imported when a note first holds a
# capitalised word, never at start-up (``warm_up`` lets an app do it on a worker thread).
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


@cache
def _voikko():
    import pyvoikko

    return pyvoikko


def warm_up() -> None:
    """Imports the morphology (seconds); for a worker thread, so the first note needs not wait."""
    _voikko()
    _phone_library()


@lru_cache(maxsize=131072)
def _analyses(word: str) -> tuple[tuple[str, str], ...]:
    """(class, base form) of each reading of a lower-case word."""
    try:
        return tuple((a.CLASS or "", (a.BASEFORM or "").lower()) for a in _voikko().analyse(word))
    except Exception:
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
    """'name', 'maybe' (also an everyday word), 'unknown', 'word' or 'skip'."""
    kinds = []
    for part in re.split(r"[-'’]", word):
        if not part or not part[0].isupper() or (part.isupper() and len(part) <= 5):
            continue  # "TE-toimisto", "SHL": an abbreviation
        lower = part.lower()
        if lower in _ordinary_words() or lower.startswith(_not_people()):
            kinds.append("word")
            continue
        analyses = _analysed(lower)
        if analyses is None:
            kinds.append("name" if _is_name(part) else "word")
            continue
        classes = {c for c, _ in analyses}
        if not analyses:
            kinds.append("unknown" if part.isascii() or not part.isupper() else "skip")
        elif classes <= _NAME_CLASSES:
            listed_word = lower in _excluded_names() or any(b in _excluded_names() for _, b in analyses)
            kinds.append("maybe" if listed_word else "name")
        elif classes & _NAME_CLASSES:
            kinds.append("maybe")
        else:
            kinds.append("word")
    for kind in ("name", "unknown", "maybe", "word"):
        if kind in kinds:
            return kind
    return "skip"


@cache
def _not_people() -> tuple[str, ...]:
    """Services, programmes and firms a note names, as the stems their inflected forms start
    with (Teamsissa, Peluurin): capitalised and unknown to the lexicon, but nobody."""
    return tuple(sorted(_listed("not_people.txt")))


@cache
def _excluded_names() -> frozenset[str]:
    return frozenset(_listed("names_fi_exclude.txt"))


def _base_forms(word: str) -> set[str]:
    analyses = _analysed(word.lower())
    return {word.lower()} | ({b for _, b in analyses} if analyses else set())


_WORD_AROUND = re.compile(r"[^\W\d_]+")


def _morphology_names(view: Normalised) -> list[tuple[int, int]]:
    global _lookups
    _lookups = 0
    text = view.text
    words = list(_CAPITALISED.finditer(text))
    kinds = [_word_kind(m[0]) for m in words]
    found = []
    for index, (match, kind) in enumerate(zip(words, kinds, strict=True)):
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


def _names(view: Normalised, taken: _Taken) -> list[tuple[int, int]]:
    found = []
    for match in _WORD.finditer(view.text):
        word = match[0]
        if word.isupper() and len(word) <= 4:  # an abbreviation (SHL, TE, KELA)
            continue
        if _is_name(word):
            span = view.original_span(*match.span())
            if not taken.overlaps(*span):
                found.append(span)
    return found


def _overlapping_dropped(
    spans: list[tuple[int, int]], kind: Kind, found: list[tuple[tuple[int, int], Kind]]
) -> list[tuple[tuple[int, int], Kind]]:
    taken = _Taken([span for span, _ in found])
    return [(span, kind) for span in sorted(set(spans)) if not taken.overlaps(*span)]


# Characters that make text display in another order than it is stored: behind a right-to-left
# override "T803-250131" shows as a code.
_REORDERING = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def _recall_refusals(
    text: str, view: Normalised, numbers: bool, today: date, found: list[tuple[tuple[int, int], Kind]]
) -> list[tuple[tuple[int, int], Kind]]:
    """What the canonical form adds to the spellings ``check`` knows: codes by structure and
    checksum, phones by ``phonenumbers``, addresses around any written @."""
    unmasked = unmask_email(view)
    addresses = [view.original_span(s, e) for s, e in _written_at_emails(view)]
    if unmasked is not view:
        addresses += [unmasked.original_span(s, e) for s, e in _written_at_emails(unmasked, spelled=True)]
    added = _overlapping_dropped(addresses, "email", found)
    if not numbers:
        return added
    canonical = _canonical(view)
    codes = _codes_by_structure(canonical, today)
    if _REORDERING.search(text):
        backwards = _canonical(normalise(text[::-1]))
        codes += [(len(text) - e, len(text) - s) for s, e in _codes_by_structure(backwards, today)]
    added += _overlapping_dropped(codes, "identity_code", found + added)
    phones = [canonical.original_span(s, e) for s, e in _library_phones(canonical)]
    added += _overlapping_dropped(phones, "phone", found + added)
    return added


def check(text: str, today: date | None = None) -> list[Finding]:
    """Everything in ``text`` that could identify a person, each once: refusals first, then
    warnings, each group in the order written. ``Finding.text`` is the text as written."""
    if not text:
        return []
    today = today or date.today()
    view = normalise(text)
    # Codes, phones, addresses and dates all hold a digit; most notes' sentences hold none.
    numbers = _ANY_DIGIT.search(view.text) is not None
    codes = (
        [(view.original_span(s, e), kind, signed) for s, e, kind, signed in _identity_codes(view)]
        if numbers
        else []
    )
    signed = [(span, kind) for span, kind, with_sign in codes if with_sign]
    emails = _emails(unmask_email(view))
    refused: list[tuple[tuple[int, int], Kind]] = signed + [(span, "email") for span in emails]
    if numbers:
        phones = _phones(view, _Taken([span for span, _ in refused]))
        refused += [(span, "phone") for span in phones]
        # Ten digits without a sign that are also phone-shaped (040 377 1944) are a phone number.
        taken = _Taken([span for span, _ in refused])
        refused += [
            (span, kind) for span, kind, with_sign in codes if not with_sign and not taken.overlaps(*span)
        ]
    refused += _recall_refusals(text, view, numbers, today, refused)
    refused.sort()
    addresses = [view.original_span(*m.span()) for m in _ADDRESS.finditer(view.text)] if numbers else []
    warned: list[tuple[tuple[int, int], Kind]] = [(span, "address") for span in addresses]
    if numbers:
        taken = _Taken([span for span, _ in refused])
        warned += [(span, "birth_date") for span in _birth_dates(view, today, taken)]
    taken = _Taken([span for span, _ in refused] + addresses)
    names = _names(view, taken)
    morphology = [view.original_span(s, e) for s, e in _morphology_names(view)]
    names += [span for span in morphology if not taken.overlaps(*span) and span not in names]
    warned += [(span, "name") for span in names]
    warned.sort()
    return [Finding(kind, text[start:end]) for (start, end), kind in refused + warned]


def refusals(text: str) -> list[Finding]:
    return [f for f in check(text) if f.refused]


class IdentifierRefused(ValueError):
    """Text with an identifier offered for storage; ``str()`` names the field and the kinds
    found, never the text."""


def refuse_identifiers(field: str, text: str) -> None:
    """The store's last line: the screens and the import check first and say it in words, so
    this only fires on a path that forgot to (raises IdentifierRefused)."""
    if text and (found := refusals(text)):
        kinds = ", ".join(dict.fromkeys(f.kind for f in found))
        raise IdentifierRefused(f"{field}: {kinds}")


# A code written into an identifier whose shape is fixed (a case's UUID): as it is written,
# with its sign, no spaces. A wrong check character or a missing sign is not enough here: a
# random UUID has those by chance about once in a hundred.
_WRITTEN_CODE = re.compile(r"(?=(\d{6})([-+A-FU-Y])(\d{3})([0-9A-Y]))", re.IGNORECASE)
# A random (version 4, RFC 4122) UUID as generators write it.
_RANDOM_UUID = re.compile(
    r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", re.IGNORECASE
)


def identity_codes_written(text: str, today: date | None = None) -> list[Finding]:
    """Identity codes with a correct check character and the birth date of someone who could
    be a client (15 to 100 years old), written out as in a UUID."""
    today = today or date.today()
    found = []
    for match in _WRITTEN_CODE.finditer(text):
        digits, sign, individual, check_char = match[1], match[2].upper(), match[3], match[4].upper()
        year = _CENTURIES[sign] + int(digits[4:6])
        if (
            _valid_date(int(digits[:2]), int(digits[2:4]), year)
            and today.year - 100 <= year <= today.year - 15
            and int(individual) >= 2
            and check_char == _check_char(digits, individual)
        ):
            found.append(Finding("identity_code", text[match.start() : match.start() + 11]))
    return found


def identity_codes_in_identifier(text: str, today: date | None = None) -> list[Finding]:
    """The identity codes written into a case id: a UUID's A–F are century signs, so a code can
    hide in one. In an id of the random (version 4) shape, a code across the UUID's own dashes
    is not judged (one such id in 40,000 reads so by chance, and a bundle of exported cases
    must not be refused for codes nobody wrote); a code with an A–F sign inside one group is
    (by chance about one id in 330,000, and the app never makes such an id). Any other id is
    judged whole."""
    if not _RANDOM_UUID.fullmatch(text):
        return identity_codes_written(text, today)
    return [
        finding
        for group in text.split("-")
        for finding in identity_codes_written(group, today)
        if finding.text[6].upper() in "ABCDEF"
    ]


def phones_in_identifier(text: str) -> list[Finding]:
    """Phone numbers written into a case id. In an id of the random (version 4) shape only a
    last group of twelve digits dialled as a mobile number (358 40 1234567) is judged: a run
    of digits anywhere in it, or a landline, would be refused in about one random id in
    five hundred. Any other
    id is judged as text."""
    if not _RANDOM_UUID.fullmatch(text):
        view = _canonical(normalise(text))
        return [Finding("phone", text[slice(*view.original_span(s, e))]) for s, e in _library_phones(view)]
    library = _phone_library()
    last = text.rsplit("-", 1)[1]
    if not last.isdigit() or not last.startswith(("04", "050", "3584", "35850")):
        return []
    try:
        number = library.parse(last if last.startswith("0") else f"+{last}", "FI")
    except library.NumberParseException:
        return []
    return [Finding("phone", last)] if library.is_valid_number(number) else []


@dataclass(frozen=True, slots=True)
class CaseFinding:
    """A finding in a case's texts: the fields it is in (two when it is split across them) and
    its kind; never the text."""

    fields: tuple[str, ...]
    kind: Kind

    @property
    def refused(self) -> bool:
        return self.kind in REFUSED


# How much of the end of one field is read together with the next: a code split across two
# fields has its parts near the end of one and the start of the other.
_JOINED_TAIL = 200
# Words that say what follows is the end of an identity code; after them a bare "3085" is
# read as the individual number and check character.
_CODE_END_CUE = re.compile(r"loppuosa|loppu|tarkiste|hetu|henkilötunnu|tunnuks|personbeteckning|slutet", re.I)
_BARE_CODE_END = re.compile(r"(?<![\w.,/+-])\d{3}[0-9A-Y](?!\w)", re.IGNORECASE)
# Past this many fields only neighbours are read together (a bundle row has a dozen).
_ALL_PAIRS_UP_TO = 40


def check_case(
    texts: Mapping[str, str], case_id: str | None = None, today: date | None = None
) -> list[CaseFinding]:
    """Everything in a case's texts (field name → text) that could identify a person: each
    text on its own, then every two texts read together, so that "syntymäaika 131052" in one
    field and "loppuosa -308T" in another is found (named by both fields); and the case id,
    for identity codes and phone numbers. Refusals first."""
    today = today or date.today()
    found: dict[tuple[tuple[str, ...], Kind], None] = {}
    for field, text in texts.items():
        for finding in check(text, today):
            found[((field,), finding.kind)] = None
    numbered = [(field, text) for field, text in texts.items() if text and _ANY_DIGIT.search(text)]
    if len(numbered) <= _ALL_PAIRS_UP_TO:
        pairs = [(a, b) for a in numbered for b in numbered if a[0] != b[0]]
    else:
        pairs = list(pairwise(numbered)) + [(b, a) for a, b in pairwise(numbered)]
    for (first, first_text), (second, second_text) in pairs:
        head = first_text[-_JOINED_TAIL:]
        tail = second_text[:_JOINED_TAIL]
        if _CODE_END_CUE.search(tail):  # "loppuosa 3085": the four digits are the code's end
            tail = _BARE_CODE_END.sub(r"-\g<0>", tail)
        joined = f"{head}\n{tail}"
        boundary = len(head)
        canonical = _canonical(normalise(joined))
        for start, end in _codes_by_structure(canonical, today):
            if start < boundary < end:
                found[((first, second), "identity_code")] = None
    if case_id:
        for finding in identity_codes_in_identifier(case_id, today) + phones_in_identifier(case_id):
            found[(("id",), finding.kind)] = None
    ordered = sorted(found, key=lambda key: (key[1] not in REFUSED, key[0]))
    return [CaseFinding(fields, kind) for fields, kind in ordered]


def case_refusals(texts: Mapping[str, str], case_id: str | None = None) -> list[CaseFinding]:
    return [finding for finding in check_case(texts, case_id) if finding.refused]


def refuse_case_identifiers(texts: Mapping[str, str], case_id: str | None = None) -> None:
    """The store's last line for a whole case (raises IdentifierRefused naming the fields and
    kinds, never the text)."""
    if found := case_refusals(texts, case_id):
        named = "; ".join(f"{' + '.join(f.fields)}: {f.kind}" for f in found)
        raise IdentifierRefused(named[:500])
