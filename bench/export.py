"""``consult export`` as a process, JSON and the spreadsheet CSV, each beside a plain
``sqlite3`` script doing the same work; interleaved, repeated; prints JSON.

- JSON: the baseline writes the same bundle of version 3 (same cases, keys and order, the
  newest decision and outcome of each and its services, read a page at a time as consult does;
  the meetings after the cases): the two files are compared and ``same_output`` says whether
  they are identical byte for byte.
- CSV: consult's spreadsheet export (in the reader's words) beside a plain ``csv`` writer of the
  same rows and columns as stored (no words: what a script would do); ``same_rows`` compares
  the number of lines.

Targets (issue 22, 100,000 cases): CSV ≤ 2×, JSON ≤ 1.5× the baselines, peak memory flat
(growth factor from the small to the large size near 1).

Run: ``python -m bench.export`` (5,000 and 20,000 cases) or ``--full`` (100,000 and 300,000).
"""

from __future__ import annotations

import hashlib
import sys
import tempfile
from pathlib import Path

from bench.common import Process, growth, interleave, load, ratio, repeats, report, sizes
from bench.database import imported

TARGETS = {"csv_ratio": 2.0, "json_ratio": 1.5}

# The bundle as consult writes it, straight from the tables.
RAW_JSON = r"""
import json, sqlite3, sys
from datetime import datetime, timezone
DOMAINS = ("affairs", "services", "housing", "employment", "finances", "health", "relations")
QUESTIONS = ("q_bilateral", "q_other_first", "q_multi_support", "q_coordination", "q_joint_plan")
ROUTES = {"referred_directly": "direct", "awaiting_team": "to_team", "team_decided": "to_team"}
db = sqlite3.connect(sys.argv[1])
db.row_factory = sqlite3.Row
def moment(text):
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc).isoformat()
def flag(value):
    return None if value is None else bool(value)
def newest(table, ids, shape):
    found = {}
    for start in range(0, len(ids), 500):
        part = ids[start:start + 500]
        rows = db.execute(f"SELECT * FROM {table} WHERE case_id IN ({','.join('?' * len(part))}) ORDER BY id", part)
        for e in rows:
            found[e["case_id"]] = shape(e)
    return found
out = open(sys.argv[2], "w", encoding="utf-8")
def services(ids):
    found = {}
    marks = ",".join("?" * len(ids))
    for e in db.execute(f"SELECT * FROM case_tried_services WHERE case_id IN ({marks}) ORDER BY case_id, position", ids):
        found.setdefault(e["case_id"], {"tried": [], "missing": []})["tried"].append(
            {"service": e["service"], "text": e["text"], "result": e["result"]})
    for e in db.execute(f"SELECT * FROM case_missing_services WHERE case_id IN ({marks}) ORDER BY case_id, position", ids):
        found.setdefault(e["case_id"], {"tried": [], "missing": []})["missing"].append(
            {"service": e["service"], "text": e["text"], "domain": e["domain"], "reason": e["reason"]})
    return found
meeting_ids = [m["id"] for m in db.execute("SELECT id FROM meetings ORDER BY held_on, id")]
out.write('{"format": "consult-cases", "version": 3, "cases": [')
count, after = 0, None
while True:
    if after is None:
        rows = db.execute("SELECT * FROM cases WHERE status != 'draft' ORDER BY created_at, id LIMIT 2000").fetchall()
    else:
        rows = db.execute("SELECT * FROM cases WHERE status != 'draft' AND (created_at, id) > (?, ?)"
                          " ORDER BY created_at, id LIMIT 2000", after).fetchall()
    if not rows:
        break
    decided = newest("team_decisions", [r["id"] for r in rows if r["status"] == "team_decided"],
                     lambda e: {"path": e["path"], "note": e["note"], "decided_at": e["decided_at"],
                                "meeting_id": e["meeting_id"]})
    outcomes = newest("outcomes", [r["id"] for r in rows if r["outcome_started"] is not None],
                      lambda e: {"started": bool(e["started"]), "path": e["path"], "on": e["started_on"],
                                 "reason": e["reason"], "note": e["note"]})
    recorded = services([r["id"] for r in rows])
    for r in rows:
        case = {
            "id": r["id"], "code": r["code"], "created_at": moment(r["created_at"]), "status": r["status"],
            "route": r["route"] or ROUTES.get(r["status"]),
            "context": {"area": r["area"], "worker_org": r["worker_org"], "age_band": r["age_band"],
                        "jobseeker": flag(r["jobseeker"])},
            "scores": {k: r[k] for k in DOMAINS}, "answers": {k: r[k] for k in QUESTIONS},
            "notes": json.loads(r["notes"]) if r["notes"] else {},
            "recommendation": json.loads(r["recommendation"]) if r["recommendation"] else None,
            "team_decision": decided.get(r["id"]), "outcome": outcomes.get(r["id"]),
            "services": recorded.get(r["id"]) or {"tried": [], "missing": []},
        }
        out.write(",\n" if count else "\n")
        out.write(json.dumps(case, ensure_ascii=False))
        count += 1
    after = (rows[-1]["created_at"], rows[-1]["id"])
out.write('\n], "meetings": [')
travelling = set(meeting_ids)
for n, m in enumerate(db.execute("SELECT * FROM meetings WHERE id = ?", (i,)).fetchone() for i in meeting_ids):
    closed = m["status"] == "closed"
    items = db.execute("SELECT * FROM meeting_items WHERE meeting_id = ? ORDER BY position", (m["id"],))
    actions = db.execute("SELECT * FROM meeting_actions WHERE meeting_id = ? ORDER BY added_at, id", (m["id"],))
    meeting = {
        "id": m["id"], "area": m["area"], "on": m["held_on"], "status": m["status"],
        "convener_org": m["convener_org"], "present": json.loads(m["present"]),
        "apologies": json.loads(m["apologies"]), "note": m["note"],
        "items": [{"case_id": i["case_id"], "position": p, "result": i["result"] if closed else None}
                  for p, i in enumerate(items, start=1)],
        "actions": [{"id": a["id"], "case_id": a["case_id"], "owner_org": a["owner_org"],
                     "owner_role": a["owner_role"], "what": a["what"], "due": a["due"], "status": a["status"],
                     "closed_on": a["closed_on"],
                     "closed_in": a["closed_in"] if a["closed_in"] in travelling else None,
                     "by": a["created_by"]} for a in actions],
    }
    out.write(",\n" if n else "\n")
    out.write(json.dumps(meeting, ensure_ascii=False))
out.write("\n]}\n")
out.close()
"""

# The same rows and columns as plain csv, values as stored.
RAW_CSV = r"""
import csv, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
out = open(sys.argv[2], "w", encoding="utf-8", newline="")
out.write("\ufeff")
writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
query = db.execute("SELECT * FROM cases WHERE status != 'draft' ORDER BY created_at, id")
writer.writerow([d[0] for d in query.description])
writer.writerows(query)
out.close()
"""


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _lines(path: Path) -> int:
    with path.open("rb") as f:
        return sum(1 for _ in f)


def measure(n: int, folder: Path, repeat: int) -> dict[str, object]:
    data = imported(n, folder / f"data-{n}")
    database = str(data / "consult.db")
    env = {"CONSULT_DATA_DIR": str(data)}
    outs = {name: folder / f"{name}-{n}" for name in ("consult.json", "raw.json", "consult.csv", "raw.csv")}
    contenders = {
        "consult_json": Process(["-m", "consult", "export", "--format", "json", "--output", str(outs["consult.json"])], env),
        "raw_json": Process(["-c", RAW_JSON, database, str(outs["raw.json"])], env),
        "consult_csv": Process(["-m", "consult", "export", "--format", "csv", "--output", str(outs["consult.csv"])], env),
        "raw_csv": Process(["-c", RAW_CSV, database, str(outs["raw.csv"])], env),
    }  # fmt: skip
    figures, cut = interleave(contenders, repeat, deadline_s=600)
    result: dict[str, object] = {"cases": n, "deadline_cut": cut}
    result.update({name: figure.summary() for name, figure in figures.items()})
    result["json_ratio"] = ratio(figures["consult_json"].median, figures["raw_json"].median)
    result["csv_ratio"] = ratio(figures["consult_csv"].median, figures["raw_csv"].median)
    result["json_same_output"] = _digest(outs["consult.json"]) == _digest(outs["raw.json"])
    result["csv_same_rows"] = _lines(outs["consult.csv"]) == _lines(outs["raw.csv"])
    for path in outs.values():
        path.unlink()
    return result


def main(argv: list[str]) -> None:
    started = load()
    runs = []
    with tempfile.TemporaryDirectory(prefix="consult-bench-export-") as folder:
        ns = sizes(argv, [5_000, 20_000], [100_000, 300_000])
        for n in ns:
            runs.append(measure(n, Path(folder), repeats(argv, 3, 5)))
    body: dict[str, object] = {"runs": runs, "targets": TARGETS}
    checks = {
        f"{key}@{run['cases']}": run[key] is not None and run[key] <= limit  # type: ignore[operator]
        for run in runs
        for key, limit in TARGETS.items()
    }
    checks.update({f"json_same_output@{run['cases']}": bool(run["json_same_output"]) for run in runs})
    if len(runs) > 1:
        small, large = runs[0], runs[-1]
        body["growth"] = {
            kind: {
                "time": growth(
                    small[kind]["median_s"], large[kind]["median_s"], small["cases"], large["cases"]
                ),  # type: ignore[index]
                "peak_memory": growth(
                    small[kind]["peak_mib"], large[kind]["peak_mib"], small["cases"], large["cases"]
                ),  # type: ignore[index]
            }
            for kind in ("consult_json", "consult_csv")
        }
    report("export", body, checks, started)


if __name__ == "__main__":
    main(sys.argv[1:])
