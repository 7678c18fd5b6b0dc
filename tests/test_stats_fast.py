"""`consult stats` on a current local file takes a path of its own (the standard library's
sqlite3, no SQLAlchemy, Alembic or pydantic): it must give exactly the store's figures."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from bench.bundles import write_bundle
from consult.bundle import import_file
from consult.dbfile import open_current
from consult.stats import compute, compute_sqlite
from consult.store import Store
from tests.store.fixtures import march_cases

ROOT = Path(__file__).resolve().parents[1]
PERIODS = [
    (None, None),
    (date(2026, 3, 1), date(2026, 3, 31)),
    (date(2025, 1, 1), date(2025, 1, 31)),
    (date(2025, 2, 28), None),
    (None, date(2025, 3, 1)),
    (date(2030, 1, 1), None),
]


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("stats")
    path = folder / "consult.db"
    store = Store.open(f"sqlite:///{path}")
    try:
        bundle = write_bundle(folder / "b.json", 3000)
        with bundle.open("rb") as stream:
            import_file(store.engine, stream)
        from consult.bundle import Bundle, import_bundle

        import_bundle(store.engine, Bundle(format="consult-cases", version=1, cases=march_cases()))
    finally:
        store.close()
    return path


@pytest.mark.parametrize(("since", "until"), PERIODS)
def test_both_paths_give_the_same_figures(database: Path, since: date | None, until: date | None) -> None:
    store = Store.open(f"sqlite:///{database}")
    connection = open_current(database)
    assert connection is not None
    try:
        assert compute_sqlite(connection, since, until) == compute(store.engine, since, until)
    finally:
        connection.close()
        store.close()


def test_a_database_to_create_or_upgrade_is_left_to_the_store(tmp_path: Path) -> None:
    assert open_current(tmp_path / "missing.db") is None
    old = tmp_path / "old.db"
    with sqlite3.connect(old) as db:
        db.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
        db.execute("INSERT INTO alembic_version VALUES ('0001')")
    db.close()
    assert open_current(old) is None


PROBE = """
import sys
from consult.cli import main
status = main(["stats", "--json"])
heavy = sorted(m for m in ("sqlalchemy", "alembic", "sqlmodel", "pydantic") if m in sys.modules)
print("HEAVY", heavy, file=sys.stderr)
sys.exit(status)
"""


def test_stats_on_a_current_file_imports_no_database_toolkit(database: Path, tmp_path: Path) -> None:
    env = {**os.environ, "CONSULT_DATA_DIR": str(database.parent), "PYTHONPATH": str(ROOT)}
    env.pop("CONSULT_DATABASE_URL", None)
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "HEAVY []" in done.stderr, done.stderr
    through_store = subprocess.run(
        [sys.executable, "-m", "consult", "stats", "--json"],
        capture_output=True,
        text=True,
        env={**env, "CONSULT_DATABASE_URL": f"sqlite:///{database}"},
        timeout=120,
    )
    assert json.loads(done.stdout) == json.loads(through_store.stdout)
