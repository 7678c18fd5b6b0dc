"""The worked examples of scoring.md, exactly."""

import pytest

from consult.core.instrument import DOMAIN_KEYS
from consult.core.model import Assessment
from consult.scoring import evaluate, suggest

EXAMPLES = [
    ("1,1,1,2,1,1,1", {}, {}, "own_service", []),
    ("2,2,1,3,2,2,2", {}, {}, "bilateral", []),
    ("3,3,2,4,3,3,2", {}, {}, "tym", []),
    ("2,2,5,3,2,2,2", {}, {}, "social_services", ["urgent"]),
    ("2,2,2,3,2,2,5", {}, {}, "social_services", ["safety"]),
    ("1,1,1,3,1,3,1", {}, {}, "bilateral", ["bring_to_team"]),
    ("3,3,2,4,3,3,2", {"q_bilateral": "yes"}, {}, "bilateral", ["bring_to_team"]),
    ("3,3,2,4,3,3,2", {}, {"jobseeker": False}, "bilateral", ["bring_to_team"]),
    ("2,-,-,3,-,2,2", {}, {}, "bilateral", ["bring_to_team", "insufficient_data"]),
]


def assessment(levels: str, answers: dict, context: dict) -> Assessment:
    values = [None if v == "-" else int(v) for v in levels.split(",")]
    return Assessment.model_validate(
        {"scores": dict(zip(DOMAIN_KEYS, values, strict=True)), "answers": answers, "context": context}
    )


@pytest.mark.parametrize("levels,answers,context,primary,flags", EXAMPLES)
def test_worked_example(levels: str, answers: dict, context: dict, primary: str, flags: list[str]) -> None:
    a = assessment(levels, answers, context)
    if answers:
        # "rest as suggested": the other questions answered with their suggestions.
        a = assessment(levels, {**suggest(a.scores), **answers}, context)
    result = evaluate(a)
    assert result.primary == primary
    assert result.flags == flags
    assert result.rules_version == "ps-2025.1"


def test_tym_example_output_matches_the_documented_shape() -> None:
    result = evaluate(assessment("3,3,2,4,3,3,2", {}, {})).model_dump(mode="json")
    assert result["needs"] == ["health", "social"]
    assert result["orgs"] == ["employment", "kela", "welfare"]
    assert result["suggested_answers"] == {
        "q_bilateral": "no",
        "q_other_first": "no",
        "q_multi_support": "yes",
        "q_coordination": "yes",
        "q_joint_plan": "yes",
    }
    assert result["reasons"][0]["rule"] == "tym"


def test_reasons_speak_the_users_language() -> None:
    a = assessment("2,2,5,3,2,2,2", {}, {})
    fi = evaluate(a, "fi").reasons
    en = evaluate(a, "en").reasons
    assert "Asuminen" in fi[0]["text"] and "Housing" in en[0]["text"]
    assert [r["rule"] for r in fi] == [r["rule"] for r in en]


def test_not_jobseeker_reason_names_the_law() -> None:
    result = evaluate(assessment("3,3,2,4,3,3,2", {}, {"jobseeker": False}), "fi")
    rules = [r["rule"] for r in result.reasons]
    assert "not_jobseeker" in rules and "bilateral" in rules and "bring_to_team" in rules


def test_an_unsure_answer_gives_one_reason_not_two() -> None:
    """ "En osaa sanoa" is a reason to bring the case to the team; it does not also "differ" from
    the scores' suggestion, which would name the same question twice."""
    from consult.core.model import Assessment
    from consult.scoring import evaluate

    for key in ("q_bilateral", "q_other_first", "q_multi_support", "q_coordination", "q_joint_plan"):
        assessment = Assessment.model_validate(
            {
                "scores": {
                    "affairs": 3,
                    "services": 3,
                    "housing": 2,
                    "employment": 4,
                    "finances": 3,
                    "health": 3,
                    "relations": 2,
                },
                "answers": {key: "unsure"},
            }
        )
        reasons = [r for r in evaluate(assessment, "en").reasons if r["rule"] == "bring_to_team"]
        assert len(reasons) == 1, reasons
