"""The follow-up figures' queries, written once as SQL text: the standard library's sqlite3
runs them as they are (``consult.stats.sqlite``), SQLAlchemy through ``text()`` on any
database (``consult.stats.orm``). What the databases spell differently — whole days between
two dates, a day's month, a boolean, how an instant is compared — is in ``Dialect`` and
nowhere else.

Standard library only: `consult stats` on the local file builds its SQL here without
importing SQLAlchemy or pydantic (issue 11's speed target).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Literal

from consult.core.dates import day_start, team_day
from consult.core.vocabulary import FLAGS, NOT_STARTED_REASONS, PRIMARIES, ROUTES
from consult.stats.figures import TOTALS, Counts, as_date

Group = Literal["all", "area", "month", "month_area"]
SEPARATOR = "|"  # between the month and the area in a month_area group's name
ALL = "all"


@dataclass(frozen=True)
class Dialect:
    """The few places where SQLite's SQL and PostgreSQL's differ. Any database other than
    PostgreSQL is spoken to as SQLite, as the SQLAlchemy path always did."""

    name: str

    @property
    def postgresql(self) -> bool:
        return self.name == "postgresql"

    def days(self, later: str, earlier: str = "created_day") -> str:
        """Whole days between two DATE columns."""
        if self.postgresql:
            return f"({later} - {earlier})"  # date - date is an integer there
        return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"

    def month(self, day: str = "created_day") -> str:
        """A DATE column's month as YYYY-MM."""
        if self.postgresql:
            return f"to_char({day}, 'YYYY-MM')"
        return f"strftime('%Y-%m', {day})"

    def is_(self, column: str, value: bool) -> str:
        """A boolean column holds ``value`` (never true for NULL); SQLite keeps 0 and 1."""
        if self.postgresql:
            return f"{column} IS {'TRUE' if value else 'FALSE'}"
        return f"{column} IS {int(value)}"

    def instant(self, moment: datetime) -> datetime | str:
        """An instant to compare with created_at: PostgreSQL's timestamptz takes the aware
        datetime; SQLite compares text, so it is spelled as SQLAlchemy's DateTime writes it
        (UTC wall time, microseconds, a four-digit year) and orders as instants do."""
        if self.postgresql:
            return moment
        m = moment.astimezone(UTC)
        return (
            f"{m.year:04d}-{m.month:02d}-{m.day:02d} "
            f"{m.hour:02d}:{m.minute:02d}:{m.second:02d}.{m.microsecond:06d}"
        )

    def read_instant(self, value: datetime | str) -> datetime:
        """created_at as a driver returns it: a datetime, or SQLite's text (UTC wall time)."""
        return value if isinstance(value, datetime) else datetime.fromisoformat(value)


SQLITE = Dialect("sqlite")
POSTGRESQL = Dialect("postgresql")

# Runs one query (SQL text with :named parameters) and returns its rows.
Run = Callable[[str, dict], Iterable[tuple]]


def where(
    dialect: Dialect, since: date | None, until: date | None, area: str | None = None
) -> tuple[str, dict]:
    """consult.store.review.conditions for the figures: completed cases created within the
    Finnish days from ``since`` to ``until``, in one area (``unknown``: saved without one)."""
    parts: list[str] = ["status != 'draft'"]
    params: dict[str, object] = {}
    if area == "unknown":
        parts.append("area IS NULL")
    elif area:
        parts.append("area = :area")
        params["area"] = area
    if since:
        parts.append("created_at >= :since")
        params["since"] = dialect.instant(day_start(since))
    if until:
        parts.append("created_at < :until")
        params["until"] = dialect.instant(day_start(until + timedelta(days=1)))
    return " AND ".join(parts), params


def _count(condition: str) -> str:
    return f"coalesce(sum(CASE WHEN {condition} THEN 1 ELSE 0 END), 0)"


# The route a case was saved by; a row written without one (by code that predates 0006) is
# taken to have the route its status implies, as a version-1 bundle's case is.
ROUTE = (
    "coalesce(route, CASE WHEN status = 'referred_directly' THEN 'direct'"
    " WHEN status IN ('awaiting_team', 'team_decided') THEN 'to_team' END)"
)

AREA = "coalesce(area, 'unknown')"


def totals(dialect: Dialect) -> list[str]:
    """The one-row counts, in ``TOTALS``' order."""
    social, health = dialect.is_("need_social", True), dialect.is_("need_health", True)
    started, not_started = dialect.is_("outcome_started", True), dialect.is_("outcome_started", False)
    columns = {
        "cases": "count(*)",
        **{f"by_primary.{p}": _count(f"recommended = '{p}'") for p in PRIMARIES},
        "needs.social_only": _count(f"{social} AND NOT ({health})"),
        "needs.health_only": _count(f"{health} AND NOT ({social})"),
        "needs.both": _count(f"{social} AND {health}"),
        "needs.none": _count(f"NOT ({social}) AND NOT ({health})"),
        **{f"flags.{f}": _count(dialect.is_(f"flag_{f}", True)) for f in FLAGS},
        "awaiting_team": _count("status = 'awaiting_team'"),
        "team_decided": _count("status = 'team_decided'"),
        "team_changed_path": _count("status = 'team_decided' AND decision_path != recommended"),
        **{f"routes.{r}": _count(f"{ROUTE} = '{r}'") for r in ROUTES},
        "outcomes.pending": _count("outcome_started IS NULL"),
        "outcomes.started": _count(started),
        "outcomes.not_started": _count(not_started),
        **{f"outcomes.started_by_path.{p}": _count(f"{started} AND outcome_path = '{p}'") for p in PRIMARIES},
        **{
            f"outcomes.not_started_reasons.{r}": _count(f"{not_started} AND outcome_reason = '{r}'")
            for r in NOT_STARTED_REASONS
        },
    }
    return [columns[name] for name in TOTALS]


def group_key(dialect: Dialect, group: Group) -> str | None:
    """The SQL naming a row's group; None for the whole period as one group."""
    return {
        "area": AREA,
        "month": dialect.month(),
        "month_area": f"{dialect.month()} || '{SEPARATOR}' || {AREA}",
    }.get(group)


def collect(
    run: Run,
    dialect: Dialect,
    since: date | None,
    until: date | None,
    group: Group = "all",
    area: str | None = None,
) -> dict[str, Counts]:
    """Five grouped queries: the counts, the areas, and day histograms for decisions, starts
    and pending cases; each group's counts by its name (only groups with cases)."""
    condition, params = where(dialect, since, until, area)
    key = group_key(dialect, group)

    def grouped(columns: list[str], by: tuple[str, ...] = (), also: str = "") -> Iterable[tuple]:
        keys = [*([key] if key else []), *by]
        sql = f"SELECT {key or repr(ALL)}, {', '.join(columns)} FROM cases WHERE {condition}{also}"
        if keys:
            sql += f" GROUP BY {', '.join(keys)}"
        return run(sql, params)

    found: dict[str, Counts] = {}

    def counts(name: str) -> Counts:
        if name not in found:
            found[name] = Counts()
        return found[name]

    for name, *values in grouped(totals(dialect)):
        if values[0]:  # without GROUP BY an empty period still gives one row of zeros
            counts(name).totals = [int(v) for v in values]
    for name, place, primary, times in grouped([AREA, "recommended", "count(*)"], by=(AREA, "recommended")):
        counts(name).add_area(place, primary, times)
    to_decision = dialect.days("decided_at")
    for name, value, times in grouped(
        [to_decision, "count(*)"],
        by=(to_decision,),
        also=" AND status = 'team_decided' AND decided_at IS NOT NULL",
    ):
        counts(name).decided[int(value)] = times
    to_start = dialect.days("outcome_on")
    for name, path, value, times in grouped(
        ["outcome_path", to_start, "count(*)"],
        by=("outcome_path", to_start),
        also=f" AND {dialect.is_('outcome_started', True)}",
    ):
        counts(name).started.setdefault(path, {})[int(value)] = times
    for name, day, times in grouped(
        ["created_day", "count(*)"], by=("created_day",), also=" AND outcome_started IS NULL"
    ):
        counts(name).pending[as_date(day)] = times
    _meetings(run, dialect, since, until, group, area, counts)
    _services(run, key, condition, params, counts)
    return found


# A team meeting's group: its own area and the month of its day (a case's are the case's).
MEETING_AREA = "m.area"


def meeting_group_key(dialect: Dialect, group: Group) -> str | None:
    month = dialect.month("m.held_on")
    return {
        "area": MEETING_AREA,
        "month": month,
        "month_area": f"{month} || '{SEPARATOR}' || {MEETING_AREA}",
    }.get(group)


def meeting_where(
    dialect: Dialect, since: date | None, until: date | None, area: str | None = None
) -> tuple[str, dict]:
    """Closed meetings (alias ``m``) held from ``since`` to ``until``, both included, of one area."""
    parts = ["m.status = 'closed'"]
    params: dict[str, object] = {}
    if area:
        parts.append("m.area = :meeting_area")
        params["meeting_area"] = area
    if since:
        parts.append("m.held_on >= :meetings_since")
        params["meetings_since"] = since if dialect.postgresql else since.isoformat()
    if until:
        parts.append("m.held_on <= :meetings_until")
        params["meetings_until"] = until if dialect.postgresql else until.isoformat()
    return " AND ".join(parts), params


def _meetings(
    run: Run,
    dialect: Dialect,
    since: date | None,
    until: date | None,
    group: Group,
    area: str | None,
    counts: Callable[[str], Counts],
) -> None:
    """The meetings block (product.md): four grouped queries over the closed meetings held in
    the period, and one over the period's cases for the days to their first discussion."""
    condition, params = meeting_where(dialect, since, until, area)
    key = meeting_group_key(dialect, group) or repr(ALL)
    grouping = f"{key}, " if group != "all" else ""
    by = f" GROUP BY {key}" if group != "all" else ""
    for name, times in run(f"SELECT {key}, count(*) FROM meetings m WHERE {condition}{by}", params):
        if times:  # without GROUP BY a period without meetings still gives one row
            counts(name).held += times
    for name, result, times in run(
        f"SELECT {key}, i.result, count(*) FROM meeting_items i JOIN meetings m ON m.id = i.meeting_id"
        f" WHERE {condition} GROUP BY {grouping}i.result",
        params,
    ):
        if result is not None:
            counts(name).items[result] = counts(name).items.get(result, 0) + times
    actions = f"FROM meeting_actions a JOIN meetings m ON m.id = a.meeting_id WHERE {condition}"
    for name, status, times in run(
        f"SELECT {key}, a.status, count(*) {actions} GROUP BY {grouping}a.status", params
    ):
        counts(name).actions[status] = counts(name).actions.get(status, 0) + times
    for name, due, times in run(
        f"SELECT {key}, a.due, count(*) {actions} AND a.status = 'open' AND a.due IS NOT NULL"
        f" GROUP BY {grouping}a.due",
        params,
    ):
        counts(name).open_due[as_date(due)] = times
    cases, case_params = where(dialect, since, until, area)
    case_key = group_key(dialect, group) or repr(ALL)
    days = dialect.days("first_on")
    first = (
        "SELECT c.id, c.created_day, c.area, min(m.held_on) AS first_on"
        f" FROM (SELECT id, created_day, area FROM cases WHERE {cases}) c"
        " JOIN meeting_items i ON i.case_id = c.id JOIN meetings m ON m.id = i.meeting_id"
        " WHERE m.status = 'closed' AND i.result IN ('decided', 'deferred')"
        " GROUP BY c.id, c.created_day, c.area"
    )
    grouped_by = f"{case_key}, {days}" if group != "all" else days
    for name, value, times in run(
        f"SELECT {case_key}, {days}, count(*) FROM ({first}) f GROUP BY {grouped_by}", case_params
    ):
        into = counts(name).first_discussion
        into[int(value)] = into.get(int(value), 0) + times


MISSING = "case_missing_services"
TRIED = "case_tried_services"


def _services(
    run: Run, key: str | None, condition: str, params: dict, counts: Callable[[str], Counts]
) -> None:
    """The services the cases record, through their cases (the period's completed ones):
    entries by area, reason and domain, by result; cases with any missing; the cases naming
    each missing service (a typed one trimmed and case-folded here, as SQL folds only ASCII)."""

    def joined(table: str, columns: list[str], by: tuple[str, ...] = (), also: str = "") -> Iterable[tuple]:
        keys = [*([key] if key else []), *by]
        sql = (
            f"SELECT {key or repr(ALL)}, {', '.join(columns)} FROM {table} s "
            f"JOIN cases ON cases.id = s.case_id WHERE {condition}{also}"
        )
        if keys:
            sql += f" GROUP BY {', '.join(keys)}"
        return run(sql, params)

    by = (AREA, "s.reason", "s.domain")
    for name, area, reason, domain, times in joined(MISSING, [*by, "count(*)"], by):
        counts(name).add_missing(area, reason, domain, times)
    for name, result, times in joined(TRIED, ["s.result", "count(*)"], ("s.result",)):
        counts(name).tried[result] = times
    for name, cases in joined(MISSING, ["count(DISTINCT s.case_id)"]):
        if cases:
            counts(name).with_missing = cases
    for name, service, cases in joined(
        MISSING, ["s.service", "count(DISTINCT s.case_id)"], ("s.service",), " AND s.service IS NOT NULL"
    ):
        counts(name).named_ids[service] = cases
    typed: dict[tuple[str, str], set[str]] = {}
    spelling: dict[tuple[str, str], str] = {}
    for name, text, case_id in run(
        f"SELECT DISTINCT {key or repr(ALL)}, s.text, s.case_id FROM {MISSING} s "
        f"JOIN cases ON cases.id = s.case_id WHERE {condition} AND s.service IS NULL AND s.text IS NOT NULL",
        params,
    ):
        trimmed = text.strip()
        group = (name, trimmed.casefold())
        typed.setdefault(group, set()).add(case_id)
        spelling[group] = min(spelling.get(group, trimmed), trimmed)
    for (name, folded), cases_naming in typed.items():
        counts(name).add_named_text(folded, spelling[(name, folded)], len(cases_naming))


def monthly(
    run: Run, dialect: Dialect, since: date | None, until: date | None
) -> list[tuple[str, dict[str, int]]]:
    """Completed cases per month (YYYY-MM) by recommendation: the case's own Finnish day's
    month, not UTC shifted by a guess."""
    condition, params = where(dialect, since, until)
    month = dialect.month()
    series: dict[str, dict[str, int]] = {}
    for key, primary, times in run(
        f"SELECT {month}, recommended, count(*) FROM cases WHERE {condition} GROUP BY {month}, recommended",
        params,
    ):
        counts = series.setdefault(key, dict.fromkeys(PRIMARIES, 0))
        if primary in counts:
            counts[primary] += times
    return sorted(series.items())


def first_and_last_day(
    run: Run, dialect: Dialect, since: date | None, until: date | None
) -> tuple[date, date] | None:
    """The Finnish days of the first and the last completed case in the period (None when none)."""
    condition, params = where(dialect, since, until)
    ((first, last),) = list(
        run(f"SELECT min(created_at), max(created_at) FROM cases WHERE {condition}", params)
    )
    if first is None:
        return None
    return team_day(dialect.read_instant(first)), team_day(dialect.read_instant(last))


def saved_cases(run: Run, dialect: Dialect) -> int:
    """Every completed (non-draft) case: the number home shows."""
    condition, params = where(dialect, None, None)
    ((count,),) = list(run(f"SELECT count(*) FROM cases WHERE {condition}", params))
    return int(count)
