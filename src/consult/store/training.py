"""Trainee results: saved under a pseudonym the trainee types, in the training database."""

from __future__ import annotations

from datetime import UTC, datetime

from pydantic import BaseModel
from sqlalchemy import Engine, insert, select, update

from consult.core.instrument import DOMAIN_KEYS
from consult.core.model import Answers, Scores
from consult.privacy.guard import refuse_identifiers
from consult.store.db import table_of, writer
from consult.store.tables import TraineeResultRow


class TraineeResult(BaseModel):
    pseudonym: str
    case_id: str
    scores: Scores
    answers: Answers
    primary: str


def save_result(engine: Engine, result: TraineeResult, result_id: int | None = None) -> int:
    """Keeps a trainee's walk; with ``result_id`` the same walk, walked back and on, is updated
    rather than counted twice. Returns the result's id."""
    refuse_identifiers("pseudonym", result.pseudonym)
    table = table_of(TraineeResultRow)
    values = {
        "pseudonym": result.pseudonym,
        "case_id": result.case_id,
        "created_at": datetime.now(UTC),
        **result.scores.model_dump(),
        "answers": result.answers.model_dump(exclude_none=True),
        "recommended": result.primary,
    }
    with writer(engine).begin() as connection:
        if result_id is not None:
            updated = connection.execute(update(table).where(table.c.id == result_id).values(values))
            if updated.rowcount:
                return result_id
        inserted = connection.execute(insert(table).values(values)).inserted_primary_key
        assert inserted is not None
        return int(inserted[0])


def results(engine: Engine) -> list[TraineeResult]:
    """Every trainee's latest walk of each case (a case walked again replaces the earlier try)."""
    table = table_of(TraineeResultRow)
    latest: dict[tuple[str, str], TraineeResult] = {}
    with engine.connect() as connection:
        for row in connection.execute(select(table).order_by(table.c.id)).mappings():
            latest[(row["pseudonym"], row["case_id"])] = TraineeResult(
                pseudonym=row["pseudonym"],
                case_id=row["case_id"],
                scores=Scores(**{k: row[k] for k in DOMAIN_KEYS}),
                answers=Answers(**row["answers"]),
                primary=row["recommended"],
            )
    return list(latest.values())
