"""The draft lifecycle: a walk saved as the worker goes, continued, completed or discarded.
Each function is one short unit of work."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import Engine, func
from sqlalchemy import select as sql_select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from consult.core.dates import team_day
from consult.core.model import Answers, Case, Context, Draft, Recommendation, Scores
from consult.privacy.guard import refuse_identifiers
from consult.store.case_rows import (
    COMPLETED_STATUSES,
    ROUTE_OF_STATUS,
    apply_walk,
    new_case_id,
    now,
    recommendation_columns,
    refuse_across_fields,
    to_case,
)
from consult.store.codes import new_code
from consult.store.db import aware, writer
from consult.store.services import case_services, services_of
from consult.store.tables import CaseRow

_CODE_ATTEMPTS = 20


class UnconfirmedNotes(ValueError):
    """A case is not saved while a note's privacy warning waits for the worker's confirmation."""


def create_draft(engine: Engine, context: Context, step: int = 1) -> Case:
    """A new draft with a fresh id and a code not yet in use."""
    for _ in range(_CODE_ATTEMPTS):
        moment = now()
        row = CaseRow(
            id=new_case_id(),
            code=new_code(),
            created_at=moment,
            updated_at=moment,
            created_day=team_day(moment),
            status="draft",
            step=step,
            notes={},
        )
        apply_walk(row, context, None, None)
        try:
            with Session(writer(engine)) as session:
                session.add(row)
                session.commit()
                session.refresh(row)
                return to_case(row)
        except IntegrityError:
            continue  # the code was taken: draw another
    raise RuntimeError("could not find a free case code")


def update_draft(
    engine: Engine,
    case_id: str,
    *,
    step: int,
    context: Context | None = None,
    scores: Scores | None = None,
    answers: Answers | None = None,
    notes: Mapping[str, str] | None = None,
    unconfirmed: Mapping[str, str] | None = None,
) -> None:
    """Saves the walk so far. Only drafts change here: a saved case is not edited by the walk.
    ``unconfirmed``: notes whose privacy warning is not confirmed yet, kept apart from ``notes``
    (an identifier is refused in them too)."""
    with Session(writer(engine)) as session:
        row = session.get(CaseRow, case_id)
        if row is None or row.status != "draft":
            raise LookupError(case_id)
        apply_walk(row, context, scores, answers)
        if notes is not None:
            saved = row.notes or {}
            for key, text in notes.items():
                if text != saved.get(key):  # a note kept from an older version stays as it is
                    refuse_identifiers(f"notes.{key}", text)
            if any(text != saved.get(key) for key, text in notes.items()):
                refuse_across_fields(notes)
            row.notes = {k: v for k, v in notes.items() if v}
        if unconfirmed is not None:
            waiting = row.unconfirmed_notes or {}
            for key, text in unconfirmed.items():
                if text != waiting.get(key):
                    refuse_identifiers(f"notes.{key}", text)
            row.unconfirmed_notes = {k: v for k, v in unconfirmed.items() if v} or None
        row.step = step
        row.updated_at = now()
        session.add(row)
        session.commit()


def complete(engine: Engine, case_id: str, status: str, recommendation: Recommendation) -> Case:
    """Completes a draft as "bring to the team" or "referred directly", with its recommendation."""
    if status not in COMPLETED_STATUSES:
        raise ValueError(status)
    with Session(writer(engine)) as session:
        row = session.get(CaseRow, case_id)
        if row is None:
            raise LookupError(case_id)
        if row.unconfirmed_notes:
            # The screens ask first; this holds whatever path led here.
            raise UnconfirmedNotes(sorted(row.unconfirmed_notes))
        row.status = status
        row.route = ROUTE_OF_STATUS[status]
        for column, value in recommendation_columns(recommendation).items():
            setattr(row, column, value)
        row.updated_at = now()
        session.add(row)
        session.commit()
        session.refresh(row)
        return to_case(row, services=case_services(session, case_id))


def latest_draft(engine: Engine) -> Draft | None:
    """The most recently touched unfinished walk."""
    drafts = list_drafts(engine, limit=1)
    return drafts[0] if drafts else None


def list_drafts(engine: Engine, limit: int | None = None) -> list[Draft]:
    """Every unfinished walk, the most recently touched first: any of them can be continued."""
    with Session(engine) as session:
        query = select(CaseRow).where(col(CaseRow.status) == "draft").order_by(col(CaseRow.updated_at).desc())
        if limit is not None:
            query = query.limit(limit)
        rows = list(session.exec(query))
        services = services_of(session.connection(), [row.id for row in rows])
        return [
            Draft(
                case=to_case(row, services=services.get(row.id)),
                step=row.step,
                touched_at=aware(row.updated_at),
                unconfirmed=dict(row.unconfirmed_notes or {}),
            )
            for row in rows
        ]


def count_drafts(engine: Engine) -> int:
    with Session(engine) as session:
        return session.execute(
            sql_select(func.count()).select_from(CaseRow).where(col(CaseRow.status) == "draft")
        ).scalar_one()


def discard_draft(engine: Engine, case_id: str) -> bool:
    """Removes an unfinished walk the worker chose to throw away. Only a draft: a saved case is
    the team's and goes only by ``consult purge``. False when there was no such draft."""
    with Session(writer(engine)) as session:
        row = session.get(CaseRow, case_id)
        if row is None or row.status != "draft":
            return False
        session.delete(row)
        session.commit()
        return True
