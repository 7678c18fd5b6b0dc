"""`consult stats --json` as a process at 100,000 cases against a raw sqlite3 script that does
the same version-2 aggregates and prints JSON (best of five, wall and CPU time). Two thirds of
the cases are given an outcome, so every query has rows to count.

Target (issue 11): consult ≤ 1.5× the raw script. A verb that only reads a current database
imports neither Alembic, SQLAlchemy nor pydantic (see consult.system.database_file and consult.stats.sqlite).

Run: ``python -m bench.stats`` (20,000 cases) or ``--full`` (100,000, the issue's figure);
``--cases N`` for another size.
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.bundles import write_bundle

ROOT = Path(__file__).resolve().parents[1]

# The version-2 figures (product.md) the shortest way a script would: the same five scans
# (counts, areas, and day histograms for decisions, starts and pending cases), medians and
# pending ages in Python, no package of the project's.
RAW = """
import json, sqlite3, sys
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo
db = sqlite3.connect(sys.argv[1])
where = "status != 'draft'"
route = ("coalesce(route, CASE WHEN status = 'referred_directly' THEN 'direct' "
         "WHEN status IN ('awaiting_team', 'team_decided') THEN 'to_team' END)")
primaries = ["tym", "bilateral", "social_services", "own_service"]
reasons = ["client_declined", "no_capacity", "not_eligible", "other"]
counts = [f"recommended = '{p}'" for p in primaries] + [
    "need_social IS 1 AND need_health IS NOT 1", "need_health IS 1 AND need_social IS NOT 1",
    "need_social IS 1 AND need_health IS 1", "need_social IS NOT 1 AND need_health IS NOT 1",
    "flag_safety IS 1", "flag_urgent IS 1", "flag_insufficient_data IS 1", "flag_bring_to_team IS 1",
    "status = 'awaiting_team'", "status = 'team_decided'",
    "status = 'team_decided' AND decision_path != recommended",
    f"{route} = 'to_team'", f"{route} = 'direct'",
    "outcome_started IS NULL", "outcome_started IS 1", "outcome_started IS 0",
] + [f"outcome_started IS 1 AND outcome_path = '{p}'" for p in primaries] + [
    f"outcome_started IS 0 AND outcome_reason = '{r}'" for r in reasons]
row = db.execute("SELECT count(*), " + ", ".join(f"coalesce(sum(CASE WHEN {c} THEN 1 ELSE 0 END), 0)" for c in counts)
                 + f" FROM cases WHERE {where}").fetchone()
areas = db.execute(f"SELECT coalesce(area, 'unknown'), recommended, count(*) FROM cases WHERE {where} GROUP BY 1, 2").fetchall()
def median(histogram):
    values = sorted(v for v, n in histogram for _ in range(n))
    if not values:
        return None
    half = len(values) // 2
    return float(values[half]) if len(values) % 2 else (values[half - 1] + values[half]) / 2
days = "CAST(julianday({}) - julianday(created_day) AS INTEGER)"
decided = db.execute(f"SELECT {days.format('decided_at')}, count(*) FROM cases WHERE {where}"
                     " AND status = 'team_decided' AND decided_at IS NOT NULL GROUP BY 1").fetchall()
started = db.execute(f"SELECT outcome_path, {days.format('outcome_on')}, count(*) FROM cases WHERE {where}"
                     " AND outcome_started IS 1 GROUP BY 1, 2").fetchall()
today = datetime.now(timezone.utc).astimezone(ZoneInfo("Europe/Helsinki")).date()
ages = {"0_14": 0, "15_30": 0, "31_60": 0, "over_60": 0}
for day, n in db.execute(f"SELECT created_day, count(*) FROM cases WHERE {where} AND outcome_started IS NULL GROUP BY 1"):
    waited = (today - date.fromisoformat(day)).days
    ages["0_14" if waited <= 14 else "15_30" if waited <= 30 else "31_60" if waited <= 60 else "over_60"] += n
print(json.dumps({
    "totals": row, "areas": areas, "median_days_to_decision": median(decided),
    "median_days_to_start": median([(v, n) for _, v, n in started]),
    "median_days_to_start_by_path": {p: median([(v, n) for q, v, n in started if q == p]) for p in primaries},
    "pending_by_age": ages,
}, indent=2))
"""


def timed(args: list[str], env: dict[str, str], repeat: int = 5) -> tuple[float, float]:
    """Best wall and best CPU (user + system) time of ``repeat`` runs of one process."""
    walls, cpus = [], []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=300)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if done.returncode != 0:
            raise SystemExit(done.stderr[-2000:])
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return min(walls), min(cpus)


def _give_outcomes(path: Path) -> None:
    """A third of the cases started and a third not, days after their saving: the benchmark's
    bundle is version 1 (no outcomes), which would leave the outcome queries nothing to count.
    Straight into the columns the figures read; the outcome history is not what is measured."""
    import sqlite3

    with contextlib.closing(sqlite3.connect(path)) as db, db:
        db.execute(
            "UPDATE cases SET outcome_started = 1, outcome_path = recommended,"
            " outcome_on = date(created_day, '+' || (rowid % 40) || ' days') WHERE rowid % 3 = 0"
        )
        db.execute(
            "UPDATE cases SET outcome_started = 0, outcome_reason = 'no_capacity',"
            " outcome_on = date(created_day, '+' || (rowid % 30) || ' days') WHERE rowid % 3 = 1"
        )


def main() -> None:
    n = 100_000 if "--full" in sys.argv else 20_000
    if "--cases" in sys.argv:
        n = int(sys.argv[sys.argv.index("--cases") + 1])
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        env = {**os.environ, "PYTHONPATH": str(ROOT), "CONSULT_DATA_DIR": str(folder / "data")}
        env.pop("CONSULT_DATABASE_URL", None)
        bundle = write_bundle(folder / "bundle.json", n)
        subprocess.run(
            [sys.executable, "-m", "consult", "import", str(bundle)],
            env=env,
            check=True,
            timeout=1800,
            capture_output=True,
        )
        bundle.unlink()
        _give_outcomes(folder / "data" / "consult.db")
        consult_wall, consult_cpu = timed([sys.executable, "-m", "consult", "stats", "--json"], env)
        raw_wall, raw_cpu = timed([sys.executable, "-c", RAW, str(folder / "data" / "consult.db")], env)
    print(
        json.dumps(
            {
                "cases": n,
                "consult_stats_s": round(consult_wall, 3),
                "raw_sqlite3_s": round(raw_wall, 3),
                "ratio_to_raw": round(consult_wall / raw_wall, 2),
                "consult_stats_cpu_s": round(consult_cpu, 3),
                "raw_sqlite3_cpu_s": round(raw_cpu, 3),
                "cpu_ratio_to_raw": round(consult_cpu / raw_cpu, 2),
                "target_ratio": 1.5,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
