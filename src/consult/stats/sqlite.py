"""``consult.stats.orm.compute`` on a current local SQLite file through the standard library's
sqlite3: the same five queries written in SQLite's own SQL, the same post-processing
(``consult.stats.figures``).

`consult stats` answers from here without importing SQLAlchemy, Alembic or pydantic, which
were most of the verb's time (issue 11: ≤ 1.5× a raw sqlite3 script). The SQL mirrors the
SQLAlchemy expressions in ``consult.stats.orm`` clause for clause; tests/test_stats_fast.py holds
both paths to identical figures on the same databases, so a change to one that misses the
other fails there.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from consult.core.dates import day_start, team_day
from consult.core.vocabulary import FLAGS, NOT_STARTED_REASONS, PRIMARIES, ROUTES
from consult.stats.figures import TOTALS, Counts, Stats, as_date, figures

if TYPE_CHECKING:
    import sqlite3


def _stored(moment: datetime) -> str:
    """An instant as SQLAlchemy's SQLite DateTime writes it (UTC wall time, microseconds, a
    four-digit year), so text comparison against created_at orders as instants do."""
    m = moment.astimezone(UTC)
    return (
        f"{m.year:04d}-{m.month:02d}-{m.day:02d} "
        f"{m.hour:02d}:{m.minute:02d}:{m.second:02d}.{m.microsecond:06d}"
    )


def _period(since: date | None, until: date | None) -> tuple[str, list[str]]:
    """store.review.conditions for a period: completed cases created within its Finnish days."""
    where, params = ["status != 'draft'"], []
    if since:
        where.append("created_at >= ?")
        params.append(_stored(day_start(since)))
    if until:
        where.append("created_at < ?")
        params.append(_stored(day_start(until + timedelta(days=1))))
    return " AND ".join(where), params


def _count(condition: str) -> str:
    return f"coalesce(sum(CASE WHEN {condition} THEN 1 ELSE 0 END), 0)"


# The route a case was saved by, or the one its status implies for a row written before 0006.
_ROUTE = (
    "coalesce(route, CASE WHEN status = 'referred_directly' THEN 'direct'"
    " WHEN status IN ('awaiting_team', 'team_decided') THEN 'to_team' END)"
)


def _totals() -> str:
    """The one-row counts, in ``TOTALS``' order, as ``consult.stats.orm._totals`` counts them."""
    social, health = "need_social IS 1", "need_health IS 1"
    started, not_started = "outcome_started IS 1", "outcome_started IS 0"
    columns = {
        "cases": "count(*)",
        **{f"by_primary.{p}": _count(f"recommended = '{p}'") for p in PRIMARIES},
        "needs.social_only": _count(f"{social} AND NOT ({health})"),
        "needs.health_only": _count(f"{health} AND NOT ({social})"),
        "needs.both": _count(f"{social} AND {health}"),
        "needs.none": _count(f"NOT ({social}) AND NOT ({health})"),
        **{f"flags.{f}": _count(f"flag_{f} IS 1") for f in FLAGS},
        "awaiting_team": _count("status = 'awaiting_team'"),
        "team_decided": _count("status = 'team_decided'"),
        "team_changed_path": _count("status = 'team_decided' AND decision_path != recommended"),
        **{f"routes.{r}": _count(f"{_ROUTE} = '{r}'") for r in ROUTES},
        "outcomes.pending": _count("outcome_started IS NULL"),
        "outcomes.started": _count(started),
        "outcomes.not_started": _count(not_started),
        **{f"outcomes.started_by_path.{p}": _count(f"{started} AND outcome_path = '{p}'") for p in PRIMARIES},
        **{
            f"outcomes.not_started_reasons.{r}": _count(f"{not_started} AND outcome_reason = '{r}'")
            for r in NOT_STARTED_REASONS
        },
    }
    return ", ".join(columns[name] for name in TOTALS)


def _days(later: str) -> str:
    """Whole days from the case's Finnish saving day to a DATE column."""
    return f"CAST(julianday({later}) - julianday(created_day) AS INTEGER)"


def compute_sqlite(
    connection: sqlite3.Connection,
    since: date | None = None,
    until: date | None = None,
    today: date | None = None,
) -> Stats:
    """``consult.stats.orm.compute(engine, since, until, today=today)`` on a current SQLite
    database (``consult.system.database_file.open_current``), through the standard library's driver."""
    where, params = _period(since, until)
    counts = Counts()
    totals = [
        int(v) for v in connection.execute(f"SELECT {_totals()} FROM cases WHERE {where}", params).fetchone()
    ]
    if totals[0]:
        counts.totals = totals
    for area, primary, times in connection.execute(
        f"SELECT coalesce(area, 'unknown'), recommended, count(*) FROM cases WHERE {where}"
        " GROUP BY coalesce(area, 'unknown'), recommended",
        params,
    ):
        counts.add_area(area, primary, times)
    to_decision = _days("decided_at")
    for value, times in connection.execute(
        f"SELECT {to_decision}, count(*) FROM cases WHERE {where}"
        f" AND status = 'team_decided' AND decided_at IS NOT NULL GROUP BY {to_decision}",
        params,
    ):
        counts.decided[int(value)] = times
    to_start = _days("outcome_on")
    for path, value, times in connection.execute(
        f"SELECT outcome_path, {to_start}, count(*) FROM cases WHERE {where}"
        f" AND outcome_started IS 1 GROUP BY outcome_path, {to_start}",
        params,
    ):
        counts.started.setdefault(path, {})[int(value)] = times
    for day, times in connection.execute(
        f"SELECT created_day, count(*) FROM cases WHERE {where} AND outcome_started IS NULL"
        " GROUP BY created_day",
        params,
    ):
        counts.pending[as_date(day)] = times
    return figures(counts, since, until, until or today or team_day(datetime.now(UTC)))
