"""Reading saved cases: one case and its histories, counts, and every case in the bundle's
shape, a page at a time."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime

from sqlalchemy import Connection, Engine, RowMapping, Table, func, tuple_
from sqlalchemy import select as sql_select
from sqlmodel import Session, col, select

from consult.core.instrument import DOMAIN_KEYS, QUESTION_KEYS
from consult.core.model import Case, Outcome, TeamDecision, route_for_status
from consult.store.case_rows import newest_decision, newest_outcome, outcome_of, to_case
from consult.store.db import aware, table_of
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
        return [TeamDecision(path=e.path, note=e.note, decided_at=e.decided_at) for e in entries]


def _newest(
    connection: Connection,
    history: Table,
    case_ids: list[str],
    shape: Callable[[RowMapping], dict],
) -> dict[str, dict]:
    """The newest entry of a history table (decisions, outcomes) for each of the cases, shaped
    as the bundle writes it: entries are added, never overwritten, and the last one holds."""
    newest: dict[str, dict] = {}
    if case_ids:
        query = sql_select(history).where(history.c.case_id.in_(case_ids)).order_by(history.c.id)
        for entry in connection.execute(query).mappings():
            newest[entry["case_id"]] = shape(entry)
    return newest


def iter_case_dicts(
    engine: Engine, case_filter: CaseFilter | None = None, page_size: int = 2000, *, drafts: bool = True
) -> Iterator[dict]:
    """Every case (or those the filter keeps) in the bundle's shape, oldest first, one page at a
    time (keyset pagination: memory stays flat). Plain dicts: exporting 100,000 cases through
    ORM objects and models took several times longer. ``drafts=False`` keeps the completed
    cases only, the ones ``stats`` counts."""
    table = table_of(CaseRow)
    decisions = table_of(TeamDecisionRow)
    recorded = table_of(OutcomeRow)
    where = conditions(case_filter) if case_filter is not None else []
    if not drafts:
        where.append(table.c.status != "draft")
    after: tuple[datetime, str] | None = None
    while True:
        query = sql_select(table).where(*where).order_by(table.c.created_at, table.c.id).limit(page_size)
        if after is not None:
            query = query.where(tuple_(table.c.created_at, table.c.id) > tuple_(*after))
        with engine.connect() as connection:
            rows = connection.execute(query).mappings().all()
            if not rows:
                return
            latest = _newest(
                connection,
                decisions,
                [r["id"] for r in rows if r["status"] == "team_decided"],
                lambda e: {"path": e["path"], "note": e["note"], "decided_at": e["decided_at"].isoformat()},
            )
            newest = _newest(
                connection,
                recorded,
                [r["id"] for r in rows if r["outcome_started"] is not None],
                lambda e: {
                    "started": e["started"],
                    "path": e["path"],
                    "on": e["started_on"].isoformat(),
                    "reason": e["reason"],
                    "note": e["note"],
                },
            )
            services = services_of(connection, [r["id"] for r in rows])
        for row in rows:
            yield {
                "id": row["id"],
                "code": row["code"],
                "created_at": aware(row["created_at"]).isoformat(),
                "status": row["status"],
                "route": row["route"] or route_for_status(row["status"]),
                "context": {k: row[k] for k in ("area", "worker_org", "age_band", "jobseeker")},
                "scores": {k: row[k] for k in DOMAIN_KEYS},
                "answers": {k: row[k] for k in QUESTION_KEYS},
                "notes": dict(row["notes"] or {}),
                "recommendation": row["recommendation"],
                "team_decision": latest.get(row["id"]),
                "outcome": newest.get(row["id"]),
                "services": services_json(services[row["id"]])
                if row["id"] in services
                else {"tried": [], "missing": []},
            }
        after = (rows[-1]["created_at"], rows[-1]["id"])
