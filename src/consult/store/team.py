"""The team's additions to a saved case: decisions, outcomes and note edits. Each is added to
the case's history; what the worker saved is never overwritten."""

from __future__ import annotations

from datetime import datetime
from typing import get_args

from pydantic import BaseModel
from sqlalchemy import Engine
from sqlmodel import Session

from consult.core.dates import team_day
from consult.core.model import Case, NoteKey, Outcome, TeamDecision
from consult.privacy.guard import refuse_identifiers
from consult.store.case_rows import newest_decision, newest_outcome, now, refuse_across_fields, to_case
from consult.store.db import aware, writer
from consult.store.services import case_services
from consult.store.tables import CaseEditRow, CaseRow, OutcomeRow, TeamDecisionRow


def _saved_case(session: Session, case_id: str, not_for_drafts: str) -> CaseRow:
    """The row of a saved case, for the team's additions to it (a decision, an outcome, a note
    edit): LookupError when there is none, ValueError naming why a draft takes no such thing."""
    row = session.get(CaseRow, case_id)
    if row is None:
        raise LookupError(case_id)
    if row.status == "draft":
        raise ValueError(not_for_drafts)
    return row


def _added(session: Session, row: CaseRow, entry: TeamDecisionRow | OutcomeRow) -> Case:
    """Stores one addition to a case's history beside the case's current columns, and returns
    the case as it now reads: the newest decision and the newest outcome count."""
    row.updated_at = now()
    session.add(entry)
    session.add(row)
    session.commit()
    session.refresh(row)
    return to_case(
        row,
        newest_decision(session, row.id),
        newest_outcome(session, row.id),
        services=case_services(session, row.id),
    )


def add_team_decision(engine: Engine, case_id: str, decision: TeamDecision) -> Case:
    """Records the team's decision. Earlier decisions and what the worker saved are kept."""
    with Session(writer(engine)) as session:
        row = _saved_case(session, case_id, "a draft has no decision to make")
        refuse_identifiers("team_decision.note", decision.note)
        refuse_across_fields(row.notes, {"team_decision.note": decision.note})
        entry = TeamDecisionRow(
            case_id=case_id,
            path=decision.path,
            note=decision.note,
            decided_at=decision.decided_at,
            recorded_at=now(),
        )
        row.status = "team_decided"
        row.decision_path, row.decided_at = decision.path, decision.decided_at
        return _added(session, row, entry)


class OutcomeProblem(ValueError):
    """An outcome that cannot be recorded; ``field`` and ``kind`` say what is wrong."""

    def __init__(self, field: str, kind: str) -> None:
        super().__init__(f"{field}: {kind}")
        self.field, self.kind = field, kind


def add_outcome(engine: Engine, case_id: str, outcome: Outcome) -> Case:
    """Records what happened after the referral. Earlier records are kept; the newest counts."""
    if (problem := outcome.problem()) is not None:
        raise OutcomeProblem(*problem)
    with Session(writer(engine)) as session:
        row = _saved_case(session, case_id, "a draft has no outcome")
        refuse_identifiers("outcome.note", outcome.note)  # the store's backstop, as for decisions
        refuse_across_fields(row.notes, {"outcome.note": outcome.note})
        if outcome.on < team_day(aware(row.created_at)):
            raise OutcomeProblem("on", "before_created")
        if outcome.on > team_day(now()):
            raise OutcomeProblem("on", "in_future")
        entry = OutcomeRow(
            case_id=case_id,
            started=outcome.started,
            path=outcome.path,
            reason=outcome.reason,
            started_on=outcome.on,
            note=outcome.note,
            recorded_at=now(),
        )
        row.outcome_started, row.outcome_path = outcome.started, outcome.path
        row.outcome_reason, row.outcome_on = outcome.reason, outcome.on
        return _added(session, row, entry)


class CaseEdit(BaseModel):
    """One change to a saved case: which field, what it held and what it holds now."""

    field: str
    old_value: str | None
    new_value: str | None
    edited_at: datetime


def edit_note(engine: Engine, case_id: str, key: str, text: str) -> Case:
    """Changes a saved case's note. The old text is kept in the case's edit history, so what
    the team read before stays on record; an empty text removes the note."""
    if key not in get_args(NoteKey):
        raise ValueError(key)
    with Session(writer(engine)) as session:
        row = _saved_case(session, case_id, "a draft's notes are saved by its walk")
        notes = dict(row.notes or {})
        old, new = notes.get(key), text.strip() or None
        if old != new:
            refuse_identifiers(f"notes.{key}", new or "")
            refuse_across_fields({**notes, key: new or ""})
            if new is None:
                notes.pop(key)
            else:
                notes[key] = new
            row.notes, row.updated_at = notes, now()
            session.add(
                CaseEditRow(
                    case_id=case_id,
                    field=f"notes.{key}",
                    old_value=old,
                    new_value=new,
                    edited_at=row.updated_at,
                )
            )
            session.add(row)
            session.commit()
            session.refresh(row)
        return to_case(
            row,
            newest_decision(session, case_id),
            newest_outcome(session, case_id),
            services=case_services(session, case_id),
        )
