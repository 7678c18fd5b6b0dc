"""`consult import` at 100,000 and 300,000 cases against a raw `json` + `sqlite3` insert of the
same rows; prints JSON (time, peak memory, ratio).

Targets (issue 10): peak memory ≤ 250 MB at both sizes (flat as the bundle grows) and time
≤ 1.3× the raw insert. Each run is a process of its own, timed whole (start-up included), its
peak memory read from /proc (VmHWM) at its end.

Run: ``python -m bench.import`` (20,000 cases, under a minute) or ``--full`` (100,000 and
300,000: several minutes, the issue's figures).
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

_PEAK = "print(int(open('/proc/self/status').read().split('VmHWM:')[1].split()[0]) // 1024, file=sys.stderr)"

CONSULT = f"""
import sys
from consult.cli import main
status = main(["import", sys.argv[1]])
{_PEAK}
sys.exit(status)
"""

# What a careful script would do without consult: load the file, insert the same columns in one
# transaction. It checks nothing and keeps the whole bundle in memory.
RAW = f"""
import json, sqlite3, sys
from datetime import datetime, timezone
bundle = json.load(open(sys.argv[1], encoding="utf-8"))
db = sqlite3.connect(sys.argv[2], isolation_level=None)
db.execute("PRAGMA journal_mode=WAL"); db.execute("PRAGMA synchronous=NORMAL")
DOMAINS = ("affairs", "services", "housing", "employment", "finances", "health", "relations")
QUESTIONS = ("q_bilateral", "q_other_first", "q_multi_support", "q_coordination", "q_joint_plan")
FLAGS = ("safety", "urgent", "insufficient_data", "bring_to_team")
columns = ["id", "code", "created_at", "updated_at", "status", "step", "area", "worker_org", "age_band",
           "jobseeker", *DOMAINS, *QUESTIONS, "notes", "recommendation", "recommended", "need_social",
           "need_health", *(f"flag_{{f}}" for f in FLAGS), "rules_version", "decision_path", "decided_at"]
insert = f"INSERT INTO cases ({{', '.join(columns)}}) VALUES ({{', '.join('?' * len(columns))}})"
decision_insert = "INSERT INTO team_decisions (case_id, path, note, decided_at, recorded_at) VALUES (?, ?, ?, ?, ?)"
rows, decisions = [], []
for c in bundle["cases"]:
    created = datetime.fromisoformat(c["created_at"]).astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")
    r, d, x = c["recommendation"], c["team_decision"], c["context"]
    rows.append((c["id"], c["code"], created, created, c["status"], 0, x.get("area"), x.get("worker_org"),
                 x.get("age_band"), x.get("jobseeker"), *(c["scores"].get(k) for k in DOMAINS),
                 *(c["answers"].get(k) for k in QUESTIONS), json.dumps(c["notes"]), json.dumps(r),
                 r["primary"], "social" in r["needs"], "health" in r["needs"], *(f in r["flags"] for f in FLAGS),
                 r["rules_version"], d["path"] if d else None, d["decided_at"] if d else None))
    if d:
        decisions.append((c["id"], d["path"], d["note"], d["decided_at"], created))
db.execute("BEGIN")
db.executemany(insert, rows)
db.executemany(decision_insert, decisions)
db.execute("COMMIT")
{_PEAK}
"""


def run(args: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """Wall time, CPU time (user + system: what load from other processes does not inflate)
    and peak memory in MB of one process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=1800)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{args[:3]} failed: {done.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu, int(done.stderr.strip().splitlines()[-1])


def measure(n: int, folder: Path) -> dict[str, object]:
    bundle = write_bundle(folder / f"bundle-{n}.json", n)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CONSULT_LANG": "en"}
    env.pop("CONSULT_DATABASE_URL", None)

    # The raw script gets the same empty schema consult makes for itself.
    schema = folder / f"schema-{n}"
    subprocess.run(
        [sys.executable, "-c", "import sys; from consult.store import Store; Store.open(sys.argv[1]).close()",
         f"sqlite:///{schema / 'consult.db'}"],
        env=env, check=True, timeout=120,
    )  # fmt: skip
    raw_db = schema / "consult.db"
    raw_s, raw_cpu, raw_mb = run([sys.executable, "-c", RAW, str(bundle), str(raw_db)], env)

    data = folder / f"data-{n}"
    consult_s, consult_cpu, consult_mb = run(
        [sys.executable, "-c", CONSULT, str(bundle)], {**env, "CONSULT_DATA_DIR": str(data)}
    )
    size_mb = bundle.stat().st_size / 2**20
    for path in (bundle, raw_db):
        path.unlink()
    return {
        "cases": n,
        "bundle_mb": round(size_mb, 1),
        "import_s": round(consult_s, 2),
        "import_peak_mb": consult_mb,
        "raw_json_sqlite3_s": round(raw_s, 2),
        "raw_peak_mb": raw_mb,
        "ratio_to_raw": round(consult_s / raw_s, 2),
        "import_cpu_s": round(consult_cpu, 2),
        "raw_cpu_s": round(raw_cpu, 2),
        "cpu_ratio_to_raw": round(consult_cpu / raw_cpu, 2),
    }


def main() -> None:
    sizes = [100_000, 300_000] if "--full" in sys.argv else [20_000]
    with tempfile.TemporaryDirectory() as tmp:
        results = [measure(n, Path(tmp)) for n in sizes]
    print(json.dumps({"runs": results, "targets": {"import_peak_mb": 250, "ratio_to_raw": 1.3}}, indent=2))


if __name__ == "__main__":
    main()
