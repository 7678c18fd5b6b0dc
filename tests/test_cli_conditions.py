"""Bad files, pipes, disks and databases, through real `python -m consult` processes: one line
on stderr saying what is wrong and what to do, exit status 2, never a traceback, nothing lost.

Why: these were each reproduced as tracebacks or silent losses (issue 10); every test here
fails when its behaviour comes back.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from consult.exchange.bundle import Bundle, import_file
from consult.store import Store
from tests.store.fixtures import march_cases
from tests.template import ensure_database


def env_for(data: Path, **extra: str) -> dict[str, str]:
    env = {**os.environ, "CONSULT_DATA_DIR": str(data), "CONSULT_LANG": "en", **extra}
    if "CONSULT_DATABASE_URL" not in extra:
        env.pop("CONSULT_DATABASE_URL", None)
    return env


def consult(data: Path, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "consult", *args],
        capture_output=True,
        text=True,
        env=env_for(data, **extra),
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


def one_line(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 2, (done.returncode, done.stderr)
    assert "Traceback" not in done.stderr, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert not lines[0].rstrip().endswith("Error"), lines[0]  # not just a class name
    return lines[0]


def bundle_file(folder: Path) -> Path:
    path = folder / "march.json"
    path.write_text(Bundle(format="consult-cases", version=1, cases=march_cases()).model_dump_json(), "utf-8")
    return path


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A data folder whose database holds the seven March cases: imported in this process, as
    `consult import` does (its process costs a second; the verbs under test run as processes)."""
    folder = tmp_path / "data"
    ensure_database(folder / "consult.db")
    store = Store.open(f"sqlite:///{folder / 'consult.db'}")
    try:
        with bundle_file(tmp_path).open("rb") as stream:
            assert import_file(store.engine, stream) == (7, 0)
    finally:
        store.close()
    return folder


# --- Pipes and disks -----------------------------------------------------------------------------


@pytest.mark.parametrize("args", [("export",), ("export", "--format", "csv"), ("stats",), ("score",)])
def test_a_reader_that_goes_away_is_no_traceback(data: Path, tmp_path: Path, args: tuple[str, ...]) -> None:
    """`consult export | head -c 1`: the pipe closes after one byte."""
    assessment = tmp_path / "a.json"
    assessment.write_text(json.dumps([{"scores": {"housing": 3}}] * 2000), "utf-8")
    argv = [*args, str(assessment)] if args == ("score",) else list(args)
    pipeline = subprocess.run(
        [
            "bash",
            "-c",
            f'"{sys.executable}" -m consult "$@" | head -c 1 >/dev/null; echo "${{PIPESTATUS[0]}}"',
            "-",
            *argv,
        ],
        capture_output=True,
        text=True,
        env=env_for(data),
        timeout=120,
    )
    assert "Traceback" not in pipeline.stderr and "Error" not in pipeline.stderr, pipeline.stderr
    assert pipeline.stdout.strip() in {"0", "2"}


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
@pytest.mark.parametrize("args", [("export",), ("stats", "--json"), ("score",)])
def test_a_full_disk_is_named(data: Path, tmp_path: Path, args: tuple[str, ...]) -> None:
    assessment = tmp_path / "a.json"
    assessment.write_text(json.dumps({"scores": {"housing": 3}}), "utf-8")
    argv = [*args, str(assessment)] if args == ("score",) else list(args)
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "consult", *argv],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            env=env_for(data),
            timeout=120,
        )
    line = one_line(done)  # type: ignore[arg-type]
    assert "disk is full" in line and "standard output" in line, line


def test_a_failed_export_says_write_not_read(data: Path, tmp_path: Path) -> None:
    line = one_line(consult(data, "export", "--output", str(tmp_path / "missing" / "out.json")))
    assert "could not write" in line and "out.json" in line, line
    assert not list(tmp_path.glob("missing*"))


# --- Files -----------------------------------------------------------------------------------------


@pytest.mark.skipif(os.name != "posix", reason="symbolic links and modes are POSIX")
def test_an_export_never_follows_a_planted_link(data: Path, tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", "utf-8")
    victim.chmod(0o644)
    target = tmp_path / "out.csv"
    for planted in (target.with_name("out.csv.partial"), target):
        planted.symlink_to(victim)
    done = consult(data, "export", "--format", "csv", "--codes", "--output", str(target))
    assert done.returncode == 0, done.stderr
    assert victim.read_text("utf-8") == "keep me" and (victim.stat().st_mode & 0o777) == 0o644
    assert not target.is_symlink() and (target.stat().st_mode & 0o777) == 0o600
    assert target.read_text("utf-8-sig").startswith("id;code")
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".partial") and not p.is_symlink()]


@pytest.mark.skipif(os.name != "posix", reason="modes are POSIX")
def test_modes_are_narrowed_on_existing_files_and_folders(data: Path) -> None:
    database = data / "consult.db"
    data.chmod(0o777)
    database.chmod(0o644)
    for companion in ("consult.db-wal", "consult.db-shm"):
        path = data / companion
        if path.exists():
            path.chmod(0o644)
    assert consult(data, "stats").returncode == 0
    assert data.stat().st_mode & 0o777 == 0o700
    for path in data.iterdir():
        assert path.stat().st_mode & 0o077 == 0, (path.name, oct(path.stat().st_mode))


@pytest.mark.skipif(os.name != "posix", reason="umask is POSIX")
def test_under_umask_000_every_new_parent_is_private(tmp_path: Path) -> None:
    data = tmp_path / "a" / "b" / "c"
    done = subprocess.run(
        [sys.executable, "-m", "consult", "stats"],
        capture_output=True,
        text=True,
        env=env_for(data),
        timeout=120,
        preexec_fn=lambda: os.umask(0),
    )
    assert done.returncode == 0, done.stderr
    for folder in (tmp_path / "a", tmp_path / "a" / "b", data):
        assert folder.stat().st_mode & 0o777 == 0o700, folder
    for path in data.iterdir():
        assert path.stat().st_mode & 0o077 == 0, path.name


# --- Databases ---------------------------------------------------------------------------------


def test_an_empty_database_file_is_refused_not_replaced(data: Path) -> None:
    database = data / "consult.db"
    for companion in data.glob("consult.db-*"):
        companion.unlink()
    database.write_bytes(b"")
    for args in (("stats",), ("export",), ("import", "-")):
        line = one_line(consult(data, *args))
        assert "empty" in line and str(database) in line, line
        assert database.stat().st_size == 0  # left as it was, for the worker to restore


def test_a_new_database_is_never_an_empty_file(tmp_path: Path) -> None:
    data = tmp_path / "fresh"
    assert consult(data, "stats").returncode == 0
    assert (data / "consult.db").stat().st_size > 0
    assert consult(data, "stats").returncode == 0  # and opens again


@pytest.mark.parametrize("verb", ["stats", "export"])
def test_a_damaged_database_is_one_line(data: Path, verb: str) -> None:
    database = data / "consult.db"
    # Fold the write-ahead log in, then overwrite pages in the middle of the file.
    with sqlite3.connect(database) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    size = database.stat().st_size
    with database.open("r+b") as raw:
        raw.seek(4096 * 2)
        raw.write(b"\xa5" * min(size - 4096 * 2, 4096 * 8))
    line = one_line(consult(data, verb))
    assert "damaged" in line and "backup" in line, line


def test_a_file_that_is_not_a_database_is_one_line(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "consult.db").write_text("these are my notes, not a database\n" * 200, "utf-8")
    line = one_line(consult(data, "stats"))
    assert "damaged" in line, line


def test_a_read_only_database_says_what_to_do(data: Path) -> None:
    url = f"sqlite:///file:{data / 'consult.db'}?mode=ro&uri=true"
    line = one_line(consult(data, "purge", CONSULT_DATABASE_URL=url))
    assert "cannot be written" in line and "CONSULT_DATA_DIR" in line, line


def test_a_folder_that_cannot_be_made_is_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", "utf-8")
    line = one_line(consult(blocker / "data", "stats"))
    assert "check the path" in line and "OperationalError" not in line, line


def test_a_database_from_a_newer_consult_is_left_alone(data: Path) -> None:
    database = data / "consult.db"
    with sqlite3.connect(database) as db:
        db.execute("UPDATE alembic_version SET version_num = '9999'")
    db.close()
    before = database.read_bytes()
    line = one_line(consult(data, "stats"))
    assert "newer version" in line, line
    assert database.read_bytes() == before


def test_a_server_that_does_not_answer_is_one_line(tmp_path: Path) -> None:
    url = "postgresql+psycopg://nobody@127.0.0.1:9/none?connect_timeout=2"
    line = one_line(consult(tmp_path / "data", "stats", CONSULT_DATABASE_URL=url))
    assert "server does not answer" in line, line


# --- Dates beyond any calendar ---------------------------------------------------------------


def test_a_stored_case_in_year_9999_neither_crashes_stats_nor_export(data: Path) -> None:
    """Import refuses such a date now; one stored by an older version must still be shown."""
    with sqlite3.connect(data / "consult.db") as db:
        db.execute("UPDATE cases SET created_at = '9999-12-31 23:30:00.000000' WHERE status = 'team_decided'")
    db.close()
    for args in (
        ("stats",),
        ("stats", "--json"),
        ("export",),
        ("export", "--format", "csv"),
        ("export", "--format", "csv", "--codes"),
    ):
        done = consult(data, *args)
        assert done.returncode == 0, (args, done.stderr)


@pytest.mark.parametrize(
    ("created", "decided"),
    [
        ("9999-12-31T23:30:00Z", None),
        ("0001-01-01T00:00:00+05:00", None),
        ("1970-01-01T00:00:00Z", None),
        ("2026-03-02T09:00:00Z", "9999-12-31"),
    ],
)
def test_import_refuses_absurd_dates(tmp_path: Path, created: str, decided: str | None) -> None:
    case = next(json.loads(c.model_dump_json()) for c in march_cases() if c.team_decision is not None)
    case["created_at"] = created
    if decided is not None:
        case["team_decision"]["decided_at"] = decided
    source = tmp_path / "b.json"
    source.write_text(json.dumps({"format": "consult-cases", "version": 1, "cases": [case]}), "utf-8")
    line = one_line(consult(tmp_path / "data", "import", str(source)))
    assert "2000–2099" in line, line
