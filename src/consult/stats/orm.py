"""The follow-up figures the pilot asked for (product.md, "consult stats --json"), counted in SQL.

Periods are calendar days in Finland: the team thinks in its own days, while the database
holds UTC instants.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Literal

from sqlalchemy import Engine, Integer, and_, case, cast, func, literal_column, select

from consult.core.dates import team_day
from consult.core.vocabulary import AREA_BUCKETS, FLAGS, NOT_STARTED_REASONS, PRIMARIES, ROUTES
from consult.stats.figures import (
    AGE_BUCKETS,
    TOTALS,
    AreaFigures,
    Counts,
    Outcomes,
    Period,
    Stats,
    as_date,
    empty,
    figures,
)
from consult.store.review import CaseFilter, conditions
from consult.store.tables import CaseRow

# The figures' types live in stats_figures (no pydantic, for the fast path) and are offered
# here too, where the report modules, the follow-up screen and the tests take them from.
__all__ = [
    "AGE_BUCKETS",
    "AreaFigures",
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
]


def _count(condition) -> object:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _days(engine: Engine, later, earlier):
    """Whole days between two DATE columns, in SQL."""
    if engine.dialect.name == "postgresql":
        return later - earlier  # date - date is an integer there
    return cast(func.julianday(later) - func.julianday(earlier), Integer)


def _month(engine: Engine):
    """The case's Finnish month as YYYY-MM, from its Finnish day."""
    if engine.dialect.name == "postgresql":
        return func.to_char(CaseRow.created_day, "YYYY-MM")
    return func.strftime("%Y-%m", CaseRow.created_day)


Group = Literal["all", "area", "month", "month_area"]
_SEPARATOR = "|"  # between the month and the area in a month_area group's name
_ALL = "all"


def _route():
    """The route a case was saved by; a row written without one (by code that predates 0006)
    is taken to have the route its status implies, as a version-1 bundle's case is."""
    return func.coalesce(
        CaseRow.route,
        case(
            (CaseRow.status == "referred_directly", "direct"),
            (CaseRow.status.in_(("awaiting_team", "team_decided")), "to_team"),
        ),
    )


def _totals() -> list:
    """The one-row counts, in ``TOTALS``' order (stats_sqlite.py has them in SQLite's SQL)."""
    social, health = CaseRow.need_social.is_(True), CaseRow.need_health.is_(True)
    started, not_started = CaseRow.outcome_started.is_(True), CaseRow.outcome_started.is_(False)
    columns = {
        "cases": func.count(),
        **{f"by_primary.{p}": _count(CaseRow.recommended == p) for p in PRIMARIES},
        "needs.social_only": _count(and_(social, ~health)),
        "needs.health_only": _count(and_(health, ~social)),
        "needs.both": _count(and_(social, health)),
        "needs.none": _count(and_(~social, ~health)),
        **{f"flags.{f}": _count(getattr(CaseRow, f"flag_{f}").is_(True)) for f in FLAGS},
        "awaiting_team": _count(CaseRow.status == "awaiting_team"),
        "team_decided": _count(CaseRow.status == "team_decided"),
        "team_changed_path": _count(
            and_(CaseRow.status == "team_decided", CaseRow.decision_path != CaseRow.recommended)
        ),
        **{f"routes.{r}": _count(_route() == r) for r in ROUTES},
        "outcomes.pending": _count(CaseRow.outcome_started.is_(None)),
        "outcomes.started": _count(started),
        "outcomes.not_started": _count(not_started),
        **{
            f"outcomes.started_by_path.{p}": _count(and_(started, CaseRow.outcome_path == p))
            for p in PRIMARIES
        },
        **{
            f"outcomes.not_started_reasons.{r}": _count(and_(not_started, CaseRow.outcome_reason == r))
            for r in NOT_STARTED_REASONS
        },
    }
    return [columns[name] for name in TOTALS]


def _collect(
    engine: Engine, since: date | None, until: date | None, group: Group, area: str | None
) -> dict[str, Counts]:
    """Five grouped queries: the counts, the areas, and day histograms for decisions, starts
    and pending cases."""
    condition = and_(*conditions(CaseFilter(since=since, until=until, area=area)))
    area_key = func.coalesce(CaseRow.area, "unknown")
    key = {
        "area": area_key,
        "month": _month(engine),
        "month_area": _month(engine).op("||")(_SEPARATOR).op("||")(area_key),
    }.get(group)
    columns = _totals()

    def grouped(*parts, by=(), where=condition):
        head = key if key is not None else literal_column(f"'{_ALL}'")
        keys = [*([key] if key is not None else []), *by]
        query = select(head, *parts).where(where)
        return query.group_by(*keys) if keys else query

    to_decision = _days(engine, CaseRow.decided_at, CaseRow.created_day)
    to_start = _days(engine, CaseRow.outcome_on, CaseRow.created_day)
    found: dict[str, Counts] = {}

    def counts(name: str) -> Counts:
        if name not in found:
            found[name] = Counts()
        return found[name]

    with engine.connect() as connection:
        for name, *values in connection.execute(grouped(*columns)):
            if values[0]:  # without GROUP BY an empty period still gives one row of zeros
                counts(name).totals = [int(v) for v in values]
        for name, where, primary, times in connection.execute(
            grouped(area_key, CaseRow.recommended, func.count(), by=(area_key, CaseRow.recommended))
        ):
            counts(name).add_area(where, primary, times)
        decided = and_(condition, CaseRow.status == "team_decided", CaseRow.decided_at.is_not(None))
        for name, value, times in connection.execute(
            grouped(to_decision, func.count(), by=(to_decision,), where=decided)
        ):
            counts(name).decided[int(value)] = times
        started = and_(condition, CaseRow.outcome_started.is_(True))
        for name, path, value, times in connection.execute(
            grouped(
                CaseRow.outcome_path,
                to_start,
                func.count(),
                by=(CaseRow.outcome_path, to_start),
                where=started,
            )
        ):
            counts(name).started.setdefault(path, {})[int(value)] = times
        pending = and_(condition, CaseRow.outcome_started.is_(None))
        for name, day, times in connection.execute(
            grouped(CaseRow.created_day, func.count(), by=(CaseRow.created_day,), where=pending)
        ):
            counts(name).pending[as_date(day)] = times
    return found


def _merge(parts: Iterable[Counts]) -> Counts:
    """The counts of several groups as one."""
    whole = Counts()
    for part in parts:
        whole.merge(part)
    return whole


def compute_groups(
    engine: Engine,
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
    found = _collect(engine, since, until, group, area)
    now = until or today or team_day(datetime.now(UTC))
    out = {}
    for name, numbers in found.items():
        end = now
        if group == "month":
            last = _month_end(date.fromisoformat(f"{name}-01"))
            end = min(last, until) if until else last
        out[name] = figures(numbers, since, until, end)
    return out


def _month_end(first: date) -> date:
    return (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def compute(
    engine: Engine,
    since: date | None = None,
    until: date | None = None,
    area: str | None = None,
    today: date | None = None,
) -> Stats:
    """Figures over completed (non-draft) cases created from ``since`` to ``until``, both inclusive.

    ``area`` narrows them to one area (``unknown``: saved without one), for the follow-up
    screen; ``today`` is where pending ages are counted to when ``until`` is open."""
    found = compute_groups(engine, since, until, "all", area, today).get(_ALL)
    return found or empty(since, until, until or today or team_day(datetime.now(UTC)))


def compute_with_areas(
    engine: Engine, since: date | None = None, until: date | None = None, today: date | None = None
) -> tuple[Stats, dict[str, Stats]]:
    """The period's figures and each area's, from one set of grouped queries: the whole is
    the sum of its areas."""
    found = _collect(engine, since, until, "area", None)
    end = until or today or team_day(datetime.now(UTC))
    areas = {
        a: figures(found[a], since, until, end) if a in found else empty(since, until, end)
        for a in AREA_BUCKETS
    }
    return figures(_merge(found.values()), since, until, end), areas


def compute_months_and_areas(
    engine: Engine, since: date | None = None, until: date | None = None, today: date | None = None
) -> tuple[Stats, dict[str, Stats], dict[str, Stats]]:
    """The period's figures, each area's and each Finnish month's (``YYYY-MM``; only months
    with cases), from one set of queries grouped by month and area: every figure adds up.

    A month's pending cases are aged to the month's last day (or ``until`` within it), as
    ``compute`` over that month alone would age them."""
    found = _collect(engine, since, until, "month_area", None)
    end = until or today or team_day(datetime.now(UTC))
    months: dict[str, list[Counts]] = {}
    areas: dict[str, list[Counts]] = {}
    for name, counts in found.items():
        month, _, area = name.partition(_SEPARATOR)
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
    engine: Engine, since: date | None = None, until: date | None = None
) -> list[tuple[str, dict[str, int]]]:
    """Completed cases per month (YYYY-MM) by recommendation, for the follow-up chart."""
    where = conditions(CaseFilter(since=since, until=until))
    month = _month(engine)  # exact: the case's own Finnish day, not UTC shifted by a guess
    query = (
        select(month, CaseRow.recommended, func.count()).where(*where).group_by(month, CaseRow.recommended)
    )
    series: dict[str, dict[str, int]] = {}
    with engine.connect() as connection:
        for key, primary, count in connection.execute(query):
            counts = series.setdefault(key, dict.fromkeys(PRIMARIES, 0))
            if primary in counts:
                counts[primary] += count
    return sorted(series.items())


def first_and_last_day(
    engine: Engine, since: date | None = None, until: date | None = None
) -> tuple[date, date] | None:
    """The Finnish days of the first and the last completed case in the period (None when none)."""
    where = conditions(CaseFilter(since=since, until=until))
    with engine.connect() as connection:
        first, last = connection.execute(
            select(func.min(CaseRow.created_at), func.max(CaseRow.created_at)).where(*where)
        ).one()
    if first is None:
        return None
    return team_day(first), team_day(last)
