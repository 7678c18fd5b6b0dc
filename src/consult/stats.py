"""The follow-up figures the pilot asked for (product.md, "consult stats --json"), counted in SQL.

Periods are calendar days in Finland: the team thinks in its own days, while the database
holds UTC instants.
"""

from __future__ import annotations

import statistics
from datetime import date

from pydantic import BaseModel
from sqlalchemy import Engine, and_, case, func, select

from consult.dates import team_day
from consult.model import AREAS, PRIMARIES
from consult.store.review import CaseFilter, conditions
from consult.store.tables import CaseRow


class Period(BaseModel):
    since: date | None = None
    until: date | None = None


class AreaFigures(BaseModel):
    cases: int
    by_primary: dict[str, int]


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
    by_area: dict[str, AreaFigures]


def _count(condition) -> object:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def compute(engine: Engine, since: date | None = None, until: date | None = None) -> Stats:
    """Figures over completed (non-draft) cases created from ``since`` to ``until``, both inclusive."""
    condition = and_(*conditions(CaseFilter(since=since, until=until)))

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
    ).where(condition)
    area = func.coalesce(CaseRow.area, "other")
    per_area = (
        select(area, CaseRow.recommended, func.count()).where(condition).group_by(area, CaseRow.recommended)
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

    total, *rest = row
    by_primary = dict(zip(PRIMARIES, rest[:4], strict=True))
    social_only, health_only, both, none, safety, urgent, insufficient, bring = rest[4:12]
    awaiting, team_decided, direct, changed = rest[12:16]
    by_area = {a: AreaFigures(cases=0, by_primary=dict.fromkeys(PRIMARIES, 0)) for a in AREAS}
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
        routes={"to_team": awaiting + team_decided, "direct": direct},
        awaiting_team=awaiting,
        team_decided=team_decided,
        team_changed_path=changed,
        median_days_to_decision=float(statistics.median(days)) if days else None,
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
