"""The team's case list: filtered, sorted, one page at a time (keyset pagination), so the
review stays quick with 100,000 cases and never holds them all in memory."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy import ColumnElement, Engine, func, literal_column, select, tuple_
from sqlalchemy.sql.util import ClauseAdapter
from sqlmodel import col

from consult.core.dates import day_start, team_day
from consult.core.model import FLAGS, route_for_status
from consult.store.codes import search_key
from consult.store.db import aware
from consult.store.tables import CaseRow

SORTS = ("date", "code", "area", "recommendation", "status")
# Any: SQLModel types a column as its Python value (str, datetime), not as a column.
_SORT_COLUMNS: dict[str, Any] = {
    "date": CaseRow.created_at,
    "code": CaseRow.code,
    "area": CaseRow.area,
    "recommendation": CaseRow.recommended,
    "status": CaseRow.status,
}


class CaseFilter(BaseModel):
    """What the convener narrows the list to. Drafts are never shown to the team."""

    model_config = ConfigDict(frozen=True)

    area: str | None = None
    status: str | None = None
    primary: str | None = None
    flag: str | None = None
    since: date | None = None
    until: date | None = None
    code: str | None = None
    outcome: str | None = None  # pending, started, not_started (OUTCOME_STATES)
    # The bottleneck list: cases still pending more than this many whole days after saving.
    pending_over_days: int | None = None
    # A worker's own cases: those this login (on a SQLite file, this OS account) saved.
    created_by: str | None = None


OUTCOME_STATES = ("pending", "started", "not_started")


class CaseSummary(BaseModel):
    """One row of the list."""

    id: str
    code: str
    created_at: datetime
    area: str | None
    worker_org: str | None
    primary: str | None
    flags: list[str]
    status: str
    route: str | None = None
    decision_path: str | None = None  # the team's newest decision, when there is one


class Cursor(BaseModel):
    model_config = ConfigDict(frozen=True)

    key: str | int | float | datetime | None
    id: str


class CasePage(BaseModel):
    rows: list[CaseSummary]
    next: Cursor | None


def conditions(f: CaseFilter) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = [col(CaseRow.status) != "draft"]
    if f.area == "unknown":  # saved without an area: its own bucket, as in the figures
        where.append(col(CaseRow.area).is_(None))
    elif f.area:
        where.append(col(CaseRow.area) == f.area)
    if f.status:
        where.append(col(CaseRow.status) == f.status)
    if f.primary:
        where.append(col(CaseRow.recommended) == f.primary)
    # "= true", not "IS true": the same cases (a null flag is neither), but PostgreSQL reads
    # only "=" from an index.
    if f.flag in FLAGS:
        where.append(col(getattr(CaseRow, f"flag_{f.flag}")) == True)  # noqa: E712
    if f.since:
        where.append(col(CaseRow.created_at) >= day_start(f.since))
    if f.until:
        where.append(col(CaseRow.created_at) < day_start(f.until + timedelta(days=1)))
    if f.outcome == "pending":
        where.append(col(CaseRow.outcome_started).is_(None))
    elif f.outcome in ("started", "not_started"):
        where.append(col(CaseRow.outcome_started) == (f.outcome == "started"))
    if f.pending_over_days is not None:
        # More than N whole Finnish days since the saving day: saved before the start of the
        # day N days ago.
        today = team_day(datetime.now(UTC))
        where.append(col(CaseRow.outcome_started).is_(None))
        where.append(col(CaseRow.created_at) < day_start(today - timedelta(days=f.pending_over_days)))
    if f.created_by is not None:
        where.append(col(CaseRow.created_by) == f.created_by)
    if f.code and (key := search_key(f.code)):
        # Compared without separators, so a code typed without its dash (or with a space) is
        # found. The range beside the LIKE reads the prefix from the code search index
        # (migration 0008); the LIKE keeps the answer exact whatever the collation.
        bare = func.replace(func.replace(func.upper(col(CaseRow.code)), _DASH, _EMPTY), _SPACE, _EMPTY)
        where.append(bare >= key)
        where.append(bare < key[:-1] + chr(ord(key[-1]) + 1))
        where.append(bare.like(key + "%"))
    return where


# Literals, not bound values: a database uses an index on an expression (migration 0008) only
# for the very same expression, and a placeholder is not the same as ''.
_EMPTY: ColumnElement[str] = literal_column("''")
_DASH: ColumnElement[str] = literal_column("'-'")
_SPACE: ColumnElement[str] = literal_column("' '")


def _sort_key(sort: str) -> ColumnElement[Any]:
    column = _SORT_COLUMNS[sort]
    # Empty values sort as "" so the keyset comparison never meets NULL.
    return column if sort in ("date", "code", "status") else func.coalesce(column, _EMPTY)


def _summary(row) -> CaseSummary:
    return CaseSummary(
        id=row.id,
        code=row.code,
        created_at=aware(row.created_at),
        area=row.area,
        worker_org=row.worker_org,
        primary=row.recommended,
        flags=[f for f in FLAGS if getattr(row, f"flag_{f}")],
        status=row.status,
        route=row.route or route_for_status(row.status),
        decision_path=row.decision_path,
    )


_COLUMNS = (
    CaseRow.id,
    CaseRow.code,
    CaseRow.created_at,
    CaseRow.area,
    CaseRow.worker_org,
    CaseRow.recommended,
    CaseRow.status,
    CaseRow.route,
    CaseRow.decision_path,
    *(getattr(CaseRow, f"flag_{f}") for f in FLAGS),
)


# How many cases, in the sort's own order, a filtered page looks through before it asks the
# filter's index instead: a filter that keeps one case in three fills its page from the first
# window, one in thirty from the second; a rarer one is sorted from its own index, and is
# small (a thirtieth of the cases at most).
WINDOWS = (300, 3000)


def page(
    engine: Engine,
    f: CaseFilter,
    sort: str = "date",
    descending: bool = True,
    after: Cursor | None = None,
    limit: int = 100,
) -> CasePage:
    key = _sort_key(sort)
    # Sorting by what the filter holds fixed: the key is one value. Said of the key rather than
    # of the column, the sort's own index gives the order (otherwise the database read every
    # match through the filter's index and sorted them by id).
    field = {"area": "area", "recommendation": "primary", "status": "status"}.get(sort)
    fixed: str | None = getattr(f, field) if field else None
    if fixed == "unknown" and field == "area":
        fixed = ""  # saved without an area: the key is coalesce(area, '')
    if field is not None and fixed is not None:
        where = [*conditions(f.model_copy(update={field: None})), key == fixed]
    else:
        where = conditions(f)
    keyset: list[ColumnElement[bool]] = []
    identifier = col(CaseRow.id)
    if fixed is not None:
        # One key: the id alone orders the page (SQLite would sort the matches once more if
        # the order still named the key, although the index holds them in order).
        if after is not None:
            keyset.append(identifier < after.id if descending else identifier > after.id)
        order: tuple[ColumnElement[Any], ...] = (identifier.desc() if descending else identifier.asc(),)
    else:
        if after is not None:
            boundary = tuple_(key, CaseRow.id)
            value = tuple_(after.key, after.id) if after.key is not None else tuple_("", after.id)
            keyset.append(boundary < value if descending else boundary > value)
        order = (key.desc(), identifier.desc()) if descending else (key.asc(), identifier.asc())
    columns = (*_COLUMNS, key.label("sort_key"))
    rows: Sequence[Any] = ()
    with engine.connect() as connection:
        # By date each filter's own index gives the order, all but the code search's; by
        # recommendation a flag's index does (migration 0013: the rules set both, so a flag's
        # cases may lie beyond every window).
        ordered = sort == "recommendation" and f.flag in FLAGS
        windowed = (sort != "date" or f.code) and len(where) > 1 and fixed is None and not ordered
        for size in WINDOWS if windowed else ():
            # A filter the sort's index cannot answer: first the next cases in the sort's
            # order (an index walk), filtered. Enough matches among them are the page; the
            # database would otherwise read every match through the filter's index and sort
            # them, which for a filter keeping most cases means reading them all. The window
            # is a table of its own that the filter reads: given as "id IN (…)", the database
            # walked the filter's index instead and looked each id up.
            window = (
                select(*columns, col(CaseRow.outcome_started))
                .where(col(CaseRow.status) != "draft", *keyset)
                .order_by(*order)
                .limit(size)
                .subquery("window")
            )
            adapter = ClauseAdapter(window)
            key_in, id_in = window.c.sort_key, window.c.id
            query = (
                select(*(window.c[c.key] for c in _COLUMNS), key_in)
                .where(*(adapter.traverse(w) for w in where))
                .order_by(*((key_in.desc(), id_in.desc()) if descending else (key_in.asc(), id_in.asc())))
                .limit(limit + 1)
            )
            rows = connection.execute(query).all()
            if len(rows) > limit:
                break
        if len(rows) <= limit:
            query = select(*columns).where(*where, *keyset).order_by(*order).limit(limit + 1)
            rows = connection.execute(query).all()
    more = len(rows) > limit
    rows = rows[:limit]
    cursor = Cursor(key=rows[-1].sort_key, id=rows[-1].id) if more and rows else None
    return CasePage(rows=[_summary(r) for r in rows], next=cursor)


def count(engine: Engine, f: CaseFilter) -> int:
    with engine.connect() as connection:
        return connection.execute(
            select(func.count()).select_from(CaseRow).where(*conditions(f))
        ).scalar_one()
