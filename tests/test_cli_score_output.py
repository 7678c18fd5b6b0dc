"""``consult score`` writes its answer piece by piece and scores valid input without pydantic:
what it prints must stay, byte for byte, what it printed before (``json.dumps(…, indent=2,
ensure_ascii=False)`` of each model's result), and valid input must not load pydantic."""

from __future__ import annotations

import io
import json
import random
import subprocess
import sys

import pytest

from consult.cli.score import run_score
from consult.core.instrument import DOMAIN_KEYS, QUESTION_KEYS
from consult.core.model import Assessment
from consult.i18n import Translator
from consult.scoring import evaluate
from consult.scoring.rules import PS_2025_1


def assessments(n: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    return [
        {
            "scores": {k: rng.choice([None, 1, 2, 3, 4, 5]) for k in DOMAIN_KEYS if rng.random() < 0.9},
            "answers": {
                k: rng.choice(["yes", "no", "unsure", None]) for k in QUESTION_KEYS if rng.random() < 0.4
            },
            "context": {"jobseeker": rng.choice([True, False, None]), "area": rng.choice(["kuopio", None])},
            "id": f"case-{rng.random()}",  # ignored, as a stored case's other keys are
        }
        for _ in range(n)
    ]


def before(data: object, lang: str) -> str:
    """What the command printed before: each result through the model, written by json."""
    items = data if isinstance(data, list) else [data]
    results = [evaluate(Assessment.model_validate(i), lang, PS_2025_1).model_dump(mode="json") for i in items]
    return json.dumps(results if isinstance(data, list) else results[0], ensure_ascii=False, indent=2) + "\n"


def scored(data: object, lang: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(data)))
    out = io.StringIO()
    run_score("-", Translator(lang), out)
    return out.getvalue()


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_a_list_is_written_as_before(lang: str, monkeypatch: pytest.MonkeyPatch) -> None:
    data = assessments(2000, seed=22)
    assert scored(data, lang, monkeypatch) == before(data, lang)


@pytest.mark.parametrize("seed", range(5))
def test_one_assessment_is_written_as_before(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    (item,) = assessments(1, seed)
    assert scored(item, "fi", monkeypatch) == before(item, "fi")


def test_an_empty_list_is_an_empty_list(monkeypatch: pytest.MonkeyPatch) -> None:
    assert scored([], "fi", monkeypatch) == "[]\n"


def test_valid_input_does_not_load_pydantic() -> None:
    """Importing pydantic and building the models cost more than scoring 10,000 assessments."""
    code = (
        "import sys\n"
        "from consult.cli import main\n"
        "status = main(['score', '-'])\n"
        "assert status == 0, status\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('pydantic', 'sqlalchemy'))\n"
        "print(loaded, file=sys.stderr)\n"
        "assert not loaded, loaded\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        input=json.dumps(assessments(50, seed=1)),
        capture_output=True,
        text=True,
        env={"PATH": "", "CONSULT_DATA_DIR": "/nonexistent-consult-test"},
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)) == 50
