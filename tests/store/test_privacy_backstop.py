"""The store refuses an identifier on every path that writes text, whatever the caller
checked: a screen or script that forgets the guard cannot save one (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from consult.core.model import Answers, Assessment, Context, Scores, TeamDecision
from consult.privacy.guard import IdentifierRefused
from consult.scoring import evaluate
from consult.store import Store, drafts, team
from consult.store.training import TraineeResult, save_result

TYM = Scores(affairs=3, services=3, housing=2, employment=4, finances=3, health=3, relations=2)
DISGUISED = "hetu １３１０５２–３０８Ｔ"


@pytest.fixture
def store(database_url: str):
    opened = Store.open(database_url)
    yield opened
    opened.close()


def _stored_texts(store: Store) -> str:
    with store.engine.connect() as connection:
        notes = connection.execute(text("SELECT notes FROM cases")).scalars().all()
        decisions = connection.execute(text("SELECT note FROM team_decisions")).scalars().all()
    return repr(notes) + repr(decisions)


def test_no_write_path_stores_an_identifier(store: Store) -> None:
    draft = drafts.create_draft(store.engine, Context())
    with pytest.raises(IdentifierRefused) as refused:
        drafts.update_draft(store.engine, draft.id, step=3, notes={"housing": DISGUISED})
    assert "notes.housing" in str(refused.value) and "１３１" not in str(refused.value)
    drafts.update_draft(store.engine, draft.id, step=14, scores=TYM, notes={"housing": "vuokra-asia"})
    drafts.complete(store.engine, draft.id, "awaiting_team", evaluate(Assessment(scores=TYM)))
    with pytest.raises(IdentifierRefused):
        team.edit_note(store.engine, draft.id, "general", "soita 040.123.4567")
    with pytest.raises(IdentifierRefused):
        team.add_team_decision(
            store.engine,
            draft.id,
            TeamDecision(path="tym", note="a(at)example.fi", decided_at=date(2026, 3, 2)),
        )
    assert "vuokra-asia" in _stored_texts(store)
    assert "１３１" not in _stored_texts(store) and "040" not in _stored_texts(store)
    assert "example" not in _stored_texts(store)


def test_a_trainee_pseudonym_with_an_identifier_is_not_saved(store: Store) -> None:
    result = TraineeResult(pseudonym="131052-308T", case_id="x", scores=TYM, answers=Answers(), primary="tym")
    with pytest.raises(IdentifierRefused):
        save_result(store.engine, result)
