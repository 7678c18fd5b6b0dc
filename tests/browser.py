"""A real headless Chromium (Debian's ``chromium``) for the files meant for a browser: the
report and the minutes. Each test skips, saying why, where it is not installed."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="Chromium is not installed: the HTML is not rendered"
)


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Chromium headless in a profile of its own, its console on stderr (a page's script error
    shows there as CONSOLE), with no connection of its own to the network."""
    assert CHROMIUM is not None
    common = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--enable-logging=stderr",
        "--v=0",
    ]
    return subprocess.run([*common, *args], capture_output=True, text=True, timeout=120)
