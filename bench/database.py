"""A data folder holding n imported fictional cases, made once per size and folder by
``consult import`` itself (untimed: the benches that use it time other things)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bench.bundles import write_bundle
from bench.common import child_env


def imported(n: int, data: Path, timeout_s: float = 1800) -> Path:
    if (data / "consult.db").exists():
        return data
    data.mkdir(parents=True, exist_ok=True)
    bundle = write_bundle(data.parent / f"bundle-{n}.json", n)
    try:
        subprocess.run(
            [sys.executable, "-m", "consult", "import", str(bundle)],
            env=child_env({"CONSULT_DATA_DIR": str(data)}),
            check=True,
            capture_output=True,
            timeout=timeout_s,
        )
    finally:
        bundle.unlink()
    return data
