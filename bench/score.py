"""``consult score -`` on 10,000 assessments as a process, beside ``json.load`` of the same
input as a process: the least any scorer reading JSON from stdin must do. Interleaved and
repeated; prints JSON.

Target (issue 22): ≤ 5× the baseline.

Run: ``python -m bench.score`` (``--full`` repeats more; ``--cases N`` for another size).
"""

from __future__ import annotations

import json
import random
import sys
import tempfile
from pathlib import Path

from bench.common import Process, interleave, load, ratio, repeats, report, sizes

TARGET = 5.0
BASELINE = "import json, sys; json.load(sys.stdin)"


def assessments(n: int, seed: int = 2025) -> list[dict]:
    from consult.core.instrument import DOMAIN_KEYS, QUESTION_KEYS

    rng = random.Random(seed)
    return [
        {
            "scores": {k: rng.choice([None, 1, 2, 3, 4, 5]) for k in DOMAIN_KEYS},
            "answers": {k: rng.choice(["yes", "no", "unsure"]) for k in QUESTION_KEYS if rng.random() < 0.4},
            "context": {"jobseeker": rng.choice([True, False, None])},
        }
        for _ in range(n)
    ]


def main(argv: list[str]) -> None:
    started = load()
    (n,) = sizes(argv, [10_000], [10_000])
    with tempfile.TemporaryDirectory(prefix="consult-bench-score-") as folder:
        source = Path(folder) / "assessments.json"
        source.write_text(json.dumps(assessments(n)), "utf-8")
        env = {"CONSULT_DATA_DIR": str(Path(folder) / "data")}
        consult = Process(["-m", "consult", "score", "-"], env, source, timeout_s=120)
        baseline = Process(["-c", BASELINE], env, source, timeout_s=120)
        # One run kept whole: the answer must be one result per assessment.
        answer = json.loads(Process(["-m", "consult", "score", "-"], env, source, keep_output=True)().output)
        assert len(answer) == n, "consult score answered another number of results"
        figures, cut = interleave(
            {"consult_score": consult, "json_load": baseline}, repeats(argv, 7, 15), 240, warmup=1
        )
    r = ratio(figures["consult_score"].median, figures["json_load"].median)
    report(
        "score",
        {
            "assessments": n,
            "consult_score": figures["consult_score"].summary(),
            "json_load": figures["json_load"].summary(),
            "ratio": r,
            "cpu_ratio": ratio(figures["consult_score"].cpu_median, figures["json_load"].cpu_median),
            "target_ratio": TARGET,
            "deadline_cut": cut,
        },
        {"ratio": r is not None and r <= TARGET},
        started,
    )


if __name__ == "__main__":
    main(sys.argv[1:])
