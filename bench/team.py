"""Benchmarks for the consultation team with 100,000 generated cases; prints JSON.

Targets (issue 3, SQLite): import ≤ 20 s, export ≤ 10 s (JSON and CSV), stats ≤ 0.5 s and
within 2× of the same query in raw sqlite3, first review page ≤ 0.3 s, a filter ≤ 0.3 s,
app peak memory ≤ 300 MB with the review open.

Run: ``python -m bench.team`` (``--cases N`` for another size).
"""

from __future__ import annotations

import io
import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def generate(n: int, seed: int = 7) -> str:
    """A bundle of n fictional, anonymous cases, scored by the real rules."""
    from consult.core.instrument import DOMAIN_KEYS
    from consult.core.model import AREAS, WORKER_ORGS, Assessment, Scores
    from consult.scoring import evaluate

    rng = random.Random(seed)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    alphabet = "ACDEFGHJKMNPQRTUVWXY34679"
    codes: set[str] = set()
    cases = []
    for i in range(n):
        scores = Scores(**{k: rng.choice([None, 1, 1, 2, 2, 3, 3, 4, 5]) for k in DOMAIN_KEYS})
        context = {
            "area": rng.choice([*AREAS, None]),
            "worker_org": rng.choice(WORKER_ORGS),
            "jobseeker": True,
        }
        recommendation = evaluate(Assessment(scores=scores, context=context))
        while True:
            chars = "".join(rng.choice(alphabet) for _ in range(6))
            code = f"{chars[:3]}-{chars[3:]}"
            if code not in codes:
                codes.add(code)
                break
        created = start + timedelta(minutes=5 * i + rng.randrange(5))
        status = rng.choice(["awaiting_team", "referred_directly", "team_decided"])
        decision = None
        if status == "team_decided":
            path = recommendation.primary if rng.random() < 0.8 else rng.choice(["tym", "bilateral"])
            decision = {
                "path": path,
                "note": "",
                "decided_at": (created + timedelta(days=rng.randrange(1, 20))).date().isoformat(),
            }
        cases.append(
            {
                "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                "code": code,
                "created_at": created.isoformat(),
                "status": status,
                "context": context,
                "scores": scores.model_dump(),
                "answers": {},
                "notes": {},
                "recommendation": recommendation.model_dump(mode="json"),
                "team_decision": decision,
            }
        )
    return json.dumps({"format": "consult-cases", "version": 1, "cases": cases})


RAW_STATS = """
SELECT count(*),
  sum(recommended = 'tym'), sum(recommended = 'bilateral'), sum(recommended = 'social_services'),
  sum(recommended = 'own_service'),
  sum(need_social AND NOT need_health), sum(need_health AND NOT need_social), sum(need_social AND need_health),
  sum(NOT need_social AND NOT need_health),
  sum(flag_safety), sum(flag_urgent), sum(flag_insufficient_data), sum(flag_bring_to_team),
  sum(status = 'awaiting_team'), sum(status = 'team_decided'), sum(status = 'referred_directly'),
  sum(status = 'team_decided' AND decision_path != recommended)
FROM cases WHERE status != 'draft' AND created_at >= ? AND created_at < ?
"""
RAW_AREAS = """
SELECT coalesce(area, 'other'), recommended, count(*) FROM cases
WHERE status != 'draft' AND created_at >= ? AND created_at < ? GROUP BY 1, 2
"""
RAW_DECIDED = """
SELECT created_at, decided_at FROM cases
WHERE status != 'draft' AND created_at >= ? AND created_at < ? AND status = 'team_decided'
"""


def best(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


APP_PROBE = """
import asyncio, json, sys, time
from pathlib import Path
from consult.app import make_app
from consult.system.settings import Settings
from consult.screens.review import ReviewScreen

async def main():
    app = make_app(Settings(data_dir=Path(sys.argv[1])))
    async with app.run_test(headless=True, size=(80, 24)):
        await app.store_ready.wait()
        await app.workers.wait_for_complete()
        timings = {}
        start = time.perf_counter()
        app.simulate_key("r")
        while not (isinstance(app.screen, ReviewScreen) and app.screen.current is not None):
            await asyncio.sleep(0)
        timings["first_page_s"] = time.perf_counter() - start
        async def timed(key):
            before = app.screen.current
            start = time.perf_counter()
            app.simulate_key(key)
            deadline = start + 30
            while app.screen.current is before and time.perf_counter() < deadline:
                await asyncio.sleep(0)
            return time.perf_counter() - start

        timings["next_page_s"] = await timed("right_square_bracket")
        timings["previous_page_s"] = await timed("left_square_bracket")
        for name, key in (("filter_area_s", "a"), ("filter_recommendation_s", "p"), ("filter_flag_s", "g")):
            timings[name] = await timed(key)
        # VmHWM, not ru_maxrss: on Linux ru_maxrss survives exec, so a child started by this
        # benchmark would report the parent's peak (the generated bundle) as its own.
        status = open("/proc/self/status").read()
        timings["peak_memory_mb"] = int(status.split("VmHWM:")[1].split()[0]) / 1024
        print(json.dumps(timings))

asyncio.run(main())
"""


def main() -> None:
    n = int(sys.argv[sys.argv.index("--cases") + 1]) if "--cases" in sys.argv else 100_000
    from consult.exchange.bundle import export_csv, export_json, import_bundle, parse
    from consult.i18n import Translator
    from consult.stats import compute
    from consult.store import Store
    from consult.store.review import CaseFilter, page

    result: dict[str, object] = {"cases": n}
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        text = generate(n)
        result["generate_s"] = round(time.perf_counter() - start, 2)
        database = Path(tmp) / "consult.db"
        store = Store.open(f"sqlite:///{database}")

        start = time.perf_counter()
        bundle = parse(text, Translator("en"))
        added, _ = import_bundle(store.engine, bundle)
        result["import_s"] = round(time.perf_counter() - start, 2)
        assert added == n
        del bundle, text

        start = time.perf_counter()
        export_json(store.engine, io.StringIO())
        result["export_json_s"] = round(time.perf_counter() - start, 2)
        start = time.perf_counter()
        export_csv(store.engine, io.StringIO())
        result["export_csv_s"] = round(time.perf_counter() - start, 2)

        since, until = date(2025, 1, 1), date(2025, 12, 31)
        result["stats_s"] = round(best(lambda: compute(store.engine, since, until)), 4)
        result["stats_all_time_s"] = round(best(lambda: compute(store.engine)), 4)

        from consult.core.dates import day_start

        bounds = (
            day_start(since).strftime("%Y-%m-%d %H:%M:%S.%f"),
            day_start(until + timedelta(days=1)).strftime("%Y-%m-%d %H:%M:%S.%f"),
        )
        raw = sqlite3.connect(database)

        def raw_stats() -> None:
            raw.execute(RAW_STATS, bounds).fetchone()
            raw.execute(RAW_AREAS, bounds).fetchall()
            raw.execute(RAW_DECIDED, bounds).fetchall()

        result["stats_raw_sqlite3_s"] = round(best(raw_stats), 4)
        result["stats_ratio_to_raw"] = round(result["stats_s"] / result["stats_raw_sqlite3_s"], 2)

        result["review_first_page_query_s"] = round(best(lambda: page(store.engine, CaseFilter())), 4)
        flagged = CaseFilter(area="kuopio", primary="tym", flag="bring_to_team")
        result["review_filter_query_s"] = round(best(lambda: page(store.engine, flagged)), 4)
        raw_filter = (
            "SELECT id, code, created_at, area, worker_org, recommended, status FROM cases WHERE status != 'draft'"
            " AND area = 'kuopio' AND recommended = 'tym' AND flag_bring_to_team = 1"
            " ORDER BY created_at DESC, id DESC LIMIT 101"
        )
        result["review_filter_raw_sqlite3_s"] = round(best(lambda: raw.execute(raw_filter).fetchall()), 4)
        raw.close()
        store.close()

        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        probe = subprocess.run(
            [sys.executable, "-c", APP_PROBE, tmp], env=env, capture_output=True, text=True, timeout=300
        )
        if probe.returncode != 0:
            raise SystemExit(probe.stderr[-3000:])
        result["app"] = {k: round(v, 3) for k, v in json.loads(probe.stdout.strip().splitlines()[-1]).items()}
    result["targets"] = {
        "import_s": 20, "export_s": 10, "stats_s": 0.5, "stats_ratio_to_raw": 2,
        "first_page_s": 0.3, "filter_s": 0.3, "peak_memory_mb": 300,
    }  # fmt: skip
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
