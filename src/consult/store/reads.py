"""Reading saved cases: one case and its histories, counts, and every case in the bundle's
shape, a page at a time."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import datetime

from sqlalchemy import Connection, Engine, Table, func, tuple_, type_coerce
from sqlalchemy import select as sql_select
from sqlalchemy.types import NullType
from sqlmodel import Session, col, select

from consult.core.model import Case, Outcome, TeamDecision
from consult.store.case_rows import newest_decision, newest_outcome, outcome_of, to_case
from consult.store.db import aware, table_of
from consult.store.reads_shape import (
    DECODED_LIMIT,
    EXPORT_COLUMNS,
    Decoded,
    case_dict,
    decision_shape,
    outcome_shape,
)
from consult.store.review import CaseFilter, conditions
from consult.store.services import case_services, services_json, services_of
from consult.store.tables import CaseEditRow, CaseRow, OutcomeRow, TeamDecisionRow
from consult.store.team import CaseEdit


def get_case(engine: Engine, case_id: str) -> Case | None:
    with Session(engine) as session:
        row = session.get(CaseRow, case_id)
        if row is None:
            return None
        return to_case(
            row,
            newest_decision(session, case_id),
            newest_outcome(session, case_id),
            services=case_services(session, case_id),
        )


def count_cases(engine: Engine, *, completed_only: bool = True) -> int:
    with Session(engine) as session:
        query = sql_select(func.count()).select_from(CaseRow)
        if completed_only:
            query = query.where(col(CaseRow.status) != "draft")
        return session.execute(query).scalar_one()


def outcomes(engine: Engine, case_id: str) -> list[Outcome]:
    """Every outcome recorded on a case, oldest first."""
    with Session(engine) as session:
        entries = session.exec(
            select(OutcomeRow).where(col(OutcomeRow.case_id) == case_id).order_by(col(OutcomeRow.id))
        )
        return [o for e in entries if (o := outcome_of(e)) is not None]


def case_edits(engine: Engine, case_id: str) -> list[CaseEdit]:
    """Every change to a saved case, oldest first."""
    with Session(engine) as session:
        entries = session.exec(
            select(CaseEditRow).where(col(CaseEditRow.case_id) == case_id).order_by(col(CaseEditRow.id))
        )
        return [
            CaseEdit(
                field=e.field, old_value=e.old_value, new_value=e.new_value, edited_at=aware(e.edited_at)
            )
            for e in entries
        ]


def team_decisions(engine: Engine, case_id: str) -> list[TeamDecision]:
    """Every decision on a case, oldest first."""
    with Session(engine) as session:
        entries = session.exec(
            select(TeamDecisionRow)
            .where(col(TeamDecisionRow.case_id) == case_id)
            .order_by(col(TeamDecisionRow.id))
        )
        return [
            TeamDecision(path=e.path, note=e.note, decided_at=e.decided_at, meeting_id=e.meeting_id)
            for e in entries
        ]


def _newest(
    connection: Connection,
    history: Table,
    case_ids: list[str],
    columns: tuple[str, ...],
    shape: Callable[..., dict],
) -> dict[str, dict]:
    """The newest entry of a history table (decisions, outcomes) for each of the cases, shaped
    as the bundle writes it (``shape`` of the ``columns``): entries are added, never
    overwritten, and the last one holds."""
    newest: dict[str, dict] = {}
    if case_ids:
        query = (
            sql_select(history.c.case_id, *(history.c[c] for c in columns))
            .where(history.c.case_id.in_(case_ids))
            .order_by(history.c.id)
        )
        for case_id, *values in connection.execute(query):
            newest[case_id] = shape(*values)
    return newest


def iter_case_dicts(
    engine: Engine, case_filter: CaseFilter | None = None, page_size: int = 2000, *, drafts: bool = True
) -> Iterator[dict]:
    """Every case (or those the filter keeps) in the bundle's shape, oldest first, one page at a
    time (keyset pagination: memory stays flat). Plain dicts: exporting 100,000 cases through
    ORM objects and models took several times longer. ``drafts=False`` keeps the completed
    cases only, the ones ``stats`` counts. A recommendation is shared by the cases that stored
    the same one (see ``iter_case_values``): read it, never change it."""
    for values, decision, outcome, services in iter_case_values(
        engine, case_filter, page_size, drafts=drafts
    ):
        yield case_dict(values, decision, outcome, services)


_CREATED = EXPORT_COLUMNS.index("created_at")
_NOTES = EXPORT_COLUMNS.index("notes")  # and the recommendation after it, the last
_JSON_COLUMNS = frozenset(("notes", "recommendation"))


def iter_case_values(
    engine: Engine,
    case_filter: CaseFilter | None = None,
    page_size: int = 2000,
    *,
    drafts: bool = True,
    services: bool = True,
) -> Iterator[tuple[tuple, dict | None, dict | None, dict | None]]:
    """Every case (or those the filter keeps), oldest first, a page at a time: its
    ``EXPORT_COLUMNS`` (``created_at`` an aware datetime, ``jobseeker`` a bool, the notes and
    the recommendation decoded), its newest team decision, its newest outcome and its services
    (None when it has none, or ``services=False``: the CSV has no column for them), all in the
    bundle's shape. The same query on every database (SQLAlchemy Core); only the JSON columns
    are taken as the driver gives them (SQLite: text, decoded here; psycopg: decoded already),
    so the decoded values of equal texts are one object: read them, never change them."""
    table = table_of(CaseRow)
    decisions = table_of(TeamDecisionRow)
    recorded = table_of(OutcomeRow)
    where = conditions(case_filter) if case_filter is not None else []
    if not drafts:
        where.append(table.c.status != "draft")
    columns = [
        type_coerce(table.c[name], NullType()) if name in _JSON_COLUMNS else table.c[name]
        for name in EXPORT_COLUMNS
    ]
    decode = Decoded(json.loads, DECODED_LIMIT).decode

    after: tuple[datetime, str] | None = None
    while True:
        query = (
            sql_select(*columns, table.c.outcome_started)
            .where(*where)
            .order_by(table.c.created_at, table.c.id)
            .limit(page_size)
        )
        if after is not None:
            query = query.where(tuple_(table.c.created_at, table.c.id) > tuple_(*after))
        with engine.connect() as connection:
            rows = connection.execute(query).all()
            if not rows:
                return
            latest = _newest(
                connection,
                decisions,
                [r[0] for r in rows if r[3] == "team_decided"],
                ("path", "note", "decided_at", "meeting_id"),
                decision_shape,
            )
            newest = _newest(
                connection,
                recorded,
                [r[0] for r in rows if r[-1] is not None],
                ("started", "path", "started_on", "reason", "note"),
                outcome_shape,
            )
            recorded_services = services_of(connection, [r[0] for r in rows]) if services else {}
        for row in rows:
            # Sliced and joined in C: a list a row, changed in place, cost more.
            values = (
                *row[:_CREATED],
                aware(row[_CREATED]),
                *row[_CREATED + 1 : _NOTES],
                decode(row[_NOTES]),
                decode(row[_NOTES + 1]),
            )
            found = recorded_services.get(row[0])
            yield values, latest.get(row[0]), newest.get(row[0]), services_json(found) if found else None
        after = (rows[-1][_CREATED], rows[-1][0])
