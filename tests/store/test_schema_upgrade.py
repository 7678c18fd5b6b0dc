"""A database made by an earlier release opens in this one with every case intact, and a
SQLite file is copied aside, private, before its schema changes."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from datetime import datetime
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, text

from consult.core.dates import team_day
from consult.store import Store
from consult.store.migrate import alembic_config, current_revision, head_revision
from consult.store.reads import iter_case_dicts, team_decisions
from tests.store.schema_fixtures import FOLDER, RELEASED, build, expected


def _assert_intact(store: Store) -> None:
    reference = expected()
    assert list(iter_case_dicts(store.engine)) == reference["cases"]
    for case_id, decisions in reference["decisions"].items():
        assert [d.model_dump(mode="json") for d in team_decisions(store.engine, case_id)] == decisions
    with store.engine.connect() as connection:
        # Decided under 0001, before the case row kept its newest decision: filled in on upgrade.
        assert (
            connection.execute(
                text("SELECT count(*) FROM cases WHERE status = 'team_decided' AND decision_path IS NULL")
            ).scalar_one()
            == 0
        )
        # 0006: the route from the status, and each case's Finnish day for the figures.
        assert (
            connection.execute(
                text("SELECT count(*) FROM cases WHERE status != 'draft' AND route IS NULL")
            ).scalar_one()
            == 0
        )
        days = {r[0]: r[1] for r in connection.execute(text("SELECT id, created_day FROM cases"))}
    assert {c["id"]: str(days[c["id"]]) for c in reference["cases"]} == {
        c["id"]: team_day(datetime.fromisoformat(c["created_at"])).isoformat() for c in reference["cases"]
    }


def _dump(path: Path) -> list[str]:
    with closing(sqlite3.connect(path)) as connection:
        return list(connection.iterdump())


def _cases_in(path: Path) -> tuple[str, int]:
    with closing(sqlite3.connect(path)) as connection:
        revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        return revision, connection.execute("SELECT count(*) FROM cases").fetchone()[0]


def test_every_released_schema_has_a_fixture() -> None:
    """A release ships its newest revision: the next change must keep a file from it."""
    revisions = {r.revision for r in ScriptDirectory.from_config(alembic_config()).walk_revisions()}
    assert revisions - {head_revision()} <= set(RELEASED)
    for revision in RELEASED:
        assert (FOLDER / f"consult-{revision}.db").is_file(), "run python -m tests.store.schema_fixtures"


@pytest.mark.parametrize("revision", RELEASED)
def test_an_older_sqlite_database_upgrades_without_loss(revision: str, tmp_path: Path) -> None:
    database = tmp_path / "data" / "consult.db"
    database.parent.mkdir(mode=0o700)
    shutil.copy(FOLDER / f"consult-{revision}.db", database)
    database.chmod(0o600)

    store = Store.open(f"sqlite:///{database}")
    try:
        assert current_revision(store.engine) == head_revision()
        _assert_intact(store)
        with store.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    finally:
        store.close()

    assert store.backup is not None and store.backup.parent == database.parent
    assert f"schema-{revision}" in store.backup.name
    assert store.backup.stat().st_mode & 0o777 == 0o600
    assert _cases_in(store.backup) == (revision, len(expected()["cases"]))

    again = Store.open(f"sqlite:///{database}")
    again.close()
    assert again.backup is None  # already current: nothing to copy
    assert len(list(database.parent.glob("*.bak"))) == 1


@pytest.mark.postgres
def test_an_older_postgresql_schema_upgrades_without_loss(postgres_url: str) -> None:
    engine = create_engine(postgres_url)
    build(engine, RELEASED[0])
    engine.dispose()
    store = Store.open(postgres_url)
    try:
        assert store.backup is None  # the server's administrator backs a server up
        assert current_revision(store.engine) == head_revision()
        _assert_intact(store)
    finally:
        store.close()


def test_a_new_database_gets_no_backup(tmp_path: Path) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 'fresh.db'}")
    store.close()
    assert store.backup is None
    assert not list(tmp_path.glob("*.bak"))


async def test_the_app_opens_last_years_database_and_says_it_kept_a_copy(tmp_path: Path) -> None:
    from consult.app import make_app
    from consult.system.settings import Settings
    from tests.screens.helpers import ready, screen_text

    settings = Settings(data_dir=tmp_path / "data")
    settings.data_dir.mkdir(mode=0o700)
    shutil.copy(FOLDER / "consult-0001.db", settings.data_dir / "consult.db")
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(app, pilot)
        shown = screen_text(app)
        assert "15 tallennettua tapausta" in shown  # 16 in the file, one of them a draft
        await pilot.pause()
        toasts = " ".join(n.message for n in app._notifications)  # what the toasts show
        assert "päivitettiin" in toasts and "consult.schema-0001." in toasts
        assert "DEM-016" in shown  # the draft is offered to continue


async def test_a_database_from_a_newer_version_is_left_alone_and_said_so(tmp_path: Path) -> None:
    from consult.app import make_app
    from consult.cli import main
    from consult.system.settings import Settings
    from tests.screens.helpers import ready, screen_text

    settings = Settings(data_dir=tmp_path / "data")
    settings.data_dir.mkdir(mode=0o700)
    database = settings.data_dir / "consult.db"
    shutil.copy(FOLDER / "consult-0003.db", database)
    with closing(sqlite3.connect(database)) as connection, connection:
        connection.execute("UPDATE alembic_version SET version_num = '0999'")
    before = _dump(database)

    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(app, pilot)
        assert "uudemmalla consultin versiolla (skeema 0999)" in screen_text(app)
    assert main(["stats"]) == 2
    assert _dump(database) == before  # (the file itself turns to WAL mode on opening)
    assert not list(settings.data_dir.glob("*.bak"))
