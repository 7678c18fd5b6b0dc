"""The follow-up figures the pilot asked for (product.md, "consult stats --json"), counted in SQL.

Periods are calendar days in Finland: the team thinks in its own days, while the database
holds UTC instants.
"""

from __future__ import annotations

import statistics
from datetime import UTC, date, datetime, timedelta

from pydantic import BaseModel
from sqlalchemy import Engine, and_, case, func, select

from consult.dates import day_start, team_day
from consult.model import AREA_BUCKETS, NOT_STARTED_REASONS, PRIMARIES
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


def _count(condition) -> object:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _median(values: list[int]) -> float | None:
    return float(statistics.median(values)) if values else None


def compute(
    engine: Engine,
    since: date | None = None,
    until: date | None = None,
    area: str | None = None,
    today: date | None = None,
) -> Stats:
    """Figures over completed (non-draft) cases created from ``since`` to ``until``, both inclusive.

    ``area`` narrows them to one area (``unknown``: saved without one), for the report and the
    follow-up screen; ``today`` is where pending ages are counted to when ``until`` is open."""
    condition = and_(*conditions(CaseFilter(since=since, until=until, area=area)))
    # A pending case's age in whole Finnish days is below N exactly when it was saved at or
    # after the start of the day N days before the end: instants the database can compare.
    end = until or today or team_day(datetime.now(UTC))
    pending = CaseRow.outcome_started.is_(None)
    ages = []
    for _, _, last in AGE_BUCKETS:
        if last is not None:
            ages.append(_count(and_(pending, CaseRow.created_at >= day_start(end - timedelta(days=last)))))

    social, health = CaseRow.need_social.is_(True), CaseRow.need_health.is_(True)
    totals = select(
        func.count(),
        *[_count(CaseRow.recommended == p) for p in PRIMARIES],
        _count(and_(social, ~health)),
        _count(and_(health, ~social)),
        _count(and_(social, health)),
        _count(and_(~social, ~health)),
        _count(CaseRow.flag_safety.is_(True)),
        _count(CaseRow.flag_urgent.is_(True)),
        _count(CaseRow.flag_insufficient_data.is_(True)),
        _count(CaseRow.flag_bring_to_team.is_(True)),
        _count(CaseRow.status == "awaiting_team"),
        _count(CaseRow.status == "team_decided"),
        _count(CaseRow.status == "referred_directly"),
        _count(and_(CaseRow.status == "team_decided", CaseRow.decision_path != CaseRow.recommended)),
        _count(CaseRow.route == "to_team"),
        _count(CaseRow.route == "direct"),
        _count(pending),
        _count(CaseRow.outcome_started.is_(True)),
        _count(CaseRow.outcome_started.is_(False)),
        *[_count(and_(CaseRow.outcome_started.is_(True), CaseRow.outcome_path == p)) for p in PRIMARIES],
        *[
            _count(and_(CaseRow.outcome_started.is_(False), CaseRow.outcome_reason == r))
            for r in NOT_STARTED_REASONS
        ],
        *ages,
    ).where(condition)
    area_key = func.coalesce(CaseRow.area, "unknown")
    per_area = (
        select(area_key, CaseRow.recommended, func.count())
        .where(condition)
        .group_by(area_key, CaseRow.recommended)
    )
    started = select(CaseRow.created_at, CaseRow.outcome_on, CaseRow.outcome_path).where(
        condition, CaseRow.outcome_started.is_(True)
    )
    decided = select(CaseRow.created_at, CaseRow.decided_at).where(
        condition, CaseRow.status == "team_decided", CaseRow.decided_at.is_not(None)
    )
    with engine.connect() as connection:
        row = [int(v) for v in connection.execute(totals).one()]
        area_rows = connection.execute(per_area).all()
        days = [
            (decided_at - team_day(created_at)).days for created_at, decided_at in connection.execute(decided)
        ]
        to_start: dict[str, list[int]] = {p: [] for p in PRIMARIES}
        for created_at, on, path in connection.execute(started):
            to_start.setdefault(path, []).append((on - team_day(created_at)).days)

    total, *rest = row
    by_primary = dict(zip(PRIMARIES, rest[:4], strict=True))
    social_only, health_only, both, none, safety, urgent, insufficient, bring = rest[4:12]
    awaiting, team_decided, _, changed, to_team, direct = rest[12:18]
    n_pending, n_started, n_not_started = rest[18:21]
    by_path = dict(zip(PRIMARIES, rest[21:25], strict=True))
    reasons = dict(zip(NOT_STARTED_REASONS, rest[25:29], strict=True))
    within = rest[29:32]  # pending cases aged at most 14, 30 and 60 days
    pending_by_age = {
        "0_14": within[0],
        "15_30": within[1] - within[0],
        "31_60": within[2] - within[1],
        "over_60": n_pending - within[2],
    }
    by_area = {a: AreaFigures(cases=0, by_primary=dict.fromkeys(PRIMARIES, 0)) for a in AREA_BUCKETS}
    for area_key, primary, count in area_rows:
        figures = by_area.setdefault(area_key, AreaFigures(cases=0, by_primary=dict.fromkeys(PRIMARIES, 0)))
        figures.cases += count
        if primary in figures.by_primary:
            figures.by_primary[primary] += count
    return Stats(
        period=Period(since=since, until=until),
        cases=total,
        by_primary=by_primary,
        needs={"social_only": social_only, "health_only": health_only, "both": both, "none": none},
        flags={"safety": safety, "urgent": urgent, "insufficient_data": insufficient, "bring_to_team": bring},
        routes={"to_team": to_team, "direct": direct},
        awaiting_team=awaiting,
        team_decided=team_decided,
        team_changed_path=changed,
        median_days_to_decision=_median(days),
        outcomes=Outcomes(
            pending=n_pending,
            started=n_started,
            not_started=n_not_started,
            started_by_path=by_path,
            not_started_reasons=reasons,
            median_days_to_start=_median([d for values in to_start.values() for d in values]),
            median_days_to_start_by_path={p: _median(to_start[p]) for p in PRIMARIES},
            pending_by_age=pending_by_age,
        ),
        by_area=by_area,
    )


def monthly(
    engine: Engine, since: date | None = None, until: date | None = None
) -> list[tuple[str, dict[str, int]]]:
    """Completed cases per month (YYYY-MM) by recommendation, for the follow-up chart."""
    where = conditions(CaseFilter(since=since, until=until))
    if engine.dialect.name == "postgresql":
        month = func.to_char(func.timezone("Europe/Helsinki", CaseRow.created_at), "YYYY-MM")
    else:
        # SQLite knows no time zones: UTC + 2 h is Finnish winter time, so in summer a case
        # from the first hour of a month's first day counts in the month before.
        month = func.strftime("%Y-%m", CaseRow.created_at, "+2 hours")
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
