"""Trainee results: saved under a pseudonym the trainee types, in the training database."""

from __future__ import annotations

from datetime import UTC, datetime

from pydantic import BaseModel
from sqlalchemy import Engine, insert, select

from consult.instrument import DOMAIN_KEYS
from consult.model import Answers, Scores
from consult.store.db import writer
from consult.store.tables import TraineeResultRow


class TraineeResult(BaseModel):
    pseudonym: str
    case_id: str
    scores: Scores
    answers: Answers
    primary: str


def save_result(engine: Engine, result: TraineeResult) -> None:
    with writer(engine).begin() as connection:
        connection.execute(
            insert(TraineeResultRow.__table__),
            {
                "pseudonym": result.pseudonym,
                "case_id": result.case_id,
                "created_at": datetime.now(UTC),
                **result.scores.model_dump(),
                "answers": result.answers.model_dump(exclude_none=True),
                "recommended": result.primary,
            },
        )


def results(engine: Engine) -> list[TraineeResult]:
    """Every trainee's latest walk of each case (a case walked again replaces the earlier try)."""
    table = TraineeResultRow.__table__
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
