"""`consult score`: JSON in, JSON out; bad input gives one line naming the field, exit 2."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from consult.cli import main

TYM = {"affairs": 3, "services": 3, "housing": 2, "employment": 4, "finances": 3, "health": 3, "relations": 2}


def run(stdin: str, *args: str, lang: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "", "CONSULT_DATA_DIR": "/nonexistent-consult-test"}
    if lang:
        env["CONSULT_LANG"] = lang
    return subprocess.run(
        [sys.executable, "-m", "consult", "score", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def test_one_assessment_from_stdin() -> None:
    done = run(json.dumps({"scores": TYM}))
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["primary"] == "tym"
    assert out["rules_version"] == "ps-2025.1"
    assert "Asiakas" in out["reasons"][0]["text"]  # Finnish by default


def test_a_list_gives_a_list_in_the_same_order(tmp_path: Path) -> None:
    items = [
        {"scores": {**TYM, "housing": 5}},
        {"scores": TYM},
        {"scores": dict.fromkeys(TYM, 1)},
        {"scores": TYM, "context": {"jobseeker": False}},
    ]
    path = tmp_path / "in.json"
    path.write_text(json.dumps(items), "utf-8")
    done = run("", str(path), lang="en")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert [o["primary"] for o in out] == ["social_services", "tym", "own_service", "bilateral"]
    assert out[0]["flags"] == ["urgent"]
    assert "Housing" in out[0]["reasons"][0]["text"]


def test_a_case_record_scores_by_its_assessment() -> None:
    case = {
        "id": "x",
        "code": "AAA-AAA",
        "status": "awaiting_team",
        "scores": TYM,
        "answers": {},
        "context": {},
    }
    assert json.loads(run(json.dumps(case)).stdout)["primary"] == "tym"


@pytest.mark.parametrize(
    "payload,field,allowed",
    [
        ('{"scores": {"housing": 9}}', "scores.housing", "1–5"),
        ('{"scores": {"housing": 0}}', "scores.housing", "1–5"),
        ('{"scores": {"housing": "3"}}', "scores.housing", "1–5"),
        ('{"scores": {"housing": 2.5}}', "scores.housing", "1–5"),
        ('{"scores": {"housing": true}}', "scores.housing", "1–5"),
        ('{"scores": {"housin": 3}}', "scores.housin", "housing"),
        ('{"scores": {}, "answers": {"q_bilateral": "maybe"}}', "answers.q_bilateral", "unsure"),
        ('{"scores": {}, "answers": {"q_bilateral": "Yes"}}', "answers.q_bilateral", "unsure"),
        ('{"scores": {}, "answers": {"q_unknown": "yes"}}', "answers.q_unknown", "q_joint_plan"),
        ('{"scores": {}, "context": {"area": "helsinki"}}', "context.area", "kuopio"),
        ('{"scores": {}, "context": {"jobseeker": "yes"}}', "context.jobseeker", "true"),
        ('{"scores": {}, "context": {"name": "x"}}', "context.name", "jobseeker"),
        ('{"answers": {}}', "scores", ""),
        ('{"scores": [1, 2]}', "scores", ""),
        ('[{"scores": {}}, {"scores": {"health": 6}}]', "[1].scores.health", "1–5"),
        ('{"scores": ', "JSON", ""),
        ("", "JSON", ""),
        ("42", "(input)", ""),
    ],
)
def test_bad_input_is_one_line_naming_the_field(payload: str, field: str, allowed: str) -> None:
    done = run(payload, lang="en")
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert field in lines[0]
    assert allowed in lines[0]


def test_a_missing_file_is_one_line() -> None:
    done = run("", "/no/such/file.json")
    assert done.returncode == 2
    assert "/no/such/file.json" in done.stderr and len(done.stderr.strip().splitlines()) == 1


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10, 10) | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                ["scores", "answers", "context", "housing", "q_bilateral", "area", "jobseeker", "x"]
            ),
            inner,
            max_size=5,
        )
    ),
    max_leaves=20,
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(json_values)
def test_any_json_gives_a_result_or_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], value: object
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(value)))
    status = main(["score", "-"])
    out, err = capsys.readouterr()
    if status == 0:
        json.loads(out)
    else:
        assert status == 2
        assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
