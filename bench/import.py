"""`consult import` as a process beside a plain ``json`` + ``sqlite3`` script inserting the same
rows into the same columns (and the decisions into their table), each into a fresh copy of the
same empty schema made before the clock starts; interleaved, repeated; prints JSON.

Targets (issue 22): time ≤ 1.3× the plain script at 100,000 cases; peak memory ≤ 150 MiB at
every size and flat (the growth factor of the peak from the small size to the large near 1).

Run: ``python -m bench.import`` (5,000 and 20,000 cases) or ``--full`` (100,000 and 300,000);
``--cases N`` for one size.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.bundles import write_bundle
from bench.common import Process, child_env, growth, interleave, load, ratio, repeats, report, sizes

TARGETS = {"ratio": 1.3, "peak_mib": 150}

RAW = """
import json, sqlite3, sys
from datetime import datetime, timezone
from zoneinfo import ZoneInfo
HELSINKI = ZoneInfo("Europe/Helsinki")
ROUTES = {"referred_directly": "direct", "awaiting_team": "to_team", "team_decided": "to_team"}
bundle = json.load(open(sys.argv[1], encoding="utf-8"))
db = sqlite3.connect(sys.argv[2], isolation_level=None)
db.execute("PRAGMA journal_mode=WAL"); db.execute("PRAGMA synchronous=NORMAL")
DOMAINS = ("affairs", "services", "housing", "employment", "finances", "health", "relations")
QUESTIONS = ("q_bilateral", "q_other_first", "q_multi_support", "q_coordination", "q_joint_plan")
FLAGS = ("safety", "urgent", "insufficient_data", "bring_to_team")
columns = ["id", "code", "created_at", "created_day", "updated_at", "status", "route", "step", "area", "worker_org", "age_band",
           "jobseeker", *DOMAINS, *QUESTIONS, "notes", "recommendation", "recommended", "need_social",
           "need_health", *(f"flag_{f}" for f in FLAGS), "rules_version", "decision_path", "decided_at"]
insert = f"INSERT INTO cases ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
decision_insert = "INSERT INTO team_decisions (case_id, path, note, decided_at, recorded_at) VALUES (?, ?, ?, ?, ?)"
rows, decisions = [], []
for c in bundle["cases"]:
    moment = datetime.fromisoformat(c["created_at"])
    created = moment.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")
    day = moment.astimezone(HELSINKI).date().isoformat()
    r, d, x = c["recommendation"], c["team_decision"], c["context"]
    rows.append((c["id"], c["code"], created, day, created, c["status"], c.get("route") or ROUTES.get(c["status"]), 0, x.get("area"), x.get("worker_org"),
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
"""


def measure(n: int, folder: Path, repeat: int) -> dict[str, object]:
    bundle = write_bundle(folder / f"bundle-{n}.json", n)
    schema = folder / "schema" / "consult.db"
    if not schema.exists():  # the empty database both sides start from, made once
        subprocess.run(
            [sys.executable, "-c", "import sys; from consult.store import Store; Store.open(sys.argv[1]).close()",
             f"sqlite:///{schema}"],
            env=child_env(), check=True, timeout=120,
        )  # fmt: skip
    consult_data, raw_data = folder / "consult-data", folder / "raw-data"

    def fresh(target: Path) -> None:
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(mode=0o700)
        shutil.copy(schema, target / "consult.db")

    consult = Process(
        ["-m", "consult", "import", str(bundle)],
        {"CONSULT_DATA_DIR": str(consult_data)},
        before=lambda: fresh(consult_data),
        timeout_s=1800,
    )
    raw = Process(
        ["-c", RAW, str(bundle), str(raw_data / "consult.db")], before=lambda: fresh(raw_data), timeout_s=1800
    )
    figures, cut = interleave({"consult_import": consult, "raw_json_sqlite3": raw}, repeat, deadline_s=900)
    size_mb = bundle.stat().st_size / 2**20
    bundle.unlink()
    return {
        "cases": n,
        "bundle_mib": round(size_mb, 1),
        "deadline_cut": cut,
        "consult_import": figures["consult_import"].summary(),
        "raw_json_sqlite3": figures["raw_json_sqlite3"].summary(),
        "ratio": ratio(figures["consult_import"].median, figures["raw_json_sqlite3"].median),
        "cpu_ratio": ratio(figures["consult_import"].cpu_median, figures["raw_json_sqlite3"].cpu_median),
    }


def main(argv: list[str]) -> None:
    started = load()
    with tempfile.TemporaryDirectory(prefix="consult-bench-import-") as tmp:
        runs = [
            measure(n, Path(tmp), repeats(argv, 3, 3))
            for n in sizes(argv, [5_000, 20_000], [100_000, 300_000])
        ]
    body: dict[str, object] = {"runs": runs, "targets": TARGETS}
    checks: dict[str, bool] = {}
    for run in runs:
        peak = run["consult_import"]["peak_mib"]  # type: ignore[index]
        checks[f"peak_mib@{run['cases']}"] = peak <= TARGETS["peak_mib"]
        if run["cases"] >= 100_000:  # below, start-up outweighs the rows
            checks[f"ratio@{run['cases']}"] = run["ratio"] is not None and run["ratio"] <= TARGETS["ratio"]  # type: ignore[operator]
    if len(runs) > 1:
        small, large = runs[0], runs[-1]
        body["growth"] = {
            "time": growth(
                small["consult_import"]["median_s"],
                large["consult_import"]["median_s"],
                small["cases"],
                large["cases"],
            ),  # type: ignore[index]
            "peak_memory": growth(
                small["consult_import"]["peak_mib"],
                large["consult_import"]["peak_mib"],
                small["cases"],
                large["cases"],
            ),  # type: ignore[index]
        }
    report("import", body, checks, started)


if __name__ == "__main__":
    main(sys.argv[1:])
