"""``consult score`` reads valid input without pydantic (``core.plain_assessment``) and scores it
with ``engine.recommend``: both must agree with the model and ``evaluate`` on every input, and
the plain reading must accept everything the model accepts (or valid input would pay for
pydantic after all)."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from consult.core.instrument import DOMAIN_KEYS, QUESTION_KEYS
from consult.core.model import Assessment
from consult.core.plain_assessment import assessment_values
from consult.scoring import evaluate
from consult.scoring.engine import recommend
from consult.scoring.rules import PS_2025_1
from tests.scoring.strategies import answer_dicts, context_dicts, score_dicts

KEYS = [
    "scores",
    "answers",
    "context",
    *DOMAIN_KEYS,
    *QUESTION_KEYS,
    "area",
    "worker_org",
    "age_band",
    "jobseeker",
    "x",
]
scalars = (
    st.none()
    | st.booleans()
    | st.integers(-2, 7)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.sampled_from(["yes", "no", "unsure", "Yes", "3", "kuopio", "social", "under_25", "helsinki", ""])
)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(KEYS), inner, max_size=5),
    max_leaves=15,
)


# Mostly valid assessments with one part replaced by anything: the edges of what is allowed.
def keyed(keys: tuple[str, ...] | list[str]) -> st.SearchStrategy[dict]:
    """A section with its own keys, each holding anything: a wrong type where a value belongs."""
    return st.dictionaries(st.sampled_from(keys), json_values, max_size=4)


sections = st.fixed_dictionaries(
    {"scores": score_dicts | keyed(DOMAIN_KEYS) | json_values},
    optional={
        "answers": answer_dicts | keyed(QUESTION_KEYS) | json_values,
        "context": context_dicts | keyed(["area", "worker_org", "age_band", "jobseeker"]) | json_values,
        "id": json_values,
    },
)


def model_values(item: object) -> object:
    try:
        assessment = Assessment.model_validate(item)
    except ValidationError:
        return None
    return (
        tuple(assessment.scores.__dict__.values()),
        tuple(assessment.answers.__dict__.values()),
        assessment.context.jobseeker,
    )


@settings(max_examples=2000)
@given(sections | json_values)
def test_plain_reading_is_the_models(item: object) -> None:
    # Through JSON, as the command line reads it: 1.0 stays a float, keys are text.
    item = json.loads(json.dumps(item))
    assert assessment_values(item) == model_values(item)


@settings(max_examples=1000)
@given(score_dicts, answer_dicts, context_dicts, st.sampled_from(["fi", "sv", "en"]))
def test_recommend_is_evaluate(scores: dict, answers: dict, context: dict, lang: str) -> None:
    item = {"scores": scores, "answers": answers, "context": context}
    values = assessment_values(item)
    assert values is not None
    expected = evaluate(Assessment.model_validate(item), lang, PS_2025_1).model_dump(mode="json")
    got = recommend(*values, lang, PS_2025_1)
    # The same values in the same order: the command line writes them as they come.
    assert json.dumps(got, ensure_ascii=False) == json.dumps(expected, ensure_ascii=False)
