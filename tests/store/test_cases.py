"""Saving cases as the worker goes, on SQLite and on the real PostgreSQL server."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from consult.core.model import Answers, Assessment, Context, Scores
from consult.scoring import evaluate
from consult.store import Store, drafts, reads
from consult.store.codes import ALPHABET
from consult.store.db import make_engine
from consult.store.migrate import alembic_config, check

TYM = Scores(affairs=3, services=3, housing=2, employment=4, finances=3, health=3, relations=2)


@pytest.fixture
def store(database_url: str):
    opened = Store.open(database_url)
    yield opened
    opened.close()


def test_a_draft_is_saved_step_by_step_and_completed(store: Store) -> None:
    draft = drafts.create_draft(store.engine, Context(area="kuopio", worker_org="social"))
    assert draft.status == "draft"
    code = draft.code
    assert len(code) == 7 and code[3] == "-" and set(code.replace("-", "")) <= set(ALPHABET)

    drafts.update_draft(store.engine, draft.id, step=4, scores=Scores(affairs=3, services=3, housing=2))
    resumed = drafts.latest_draft(store.engine)
    assert resumed is not None and resumed.step == 4 and resumed.case.id == draft.id
    assert resumed.case.scores.housing == 2 and resumed.case.scores.employment is None

    answers = Answers(q_bilateral="no")
    drafts.update_draft(
        store.engine, draft.id, step=14, scores=TYM, answers=answers, notes={"housing": "vuokra"}
    )
    recommendation = evaluate(Assessment(scores=TYM, answers=answers))
    saved = drafts.complete(store.engine, draft.id, "awaiting_team", recommendation)
    assert saved.status == "awaiting_team"
    assert saved.recommendation == recommendation
    assert saved.notes == {"housing": "vuokra"}
    assert drafts.latest_draft(store.engine) is None
    assert reads.count_cases(store.engine) == 1

    with store.engine.connect() as connection:
        row = connection.execute(
            text("SELECT recommended, need_social, need_health, flag_bring_to_team, rules_version FROM cases")
        ).one()
    assert tuple(row) == ("tym", True, True, False, "ps-2025.1")


def test_a_saved_case_is_not_changed_by_the_walk(store: Store) -> None:
    draft = drafts.create_draft(store.engine, Context())
    drafts.complete(store.engine, draft.id, "referred_directly", evaluate(Assessment(scores=TYM)))
    with pytest.raises(LookupError):
        drafts.update_draft(store.engine, draft.id, step=3, scores=Scores())


def test_only_the_completed_statuses_can_be_saved(store: Store) -> None:
    draft = drafts.create_draft(store.engine, Context())
    with pytest.raises(ValueError):
        drafts.complete(store.engine, draft.id, "team_decided", evaluate(Assessment(scores=TYM)))


def test_no_column_can_hold_an_identifier(store: Store) -> None:
    columns = {
        c["name"] for table in ("cases", "team_decisions") for c in inspect(store.engine).get_columns(table)
    }
    for forbidden in ("name", "hetu", "ssn", "birth", "address", "phone", "email"):
        assert not any(forbidden in column for column in columns)


def test_models_and_migrations_agree(store: Store) -> None:
    check(store.engine)


def test_migrating_writes_nothing_to_a_stream_closed_since(tmp_path: Path) -> None:
    """Alembic's default stream is sys.stdout as it was when alembic was first imported: here a
    stream closed since, as a test's capture or a caller's replaced pipe is (this failed the
    check above in whichever test process first imported alembic under a test's capture)."""
    script = f"""
import io, sys
real, sys.stdout = sys.stdout, io.StringIO()
import alembic.config
sys.stdout.close()
sys.stdout = real
from consult.store import Store
from consult.store.migrate import check
store = Store.open("sqlite:///{(tmp_path / "c.db").as_posix()}")
check(store.engine)
store.close()
print("checked")
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout == "checked\n", done.stderr


def _head() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def test_opening_twice_migrates_once(database_url: str) -> None:
    Store.open(database_url).close()
    again = Store.open(database_url)
    with again.engine.connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == _head()
    again.close()


def test_a_database_of_the_first_schema_upgrades_with_its_cases(database_url: str) -> None:
    from alembic import command

    engine = make_engine(database_url)
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0001")
        connection.execute(
            text(
                "INSERT INTO cases (id, code, created_at, updated_at, status, step, notes, affairs, recommended)"
                " VALUES ('c1', 'AAA-AAA', '2026-01-05 10:00:00', '2026-01-05 10:00:00', 'awaiting_team', 0,"
                " '{}', 3, 'tym')"
            )
        )
    engine.dispose()
    store = Store.open(database_url)
    with store.engine.connect() as connection:
        row = connection.execute(text("SELECT code, affairs, recommended, decision_path FROM cases")).one()
    assert tuple(row) == ("AAA-AAA", 3, "tym", None)
    check(store.engine)
    store.close()


def test_the_local_database_is_private(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh' / 'consult.db'}"
    Store.open(url).close()
    assert stat.S_IMODE(os.stat(tmp_path / "fresh").st_mode) == 0o700
    assert stat.S_IMODE(os.stat(tmp_path / "fresh" / "consult.db").st_mode) == 0o600


def test_sqlite_pragmas_are_set(tmp_path: Path) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 'consult.db'}")
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10_000
    store.close()
