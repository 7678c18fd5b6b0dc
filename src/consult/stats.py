"""The follow-up figures the pilot asked for (product.md, "consult stats --json"), counted in SQL.

Periods are calendar days in Finland: the team thinks in its own days, while the database
holds UTC instants.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Literal

from pydantic import BaseModel
from sqlalchemy import Engine, Integer, and_, case, cast, func, literal_column, select, true

from consult.dates import team_day
from consult.model import AREA_BUCKETS, FLAGS, NOT_STARTED_REASONS, PRIMARIES, ROUTES
from consult.store.review import CaseFilter, conditions
from consult.store.tables import CaseRow


class Period(BaseModel):
    since: date | None = None
    until: date | None = None


class AreaFigures(BaseModel):
    cases: int
    by_primary: dict[str, int]


# Whole days from a pending case's saving to the period's end: (key, first day, last day).
AGE_BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("0_14", 0, 14),
    ("15_30", 15, 30),
    ("31_60", 31, 60),
    ("over_60", 61, None),
)


class Outcomes(BaseModel):
    pending: int
    started: int
    not_started: int
    started_by_path: dict[str, int]
    not_started_reasons: dict[str, int]
    median_days_to_start: float | None
    median_days_to_start_by_path: dict[str, float | None]
    pending_by_age: dict[str, int]


class Stats(BaseModel):
    period: Period
    cases: int
    by_primary: dict[str, int]
    needs: dict[str, int]
    flags: dict[str, int]
    routes: dict[str, int]
    awaiting_team: int
    team_decided: int
    team_changed_path: int
    median_days_to_decision: float | None
    outcomes: Outcomes
    by_area: dict[str, AreaFigures]

    def as_dict(self) -> dict:
        """The figures as JSON values (dates as ISO text), in the documented field order."""
        return self.model_dump(mode="json")

    def as_json(self) -> str:
        return self.model_dump_json(indent=2)


def _count(condition) -> object:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _median(counts: Mapping[int, int]) -> float | None:
    """The median of values given as value → how many times it occurs."""
    n = sum(counts.values())
    if n == 0:
        return None
    ordered = sorted(counts.items())

    def nth(k: int) -> int:
        seen = 0
        for value, times in ordered:
            seen += times
            if k < seen:
                return value
        raise AssertionError(k)

    return float(nth(n // 2)) if n % 2 else (nth(n // 2 - 1) + nth(n // 2)) / 2


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


def _totals(condition) -> list:
    social, health = CaseRow.need_social.is_(True), CaseRow.need_health.is_(True)
    started, not_started = CaseRow.outcome_started.is_(True), CaseRow.outcome_started.is_(False)
    return [
        func.count(),
        *[_count(CaseRow.recommended == p) for p in PRIMARIES],
        _count(and_(social, ~health)),
        _count(and_(health, ~social)),
        _count(and_(social, health)),
        _count(and_(~social, ~health)),
        *[_count(getattr(CaseRow, f"flag_{f}").is_(True)) for f in FLAGS],
        _count(CaseRow.status == "awaiting_team"),
        _count(CaseRow.status == "team_decided"),
        _count(and_(CaseRow.status == "team_decided", CaseRow.decision_path != CaseRow.recommended)),
        *[_count(_route() == r) for r in ROUTES],
        _count(CaseRow.outcome_started.is_(None)),
        _count(started),
        _count(not_started),
        *[_count(and_(started, CaseRow.outcome_path == p)) for p in PRIMARIES],
        *[_count(and_(not_started, CaseRow.outcome_reason == r)) for r in NOT_STARTED_REASONS],
    ]


def _empty_area() -> AreaFigures:
    return AreaFigures(cases=0, by_primary=dict.fromkeys(PRIMARIES, 0))


class _Counts:
    """What the queries returned for one group, before it becomes Stats."""

    def __init__(self, width: int) -> None:
        self.totals = [0] * width
        self.areas = {a: _empty_area() for a in AREA_BUCKETS}
        self.decided: dict[int, int] = {}
        self.started: dict[str, dict[int, int]] = {p: {} for p in PRIMARIES}
        self.pending: dict[date, int] = {}


def _stats(counts: _Counts, since: date | None, until: date | None, end: date) -> Stats:
    total, *rest = counts.totals
    by_primary = dict(zip(PRIMARIES, rest[0:4], strict=True))
    social_only, health_only, both, none = rest[4:8]
    flags = dict(zip(FLAGS, rest[8:12], strict=True))
    awaiting, team_decided, changed = rest[12:15]
    routes = dict(zip(ROUTES, rest[15:17], strict=True))
    pending, started, not_started = rest[17:20]
    by_path = dict(zip(PRIMARIES, rest[20:24], strict=True))
    reasons = dict(zip(NOT_STARTED_REASONS, rest[24:28], strict=True))
    ages = dict.fromkeys((key for key, _, _ in AGE_BUCKETS), 0)
    for day, times in counts.pending.items():
        waited = (end - day).days
        # A case dated after the end (a clock ahead, an import) has waited no time at all.
        key = next(k for k, _, last in AGE_BUCKETS if last is None or waited <= last)
        ages[key] += times
    all_paths: dict[int, int] = {}
    for per_path in counts.started.values():
        for value, times in per_path.items():
            all_paths[value] = all_paths.get(value, 0) + times
    return Stats(
        period=Period(since=since, until=until),
        cases=total,
        by_primary=by_primary,
        needs={"social_only": social_only, "health_only": health_only, "both": both, "none": none},
        flags=flags,
        routes=routes,
        awaiting_team=awaiting,
        team_decided=team_decided,
        team_changed_path=changed,
        median_days_to_decision=_median(counts.decided),
        outcomes=Outcomes(
            pending=pending,
            started=started,
            not_started=not_started,
            started_by_path=by_path,
            not_started_reasons=reasons,
            median_days_to_start=_median(all_paths),
            median_days_to_start_by_path={p: _median(counts.started[p]) for p in PRIMARIES},
            pending_by_age=ages,
        ),
        by_area=counts.areas,
    )


def _collect(
    engine: Engine, since: date | None, until: date | None, group: Group, area: str | None
) -> dict[str, _Counts]:
    """Five grouped queries: the counts, the areas, and day histograms for decisions, starts
    and pending cases."""
    condition = and_(*conditions(CaseFilter(since=since, until=until, area=area)))
    area_key = func.coalesce(CaseRow.area, "unknown")
    key = {
        "area": area_key,
        "month": _month(engine),
        "month_area": _month(engine).op("||")(_SEPARATOR).op("||")(area_key),
    }.get(group)
    columns = _totals(condition)

    def grouped(*parts, by=(), where=condition):
        head = key if key is not None else literal_column(f"'{_ALL}'")
        keys = [*([key] if key is not None else []), *by]
        query = select(head, *parts).where(where)
        return query.group_by(*keys) if keys else query

    to_decision = _days(engine, CaseRow.decided_at, CaseRow.created_day)
    to_start = _days(engine, CaseRow.outcome_on, CaseRow.created_day)
    found: dict[str, _Counts] = {}

    def counts(name: str) -> _Counts:
        if name not in found:
            found[name] = _Counts(len(columns))
        return found[name]

    with engine.connect() as connection:
        for name, *values in connection.execute(grouped(*columns)):
            if values[0]:  # without GROUP BY an empty period still gives one row of zeros
                counts(name).totals = [int(v) for v in values]
        for name, where, primary, times in connection.execute(
            grouped(area_key, CaseRow.recommended, func.count(), by=(area_key, CaseRow.recommended))
        ):
            figures = counts(name).areas.setdefault(where, _empty_area())
            figures.cases += times
            if primary in figures.by_primary:
                figures.by_primary[primary] += times
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
            counts(name).pending[_as_date(day)] = times
    return found


def _merge(parts: list[_Counts], width: int) -> _Counts:
    """The counts of several groups as one: every figure adds up."""
    whole = _Counts(width)
    for part in parts:
        whole.totals = [a + b for a, b in zip(whole.totals, part.totals, strict=True)]
        for name, figures in part.areas.items():
            into = whole.areas.setdefault(name, _empty_area())
            into.cases += figures.cases
            for primary, times in figures.by_primary.items():
                into.by_primary[primary] = into.by_primary.get(primary, 0) + times
        for histogram, other in ((whole.decided, part.decided), (whole.pending, part.pending)):
            for value, times in other.items():
                histogram[value] = histogram.get(value, 0) + times
        for path, per_path in part.started.items():
            into_path = whole.started.setdefault(path, {})
            for value, times in per_path.items():
                into_path[value] = into_path.get(value, 0) + times
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
        out[name] = _stats(numbers, since, until, end)
    return out


def _as_date(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


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
    whole = _merge(list(found.values()), len(_totals(true())))
    areas = {
        a: _stats(found[a], since, until, end) if a in found else empty(since, until, end)
        for a in AREA_BUCKETS
    }
    return _stats(whole, since, until, end), areas


def compute_months_and_areas(
    engine: Engine, since: date | None = None, until: date | None = None, today: date | None = None
) -> tuple[Stats, dict[str, Stats], dict[str, Stats]]:
    """The period's figures, each area's and each Finnish month's (``YYYY-MM``; only months
    with cases), from one set of queries grouped by month and area: every figure adds up.

    A month's pending cases are aged to the month's last day (or ``until`` within it), as
    ``compute`` over that month alone would age them."""
    found = _collect(engine, since, until, "month_area", None)
    width = len(_totals(true()))
    end = until or today or team_day(datetime.now(UTC))
    months: dict[str, list[_Counts]] = {}
    areas: dict[str, list[_Counts]] = {}
    for name, counts in found.items():
        month, _, area = name.partition(_SEPARATOR)
        months.setdefault(month, []).append(counts)
        areas.setdefault(area, []).append(counts)
    per_month = {}
    for month, parts in months.items():
        last = _month_end(date.fromisoformat(f"{month}-01"))
        per_month[month] = _stats(_merge(parts, width), since, until, min(last, until) if until else last)
    per_area = {
        a: _stats(_merge(areas[a], width), since, until, end) if a in areas else empty(since, until, end)
        for a in AREA_BUCKETS
    }
    return _stats(_merge(list(found.values()), width), since, until, end), per_area, per_month


def empty(since: date | None, until: date | None, end: date) -> Stats:
    """The figures of a period or group without cases: every key there, zeros and nulls."""
    return _stats(_Counts(len(_totals(true()))), since, until, end)


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
