"""``consult export`` writes, byte for byte, what it wrote before it was made fast: the JSON
bundle, the scripts' CSV and the spreadsheet in each language, with and without drafts, from
the same seeded database (``tests/store/export_seed.py``), on SQLite and on PostgreSQL; on a
local SQLite file through both readers (the standard library's, which the command takes, and
SQLAlchemy's, which the screens take)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from consult.cli import main
from consult.store import Store
from consult.store.db import sqlite_file
from tests.store.export_seed import EXPORTS, GOLDEN, exported, seed


@pytest.fixture
def seeded(database_url: str) -> str:
    store = Store.open(database_url)
    try:
        seed(store.engine)
    finally:
        store.close()
    return database_url


def test_every_export_is_written_as_before(seeded: str) -> None:
    for name, kind, codes, drafts, lang in EXPORTS:
        expected = (GOLDEN / name).read_bytes().decode("utf-8")
        assert exported(seeded, kind, codes, drafts, lang) == expected, name


def test_the_command_writes_every_export_as_before(
    seeded: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = sqlite_file(seeded)
    if path is None:
        monkeypatch.setenv("CONSULT_DATABASE_URL", seeded)
    else:
        monkeypatch.setenv("CONSULT_DATA_DIR", str(path.parent))
    for name, kind, codes, drafts, lang in EXPORTS:
        monkeypatch.setenv("CONSULT_LANG", lang)
        target = tmp_path / name
        options = ["--codes"] * codes + ["--drafts"] * drafts
        assert main(["export", "--format", kind, *options, "--output", str(target)]) == 0
        assert target.read_bytes() == (GOLDEN / name).read_bytes(), name


def test_the_local_file_is_read_without_sqlalchemy(seeded: str) -> None:
    """What the command reads from a local file: the standard library's reader, the same rows."""
    from consult.exchange.export import case_values

    path = sqlite_file(seeded)
    if path is None:
        pytest.skip("a server has no local file")
    store = Store.open(seeded)
    connection = sqlite3.connect(path)
    try:
        for drafts in (False, True):
            assert list(case_values(connection, drafts=drafts)) == list(
                case_values(store.engine, drafts=drafts)
            )
    finally:
        connection.close()
        store.close()


def test_the_command_on_a_local_file_loads_no_database_toolkit(seeded: str, tmp_path: Path) -> None:
    """Importing SQLAlchemy, SQLModel and pydantic was a sixth of exporting 100,000 cases."""
    import json
    import subprocess
    import sys

    path = sqlite_file(seeded)
    if path is None:
        pytest.skip("a server is read through SQLAlchemy")
    code = (
        "import sys\n"
        "from consult.cli import main\n"
        "for kind in ('json', 'csv'):\n"
        "    assert main(['export', '--format', kind, '--output', sys.argv[1] + '.' + kind]) == 0\n"
        "assert main(['export', '--format', 'csv', '--codes', '--output', sys.argv[1] + '.codes']) == 0\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'sqlalchemy', 'sqlmodel', 'alembic', 'pydantic'}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "out")],
        capture_output=True,
        text=True,
        env={"PATH": "", "CONSULT_DATA_DIR": str(path.parent), "HOME": str(tmp_path)},
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.replace("'", '"')) == []
    assert (tmp_path / "out.json").read_bytes() == (GOLDEN / "cases.json").read_bytes()
