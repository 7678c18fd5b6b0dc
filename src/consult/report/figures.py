"""The pilot report's figures: those of ``consult stats`` over the period, and the same
figures for each month and each area, so every number in the report is one the stats verb
gives for that month or area."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from consult.core.dates import team_day
from consult.stats import Stats, compute_months_and_areas, empty

if TYPE_CHECKING:
    from consult.stats import Source


@dataclass(frozen=True)
class ReportFigures:
    since: date | None
    until: date | None
    made: date
    total: Stats
    months: list[tuple[date, Stats]]  # the first day of each month, with that month's figures
    areas: dict[str, Stats]


def month_starts(first: date, last: date) -> list[date]:
    out, month = [], first.replace(day=1)
    while month <= last:
        out.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return out


def month_end(month: date) -> date:
    return (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def gather(
    source: Source, since: date | None = None, until: date | None = None, today: date | None = None
) -> ReportFigures:
    today = today or team_day(datetime.now(UTC))
    total, areas, found = compute_months_and_areas(source, since, until, today)
    months: list[tuple[date, Stats]] = []
    if found:
        # From the first month with cases to the last, the empty ones between included.
        first, last = (date.fromisoformat(f"{key}-01") for key in (min(found), max(found)))
        for month in month_starts(first, last):
            end = min(month_end(month), until) if until else month_end(month)
            months.append((month, found.get(month.strftime("%Y-%m")) or empty(since, until, end)))
    return ReportFigures(since=since, until=until, made=today, total=total, months=months, areas=areas)
