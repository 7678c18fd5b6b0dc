"""Dates and times as each language writes them (Babel), in the team's own time zone.

Finnish and Swedish write 2.3.2026; English has one format everywhere, the unambiguous
2026-03-02. Numbers too. Babel is imported on the first number or date shown, never before the first screen.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import cache
from typing import TYPE_CHECKING

from consult.core.dates import TEAM_TIME

if TYPE_CHECKING:
    from babel.core import Locale

# The locale whose conventions each language follows: Finland's Swedish, British English
# (an English-reading convener in Finland expects "12,345.6" and day-first words).
LOCALES = {"fi": "fi_FI", "sv": "sv_FI", "en": "en_GB"}


@cache
def locale(lang: str) -> Locale:
    from babel.core import Locale

    return Locale.parse(LOCALES[lang])


# A whole number needs no Babel: grouped by threes with the locale's separator, as Babel writes
# it (tests/test_i18n_numbers.py holds the two to the same text). Home shows its case count
# before anything else would import Babel, which costs a tenth of a second at start.
INTEGER_GROUP = {"fi": "\xa0", "sv": "\xa0", "en": ","}
INTEGER_MINUS = {"fi": "-", "sv": "-", "en": "-"}
_LARGE = 10**18


def plural_form(lang: str, count: int | float) -> str:
    """CLDR's plural category of ``count`` in ``lang``: 'one' or 'other' for fi, sv and en."""
    if type(count) is int and lang in INTEGER_GROUP:
        return "one" if abs(count) == 1 else "other"  # "i = 1 and v = 0" in all three
    return locale(lang).plural_form(count)


def format_number(value: float, lang: str, decimals: int | None = None) -> str:
    """12 345,6 in fi and sv, 12,345.6 in en; ``decimals`` fixes the digits after the mark."""
    # (Babel's own decimal context ends at 28 digits: beyond a count's reach, it decides.)
    if type(value) is int and -_LARGE < value < _LARGE and decimals is None and lang in INTEGER_GROUP:
        grouped = f"{abs(value):,}".replace(",", INTEGER_GROUP[lang])
        return INTEGER_MINUS[lang] + grouped if value < 0 else grouped
    from babel.numbers import format_decimal

    pattern = None if decimals is None else "#,##0" + ("." + "0" * decimals if decimals else "")
    # Babel's group separator for fi/sv is a no-break space: a number never wraps mid-way.
    return format_decimal(value, format=pattern, locale=locale(lang))


DATE_PATTERNS = {"fi": "d.M.yyyy", "sv": "d.M.yyyy", "en": "yyyy-MM-dd"}
MONTH_PATTERN = "LLL yyyy"
TIME_PATTERNS = {"fi": "H.mm", "sv": "HH.mm", "en": "HH:mm"}


def show(day: date, lang: str) -> str:
    from babel.dates import format_date

    return format_date(day, DATE_PATTERNS[lang], locale=locale(lang))


def show_moment(moment: datetime, lang: str) -> str:
    """A saved instant as the team's clock read it: "2.3.2026 10.15", "2026-03-02 10:15"."""
    from babel.dates import format_datetime

    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    pattern = f"{DATE_PATTERNS[lang]} {TIME_PATTERNS[lang]}"
    try:
        return format_datetime(moment, pattern, tzinfo=TEAM_TIME, locale=locale(lang))
    except OverflowError:  # the last hours of year 9999, as team_day: shown in UTC
        return format_datetime(moment, pattern, tzinfo=UTC, locale=locale(lang))


def show_time(moment: datetime, lang: str) -> str:
    """The team's clock time of an instant: "14.05" in fi and sv, "14:05" in en."""
    from babel.dates import format_time

    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return format_time(moment, TIME_PATTERNS[lang], tzinfo=TEAM_TIME, locale=locale(lang))


def show_month(day: date, lang: str) -> str:
    """A month as a heading says it: "maalis 2026", "mars 2026", "Mar 2026"."""
    from babel.dates import format_date

    return format_date(day, MONTH_PATTERN, locale=locale(lang))
