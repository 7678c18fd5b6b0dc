"""`consult stats --json` as a process at 100,000 cases against a raw sqlite3 script that does
the same aggregates and prints JSON; prints JSON (best of five, wall and CPU time).

Target (issue 11): consult ≤ 1.5× the raw script. A verb that only reads a current database
imports neither Alembic nor SQLAlchemy (see consult.dbfile and stats.compute_sqlite).

Run: ``python -m bench.stats`` (20,000 cases) or ``--full`` (100,000, the issue's figure);
``--cases N`` for another size.
"""

from __future__ import annotations

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

RAW = """
import json, sqlite3, statistics, sys
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo
db = sqlite3.connect(sys.argv[1])
where = "status != 'draft'"
counts = ["recommended = 'tym'", "recommended = 'bilateral'", "recommended = 'social_services'",
          "recommended = 'own_service'", "need_social AND NOT need_health", "need_health AND NOT need_social",
          "need_social AND need_health", "NOT need_social AND NOT need_health", "flag_safety", "flag_urgent",
          "flag_insufficient_data", "flag_bring_to_team", "status = 'awaiting_team'", "status = 'team_decided'",
          "status = 'referred_directly'", "status = 'team_decided' AND decision_path != recommended"]
row = db.execute("SELECT count(*), " + ", ".join(f"sum({c})" for c in counts) + f" FROM cases WHERE {where}").fetchone()
areas = db.execute(f"SELECT coalesce(area, 'other'), recommended, count(*) FROM cases WHERE {where} GROUP BY 1, 2").fetchall()
helsinki = ZoneInfo("Europe/Helsinki")
days = [(date.fromisoformat(d) - datetime.fromisoformat(c).replace(tzinfo=timezone.utc).astimezone(helsinki).date()).days
        for c, d in db.execute(f"SELECT created_at, decided_at FROM cases WHERE {where} AND status = 'team_decided' AND decided_at IS NOT NULL")]
print(json.dumps({"totals": row, "areas": areas, "median": statistics.median(days) if days else None}, indent=2))
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
