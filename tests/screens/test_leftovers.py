"""Nothing the app writes outside the database outlives its time: record notes saved as files go
with `consult purge` after the draft age (the dry run counts them), and the demo's throwaway
folder goes however the demo ends — its terminal closed included — or, failing that, at the
next demo's start."""

from __future__ import annotations

import os
import pty
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from consult.system.settings import Settings
from tests.screens.helpers import TO_RESULT, press, running

DAY_S = 86_400


def consult(data: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {**os.environ, "CONSULT_DATA_DIR": str(data), "CONSULT_LANG": "fi", **env}
    environ.pop("CONSULT_DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "consult", *args], capture_output=True, text=True, env=environ, timeout=120
    )


def age(path: Path, days: float) -> None:
    then = time.time() - days * DAY_S
    os.utime(path, (then, then))


async def test_saved_note_files_go_with_purge_after_the_draft_age(settings: Settings) -> None:
    async with running(settings) as (app, pilot):
        await press(app, pilot, *TO_RESULT, "t", "c", "f")  # saved to the team, the note to a file
    notes = settings.files_dir / "notes"
    (old,) = notes.iterdir()
    age(old, 31)
    async with running(settings) as (app, pilot):
        await press(app, pilot, *TO_RESULT, "t", "c", "f")  # a note of today
    (fresh,) = set(notes.iterdir()) - {old}

    dry = consult(settings.data_dir, "purge", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "1 tallennettu kirjaustiedosto" in dry.stdout
    assert old.exists() and fresh.exists()
    done = consult(settings.data_dir, "purge")
    assert done.returncode == 0, done.stderr
    assert "1 tallennettu kirjaustiedosto" in done.stdout
    assert not old.exists() and fresh.exists()
    again = consult(settings.data_dir, "purge", "--draft-days", "40", "--dry-run")
    assert "0 tallennettua kirjaustiedostoa" in again.stdout


def test_stale_demo_folders_go_at_the_next_demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    from consult.cli import demo
    from consult.i18n import Translator

    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    stale = temp / "consult-demo-left"
    stale.mkdir()
    (stale / "consult.db").write_bytes(b"")
    age(stale / "consult.db", 2)
    age(stale, 2)
    recent = temp / "consult-demo-running"  # another demo, in use an hour ago: spared
    recent.mkdir()
    age(recent, 1 / 24)
    seen: list[Path] = []

    def closed_mid_demo(settings: Settings) -> None:
        seen.append(settings.data_dir)
        assert (settings.data_dir / "consult.db").exists()
        raise KeyboardInterrupt  # the demo ends abruptly

    monkeypatch.setattr(demo, "run_app", closed_mid_demo)
    with pytest.raises(KeyboardInterrupt):
        demo.run_demo(Settings(data_dir=tmp_path / "data"), Translator("fi"), list_only=False)
    assert seen and seen[0].name.startswith("consult-demo-")
    assert sorted(p.name for p in temp.iterdir()) == ["consult-demo-running"]


@pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="no terminals to hang up")
def test_closing_the_terminal_during_the_demo_removes_its_folder(tmp_path: Path) -> None:
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {**os.environ, "TMPDIR": str(temp), "CONSULT_DATA_DIR": str(tmp_path / "data"), "TERM": "xterm"}
    env.pop("CONSULT_DATABASE_URL", None)
    main, side = pty.openpty()
    demo = subprocess.Popen(
        [sys.executable, "-m", "consult", "demo"],
        stdin=side,
        stdout=side,
        stderr=side,
        env=env,
        start_new_session=True,
    )
    os.close(side)
    try:
        give_up = time.monotonic() + 60
        # Up when its database is there and the screen has been drawn (the pty has output).
        while not list(temp.glob("consult-demo-*/consult.db")):
            assert time.monotonic() < give_up, "the demo did not start"
            assert demo.poll() is None, "the demo ended by itself"
            time.sleep(0.05)
        os.set_blocking(main, False)
        drawn = b""
        while len(drawn) < 200 and time.monotonic() < give_up:
            try:
                drawn += os.read(main, 65536)
            except BlockingIOError:
                time.sleep(0.05)
        demo.send_signal(signal.SIGHUP)  # what closing the terminal window sends
        demo.wait(timeout=60)
    finally:
        if demo.poll() is None:
            demo.kill()
            demo.wait()
        os.close(main)
    assert list(temp.glob("consult-demo-*")) == []
