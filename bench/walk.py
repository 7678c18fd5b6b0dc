"""Benchmarks for the caseworker's walk; prints JSON.

- scoring: assessments per second in one process (target ≥ 50,000);
- start-up: process start to home screen ready, headless, beside a minimal Textual app
  measured in the same run (target ≤ 1.5×);
- walk: median time of a whole headless walk with save, driven with ``app.simulate_key``
  (target ≤ 0.5 s).

Run: ``python -m bench.walk`` (add ``--quick`` for fewer repetitions).
"""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import MINIMAL_APP, load, report, until

ROOT = Path(__file__).resolve().parents[1]
DEADLINE_S = 30.0  # for any one key: a bench never hangs


CONSULT_APP = """
from consult.cli import load_settings
from consult.app import ConsultApp
from consult.store import Store

class Bench(ConsultApp):
    def on_ready(self):
        self.exit()

settings = load_settings()
Bench(settings, Store(settings.resolved_database_url), Store(settings.training_database_url)).run(headless=True)
"""

CONSULT_STORE_READY = """
from consult.cli import load_settings
from consult.app import ConsultApp
from consult.store import Store

class Bench(ConsultApp):
    def _store_opened(self, error):
        super()._store_opened(error)
        self.exit()

settings = load_settings()
Bench(settings, Store(settings.resolved_database_url), Store(settings.training_database_url)).run(headless=True)
"""


def bench_scoring(n: int) -> dict:
    from consult.core.instrument import DOMAIN_KEYS, QUESTION_KEYS
    from consult.core.model import Assessment
    from consult.scoring import evaluate

    rng = random.Random(2025)

    def raw() -> dict:
        return {
            "scores": {k: rng.choice([None, 1, 2, 3, 4, 5]) for k in DOMAIN_KEYS},
            "answers": {k: rng.choice(["yes", "no", "unsure"]) for k in QUESTION_KEYS if rng.random() < 0.4},
            "context": {"jobseeker": rng.choice([True, False, None])},
        }

    inputs = [raw() for _ in range(n)]
    assessments = [Assessment.model_validate(i) for i in inputs]
    rules_only, end_to_end = [], []
    for _ in range(3):  # three passes: the first also warms caches and the allocator
        start = time.perf_counter()
        for a in assessments:
            evaluate(a)
        rules_only.append(time.perf_counter() - start)
        start = time.perf_counter()
        for i in inputs:
            evaluate(Assessment.model_validate(i)).model_dump(mode="json")
        end_to_end.append(time.perf_counter() - start)
    return {
        "assessments": n,
        "passes": 3,
        "per_second": round(n / min(rules_only)),
        "per_second_median_pass": round(n / statistics.median(rules_only)),
        "per_second_with_validation_and_json": round(n / min(end_to_end)),
        "target_per_second": 50_000,
    }


def _timed_process(script: str, env: dict) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", script], env=env, check=True, capture_output=True, timeout=DEADLINE_S
    )
    return time.perf_counter() - start


def bench_startup(repeat: int) -> dict:
    minimal, home, store = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "CONSULT_DATA_DIR": tmp, "PYTHONPATH": str(ROOT)}
        _timed_process(CONSULT_STORE_READY, env)  # creates the database, as a first start would
        for _ in range(repeat):  # interleaved, so machine noise hits all three alike
            minimal.append(_timed_process(MINIMAL_APP, env))
            home.append(_timed_process(CONSULT_APP, env))
            store.append(_timed_process(CONSULT_STORE_READY, env))
    m, h = statistics.median(minimal), statistics.median(home)
    return {
        "repeat": repeat,
        "minimal_textual_app_s": round(m, 3),
        "start_to_home_s": round(h, 3),
        "start_to_home_ratio": round(h / m, 2),
        "start_to_store_ready_s": round(statistics.median(store), 3),
        "target_ratio": 1.5,
    }


def _busy(app) -> bool:
    """A worker still running or the draft still being saved: the screen has not yet taken
    the key before (as tests/screens/helpers.py waits)."""
    from textual.worker import WorkerState

    running = (WorkerState.PENDING, WorkerState.RUNNING)
    return app.draft_saving or any(worker.state in running for worker in app.workers)


async def _walk_once(app, pilot, keys: list[str]) -> float:
    from consult.screens.home import HomeScreen
    from consult.screens.result import ResultScreen

    start = time.perf_counter()
    for number, key in enumerate(keys):
        before = app.walk_step
        if key == "t":
            # The result counts a save key only if it was pressed after the screen was mounted
            # (FreshKeys in screens/base.py drops keys typed ahead). The step number and the
            # screen stack change before the mount completes, and no worker is running in
            # between: so wait for the mount, then for the app to be idle, as the screen tests'
            # ``press``/``settle`` do; pressed earlier, the key was dropped and nothing saved.
            await until(
                lambda: isinstance(app.screen, ResultScreen) and app.screen.is_mounted and not _busy(app),
                DEADLINE_S,
                "result shown",
            )
            await pilot.pause()
            # Typed as every other key is: the pilot's press waited for the app to fall idle
            # twice around the key (40 ms or more of sleeping), which is no part of the walk.
            app.simulate_key(key)
            await until(
                lambda: isinstance(app.screen, ResultScreen) and app.screen.saved is not None,
                DEADLINE_S,
                "result saved",
            )
        else:
            app.simulate_key(key)
            await until(lambda b=before: app.walk_step != b, DEADLINE_S, f"key {number} ({key})")
    elapsed = time.perf_counter() - start
    app.simulate_key("escape")
    await until(lambda: isinstance(app.screen, HomeScreen) and not app.walking, DEADLINE_S, "back home")
    return elapsed


async def _walks(repeat: int) -> list[float]:
    from consult.app import make_app
    from consult.system.settings import Settings

    keys = [
        "n",
        "enter",
        "3",
        "3",
        "2",
        "4",
        "3",
        "3",
        "2",
        "enter",
        "enter",
        "enter",
        "enter",
        "enter",
        "enter",
        "enter",  # past the services tried and missing (optional)
        "t",
    ]
    with tempfile.TemporaryDirectory() as tmp:
        app = make_app(Settings(data_dir=Path(tmp)), freeze_after_start=True)  # as `consult` starts it
        async with app.run_test(headless=True, size=(80, 24)) as pilot:
            await app.store_ready.wait()
            await app.workers.wait_for_complete()
            await _walk_once(app, pilot, keys)  # warm-up: first screens compile their CSS
            return [await _walk_once(app, pilot, keys) for _ in range(repeat)]


def bench_walk(repeat: int) -> dict:
    times = asyncio.run(_walks(repeat))
    return {
        "repeat": repeat,
        "keys": 17,
        "median_s": round(statistics.median(times), 3),
        "max_s": round(max(times), 3),
        "target_median_s": 0.5,
    }


def main() -> None:
    quick = "--quick" in sys.argv
    started = load()
    result = {
        "scoring": bench_scoring(5_000 if quick else 50_000),
        "startup": bench_startup(3 if quick else 9),
        "walk": bench_walk(3 if quick else 15),
    }
    checks = {
        "scoring": result["scoring"]["per_second"] >= 50_000,
        "startup": result["startup"]["start_to_home_ratio"] <= 1.5,
        "walk": result["walk"]["median_s"] <= 0.5,
    }
    report("walk", result, checks, started)


if __name__ == "__main__":
    main()
