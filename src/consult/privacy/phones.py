"""Phone numbers: by a hand-written pattern for the ways Finnish numbers are grouped, and by
the ``phonenumbers`` library in the canonical form, less what a note means otherwise (clock
times, dates, sums, references, business IDs).
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from itertools import pairwise

from consult.privacy.findings import Taken
from consult.privacy.normalise import Normalised

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


def _looks_like_date_or_time(candidate: str) -> bool:
    """01.02.2026, 09.30-10.15, 01/2026-03/2026: dates, times and months, not a number."""
    if "." not in candidate and "/" not in candidate:
        return False
    groups = [len(g) for g in _DIGIT_GROUP.findall(candidate)]
    return any(a <= 2 and (b <= 2 or b == 4) for a, b in pairwise(groups))


def pattern_phones(view: Normalised, taken: Taken) -> list[tuple[int, int]]:
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


# A number followed by a unit or a currency is an amount, a count or a length ("21 000 €",
# "1 200 euroa", "45 min"), however phone-shaped its digits; so is one after a currency sign.
_UNIT_AFTER = re.compile(
    r"[ \t\u00a0]{0,2}(?:[€%$£]|e\b|eur|euro|snt|kpl|vrk|pv\b|pvä|h\b|min\b|km\b|kg\b|m²|m2\b|kk\b|v\b)",
    re.IGNORECASE,
)
_CURRENCY_BEFORE = re.compile(r"(?:[€$£]|eur|EUR)[ \t\u00a0]{0,2}$")


# An ordinal or a list number, "0. " or "12. ", before the digits: no dialling code is so short.
_SENTENCE_END = re.compile(r"^\D{0,2}(?:[1-9]\d?|0)\.[ \t\u00a0]+\d")


def _amount_shaped(raw: str) -> bool:
    """Amounts do not begin with 0, + or Finland's 358: a number dialled in Finland does."""
    digits = raw.strip(" ()\t\u00a0")
    return bool(digits) and digits[0] not in "0+" and not digits.startswith("358")


def _allowed_number(text: str, start: int, end: int) -> bool:
    """A number ``phonenumbers`` accepts that a note means otherwise: a clock time or a range of
    them, a date, the middle of a longer reference (1203/05.00.00/2026), a business ID beside
    its name."""
    raw = text[start:end]
    if _TIME_OR_DATE.fullmatch(raw.strip("() ")) or _holds_a_date(raw):
        return True
    if _SENTENCE_END.search(raw):  # "…kohta 0. 21 000 €": a list number, then another number
        return True
    before, after = text[max(0, start - 2) : start], text[end : end + 2]
    if (
        before[-1:].isdigit()
        or after[:1].isdigit()
        or re.search(r"\d[./-]$", before)
        or re.match(r"[./-]\d", after)
        or after[:1] in ("%", "€")
        or (_amount_shaped(raw) and _UNIT_AFTER.match(text, end))
        or (_amount_shaped(raw) and _CURRENCY_BEFORE.search(text[max(0, start - 6) : start]))
    ):
        return True
    if _CLOCK.search(text[max(0, start - 12) : start]):
        return True
    business = _BUSINESS_ID.match(raw.strip())
    if business and _valid_business_id(*business.groups()):
        return _BUSINESS_WORDS.search(text[max(0, start - 40) : start]) is not None
    return False


@cache
def phone_library():
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
    library = phone_library()
    matches = library.PhoneNumberMatcher(window.translate(_TO_SPACE), "FI", leniency=library.Leniency.VALID)
    return tuple((match.start, match.end) for match in matches)


def library_phones(view: Normalised) -> list[tuple[int, int]]:
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
