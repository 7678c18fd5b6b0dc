"""A kill during the copy made before a schema upgrade leaves no empty or half `.bak` that
looks like a backup: the copy is written under a hidden partial name and renamed when whole."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from consult.store.migrate import remove_old_backups
from tests.store.schema_fixtures import FOLDER

ROOT = Path(__file__).resolve().parents[2]
UPGRADE = "import sys; from consult.store import Store; Store.open(sys.argv[1]).close()"


def _old_database(folder: Path) -> Path:
    """Last release's schema, padded so that copying it takes a noticeable while."""
    folder.mkdir(parents=True, exist_ok=True)
    database = folder / "consult.db"
    shutil.copy(FOLDER / "consult-0003.db", database)
    with contextlib.closing(sqlite3.connect(database)) as db, db:
        db.execute("CREATE TABLE padding (x BLOB)")
        db.executemany("INSERT INTO padding VALUES (zeroblob(65536))", [()] * 400)
    return database


def _cases(path: Path) -> int:
    with contextlib.closing(sqlite3.connect(path)) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return db.execute("SELECT count(*) FROM cases").fetchone()[0]


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")
@pytest.mark.parametrize("extra_wait", [0.0, 0.005, 0.02])
def test_a_kill_during_the_backup_leaves_no_false_backup(tmp_path: Path, extra_wait: float) -> None:
    database = _old_database(tmp_path / "data")
    expected = _cases(database)
    process = subprocess.Popen(
        [sys.executable, "-c", UPGRADE, f"sqlite:///{database}"],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    # Killed as soon as the copy has begun (any file named after it exists), whatever its name.
    deadline = time.monotonic() + 60
    while not any("schema-" in p.name for p in database.parent.iterdir()):
        assert process.poll() is None and time.monotonic() < deadline, "the upgrade made no copy"
        time.sleep(0.001)
    time.sleep(extra_wait)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)
    for backup in database.parent.glob("consult.schema-*.bak"):
        assert _cases(backup) == expected, backup  # whole, or not there at all
    # The database still opens and upgrades, and a left partial goes with old backups.
    done = subprocess.run(
        [sys.executable, "-c", UPGRADE, f"sqlite:///{database}"],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert _cases(database) == expected
    for partial in database.parent.glob(".consult.schema-*.partial*"):
        os.utime(partial, (0, 0))
    remove_old_backups(f"sqlite:///{database}", 1)
    assert not list(database.parent.glob(".consult.schema-*"))
