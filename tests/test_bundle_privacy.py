"""A bundle with an identity code (any century sign), a phone number or an e-mail address in
any of its text fields is refused, naming the case and the field and not repeating what was
found; the same bundle with realistic clean notes imports."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from consult.bundle import BundleError, parse
from consult.demo import stored_cases
from consult.i18n import Translator
from tests.test_privacy import NOTES, identity_codes

T = Translator("en")
BUNDLE_EXAMPLES = 400


def _bundle() -> dict:
    cases = [json.loads(case.model_dump_json()) for case in stored_cases()]
    return {"format": "consult-cases", "version": 1, "cases": cases}


def _decided(bundle: dict) -> int:
    return next(i for i, c in enumerate(bundle["cases"]) if c["team_decision"] is not None)


# Every free-text place of a case, as (field named in the refusal, how to put text there).
Put = Callable[[dict, str], tuple[int, str]]


def _note(key: str) -> Put:
    def put(bundle: dict, text: str) -> tuple[int, str]:
        bundle["cases"][3]["notes"][key] = f"Tilanne: {text} sovittu."
        return 3, f"notes.{key}"

    return put


def _decision(bundle: dict, text: str) -> tuple[int, str]:
    index = _decided(bundle)
    bundle["cases"][index]["team_decision"]["note"] = f"Tiimi: {text}"
    return index, "team_decision.note"


def _reason(bundle: dict, text: str) -> tuple[int, str]:
    bundle["cases"][5]["recommendation"]["reasons"][0]["text"] += f" {text}"
    return 5, "recommendation.reasons[0].text"


def _code(bundle: dict, text: str) -> tuple[int, str]:
    bundle["cases"][7]["code"] = text[:16]
    return 7, "code"


def _version(bundle: dict, text: str) -> tuple[int, str]:
    bundle["cases"][2]["recommendation"]["rules_version"] = text[:20]
    return 2, "recommendation.rules_version"


PLACES: dict[str, Put] = {
    "general note": _note("general"),
    "domain note": _note("health"),
    "team decision note": _decision,
    "reason text": _reason,
    "rules version": _version,
}
identifiers = st.one_of(
    identity_codes(),
    identity_codes(correct_check=False),
    st.sampled_from(["040 123 4567", "+358 40 765 4321", "017-123 4567", "maija.m@example.fi"]),
)


@settings(max_examples=BUNDLE_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(place=st.sampled_from(sorted(PLACES)), identifier=identifiers)
def test_an_identifier_in_any_text_field_refuses_the_bundle(place: str, identifier: str) -> None:
    bundle = _bundle()
    index, field = PLACES[place](bundle, identifier)
    with pytest.raises(BundleError) as refused:
        parse(json.dumps(bundle, ensure_ascii=False), T)
    message = str(refused.value)
    assert f"cases[{index}]" in message and field in message
    assert identifier not in message and identifier.upper() not in message


@settings(max_examples=100, deadline=None)
@given(identity_codes())
def test_an_identity_code_as_the_case_code_is_refused_without_repeating_it(code: str) -> None:
    bundle = _bundle()
    _code(bundle, code)
    with pytest.raises(BundleError) as refused:
        parse(json.dumps(bundle), T)
    assert "cases[7]" in str(refused.value) and ": code:" in str(refused.value)
    assert code not in str(refused.value)


def test_the_same_bundle_with_realistic_notes_is_accepted() -> None:
    bundle = _bundle()
    for index, case in enumerate(bundle["cases"]):
        case["notes"] = {"general": NOTES[index], "housing": NOTES[-index - 1]}
        if case["team_decision"] is not None:
            case["team_decision"]["note"] = NOTES[index + 40]
    assert len(parse(json.dumps(bundle, ensure_ascii=False), T).cases) == 16


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda c: c["notes"].update({"asiakas 131052-308T": "x"}), "notes"),
        (lambda c: c["recommendation"]["flags"].append("bogus"), "recommendation.flags"),
        (lambda c: c["recommendation"].update({"extra": "x"}), "recommendation.extra"),
        (lambda c: c["recommendation"]["suggested_answers"].update({"q_other": "yes"}), "suggested_answers"),
        (lambda c: c.update({"id": "131052-308T"}), "id"),
    ],
    ids=["notes key", "unknown flag", "extra key", "unknown question", "id not a uuid"],
)
def test_fields_that_could_smuggle_text_take_only_their_values(change: Callable, field: str) -> None:
    bundle = _bundle()
    change(bundle["cases"][4])
    with pytest.raises(BundleError) as refused:
        parse(json.dumps(bundle), T)
    assert "cases[4]" in str(refused.value) and field in str(refused.value)
    assert "131052" not in str(refused.value)


def test_a_refused_value_in_an_invalid_field_is_not_echoed() -> None:
    bundle = _bundle()
    bundle["cases"][4]["scores"]["housing"] = "131052-308T"
    with pytest.raises(BundleError) as refused:
        parse(json.dumps(bundle), T)
    assert "scores.housing" in str(refused.value) and "131052" not in str(refused.value)
