"""A bundle with an identity code (any century sign), a phone number or an e-mail address in
any of its text fields is refused, naming the case and the field and not repeating what was
found; the same bundle with realistic clean notes imports."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from consult.cli import main
from consult.demo import stored_cases
from consult.exchange.bundle import BundleError, PrivacyWarning, parse
from consult.i18n import Translator
from consult.privacy.guard import identity_codes_written, refusals
from consult.store.case_rows import new_case_id
from tests.test_privacy import CHECK_CHARS, NOTES, identity_codes
from tests.test_privacy_disguises import disguised_codes, disguised_emails, disguised_phones

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


# Disguised identifiers (issue 10) in every text field a bundle has, the case code included.
LIMITS = {"code": 16, "rules version": 20}
ALL_PLACES: dict[str, Put] = {**PLACES, "code": _code}
disguised = st.one_of(disguised_codes(), disguised_phones(), disguised_emails())


@settings(max_examples=BUNDLE_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(place=st.sampled_from(sorted(ALL_PLACES)), identifier=disguised)
# An address whose host is named "at", spelled out and percent-encoded: two ats in a row read
# both ways (the first as the address's name, or the second as the host's).
@example(place="domain note", identifier="%61%20%61%74%20%61%74%20%64%6F%74%20%66%69")
def test_a_disguised_identifier_in_any_text_field_refuses_the_bundle(place: str, identifier: str) -> None:
    assume(len(identifier) <= LIMITS.get(place, 500))
    bundle = _bundle()
    index, field = ALL_PLACES[place](bundle, identifier)
    with pytest.raises(BundleError) as refused:
        parse(json.dumps(bundle, ensure_ascii=False), T)
    message = str(refused.value)
    assert f"cases[{index}]" in message and f": {field}:" in message
    assert identifier not in message


def test_a_case_id_that_holds_an_identity_code_refuses_the_bundle() -> None:
    individual, check_char = next(
        (n, c) for n in range(2, 900) if (c := CHECK_CHARS[int(f"131052{n:03d}") % 31]).isdigit()
    )
    bundle = _bundle()
    bundle["cases"][6]["id"] = f"0c131052-{individual:03d}{check_char}-0000-0000-000000000000"
    with pytest.raises(BundleError) as refused:
        parse(json.dumps(bundle), T)
    assert "cases[6]: id:" in str(refused.value) and "131052" not in str(refused.value)


def test_ids_the_app_draws_never_hold_an_identity_code() -> None:
    assert not any(identity_codes_written(new_case_id()) for _ in range(20_000))


def test_names_addresses_and_birth_dates_are_reported_by_case_and_field_not_text() -> None:
    bundle = _bundle()
    bundle["cases"][3]["notes"]["general"] = (
        "Asiakas Matti Virtanen kertoi asuvansa Kauppakatu 12 B, syntynyt 13.10.1952"
    )
    index = _decided(bundle)
    bundle["cases"][index]["team_decision"]["note"] = "Riikalle soitetaan ensi viikolla."
    warnings: list[PrivacyWarning] = []
    parse(json.dumps(bundle, ensure_ascii=False), T, warnings)
    found = {(w.case.split(" ")[0], field): kinds for w in warnings for field, kinds in w.fields.items()}
    assert found == {
        ("cases[3]", "notes.general"): ["name", "address", "birth_date"],
        (f"cases[{index}]", "team_decision.note"): ["name"],
    }


# Ordinary Finnish full names, none of them in bench/privacy.py's held-out list.
FULL_NAMES = [
    "Matti Virtanen", "Liisa Lehtinen", "Juha Laaksonen", "Tuula Heinonen", "Kari Hyvönen",
    "Marja Tuominen", "Antti Karjalainen", "Sari Kemppainen", "Mikko Leppänen", "Eeva Lindqvist",
]  # fmt: skip


def test_strict_import_refuses_a_bundle_that_names_a_person(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    refused = 0
    for number, name in enumerate(FULL_NAMES):
        bundle = _bundle()
        bundle["cases"][2]["notes"]["housing"] = f"Asiakas {name} kertoi asuvansa yksin."
        path = tmp_path / f"named-{number}.json"
        path.write_text(json.dumps(bundle, ensure_ascii=False), "utf-8")
        if main(["import", "--strict", str(path)]) == 2:
            refused += 1
            err = capsys.readouterr().err
            assert err.count("\n") == 1 and "cases[2]" in err and "notes.housing" in err
            assert name.split()[0] not in err
    assert refused >= 9
    # Nothing was imported by the refused runs; without --strict the bundle imports, warning once.
    assert main(["import", str(tmp_path / "named-0.json")]) == 0
    out = capsys.readouterr()
    assert "cases[2]" in out.err and "Matti" not in out.err and out.err.count("\n") == 1


def test_a_name_used_as_the_case_code_is_not_repeated_in_the_warning() -> None:
    bundle = _bundle()
    bundle["cases"][5]["code"] = "Virtanen"
    warnings: list[PrivacyWarning] = []
    parse(json.dumps(bundle), T, warnings)
    assert [(w.case, list(w.fields)) for w in warnings] == [("cases[5]", ["code"])]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    code=identity_codes(),
    cut=st.integers(min_value=6, max_value=8),
    keys=st.sampled_from([("health", "general"), ("housing", "finances"), ("general", "decision")]),
)
def test_an_identity_code_split_across_two_texts_refuses_the_bundle(
    code: str, cut: int, keys: tuple[str, str]
) -> None:
    """Each half is clean alone; together they are a code: the refusal names both fields."""
    bundle = _bundle()
    index = _decided(bundle)
    case = bundle["cases"][index]
    first, rest = code[:cut], code[cut:]
    texts = (f"syntymäaika {first}", f"loppuosa {rest}")
    assume(not any(refusals(text) for text in texts))  # a half that is an identifier alone
    fields = []
    for key, text in zip(keys, texts, strict=True):
        if key == "decision":
            case["team_decision"]["note"] = text
            fields.append("team_decision.note")
        else:
            case["notes"][key] = text
            fields.append(f"notes.{key}")
    with pytest.raises(BundleError) as refused:
        parse(json.dumps(bundle), T)
    message = str(refused.value)
    assert all(field in message for field in fields), message
    assert first not in message and rest not in message
