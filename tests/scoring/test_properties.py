"""The properties scoring.md requires, on generated inputs, and agreement with a plain
transcription of scoring.md (tests/scoring/oracle.py)."""

from hypothesis import given, settings
from hypothesis import strategies as st

from consult.core.instrument import DOMAIN_KEYS
from consult.core.model import Assessment
from consult.scoring import evaluate, suggest
from tests.scoring.oracle import oracle
from tests.scoring.strategies import answer_dicts, context_dicts, score_dicts

INTENSITY = {"own_service": 0, "bilateral": 1, "tym": 2}


def build(scores: dict, answers: dict | None = None, context: dict | None = None) -> Assessment:
    return Assessment.model_validate({"scores": scores, "answers": answers or {}, "context": context or {}})


@settings(max_examples=3000)
@given(score_dicts, answer_dicts, context_dicts)
def test_agrees_with_scoring_md(scores: dict, answers: dict, context: dict) -> None:
    result = evaluate(build(scores, answers, context)).model_dump(mode="json")
    expected = oracle(scores, answers, context)
    assert {k: result[k] for k in expected} == expected


@given(score_dicts, answer_dicts, context_dicts, st.sampled_from(["fi", "en"]))
def test_deterministic(scores: dict, answers: dict, context: dict, lang: str) -> None:
    a = build(scores, answers, context)
    assert evaluate(a, lang) == evaluate(a, lang)


@settings(max_examples=1000)
@given(score_dicts, context_dicts, st.sampled_from(DOMAIN_KEYS))
def test_raising_a_level_never_lowers_intensity(scores: dict, context: dict, domain: str) -> None:
    level = scores[domain]
    if level is not None and level >= 5:
        return
    raised = {**scores, domain: (level or 0) + 1}
    before = evaluate(build(scores, context=context)).primary
    after = evaluate(build(raised, context=context)).primary
    if "social_services" in (before, after):
        return  # an acute domain may send the client to social services at any time
    assert INTENSITY[after] >= INTENSITY[before]


@given(score_dicts, answer_dicts, context_dicts)
def test_own_service_only_without_challenges_and_yes(scores: dict, answers: dict, context: dict) -> None:
    result = evaluate(build(scores, answers, context))
    challenges = sum(1 for v in scores.values() if v is not None and v >= 3)
    if result.primary == "own_service":
        assert challenges == 0
        assert "yes" not in answers.values()


@given(score_dicts, answer_dicts, context_dicts, st.sampled_from(["fi", "en"]))
def test_every_flag_and_the_primary_have_a_reason(
    scores: dict, answers: dict, context: dict, lang: str
) -> None:
    result = evaluate(build(scores, answers, context), lang)
    rules = {r["rule"] for r in result.reasons}
    assert result.reasons and all(r["text"].strip() for r in result.reasons)
    assert result.primary in rules
    assert set(result.flags) <= rules
    assert result.needs == sorted(result.needs)
    assert result.orgs == sorted(result.orgs)
    assert result.flags == sorted(result.flags)


@given(score_dicts, context_dicts)
def test_accepting_every_suggestion_equals_answering_nothing(scores: dict, context: dict) -> None:
    silent = evaluate(build(scores, context=context))
    accepted = evaluate(build(scores, suggest(build(scores).scores), context))
    assert accepted.primary == silent.primary
    assert accepted.flags == silent.flags
