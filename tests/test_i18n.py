"""The catalogs are complete and every key the code asks for exists."""

import json
import re
import string
from collections import defaultdict
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import consult
from consult.i18n import Translator, catalog, catalog_part

SOURCE = Path(consult.__file__).parent  # what pip installed, not the checkout


def _fields(text: str | dict[str, str]) -> set[str]:
    forms = text.values() if isinstance(text, dict) else [text]
    return {name.split("!")[0] for form in forms for _, name, _, _ in string.Formatter().parse(form) if name}


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_every_catalog_holds_the_same_keys_and_placeholders_as_finnish(lang: str) -> None:
    fi, other = catalog("fi"), catalog(lang)
    assert sorted(set(fi) - set(other)) == [] and sorted(set(other) - set(fi)) == []
    for key in fi:
        assert _fields(fi[key]) == _fields(other[key]), key
        # A counted message is counted in every language, and by ``count``.
        assert isinstance(fi[key], dict) == isinstance(other[key], dict), key
        if isinstance(fi[key], dict):
            assert "count" in _fields(fi[key]), key


def _homes(lang: str) -> dict[str, set[str]]:
    """Each key prefix (the part before the first dot) and the catalog files that hold it."""
    homes: dict[str, set[str]] = defaultdict(set)
    for path in (SOURCE / "i18n" / lang).glob("*.json"):
        for key in json.loads(path.read_text("utf-8")):
            homes[key.split(".")[0]].add(path.name)
    return homes


def test_every_language_has_the_same_catalog_files() -> None:
    files = {
        lang: sorted(p.name for p in (SOURCE / "i18n" / lang).glob("*.json")) for lang in ("fi", "sv", "en")
    }
    assert files["fi"], "no catalog files found"
    assert files["sv"] == files["fi"] and files["en"] == files["fi"]


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_a_key_prefix_lives_in_one_file_the_same_in_every_language(lang: str) -> None:
    # A screen's words are found in one place: review.* in review.json, not spread over several.
    homes = _homes(lang)
    assert {prefix: sorted(files) for prefix, files in homes.items() if len(files) > 1} == {}
    assert homes == _homes("fi")


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_one_file_of_a_catalog_is_its_prefix_whole(lang: str) -> None:
    reasons = {k: v for k, v in catalog(lang).items() if k.split(".")[0] == "reasons"}
    assert reasons and catalog_part(lang, "reasons") == reasons


@pytest.mark.parametrize(
    "lang,one,two,many",
    [
        ("fi", "1 tapaus", "2 tapausta", "12 345 tapausta"),
        ("sv", "1 ärende", "2 ärenden", "12 345 ärenden"),
        ("en", "1 case", "2 cases", "12,345 cases"),
    ],
)
def test_counts_take_the_plural_of_their_language(lang: str, one: str, two: str, many: str) -> None:
    t = Translator(lang)
    shown = [t("count.cases", count=n).replace("\u00a0", " ") for n in (1, 2, 12345)]
    assert shown == [one, two, many]


def test_numbers_follow_the_locale() -> None:
    assert Translator("fi").number(12345.6).replace("\u00a0", " ") == "12 345,6"
    assert Translator("sv").number(12345.6).replace("\u00a0", " ") == "12 345,6"
    assert Translator("en").number(12345.6) == "12,345.6"


def test_every_key_used_in_code_exists() -> None:
    fi = catalog("fi")
    pattern = re.compile(r"""\bt\(\s*["']([a-z_]+\.[a-z0-9_.-]+)["']""")
    used = {m for path in SOURCE.rglob("*.py") for m in pattern.findall(path.read_text("utf-8"))}
    assert used, "the scan found no keys: the pattern is broken"
    assert sorted(used - set(fi)) == []
    bindings = {
        m
        for path in SOURCE.rglob("*.py")
        for m in re.findall(r'"(binding\.[a-z_]+)"', path.read_text("utf-8"))
    }
    assert sorted(bindings - set(fi)) == []


@pytest.mark.parametrize(
    "prefix,values",
    [
        ("primary", ["tym", "bilateral", "social_services", "own_service"]),
        ("flag", ["safety", "urgent", "insufficient_data", "bring_to_team"]),
        ("status", ["draft", "awaiting_team", "referred_directly", "team_decided"]),
        ("need", ["social", "health"]),
        ("org", ["employment", "kela", "welfare"]),
        ("answer", ["yes", "no", "unsure"]),
    ],
)
def test_every_value_has_words(prefix: str, values: list[str]) -> None:
    for lang in ("fi", "sv", "en"):
        for value in values:
            assert f"{prefix}.{value}" in catalog(lang)


def test_swedish_is_written_not_borrowed() -> None:
    fi, sv = catalog("fi"), catalog("sv")

    # Proper names and codes may read the same in both; sentences may not.
    def words(text: str) -> list[str]:
        return [w for w in re.sub(r"\{[^}]*\}", " ", text).split() if w.isalpha()]

    same = [k for k in fi if fi[k] == sv[k] and isinstance(fi[k], str) and len(words(fi[k])) > 1]
    assert same == []


def _localized_texts(value: object) -> list[dict]:
    """Every {"fi": …} text in a data file, wherever it sits."""
    if isinstance(value, dict):
        if "fi" in value:
            return [value]
        return [text for v in value.values() for text in _localized_texts(v)]
    if isinstance(value, list | tuple):
        return [text for v in value for text in _localized_texts(v)]
    return []


def test_the_instrument_demo_cases_and_reasons_speak_every_language() -> None:
    import json

    from consult.scoring.rules import RULES

    instrument = json.loads((SOURCE / "data" / "pohjois-savo-2025.json").read_text("utf-8"))
    demo = json.loads((SOURCE / "demo" / "cases.json").read_text("utf-8"))
    reasons = [dict(text) for rules in RULES.values() for text in rules.reasons.values()]
    texts = _localized_texts(instrument) + _localized_texts(demo) + reasons
    assert len(texts) > 100
    for text in texts:
        assert {"fi", "sv", "en"} <= set(text), text["fi"]
        assert _fields(text["sv"]) == _fields(text["fi"]), text["fi"]


@given(st.integers(min_value=0, max_value=10**7), st.sampled_from(["fi", "sv", "en"]))
def test_only_one_takes_the_singular(count: int, lang: str) -> None:
    t = Translator(lang)
    form = "one" if count == 1 else "other"
    expected = catalog(lang)["count.cases"][form].format(count=t.number(count))  # type: ignore[index]
    assert t("count.cases", count=count) == expected
