"""Dates as the user reads and types them, in the team's own time zone.

Finnish and Swedish speakers in Finland write 2.3.2026; English has one format on every screen,
in every hint and error, the unambiguous 2026-03-02 (a day-first "2/3/2026" is read as
February by half of the English-reading world). Both are read back by ``parse_day``.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

TEAM_TIME = ZoneInfo("Europe/Helsinki")
_FINNISH = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*$")


def team_day(moment: datetime) -> date:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(TEAM_TIME).date()
    except OverflowError:
        # The last hours of year 9999 have no Finnish day: stored by an old version or by hand,
        # they are shown as their UTC day rather than crash the review or the figures.
        return moment.date()


# CLDR date patterns, formatted by Babel: fi and sv the way Finland writes dates.
def parse_day(text: str) -> date:
    """Reads 9.3.2026 or 2026-03-09; raises ValueError otherwise. The one reader of a typed day,
    for the screens and the command line alike: both accept both forms."""
    match = _FINNISH.match(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
        return date(year, month, day)
    return date.fromisoformat(text.strip())


def parse_period(text: str) -> tuple[date | None, date | None]:
    """Reads "1.3.2026–31.3.2026", "1.3.2026-" or "–31.3.2026"; empty means all time."""
    cleaned = text.strip()
    if not cleaned:
        return None, None
    for separator in ("–", "—", " - ", "..", "/"):
        if separator in cleaned:
            first, _, last = cleaned.partition(separator)
            break
    else:
        if cleaned.count("-") == 1 and "." in cleaned:
            first, _, last = cleaned.partition("-")
        else:
            day = parse_day(cleaned)
            return day, day
    since = parse_day(first) if first.strip() else None
    until = parse_day(last) if last.strip() else None
    check_period(since, until)
    return since, until


class PeriodReversed(ValueError):
    """A period whose first day is after its last: it holds nothing, and is never taken as such."""


def check_period(since: date | None, until: date | None) -> None:
    """Raises PeriodReversed when ``since`` is after ``until``."""
    if since is not None and until is not None and since > until:
        raise PeriodReversed(f"{since.isoformat()} > {until.isoformat()}")


def today() -> date:
    """Today in Finland: the last day an outcome or a decision can have happened on."""
    return team_day(datetime.now(UTC))


def day_start(day: date) -> datetime:
    """The instant a Finnish calendar day begins, in UTC as the database holds instants."""
    return datetime.combine(day, time.min, tzinfo=TEAM_TIME).astimezone(UTC)
