"""Saving and reading cases. Each function is one short unit of work and returns plain
pydantic models, never ORM objects, so screens cannot build SQL or hold sessions."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime
from typing import get_args

from pydantic import BaseModel
from sqlalchemy import Connection, Engine, RowMapping, Table, func, select, tuple_
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from consult.core.dates import team_day
from consult.core.instrument import DOMAIN_KEYS, QUESTION_KEYS
from consult.core.model import (
    FLAGS,
    Answers,
    Case,
    Context,
    Draft,
    NoteKey,
    Outcome,
    Recommendation,
    Scores,
    TeamDecision,
    route_for_status,
)
from consult.privacy.guard import identity_codes_written, refuse_identifiers
from consult.store.codes import new_code
from consult.store.db import aware, writer
from consult.store.review import CaseFilter, conditions
from consult.store.tables import CaseEditRow, CaseRow, OutcomeRow, TeamDecisionRow

COMPLETED_STATUSES = ("awaiting_team", "referred_directly")
# The route a case keeps from the way it was saved, whatever its status becomes.
ROUTE_OF_STATUS = {"awaiting_team": "to_team", "referred_directly": "direct"}
_CODE_ATTEMPTS = 20


def _now() -> datetime:
    return datetime.now(UTC)


def _outcome(entry: OutcomeRow | None) -> Outcome | None:
    if entry is None:
        return None
    return Outcome(
        started=entry.started, path=entry.path, on=entry.started_on, reason=entry.reason, note=entry.note
    )


def _to_case(
    row: CaseRow, decision: TeamDecisionRow | None = None, outcome: OutcomeRow | None = None
) -> Case:
    return Case(
        id=row.id,
        code=row.code,
        created_at=aware(row.created_at),
        status=row.status,
        route=row.route or route_for_status(row.status),
        context=Context(
            area=row.area, worker_org=row.worker_org, age_band=row.age_band, jobseeker=row.jobseeker
        ),
        scores=Scores(**{key: getattr(row, key) for key in DOMAIN_KEYS}),
        answers=Answers(**{key: getattr(row, key) for key in QUESTION_KEYS}),
        notes=dict(row.notes or {}),
        recommendation=Recommendation.model_validate(row.recommendation) if row.recommendation else None,
        team_decision=(
            TeamDecision(path=decision.path, note=decision.note, decided_at=decision.decided_at)
            if decision
            else None
        ),
        outcome=_outcome(outcome),
    )


def _apply(row: CaseRow, context: Context | None, scores: Scores | None, answers: Answers | None) -> None:
    if context is not None:
        row.area, row.worker_org = context.area, context.worker_org
        row.age_band, row.jobseeker = context.age_band, context.jobseeker
    if scores is not None:
        for key in DOMAIN_KEYS:
            setattr(row, key, getattr(scores, key))
    if answers is not None:
        for key in QUESTION_KEYS:
            setattr(row, key, getattr(answers, key))


def recommendation_columns(recommendation: Recommendation | None) -> dict[str, object]:
    """The columns the follow-up figures count, derived from a stored recommendation."""
    r = recommendation
    return {
        "recommendation": r.model_dump(mode="json") if r else None,
        "recommended": r.primary if r else None,
        "need_social": ("social" in r.needs) if r else None,
        "need_health": ("health" in r.needs) if r else None,
        **{f"flag_{flag}": (flag in r.flags) if r else None for flag in FLAGS},
        "rules_version": r.rules_version if r else None,
    }


def new_case_id() -> str:
    """A random UUID; about one in 40,000 holds a valid identity code by chance: such an id
    is drawn again, so no id the app makes reads as one."""
    while identity_codes_written(case_id := str(uuid.uuid4())):
        pass
    return case_id


def create_draft(engine: Engine, context: Context, step: int = 1) -> Case:
    """A new draft with a fresh id and a code not yet in use."""
    for _ in range(_CODE_ATTEMPTS):
        now = _now()
        row = CaseRow(
            id=new_case_id(),
            code=new_code(),
            created_at=now,
            updated_at=now,
            created_day=team_day(now),
            status="draft",
            step=step,
            notes={},
        )
        _apply(row, context, None, None)
        try:
            with Session(writer(engine)) as session:
                session.add(row)
                session.commit()
                session.refresh(row)
                return _to_case(row)
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
) -> None:
    """Saves the walk so far. Only drafts change here: a saved case is not edited by the walk."""
    with Session(writer(engine)) as session:
        row = session.get(CaseRow, case_id)
        if row is None or row.status != "draft":
            raise LookupError(case_id)
        _apply(row, context, scores, answers)
        if notes is not None:
            saved = row.notes or {}
            for key, text in notes.items():
                if text != saved.get(key):  # a note kept from an older version stays as it is
                    refuse_identifiers(f"notes.{key}", text)
            row.notes = {k: v for k, v in notes.items() if v}
        row.step = step
        row.updated_at = _now()
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
        row.status = status
        row.route = ROUTE_OF_STATUS[status]
        for column, value in recommendation_columns(recommendation).items():
            setattr(row, column, value)
        row.updated_at = _now()
        session.add(row)
        session.commit()
        session.refresh(row)
        return _to_case(row)


def _saved_case(session: Session, case_id: str, not_for_drafts: str) -> CaseRow:
    """The row of a saved case, for the team's additions to it (a decision, an outcome, a note
    edit): LookupError when there is none, ValueError naming why a draft takes no such thing."""
    row = session.get(CaseRow, case_id)
    if row is None:
        raise LookupError(case_id)
    if row.status == "draft":
        raise ValueError(not_for_drafts)
    return row


def add_team_decision(engine: Engine, case_id: str, decision: TeamDecision) -> Case:
    """Records the team's decision. Earlier decisions and what the worker saved are kept."""
    with Session(writer(engine)) as session:
        row = _saved_case(session, case_id, "a draft has no decision to make")
        refuse_identifiers("team_decision.note", decision.note)
        entry = TeamDecisionRow(
            case_id=case_id,
            path=decision.path,
            note=decision.note,
            decided_at=decision.decided_at,
            recorded_at=_now(),
        )
        row.status = "team_decided"
        row.decision_path, row.decided_at = decision.path, decision.decided_at
        row.updated_at = _now()
        session.add(entry)
        session.add(row)
        session.commit()
        session.refresh(row)
        session.refresh(entry)
        return _to_case(row, entry, _newest_outcome(session, case_id))


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
        if outcome.on < team_day(aware(row.created_at)):
            raise OutcomeProblem("on", "before_created")
        entry = OutcomeRow(
            case_id=case_id,
            started=outcome.started,
            path=outcome.path,
            reason=outcome.reason,
            started_on=outcome.on,
            note=outcome.note,
            recorded_at=_now(),
        )
        row.outcome_started, row.outcome_path = outcome.started, outcome.path
        row.outcome_reason, row.outcome_on = outcome.reason, outcome.on
        row.updated_at = _now()
        session.add(entry)
        session.add(row)
        session.commit()
        session.refresh(row)
        return _to_case(row, _newest_decision(session, case_id), _newest_outcome(session, case_id))


def outcomes(engine: Engine, case_id: str) -> list[Outcome]:
    """Every outcome recorded on a case, oldest first."""
    with Session(engine) as session:
        entries = session.exec(
            select(OutcomeRow).where(OutcomeRow.case_id == case_id).order_by(OutcomeRow.id)
        ).scalars()
        return [o for e in entries if (o := _outcome(e)) is not None]


def _newest_outcome(session: Session, case_id: str) -> OutcomeRow | None:
    return session.exec(
        select(OutcomeRow).where(OutcomeRow.case_id == case_id).order_by(OutcomeRow.id.desc()).limit(1)
    ).scalar_one_or_none()


def _newest_decision(session: Session, case_id: str) -> TeamDecisionRow | None:
    return session.exec(
        select(TeamDecisionRow)
        .where(TeamDecisionRow.case_id == case_id)
        .order_by(TeamDecisionRow.id.desc())
        .limit(1)
    ).scalar_one_or_none()


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
            if new is None:
                notes.pop(key)
            else:
                notes[key] = new
            row.notes, row.updated_at = notes, _now()
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
        return _to_case(row)


def case_edits(engine: Engine, case_id: str) -> list[CaseEdit]:
    """Every change to a saved case, oldest first."""
    with Session(engine) as session:
        entries = session.exec(
            select(CaseEditRow).where(CaseEditRow.case_id == case_id).order_by(CaseEditRow.id)
        ).scalars()
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
            select(TeamDecisionRow).where(TeamDecisionRow.case_id == case_id).order_by(TeamDecisionRow.id)
        ).scalars()
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
        query = select(history).where(history.c.case_id.in_(case_ids)).order_by(history.c.id)
        for entry in connection.execute(query).mappings():
            newest[entry["case_id"]] = shape(entry)
    return newest


def iter_case_dicts(
    engine: Engine, case_filter: CaseFilter | None = None, page_size: int = 2000
) -> Iterator[dict]:
    """Every case (or those the filter keeps) in the bundle's shape, oldest first, one page at a
    time (keyset pagination: memory stays flat). Plain dicts: exporting 100,000 cases through
    ORM objects and models took several times longer."""
    table = CaseRow.__table__
    decisions = TeamDecisionRow.__table__
    recorded = OutcomeRow.__table__
    where = conditions(case_filter) if case_filter is not None else []
    after: tuple[datetime, str] | None = None
    while True:
        query = select(table).where(*where).order_by(table.c.created_at, table.c.id).limit(page_size)
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
            }
        after = (rows[-1]["created_at"], rows[-1]["id"])


def latest_draft(engine: Engine) -> Draft | None:
    """The most recently touched unfinished walk."""
    drafts = list_drafts(engine, limit=1)
    return drafts[0] if drafts else None


def list_drafts(engine: Engine, limit: int | None = None) -> list[Draft]:
    """Every unfinished walk, the most recently touched first: any of them can be continued."""
    with Session(engine) as session:
        query = select(CaseRow).where(CaseRow.status == "draft").order_by(CaseRow.updated_at.desc())
        if limit is not None:
            query = query.limit(limit)
        return [
            Draft(case=_to_case(row), step=row.step, touched_at=aware(row.updated_at))
            for row in session.exec(query).scalars()
        ]


def count_drafts(engine: Engine) -> int:
    with Session(engine) as session:
        return session.exec(
            select(func.count()).select_from(CaseRow).where(CaseRow.status == "draft")
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


def get_case(engine: Engine, case_id: str) -> Case | None:
    with Session(engine) as session:
        row = session.get(CaseRow, case_id)
        if row is None:
            return None
        return _to_case(row, _newest_decision(session, case_id), _newest_outcome(session, case_id))


def count_cases(engine: Engine, *, completed_only: bool = True) -> int:
    with Session(engine) as session:
        query = select(func.count()).select_from(CaseRow)
        if completed_only:
            query = query.where(CaseRow.status != "draft")
        return session.exec(query).scalar_one()
