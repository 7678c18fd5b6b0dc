"""Least exposure: the app opens no network connection unless CONSULT_DATABASE_URL names a
server. A real process runs a walk, the team's screens, training and the verbs under strace,
which sees every connect() the process and its libraries make (libpq's included, which
Python's audit hooks do not see)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.conftest import POSTGRES_URL

WATCHED = textwrap.dedent(
    """
    import asyncio, io
    from contextlib import redirect_stdout, redirect_stderr

    from consult.app import make_app
    from consult.cli import main
    from consult.system.settings import Settings
    from tests.screens.helpers import ready, settle

    async def walk():
        app = make_app(Settings.from_env())
        async with app.run_test(size=(80, 24)) as pilot:
            await ready(app, pilot)
            keys = ["n", "enter", "3", "3", "2", "4", "3", "3", "2", "enter", *["enter"] * 6, "t",
                    "escape", "r", "enter", "escape", "escape", "f", "escape", "k", "escape"]
            for key in keys:
                await pilot.press(key)
                await settle(app, pilot)

    asyncio.run(walk())
    sink = io.StringIO()
    with redirect_stdout(sink), redirect_stderr(sink):
        for verb in (["stats", "--json"], ["export"], ["purge", "--dry-run"], ["demo", "--list"]):
            assert main(verb) == 0, sink.getvalue()
    """
)


INET_CONNECT = re.compile(r"connect\(\d+, \{sa_family=AF_INET6?,.*")


STRACE = ["strace", "-f", "-qq", "-e", "trace=connect", "-e", "signal=none"]


def _strace_reason() -> str | None:
    if shutil.which("strace") is None:
        return "strace is not installed (Debian: apt-get install strace)"
    probe = subprocess.run(["strace", "-qq", "-o", os.devnull, "true"], capture_output=True, timeout=30)
    if probe.returncode != 0:
        return f"strace cannot trace here: {probe.stderr.decode().strip()[:120]}"
    return None


def _connections(tmp_path: Path, **env: str) -> list[str]:
    """Every IPv4/IPv6 connect() the app's process made, as strace wrote it."""
    if reason := _strace_reason():
        pytest.skip(reason)
    environ = {
        **os.environ,
        "CONSULT_DATA_DIR": str(tmp_path / "data"),
        "PYTHONPATH": str(Path(__file__).parents[1]),
        **env,
    }
    trace = tmp_path / "trace.txt"
    done = subprocess.run(
        [*STRACE, "-o", str(trace), sys.executable, "-c", WATCHED],
        capture_output=True,
        text=True,
        env=environ,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return [m.group(0) for m in INET_CONNECT.finditer(trace.read_text())]


def test_on_its_own_database_the_app_connects_to_nothing(tmp_path: Path) -> None:
    assert _connections(tmp_path) == []


@pytest.mark.postgres
def test_a_server_named_in_the_settings_is_the_only_connection(tmp_path: Path, postgres_url: str) -> None:
    connections = _connections(tmp_path, CONSULT_DATABASE_URL=postgres_url)
    assert connections, "strace saw no connection at all: it would not have caught one either"
    host = POSTGRES_URL.split("@")[1].split("/")[0].split(":")[0]
    assert all(f'inet_addr("{host}")' in c and "htons(5432)" in c for c in connections), connections
