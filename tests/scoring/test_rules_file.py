"""Rules as a TOML file: the built-in written out and read back decides alike, a file names only
what differs, and every bad key is refused naming the key."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consult.core.instrument import DOMAIN_KEYS
from consult.core.model import Assessment
from consult.scoring import evaluate
from consult.scoring.rules import PS_2025_1, RulesDefinition
from consult.scoring.rules_file import RulesError, parse_rules, same_rules, to_toml
from tests.scoring.strategies import answer_dicts, context_dicts, score_dicts

domains = st.lists(st.sampled_from(DOMAIN_KEYS), unique=True)
thresholds = st.integers(min_value=0, max_value=7)
levels = st.integers(min_value=1, max_value=5)


@st.composite
def rules_definitions(draw: st.DrawFn) -> RulesDefinition:
    """Rules a region could write: any levels, thresholds, domain lists and org triggers."""
    return replace(
        PS_2025_1,
        version=draw(st.from_regex(r"[A-Za-z0-9._-]{1,20}", fullmatch=True)),
        challenge_level=draw(levels),
        acute_level=draw(levels),
        acute_domains=tuple(draw(domains)),
        # Tables merge over the base key by key, so a file can change a flag but not drop it.
        acute_flags={
            "relations": "safety",
            "housing": "urgent",
            **draw(st.dictionaries(st.sampled_from(DOMAIN_KEYS), st.sampled_from(["safety", "urgent"]))),
        },
        need_domains={"social": tuple(draw(domains)), "health": tuple(draw(domains))},
        org_levels={
            "employment": {**draw(st.dictionaries(st.sampled_from(DOMAIN_KEYS), levels)), "employment": 3},
            "kela": {
                "finances": 3,
                "affairs": 4,
                "health": 3,
                **draw(st.dictionaries(st.sampled_from(DOMAIN_KEYS), levels)),
            },
        },
        org_needs={
            "welfare": tuple(draw(st.lists(st.sampled_from(["social", "health"]), unique=True, min_size=1)))
        },
        min_assessed=draw(thresholds),
        bilateral_max_orgs=draw(thresholds),
        multi_support_min_challenges=draw(thresholds),
        joint_plan_min_challenges=draw(thresholds),
        joint_plan_employment_level=draw(thresholds),
        borderline_min_challenges=draw(thresholds),
    )


def _assessment(scores: dict, answers: dict, context: dict) -> Assessment:
    return Assessment.model_validate({"scores": scores, "answers": answers, "context": context})


def test_the_built_in_rules_written_out_read_back_the_same() -> None:
    text = to_toml(PS_2025_1)
    again = parse_rules(text)
    assert same_rules(again, PS_2025_1)
    assert again.version == "ps-2025.1"
    assert to_toml(again) == text


@settings(max_examples=150, deadline=None)
@given(
    rules_definitions(),
    st.lists(st.tuples(score_dicts, answer_dicts, context_dicts), min_size=1, max_size=20),
)
def test_show_then_check_gives_the_same_results(rules: RulesDefinition, inputs: list) -> None:
    """show → check → the same recommendation, reasons included, in both languages."""
    again = parse_rules(to_toml(rules))
    assert to_toml(again) == to_toml(rules)
    for scores, answers, context in inputs:
        assessment = _assessment(scores, answers, context)
        for lang in ("fi", "en"):
            assert evaluate(assessment, lang, again) == evaluate(assessment, lang, rules)


def test_a_file_names_only_what_differs() -> None:
    rules = parse_rules(
        'version = "kuopio-2026.1"\nbased_on = "ps-2025.1"\n'
        "[thresholds]\nmulti_support_min_challenges = 2\n"
        "[orgs]\nkela = { finances = 4 }\n"
        '[reasons.tym]\nen = "Coordinated services."\n'
    )
    assert rules.multi_support_min_challenges == 2
    assert rules.joint_plan_min_challenges == 3  # from the base
    # A table is merged key by key: one trigger changed, the others kept.
    assert dict(rules.org_levels["kela"]) == {"finances": 4, "affairs": 4, "health": 3}
    assert rules.reasons["tym"]["en"] == "Coordinated services."
    assert rules.reasons["tym"]["fi"] == PS_2025_1.reasons["tym"]["fi"]


def test_a_file_may_be_based_on_an_activated_version() -> None:
    first = parse_rules('version = "a-1"\n[levels]\nchallenge = 2\n')
    second = parse_rules('version = "a-2"\nbased_on = "a-1"\n', {"a-1": first})
    assert second.challenge_level == 2


@pytest.mark.parametrize(
    "text,key",
    [
        ('version = "x"\ncolour = 1\n', "colour"),
        ('version = "x"\n[thresholds]\nmin_assessed = 9\n', "thresholds.min_assessed"),
        (
            'version = "x"\n[thresholds]\nborderline_min_challenges = -1\n',
            "thresholds.borderline_min_challenges",
        ),
        ('version = "x"\n[thresholds]\nmin_assessed = "5"\n', "thresholds.min_assessed"),
        ('version = "x"\n[thresholds]\nmin_assessed = true\n', "thresholds.min_assessed"),
        ('version = "x"\n[thresholds]\nmaximum = 3\n', "thresholds.maximum"),
        ('version = "x"\n[levels]\nchallenge = 0\n', "levels.challenge"),
        ('version = "x"\n[levels]\nacute = 6\n', "levels.acute"),
        ('version = "x"\n[levels]\nsevere = 4\n', "levels.severe"),
        ('version = "x"\n[acute]\ndomains = ["housing", "garden"]\n', "acute.domains"),
        ('version = "x"\n[acute]\nflags = { garden = "urgent" }\n', "acute.flags.garden"),
        ('version = "x"\n[acute]\nflags = { housing = "panic" }\n', "acute.flags.housing"),
        ('version = "x"\n[needs]\nsocial = ["affairs", "garden"]\n', "needs.social"),
        ('version = "x"\n[needs]\nmoney = ["finances"]\n', "needs.money"),
        ('version = "x"\n[orgs]\nkela = { garden = 3 }\n', "orgs.kela.garden"),
        ('version = "x"\n[orgs]\nkela = { finances = 7 }\n', "orgs.kela.finances"),
        ('version = "x"\n[orgs]\nschool = { finances = 3 }\n', "orgs.school"),
        ('version = "x"\n[orgs]\nwelfare_needs = ["money"]\n', "orgs.welfare_needs"),
        ('version = "x"\n[reasons.nonsense]\nfi = "a"\n', "reasons.nonsense.fi"),
        ('version = "x"\n[reasons.tym]\nde = "a"\n', "reasons.tym.de"),
        ('version = "x"\n[reasons.tym]\nfi = "a {count}"\n', "reasons.tym.fi"),
        ('version = "x"\nlevels = 3\n', "levels"),
        ('version = "a version name that is far too long"\n', "version"),
        ('version = "sp ace"\n', "version"),
        ('based_on = "ps-2025.1"\n', "version"),
        ('version = "x"\nbased_on = "nowhere-1"\n', "based_on"),
        ('version = "x"\n[thresholds\n', "toml"),
    ],
)
def test_every_problem_names_its_key(text: str, key: str) -> None:
    with pytest.raises(RulesError) as raised:
        parse_rules(text)
    assert raised.value.key == key


@given(
    st.sampled_from(
        [
            "min_assessed",
            "bilateral_max_orgs",
            "multi_support_min_challenges",
            "joint_plan_min_challenges",
            "joint_plan_employment_level",
            "borderline_min_challenges",
        ]
    ),
    st.integers(min_value=-100, max_value=100),
)
def test_thresholds_outside_0_to_7_are_refused(name: str, value: int) -> None:
    text = f'version = "x"\n[thresholds]\n{name} = {value}\n'
    if 0 <= value <= 7:
        assert getattr(parse_rules(text), name) == value
    else:
        with pytest.raises(RulesError) as raised:
            parse_rules(text)
        assert raised.value.key == f"thresholds.{name}"


def test_every_error_has_words_in_both_languages() -> None:
    import re
    from pathlib import Path

    from consult.i18n import catalog
    from consult.scoring import rules_file

    source = Path(rules_file.__file__).read_text("utf-8")
    codes = set(re.findall(r'RulesError\([^,]+, "([a-z_]+)"', source)) | {"unknown_domain", "unknown_need"}
    assert codes
    for lang in ("fi", "en"):
        assert sorted(c for c in codes if f"rules.error.{c}" not in catalog(lang)) == []


def test_every_key_and_toml_problem_has_words_in_each_language() -> None:
    """The unknown-key message gives each allowed key's meaning, a TOML problem its phrase."""
    from consult.i18n import catalog
    from consult.scoring.rules_file import SECTION_KEYS, SYNTAX_PROBLEMS, TOP_KEYS

    wanted = {f"rules.key.file.{k}" for k in TOP_KEYS} | {
        f"rules.key.{table}.{k}" for table, keys in SECTION_KEYS.items() for k in keys
    }
    wanted |= {f"rules.toml.{code}" for _, code in SYNTAX_PROBLEMS} | {
        "rules.toml.other",
        "rules.error.syntax_end",
    }
    for lang in ("fi", "sv", "en"):
        assert sorted(k for k in wanted if not catalog(lang).get(k)) == [], lang
