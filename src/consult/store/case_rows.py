"""How a case's rows become the model and back: shared by the draft lifecycle, the team's
additions and the reads. Plain pydantic models leave the store, never ORM objects."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import TypeVar

from sqlmodel import Session, col, select

from consult.core.instrument import DOMAIN_KEYS, QUESTION_KEYS
from consult.core.model import (
    FLAGS,
    Answers,
    Case,
    CaseServices,
    Context,
    Outcome,
    Recommendation,
    Scores,
    TeamDecision,
    route_for_status,
)
from consult.privacy.guard import identity_codes_written, refuse_split_identifiers
from consult.store.db import aware
from consult.store.tables import CaseRow, OutcomeRow, TeamDecisionRow

COMPLETED_STATUSES = ("awaiting_team", "referred_directly")
# The route a case keeps from the way it was saved, whatever its status becomes.
ROUTE_OF_STATUS = {"awaiting_team": "to_team", "referred_directly": "direct"}


def now() -> datetime:
    return datetime.now(UTC)


def outcome_of(entry: OutcomeRow | None) -> Outcome | None:
    if entry is None:
        return None
    return Outcome(
        started=entry.started, path=entry.path, on=entry.started_on, reason=entry.reason, note=entry.note
    )


def to_case(
    row: CaseRow,
    decision: TeamDecisionRow | None = None,
    outcome: OutcomeRow | None = None,
    *,
    services: CaseServices | None = None,
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
            TeamDecision(
                path=decision.path,
                note=decision.note,
                decided_at=decision.decided_at,
                meeting_id=decision.meeting_id,
            )
            if decision
            else None
        ),
        outcome=outcome_of(outcome),
        services=services or CaseServices(),
    )


def apply_walk(row: CaseRow, context: Context | None, scores: Scores | None, answers: Answers | None) -> None:
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


History = TypeVar("History", OutcomeRow, TeamDecisionRow)


def _newest(session: Session, history: type[History], case_id: str) -> History | None:
    """The newest entry of a case's history: entries are added, never overwritten."""
    return session.exec(
        select(history).where(col(history.case_id) == case_id).order_by(col(history.id).desc()).limit(1)
    ).first()


def newest_outcome(session: Session, case_id: str) -> OutcomeRow | None:
    return _newest(session, OutcomeRow, case_id)


def newest_decision(session: Session, case_id: str) -> TeamDecisionRow | None:
    return _newest(session, TeamDecisionRow, case_id)


def refuse_across_fields(notes: Mapping[str, str] | None, added: Mapping[str, str] | None = None) -> None:
    """The store's backstop for a whole case: an identifier split across two of its texts
    ("syntymäaika 131052" in one note, "loppuosa -308T" in another) is refused as one written
    in a single field. The app asks first; this holds for every other way in."""
    texts = {f"notes.{key}": text for key, text in (notes or {}).items() if text}
    texts.update({field: text for field, text in (added or {}).items() if text})
    if len(texts) > 1:  # each text was refused or passed on its own already
        refuse_split_identifiers(texts)
