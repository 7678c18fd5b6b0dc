"""Issue 17: the command line's files and faults, run as the worker runs it: a closed or full
stdout, a damaged database, a link or another account's folder where the database lives, a
full disk under a report, a file that is not JSON. Each answered in one line with the truth."""

from __future__ import annotations

import json
import os
import resource
import signal
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from consult.system.settings import write_preferences
from tests.test_cli_bundles import write_bundle

CODE = "131052-308T"
POSIX = os.name == "posix"


def run(
    tmp_path: Path,
    *args: str,
    shell: str = "",
    stdin: str = "",
    data: str = "data",
    limit_file: int | None = None,
) -> subprocess.CompletedProcess[str]:
    """``consult args`` with its stdout redirected as ``shell`` says (``>&-``, ``>/dev/full``)."""
    env = {
        **os.environ,
        "CONSULT_DATA_DIR": str(tmp_path / data),
        "CONSULT_CONFIG_DIR": str(tmp_path / "config"),
        "CONSULT_LANG": "en",
    }
    env.pop("CONSULT_DATABASE_URL", None)
    command = [sys.executable, "-m", "consult", *args]
    stdout = subprocess.PIPE
    if shell:
        command = ["sh", "-c", f'"$0" "$@" {shell}', *command]
        stdout = None

    def small_files() -> None:  # a full disk, as the process sees it
        if limit_file is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit_file, limit_file))

    return subprocess.run(
        command,
        input=stdin,
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        timeout=60,
        preexec_fn=small_files if limit_file is not None else None,
    )


def one_line(done: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in done.stderr and "Error:" not in done.stderr, done.stderr
    return done.stderr.strip()


def cases_in(tmp_path: Path, data: str = "data") -> int:
    with sqlite3.connect(tmp_path / data / "consult.db") as connection:
        return connection.execute("SELECT count(*) FROM cases").fetchone()[0]


pytestmark = pytest.mark.skipif(not POSIX, reason="closed descriptors and /dev/full are POSIX")


@pytest.mark.parametrize("shell", [">&-", ">/dev/full"])
def test_a_verb_with_nowhere_to_write_says_so_in_one_line(tmp_path: Path, shell: str) -> None:
    for args in (("stats",), ("rules", "show"), ("export", "--format", "csv"), ("score", "-")):
        done = run(tmp_path, *args, shell=shell, stdin='{"scores": {}}')
        assert done.returncode == 2, (args, done.stderr)
        line = one_line(done)
        assert line.count("\n") == 0 and "standard output" in line


@pytest.mark.parametrize("shell", [">&-", ">/dev/full"])
def test_committed_work_ends_with_status_0_and_says_so(tmp_path: Path, shell: str) -> None:
    bundle = write_bundle(tmp_path / "march.json")
    done = run(tmp_path, "import", str(bundle), shell=shell)
    assert done.returncode == 0, done.stderr
    lines = one_line(done).splitlines()
    # (a possible-name warning about a note may come first: it is about the bundle, not the fault)
    said = [line for line in lines if "warning" not in line]
    assert "committed" in said[0] and said[1].startswith("consult: Imported 7")
    assert cases_in(tmp_path) == 7
    purged = run(tmp_path, "purge", "--retention-days", "1", shell=shell)
    assert purged.returncode == 0 and "committed" in one_line(purged)
    assert cases_in(tmp_path) == 0


def _damage(database: Path) -> None:
    """Fills a table of its own across many pages, then overwrites one of its middle pages."""
    connection = sqlite3.connect(database, isolation_level=None)
    try:
        connection.execute("CREATE TABLE filler (x TEXT)")
        connection.executemany("INSERT INTO filler VALUES (?)", [("x" * 900,) for _ in range(200)])
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
    finally:
        connection.close()
    with open(database, "r+b") as file:
        file.seek(page_size * (pages - 20))
        file.write(b"\xa5" * page_size)


def test_import_refuses_a_damaged_database_without_writing(tmp_path: Path) -> None:
    bundle = write_bundle(tmp_path / "march.json")
    assert run(tmp_path, "stats").returncode == 0  # the database, made
    _damage(tmp_path / "data" / "consult.db")
    done = run(tmp_path, "import", str(bundle))
    assert done.returncode == 2
    assert "damaged" in one_line(done) and one_line(done).count("\n") == 0
    assert cases_in(tmp_path) == 0


def test_the_app_says_a_damaged_database_in_one_line(tmp_path: Path) -> None:
    from consult.i18n import Translator
    from consult.store import Store
    from consult.system.failures import database_cause

    assert run(tmp_path, "stats").returncode == 0
    _damage(tmp_path / "data" / "consult.db")
    store = Store(f"sqlite:///{tmp_path / 'data' / 'consult.db'}")
    with pytest.raises(Exception) as failed:
        store.connect(check=True)  # what the app's start does
    assert not store.is_open  # no screen can read it
    assert "damaged" in database_cause(failed.value, Translator("en"))


def test_a_dangling_database_link_is_refused_not_followed(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    elsewhere = tmp_path / "elsewhere.db"
    (data / "consult.db").symlink_to(elsewhere)
    done = run(tmp_path, "stats")
    assert done.returncode == 2 and "symbolic link" in one_line(done)
    assert not elsewhere.exists()
    link_wal = tmp_path / "wal"
    (data / "consult.db").unlink()
    assert run(tmp_path, "stats").returncode == 0
    (data / "consult.db-wal").unlink(missing_ok=True)
    (data / "consult.db-wal").symlink_to(link_wal)
    assert run(tmp_path, "stats").returncode == 2 and not link_wal.exists()


@pytest.mark.skipif(not POSIX or os.getuid() != 0, reason="giving a folder to another account needs root")
def test_a_folder_or_database_of_another_account_is_refused(tmp_path: Path) -> None:
    assert run(tmp_path, "stats").returncode == 0
    database = tmp_path / "data" / "consult.db"
    os.chown(database, 4321, 4321)
    done = run(tmp_path, "stats")
    assert done.returncode == 2 and "another account" in one_line(done)
    os.chown(database, 0, 0)
    os.chown(tmp_path / "data", 4321, 4321)
    assert "another account" in one_line(run(tmp_path, "import", str(write_bundle(tmp_path / "m.json"))))


def test_settings_are_written_private_and_never_through_a_link(tmp_path: Path) -> None:
    folder = tmp_path / "config"
    outside = tmp_path / "outside.json"
    outside.write_text("keep", "utf-8")
    folder.mkdir(mode=0o755)
    path = folder / "settings.json"
    path.symlink_to(outside)
    # A link planted at the name the old code wrote through, too.
    (folder / f".settings.json.{os.getpid()}.tmp").symlink_to(outside)
    write_preferences(path, {"lang": "sv"})
    assert outside.read_text("utf-8") == "keep"
    info = path.lstat()
    assert stat.S_ISREG(info.st_mode) and stat.S_IMODE(info.st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert json.loads(path.read_text("utf-8")) == {"lang": "sv"}


@pytest.fixture
def full_disk(tmp_path: Path):
    """A 4 kB file system: a real full disk (mounting one needs root)."""
    folder = tmp_path / "small"
    folder.mkdir()
    if (
        os.getuid() != 0
        or subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=4k", "tmpfs", str(folder)], capture_output=True
        ).returncode
    ):
        pytest.skip("mounting a small file system needs root")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=False)


@pytest.mark.parametrize("name", ["r.xlsx", "r.html"])
def test_a_report_on_a_full_disk_is_one_line_and_no_half_file(
    tmp_path: Path, full_disk: Path, name: str
) -> None:
    assert run(tmp_path, "import", str(write_bundle(tmp_path / "march.json"))).returncode == 0
    done = run(tmp_path, "report", "--output", str(full_disk / name))
    assert done.returncode == 2
    line = one_line(done)
    assert line.count("\n") == 0 and name in line and "disk is full" in line
    assert "Exception ignored" not in done.stderr
    assert list(full_disk.iterdir()) == []


@pytest.mark.parametrize("verb", [("import",), ("score",), ("rules", "check")])
def test_a_file_that_is_not_json_is_refused_after_its_first_bytes(
    tmp_path: Path, verb: tuple[str, ...]
) -> None:
    done = run(tmp_path, *verb, "/dev/zero")  # read whole, it never ends
    assert done.returncode == 2 and one_line(done).count("\n") == 0


def test_rules_texts_pass_the_gate(tmp_path: Path) -> None:
    for body, key in (
        (f'version = "{CODE}"\n', "version"),
        ('version = "x-1"\n[reasons.tym]\nfi = "soita 040 123 4567"\n', "reasons.tym.fi"),
        ('version = "x-1"\n[reasons.tym]\nfi = "\\u001b]0;otsikko\\u0007"\n', "reasons.tym.fi"),
        ('version = "x-1"\n[reasons.tym]\nfi = "' + "x" * 1001 + '"\n', "reasons.tym.fi"),
    ):
        rules = tmp_path / "rules.toml"
        rules.write_text(body, "utf-8")
        for action in ("check", "activate"):
            done = run(tmp_path, "rules", action, str(rules))
            assert done.returncode == 2, done.stdout
            line = one_line(done)
            assert f"{key}:" in line and line.count("\n") == 0
            assert CODE not in line and "040" not in line and "\x1b" not in line


def test_stored_escapes_never_reach_the_terminal(tmp_path: Path) -> None:
    assert run(tmp_path, "import", str(write_bundle(tmp_path / "march.json"))).returncode == 0
    with sqlite3.connect(tmp_path / "data" / "consult.db") as connection:  # stored by an older consult
        connection.execute(
            """UPDATE cases SET notes = '{"general": "\\u001b]0;x\\u0007\\u001b[2J \\u00a0=1"}'"""
        )
    for args in (("export", "--format", "csv"), ("export", "--format", "csv", "--codes"), ("export",)):
        done = run(tmp_path, *args)
        assert done.returncode == 0
        assert "\x1b" not in done.stdout and "\x07" not in done.stdout and "\x9b" not in done.stdout
