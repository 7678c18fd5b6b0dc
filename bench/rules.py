"""Benchmarks for rules as data; prints JSON.

Targets (issue 13): ``evaluate`` ≥ 100,000 assessments per second in one process;
``consult rules compare`` over 100,000 stored cases ≤ 5 s (reading the cases from SQLite and
re-scoring them, as the command does), measured beside a live baseline in the same run: plain
``sqlite3`` reading the same columns and re-scoring each row with ``primary_only``.

Run: ``python -m bench.rules`` (``--cases N`` for another size, ``--quick`` for 10,000).
"""

from __future__ import annotations

import contextlib
import random
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.common import interleave, load, ratio, repeats, report, timed

CANDIDATE = """
version = "bench-1"
based_on = "ps-2025.1"
[levels]
challenge = 2
[thresholds]
multi_support_min_challenges = 2
"""


def _assessments(n: int, seed: int = 2025) -> list:
    from consult.core.instrument import DOMAIN_KEYS, QUESTION_KEYS
    from consult.core.model import Assessment

    rng = random.Random(seed)
    return [
        Assessment.model_validate(
            {
                "scores": {k: rng.choice([None, 1, 2, 3, 4, 5]) for k in DOMAIN_KEYS},
                "answers": {
                    k: rng.choice(["yes", "no", "unsure"]) for k in QUESTION_KEYS if rng.random() < 0.4
                },
                "context": {"jobseeker": rng.choice([True, False, None])},
            }
        )
        for _ in range(n)
    ]


def bench_evaluate(n: int) -> dict:
    from consult.scoring import evaluate

    assessments = _assessments(n)
    passes = []
    for _ in range(3):  # the first pass also warms the caches of the compiled rules
        start = time.perf_counter()
        for a in assessments:
            evaluate(a)
        passes.append(time.perf_counter() - start)
    return {
        "assessments": n,
        "per_second_best": round(n / min(passes)),
        "per_second_first": round(n / passes[0]),
        "target_per_second": 100_000,
    }


def bundle(n: int, seed: int = 13) -> dict:
    """n fictional, anonymous completed cases scored by the built-in rules, some answers the
    worker's own, a third decided by the team."""
    from consult.core.instrument import DOMAIN_KEYS, QUESTION_KEYS
    from consult.core.model import Assessment, Scores
    from consult.scoring import evaluate
    from consult.scoring.engine import suggest

    rng = random.Random(seed)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    cases = []
    for i in range(n):
        scores = Scores(**{k: rng.choice([None, 1, 1, 2, 2, 3, 3, 4, 5]) for k in DOMAIN_KEYS})
        suggested = suggest(scores)
        answers = {
            k: (suggested[k] if rng.random() < 0.7 else rng.choice(["yes", "no", "unsure"]))
            for k in QUESTION_KEYS
            if rng.random() < 0.6
        }
        context = {"jobseeker": rng.random() < 0.9}
        recommendation = evaluate(Assessment(scores=scores, answers=answers, context=context))
        created = start + timedelta(minutes=5 * i)
        decided = rng.random() < 0.35
        cases.append(
            {
                "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                "code": f"B{i:07d}",
                "created_at": created.isoformat(),
                "status": "team_decided" if decided else "awaiting_team",
                "context": context,
                "scores": scores.model_dump(),
                "answers": answers,
                "notes": {},
                "recommendation": recommendation.model_dump(mode="json"),
                "team_decision": {
                    "path": recommendation.primary
                    if rng.random() < 0.75
                    else rng.choice(["tym", "bilateral", "own_service"]),
                    "note": "",
                    "decided_at": (created + timedelta(days=3)).date().isoformat(),
                }
                if decided
                else None,
            }
        )
    return {"format": "consult-cases", "version": 1, "cases": cases}


def bench_compare(n: int, repeat: int) -> dict:
    """``stored_cases`` + ``compare`` beside a live baseline: plain ``sqlite3`` reading the same
    columns of the same database and re-scoring each row with the same engine function
    (``primary_only``), without the tallies. Interleaved and repeated."""
    import sqlite3

    from consult.core.instrument import DOMAIN_KEYS, QUESTION_KEYS
    from consult.exchange.bundle import Bundle, import_bundle
    from consult.scoring.compare import compare
    from consult.scoring.engine import primary_only
    from consult.scoring.rules_file import parse_rules
    from consult.store import Store
    from consult.store.rules import stored_cases

    columns = ", ".join([*DOMAIN_KEYS, *QUESTION_KEYS])
    n_domains = len(DOMAIN_KEYS)
    candidate = parse_rules(CANDIDATE)
    with tempfile.TemporaryDirectory(prefix="consult-bench-rules-") as folder:
        path = Path(folder) / "consult.db"
        store = Store.open(f"sqlite:///{path}")
        try:
            started = time.perf_counter()
            import_bundle(store.engine, Bundle.model_validate(bundle(n)))
            prepared = time.perf_counter() - started
            results = []

            def consult() -> None:
                results.append(compare(stored_cases(store.engine), candidate))

            def plain() -> None:
                with contextlib.closing(sqlite3.connect(path)) as db:
                    rows = db.execute(
                        f"SELECT jobseeker, recommended, {columns} FROM cases"
                        " WHERE status != 'draft' AND recommended IS NOT NULL"
                    ).fetchall()
                for row in rows:
                    primary_only(row[2 : 2 + n_domains], row[2 + n_domains :], row[0], candidate)

            figures, cut = interleave(
                {"consult": timed(consult), "plain": timed(plain)}, repeat, 300, warmup=1
            )
        finally:
            store.close()
    result = results[-1]
    seconds = figures["consult"].median
    return {
        "cases": n,
        "consult": figures["consult"].summary(),
        "plain_sqlite3_and_primary_only": figures["plain"].summary(),
        "ratio": ratio(seconds, figures["plain"].median),
        "changed_primary": result.changed_primary,
        "decided": result.decided,
        "target_seconds": 5.0,
        "setup_seconds": round(prepared, 1),
        "deadline_cut": cut,
    }


def main(argv: list[str]) -> None:
    started = load()
    quick = "--quick" in argv
    n = int(argv[argv.index("--cases") + 1]) if "--cases" in argv else (10_000 if quick else 100_000)
    evaluated = bench_evaluate(20_000 if quick else 100_000)
    compared = bench_compare(n, repeats(argv, 3, 5))
    checks = {
        "evaluate_per_second": evaluated["per_second_best"] >= evaluated["target_per_second"],
        "compare_seconds": compared["consult"]["median_s"] <= compared["target_seconds"],  # type: ignore[index]
    }
    report("rules", {"evaluate": evaluated, "compare": compared}, checks, started)


if __name__ == "__main__":
    main(sys.argv[1:])
