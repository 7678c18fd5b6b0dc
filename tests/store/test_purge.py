"""`consult purge`: old drafts and cases past retention go, with their decisions and edits, in
one transaction; a dry run only counts; the run is logged for the home screen."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text, update

from consult.core.model import Context
from consult.exchange.bundle import Bundle, import_bundle
from consult.store import Store
from consult.store.drafts import create_draft
from consult.store.purge import last_purge, purge
from consult.store.tables import CaseRow
from consult.store.team import edit_note
from tests.store.fixtures import make_case

NOW = datetime(2026, 11, 23, 12, tzinfo=UTC)


def _fill(store: Store, now: datetime) -> dict[str, str]:
    """Two drafts and three saved cases of different ages; returns their ids by name."""
    old = make_case(
        1,
        "3,3,2,4,3,3,2",
        (now - timedelta(days=800)).isoformat(),
        "team_decided",
        "kuopio",
        ("tym", (now - timedelta(days=790)).date().isoformat()),
    )
    edge = make_case(2, "2,2,2,2,2,2,2", (now - timedelta(days=729)).isoformat(), "awaiting_team", "yla-savo")
    recent = make_case(3, "4,4,4,4,4,4,4", (now - timedelta(days=10)).isoformat(), "referred_directly", None)
    import_bundle(store.engine, Bundle(format="consult-cases", version=1, cases=[old, edge, recent]))
    edit_note(store.engine, old.id, "general", "Tiimi käsitteli")
    stale, fresh = (create_draft(store.engine, Context()) for _ in range(2))
    with store.engine.begin() as connection:
        connection.execute(
            update(CaseRow.__table__)
            .where(CaseRow.id == stale.id)
            .values(updated_at=now - timedelta(days=31))
        )
    return {"old": old.id, "edge": edge.id, "recent": recent.id, "stale": stale.id, "fresh": fresh.id}


def _ids(store: Store) -> set[str]:
    with store.engine.connect() as connection:
        return set(connection.execute(text("SELECT id FROM cases")).scalars())


def _count(store: Store, table: str) -> int:
    with store.engine.connect() as connection:
        return connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()


def test_purge_removes_old_drafts_and_cases_with_their_history(database_url: str) -> None:
    store = Store.open(database_url)
    try:
        ids = _fill(store, NOW)
        dry = purge(store.engine, draft_days=30, retention_days=730, dry_run=True, now=NOW)
        assert (dry.drafts_removed, dry.cases_removed) == (1, 1)
        assert _ids(store) == set(ids.values()) and last_purge(store.engine) is None

        done = purge(store.engine, draft_days=30, retention_days=730, now=NOW)
        assert (done.drafts_removed, done.cases_removed) == (1, 1)
        assert _ids(store) == {ids["edge"], ids["recent"], ids["fresh"]}
        assert _count(store, "team_decisions") == 0 and _count(store, "case_edits") == 0
        logged = last_purge(store.engine)
        assert logged is not None and logged.ran_at == NOW and logged.cases_removed == 1

        again = purge(store.engine, draft_days=30, retention_days=730, now=NOW)
        assert (again.drafts_removed, again.cases_removed) == (0, 0)
        shorter = purge(store.engine, draft_days=30, retention_days=5, now=NOW)
        assert shorter.cases_removed == 2 and _ids(store) == {ids["fresh"]}
    finally:
        store.close()


def consult(data: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {**os.environ, "CONSULT_DATA_DIR": str(data), "CONSULT_LANG": "en", **env}
    return subprocess.run(
        [sys.executable, "-m", "consult", *args], capture_output=True, text=True, env=environ, timeout=120
    )


def test_the_purge_verb_with_dry_run_settings_and_bad_input(tmp_path: Path) -> None:
    data = tmp_path / "data"
    store = Store.open(f"sqlite:///{data / 'consult.db'}")
    ids = _fill(store, datetime.now(UTC))
    store.close()
    backup = data / "consult.schema-0001.20250101T000000Z.bak"
    backup.write_bytes(b"")
    os.utime(backup, (0, 0))

    dry = consult(data, "purge", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.strip() == (
        "Dry run, nothing removed: would remove 1 draft (untouched for over 30 days), "
        "1 case (created over 730 days ago), 0 saved record-note files and 1 old backup."
    )
    assert backup.exists()
    done = consult(data, "purge", CONSULT_RETENTION_DAYS="700")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Removed 1 draft ") and "2 cases (created over 700 days ago)" in done.stdout
    assert not backup.exists()
    store = Store.open(f"sqlite:///{data / 'consult.db'}")
    assert _ids(store) == {ids["recent"], ids["fresh"]}
    store.close()

    for args, env, named in [
        (["--draft-days", "x"], {}, "--draft-days"),
        (["--retention-days", "0"], {}, "--retention-days"),
        (["--retention-days", "-5"], {}, "--retention-days"),
        ([], {"CONSULT_DRAFT_DAYS": "thirty"}, "CONSULT_DRAFT_DAYS"),
    ]:
        bad = consult(data, "purge", *args, **env)
        assert bad.returncode == 2 and bad.stdout == ""
        assert (
            len(bad.stderr.strip().splitlines()) == 1
            and named in bad.stderr
            and "Traceback" not in bad.stderr
        )


@pytest.mark.parametrize("days", [0, -1, 40_000])
def test_settings_refuse_an_age_out_of_range(days: int) -> None:
    from consult.system.settings import Settings, SettingsError

    with pytest.raises(SettingsError):
        Settings(data_dir=Path("x"), retention_days=days)


def test_a_purged_note_cannot_be_read_from_the_sqlite_files(tmp_path: Path) -> None:
    marker = "Tunnistettavamerkkijono purettavaksi"
    store = Store.open(f"sqlite:///{tmp_path / 'consult.db'}")
    try:
        case = make_case(
            9,
            "3,3,2,4,3,3,2",
            (NOW - timedelta(days=900)).isoformat(),
            "awaiting_team",
            "kuopio",
            notes={"general": marker},
        )
        import_bundle(store.engine, Bundle(format="consult-cases", version=1, cases=[case]))
        files = [p for p in tmp_path.iterdir() if p.name.startswith("consult.db")]
        assert any(marker.encode() in p.read_bytes() for p in files)  # the check can see it
        assert purge(store.engine, draft_days=30, retention_days=730, now=NOW).cases_removed == 1
    finally:
        store.close()
    for path in tmp_path.iterdir():
        assert marker.encode() not in path.read_bytes(), path.name


def test_without_secure_delete_the_bytes_would_stay(tmp_path: Path) -> None:
    """The control for the test above: this SQLite build zeroes deleted rows by default, so
    the app's own pragma is what holds on builds that do not (macOS, Windows)."""
    import sqlite3
    from contextlib import closing

    marker = b"Tunnistettavamerkkijono purettavaksi"
    path = tmp_path / "plain.db"
    with closing(sqlite3.connect(path, isolation_level=None)) as connection:
        connection.execute("PRAGMA secure_delete=OFF")
        connection.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
        connection.execute("INSERT INTO notes (body) VALUES (?)", (marker.decode() + " " + "x" * 50,))
        connection.execute("INSERT INTO notes (body) VALUES ('toinen')")
        connection.execute("DELETE FROM notes WHERE id = 1")
    assert marker in path.read_bytes()
