"""Every bench, one after another, each a process of its own with a deadline: ``python -m
bench`` at the small sizes (minutes), ``python -m bench --full`` at 100,000 and 300,000 cases.
Each bench prints its own JSON; a bench that fails or overruns is named at the end, and the
others still run."""

from __future__ import annotations

import json
import subprocess
import sys

from bench.common import child_env

BENCHES = ("score", "import", "export", "stats", "team", "walk", "rules", "meetings")
DEADLINE_S = {"small": 900, "full": 5400}


def main(argv: list[str]) -> int:
    full = "--full" in argv
    failed: dict[str, str] = {}
    for name in BENCHES:
        args = ["--full"] if full else (["--quick"] if name in ("walk", "rules") else [])
        try:
            done = subprocess.run(
                [sys.executable, "-m", f"bench.{name}", *args],
                env=child_env(),
                timeout=DEADLINE_S["full" if full else "small"],
                capture_output=True,
                text=True,
            )
        except subprocess.TimeoutExpired:
            failed[name] = "deadline"
            continue
        print(done.stdout, end="", flush=True)
        if done.returncode != 0:
            failed[name] = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "failed"
    print(json.dumps({"benches": list(BENCHES), "failed": failed}, indent=2))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
