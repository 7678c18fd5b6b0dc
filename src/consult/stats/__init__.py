"""The follow-up figures (product.md, "consult stats --json") behind one interface: each
function here takes the database as ``source`` — an open ``sqlite3.Connection`` to a current
local file (the fast path `consult stats` takes, no SQLAlchemy, Alembic or pydantic), an open
``psycopg.Connection`` to a current server (its fast path, ``consult.stats.server``) or an
SQLAlchemy ``Engine`` (any database, PostgreSQL included) — and runs the same queries
(``consult.stats.queries``) every way, so all give identical figures.

Importing this package loads no database toolkit: the SQLAlchemy path is imported only when an
Engine is given. Periods are calendar days in Finland: the team thinks in its own days, while
the database holds UTC instants.

May import: consult.core, consult.i18n, consult.system, sqlalchemy (consult.stats.orm only).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, cast

from consult.core.dates import team_day
from consult.core.vocabulary import AREA_BUCKETS
from consult.stats import queries
from consult.stats.figures import AGE_BUCKETS, AreaFigures, Counts, Outcomes, Period, Stats, empty, figures
from consult.stats.queries import ALL, SEPARATOR, Group

if TYPE_CHECKING:
    import psycopg
    from sqlalchemy import Engine

    from consult.stats.orm import Reader as EngineReader
    from consult.stats.server import Reader as ServerReader
    from consult.stats.sqlite import Reader as FileReader
    from consult.store import Store

    # What the app and the report hand in; the command line also a psycopg connection.
    Source = sqlite3.Connection | Engine | Store
    AnySource = Source | psycopg.Connection

__all__ = [
    "AGE_BUCKETS",
    "AreaFigures",
    "Group",
    "Outcomes",
    "Period",
    "Stats",
    "compute",
    "compute_groups",
    "compute_months_and_areas",
    "compute_with_areas",
    "empty",
    "first_and_last_day",
    "monthly",
    "saved_cases",
]


def reader(source: AnySource) -> FileReader | ServerReader | EngineReader:
    """The path for ``source``: the standard library's for a sqlite3 connection, psycopg's
    for a psycopg connection, SQLAlchemy's (imported here, not before) for anything else."""
    if isinstance(source, sqlite3.Connection):
        from consult.stats.sqlite import Reader as FileReader

        return FileReader(source)
    if type(source).__module__.startswith("psycopg"):  # psycopg is not imported to ask
        from consult.stats.server import Reader as ServerReader

        return ServerReader(cast("psycopg.Connection", source))
    from consult.stats.orm import Reader as EngineReader
    from consult.store import Store

    # The app hands screens a Store, never an engine: the figures take it as it is.
    return EngineReader(source.engine if isinstance(source, Store) else cast("Engine", source))


def _collect(
    source: AnySource, since: date | None, until: date | None, group: Group, area: str | None
) -> dict[str, Counts]:
    with reader(source) as read:
        return queries.collect(read.run, read.dialect, since, until, group, area)


def _end(until: date | None, today: date | None) -> date:
    """Where pending cases are aged to: the period's last day, else today in Finland."""
    return until or today or team_day(datetime.now(UTC))


def _month_end(first: date) -> date:
    return (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def _merge(parts: Iterable[Counts]) -> Counts:
    """The counts of several groups as one."""
    whole = Counts()
    for part in parts:
        whole.merge(part)
    return whole


def compute_groups(
    source: AnySource,
    since: date | None = None,
    until: date | None = None,
    group: Group = "all",
    area: str | None = None,
    today: date | None = None,
) -> dict[str, Stats]:
    """The figures for each area (``unknown``: saved without one) or each Finnish month
    (``YYYY-MM``) at once, in a handful of grouped queries; only groups with cases appear.

    A month's pending cases are aged to the month's last day (or ``until`` within it), as
    ``compute`` over that month alone would age them."""
    found = _collect(source, since, until, group, area)
    now = _end(until, today)
    out = {}
    for name, numbers in found.items():
        end = now
        if group == "month":
            last = _month_end(date.fromisoformat(f"{name}-01"))
            end = min(last, until) if until else last
        out[name] = figures(numbers, since, until, end)
    return out


def compute(
    source: AnySource,
    since: date | None = None,
    until: date | None = None,
    area: str | None = None,
    today: date | None = None,
) -> Stats:
    """Figures over completed (non-draft) cases created from ``since`` to ``until``, both inclusive.

    ``area`` narrows them to one area (``unknown``: saved without one), for the follow-up
    screen; ``today`` is where pending ages are counted to when ``until`` is open."""
    found = compute_groups(source, since, until, "all", area, today).get(ALL)
    return found or empty(since, until, _end(until, today))


def compute_with_areas(
    source: AnySource, since: date | None = None, until: date | None = None, today: date | None = None
) -> tuple[Stats, dict[str, Stats]]:
    """The period's figures and each area's, from one set of grouped queries: the whole is
    the sum of its areas."""
    found = _collect(source, since, until, "area", None)
    end = _end(until, today)
    areas = {
        a: figures(found[a], since, until, end) if a in found else empty(since, until, end)
        for a in AREA_BUCKETS
    }
    return figures(_merge(found.values()), since, until, end), areas


def compute_months_and_areas(
    source: AnySource, since: date | None = None, until: date | None = None, today: date | None = None
) -> tuple[Stats, dict[str, Stats], dict[str, Stats]]:
    """The period's figures, each area's and each Finnish month's (``YYYY-MM``; only months
    with cases), from one set of queries grouped by month and area: every figure adds up.

    A month's pending cases are aged to the month's last day (or ``until`` within it), as
    ``compute`` over that month alone would age them."""
    found = _collect(source, since, until, "month_area", None)
    end = _end(until, today)
    months: dict[str, list[Counts]] = {}
    areas: dict[str, list[Counts]] = {}
    for name, counts in found.items():
        month, _, area = name.partition(SEPARATOR)
        months.setdefault(month, []).append(counts)
        areas.setdefault(area, []).append(counts)
    per_month = {}
    for month, parts in months.items():
        last = _month_end(date.fromisoformat(f"{month}-01"))
        per_month[month] = figures(_merge(parts), since, until, min(last, until) if until else last)
    per_area = {
        a: figures(_merge(areas[a]), since, until, end) if a in areas else empty(since, until, end)
        for a in AREA_BUCKETS
    }
    return figures(_merge(found.values()), since, until, end), per_area, per_month


def monthly(
    source: AnySource, since: date | None = None, until: date | None = None
) -> list[tuple[str, dict[str, int]]]:
    """Completed cases per month (YYYY-MM) by recommendation, for the follow-up chart."""
    with reader(source) as read:
        return queries.monthly(read.run, read.dialect, since, until)


def first_and_last_day(
    source: AnySource, since: date | None = None, until: date | None = None
) -> tuple[date, date] | None:
    """The Finnish days of the first and the last completed case in the period (None when none)."""
    with reader(source) as read:
        return queries.first_and_last_day(read.run, read.dialect, since, until)


def saved_cases(source: Source) -> int:
    """Every completed (non-draft) case, as ``Store.count_cases`` counts them: home reads it
    from the local file this way before the store has opened."""
    with reader(source) as read:
        return queries.saved_cases(read.run, read.dialect)
