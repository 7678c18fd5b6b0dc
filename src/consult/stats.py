"""The follow-up figures the pilot asked for (product.md, "consult stats --json"), counted in SQL.

Periods are calendar days in Finland: the team thinks in its own days, while the database
holds UTC instants.
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from consult.dates import day_start, team_day
from consult.vocabulary import AREAS, PRIMARIES

if TYPE_CHECKING:
    import sqlite3

    from sqlalchemy import Engine


# Plain dataclasses, not pydantic models: `consult stats` answers without importing pydantic.
@dataclass
class Period:
    since: date | None = None
    until: date | None = None


@dataclass
class AreaFigures:
    cases: int
    by_primary: dict[str, int]


@dataclass
class Stats:
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

    def as_dict(self) -> dict:
        """The figures as JSON values (dates as ISO text), in the documented field order."""
        figures = asdict(self)
        period = figures["period"]
        for key in ("since", "until"):
            period[key] = period[key].isoformat() if period[key] else None
        return figures

    def as_json(self) -> str:
        return json.dumps(self.as_dict(), ensure_ascii=False, indent=2)


def _count(condition) -> object:
    from sqlalchemy import case, func

    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def compute(engine: Engine, since: date | None = None, until: date | None = None) -> Stats:
    """Figures over completed (non-draft) cases created from ``since`` to ``until``, both inclusive."""
    from sqlalchemy import and_, func, select

    from consult.store.review import CaseFilter, conditions
    from consult.store.tables import CaseRow

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
    return _figures(since, until, row, area_rows, days)


# The same three queries in SQLite's own SQL, for `consult stats` on the local file: it answers
# without importing SQLAlchemy (half of the verb's time). tests/test_stats_fast.py holds both
# paths to the same figures on the same databases.
def _sqlite_queries(since: date | None, until: date | None) -> tuple[str, str, str, list[str]]:
    where, params = ["status != 'draft'"], []
    if since:
        where.append("created_at >= ?")
        params.append(_stored(day_start(since)))
    if until:
        where.append("created_at < ?")
        params.append(_stored(day_start(until + timedelta(days=1))))
    condition = " AND ".join(where)
    social, health = "need_social IS 1", "need_health IS 1"
    counts = [
        *(f"recommended = '{p}'" for p in PRIMARIES),
        f"{social} AND NOT ({health})",
        f"{health} AND NOT ({social})",
        f"{social} AND {health}",
        f"NOT ({social}) AND NOT ({health})",
        *(f"flag_{flag} IS 1" for flag in ("safety", "urgent", "insufficient_data", "bring_to_team")),
        "status = 'awaiting_team'",
        "status = 'team_decided'",
        "status = 'referred_directly'",
        "status = 'team_decided' AND decision_path != recommended",
    ]
    totals = (
        "SELECT count(*), "
        + ", ".join(f"coalesce(sum(CASE WHEN {c} THEN 1 ELSE 0 END), 0)" for c in counts)
        + f" FROM cases WHERE {condition}"
    )
    per_area = (
        f"SELECT coalesce(area, 'other'), recommended, count(*) FROM cases WHERE {condition}"
        " GROUP BY coalesce(area, 'other'), recommended"
    )
    decided = (
        f"SELECT created_at, decided_at FROM cases WHERE {condition}"
        " AND status = 'team_decided' AND decided_at IS NOT NULL"
    )
    return totals, per_area, decided, params


def _stored(moment: datetime) -> str:
    """An instant as SQLAlchemy writes it into SQLite: UTC wall time, microseconds."""
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")


def compute_sqlite(
    connection: sqlite3.Connection, since: date | None = None, until: date | None = None
) -> Stats:
    """``compute`` on a current SQLite database through the standard library's driver."""
    totals, per_area, decided, params = _sqlite_queries(since, until)
    row = [int(v) for v in connection.execute(totals, params).fetchone()]
    area_rows = connection.execute(per_area, params).fetchall()
    days = [
        (date.fromisoformat(decided_at) - team_day(datetime.fromisoformat(created_at))).days
        for created_at, decided_at in connection.execute(decided, params)
    ]
    return _figures(since, until, row, area_rows, days)


def _figures(
    since: date | None,
    until: date | None,
    row: Sequence[int],
    area_rows: Iterable[Sequence],
    days: list[int],
) -> Stats:
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
    from sqlalchemy import func, select

    from consult.store.review import CaseFilter, conditions
    from consult.store.tables import CaseRow

    where = conditions(CaseFilter(since=since, until=until))
    if engine.dialect.name == "postgresql":
        month = func.to_char(func.timezone("Europe/Helsinki", CaseRow.created_at), "YYYY-MM")
    else:
        # SQLite knows no time zones: UTC + 2 h is Finnish winter time, so in summer a case
        # from the first hour of a month's first day counts in the month before.
        # The last two hours of year 9999 have no month in Finnish time (NULL): their UTC one.
        month = func.coalesce(
            func.strftime("%Y-%m", CaseRow.created_at, "+2 hours"), func.strftime("%Y-%m", CaseRow.created_at)
        )
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
