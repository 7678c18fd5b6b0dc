"""`consult report` on 100,000 generated cases with outcomes; prints JSON.

Target (issue 11): the report, XLSX or HTML, as a process, ≤ 5 s.

Run: ``python -m bench.report`` (``--cases N`` for another size).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from bench.team import generate

TARGET_S = 5.0
REASONS = ("client_declined", "no_capacity", "not_eligible", "other")


def with_outcomes(bundle: str, seed: int = 11) -> str:
    """The team bench's bundle as version 2: a route for each case and, for two in three, an
    outcome some days after saving."""
    rng = random.Random(seed)
    data = json.loads(bundle)
    for case in data["cases"]:
        status = case["status"]
        case["route"] = {"awaiting_team": "to_team", "referred_directly": "direct"}.get(
            status, rng.choice(["to_team", "direct"])
        )
        roll = rng.random()
        # A day well after saving whatever the time zone: no outcome falls before its case.
        day = datetime.fromisoformat(case["created_at"]).date() + timedelta(days=1 + rng.randrange(90))
        if roll < 0.5:
            path = case["recommendation"]["primary"]
            case["outcome"] = {
                "started": True,
                "path": path,
                "on": day.isoformat(),
                "reason": None,
                "note": "",
            }
        elif roll < 0.67:
            reason = rng.choice(REASONS)
            case["outcome"] = {
                "started": False,
                "path": None,
                "on": day.isoformat(),
                "reason": reason,
                "note": "",
            }
        else:
            case["outcome"] = None
    data["version"] = 2
    return json.dumps(data)


def consult(data_dir: Path, *args: str) -> float:
    env = {**os.environ, "CONSULT_DATA_DIR": str(data_dir)}
    env.pop("CONSULT_DATABASE_URL", None)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "consult", *args], env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="consult-bench-report-") as folder:
        root = Path(folder)
        bundle = root / "bundle.json"
        bundle.write_text(with_outcomes(generate(args.cases)), "utf-8")
        data = root / "data"
        import_s = consult(data, "import", str(bundle))
        results: dict[str, object] = {"cases": args.cases, "import_s": round(import_s, 2)}
        for kind in ("xlsx", "html"):
            times = [
                consult(data, "report", "--output", str(root / f"report.{kind}")) for _ in range(args.repeat)
            ]
            results[f"report_{kind}_s"] = round(min(times), 2)
            results[f"report_{kind}_bytes"] = (root / f"report.{kind}").stat().st_size
        year = date(2025, 1, 1)
        times = [
            consult(
                data,
                "report",
                "--since",
                year.isoformat(),
                "--until",
                "2025-06-30",
                "--output",
                str(root / "half.xlsx"),
            )
            for _ in range(args.repeat)
        ]
        results["report_half_year_xlsx_s"] = round(min(times), 2)
        results["target_s"] = TARGET_S
        results["within_target"] = all(
            results[k] <= TARGET_S for k in ("report_xlsx_s", "report_html_s", "report_half_year_xlsx_s")
        )
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
