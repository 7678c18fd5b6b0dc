"""Re-scoring stored cases under other rules (scoring.md, "Rules as data"), the comparison's
figures and the agreement with the team, on generated cases."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consult.core.instrument import DOMAIN_KEYS, QUESTION_KEYS
from consult.core.model import PRIMARIES, Assessment
from consult.scoring import evaluate
from consult.scoring.compare import StoredCase, compare, kappa, rescore, team_agreement
from consult.scoring.explain import explain
from consult.scoring.rules import PS_2025_1
from consult.scoring.search import search
from tests.scoring.strategies import answer_dicts, context_dicts, score_dicts

candidates = st.builds(
    lambda challenge, multi, joint, bilateral, employment: replace(
        PS_2025_1,
        version="candidate-1",
        challenge_level=challenge,
        multi_support_min_challenges=multi,
        joint_plan_min_challenges=joint,
        bilateral_max_orgs=bilateral,
        joint_plan_employment_level=employment,
    ),
    st.integers(1, 5),
    st.integers(0, 7),
    st.integers(0, 7),
    st.integers(0, 7),
    st.integers(0, 7),
)
paths = st.sampled_from(PRIMARIES)


def stored(scores: dict, answers: dict, context: dict, team: str | None = None, code: str = "T01-AAA"):
    """A case as saved by the built-in rules, and as re-scoring reads it."""
    assessment = Assessment.model_validate({"scores": scores, "answers": answers, "context": context})
    r = evaluate(assessment)
    case = StoredCase(
        code=code,
        levels=tuple(scores[k] for k in DOMAIN_KEYS),
        answers=tuple(answers.get(k) for k in QUESTION_KEYS),
        jobseeker=context.get("jobseeker"),
        suggested=tuple(r.suggested_answers[k] for k in QUESTION_KEYS),
        primary=r.primary,
        team=team,
    )
    return assessment, r, case


@settings(max_examples=1500)
@given(score_dicts, answer_dicts, context_dicts)
def test_rescoring_under_the_same_rules_gives_the_stored_primary(scores, answers, context) -> None:
    _, r, case = stored(scores, answers, context)
    assert rescore(case, PS_2025_1) == r.primary


@settings(max_examples=1500)
@given(score_dicts, answer_dicts, context_dicts, candidates)
def test_accepted_suggestions_follow_the_new_rules_and_own_answers_stay(
    scores, answers, context, candidate
) -> None:
    """Written out from scoring.md independently of the implementation: an answer equal to the
    stored suggestion takes the new version's suggestion, a different one is kept, an absent
    one takes the new suggestion."""
    _, r, case = stored(scores, answers, context)
    new = evaluate(Assessment.model_validate({"scores": scores}), rules=candidate).suggested_answers
    effective = {}
    for key in QUESTION_KEYS:
        given_answer = answers.get(key)
        own = given_answer is not None and given_answer != r.suggested_answers[key]
        effective[key] = given_answer if own else new[key]
    expected = evaluate(
        Assessment.model_validate({"scores": scores, "answers": effective, "context": context}),
        rules=candidate,
    ).primary
    assert rescore(case, candidate) == expected


@given(
    st.lists(st.tuples(score_dicts, answer_dicts, context_dicts, st.one_of(st.none(), paths)), max_size=25),
    candidates,
)
def test_the_comparison_counts_add_up(items, candidate) -> None:
    cases = [stored(s, a, c, team, f"T{i:02d}-AAA")[2] for i, (s, a, c, team) in enumerate(items)]
    result = compare(cases, candidate).as_json()
    assert set(result) == {"candidate", "cases", "changed_primary", "transitions", "team"}
    transitions, team = result["transitions"], result["team"]
    assert list(transitions) == list(PRIMARIES)
    assert all(list(row) == list(PRIMARIES) for row in transitions.values())
    assert sum(n for row in transitions.values() for n in row.values()) == result["cases"] == len(cases)
    assert result["changed_primary"] == sum(
        n for a, row in transitions.items() for b, n in row.items() if a != b
    )
    decided = [c for c in cases if c.team is not None]
    confusion = team["candidate_confusion"]
    assert list(confusion) == list(PRIMARIES) and all(list(r) == list(PRIMARIES) for r in confusion.values())
    assert team["decided"] == len(decided) == sum(n for row in confusion.values() for n in row.values())
    # Rows are the re-scored primary, columns the team's path.
    for case in decided:
        assert confusion[rescore(case, candidate)][case.team] >= 1
    assert team["candidate_agree"] == sum(confusion[p][p] for p in PRIMARIES)
    assert team["stored_agree"] == sum(1 for c in decided if c.primary == c.team)
    if not decided:
        assert team["stored_kappa"] is None and team["candidate_kappa"] is None


def test_kappa_by_hand() -> None:
    pairs = (
        [("tym", "tym")] * 20
        + [("bilateral", "bilateral")] * 15
        + [("tym", "bilateral")] * 5
        + [("bilateral", "tym")] * 10
    )
    # po = 35/50; pe = (25·30 + 25·20)/50² = 0.5
    assert kappa(pairs) == pytest.approx((0.7 - 0.5) / 0.5)
    assert kappa([]) is None
    assert kappa([("tym", "tym")] * 4) == 1.0  # pe = 1, all agree: full agreement, as everywhere


def test_the_path_the_team_overrules_most() -> None:
    pairs = [("tym", "tym")] * 3 + [("bilateral", "tym")] * 2 + [("tym", "own_service")]
    agreement = team_agreement(pairs)
    assert (agreement.decided, agreement.agree) == (6, 3)
    assert agreement.overruled == ("bilateral", "tym", 2)
    assert team_agreement([]).kappa is None and team_agreement([]).overruled is None


@given(score_dicts, answer_dicts, context_dicts)
def test_reasons_are_rendered_in_the_readers_language(scores, answers, context) -> None:
    assessment = Assessment.model_validate({"scores": scores, "answers": answers, "context": context})
    saved_in_finnish = evaluate(assessment, "fi")
    assert explain(saved_in_finnish, assessment, "en") == evaluate(assessment, "en").reasons
    assert explain(saved_in_finnish, assessment, "fi") == saved_in_finnish.reasons


def test_a_reason_no_rule_matches_keeps_its_saved_text() -> None:
    assessment = Assessment.model_validate({"scores": dict.fromkeys(DOMAIN_KEYS, 1)})
    r = evaluate(assessment, "fi")
    odd = r.model_copy(update={"reasons": [*r.reasons, {"rule": "safety", "text": "tallennettu"}]})
    assert explain(odd, assessment, "en")[-1] == {"rule": "safety", "text": "tallennettu"}


def test_suggest_lists_few_candidates_and_never_the_rules_in_force() -> None:
    cases = []
    for i, level in enumerate([1, 2, 3, 4] * 5):
        scores = {**dict.fromkeys(DOMAIN_KEYS, 2), "employment": level, "affairs": level}
        cases.append(stored(scores, {}, {"jobseeker": True}, "tym", f"S{i:02d}-AAA")[2])
    found = search(cases, PS_2025_1)
    assert found.too_few  # 20 decided cases
    assert 0 < len(found.candidates) <= 5
    assert all(c.changed_cases > 0 and c.changes for c in found.candidates)
    assert found.candidates[0].agree >= found.baseline.agree


def test_an_unknown_version_that_decided_otherwise_keeps_the_saved_words() -> None:
    from consult.scoring.rules_file import parse_rules

    lower = parse_rules('version = "muu-1"\n[levels]\nchallenge = 2\n')
    scores = {**dict.fromkeys(DOMAIN_KEYS, 2), "employment": 1}
    assessment = Assessment.model_validate({"scores": scores})
    saved = evaluate(assessment, "fi", lower)  # six challenges under "muu-1", none under ps-2025.1
    assert explain(saved, assessment, "en") == saved.reasons  # not known here: kept as saved
    assert explain(saved, assessment, "en", {"muu-1": lower}) == evaluate(assessment, "en", lower).reasons
