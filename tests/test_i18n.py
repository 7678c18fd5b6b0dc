"""The catalogs are complete and every key the code asks for exists."""

import re
import string
from pathlib import Path

import pytest

import consult
from consult.i18n import Translator, catalog

SOURCE = Path(consult.__file__).parent  # what pip installed, not the checkout


def _fields(text: str) -> set[str]:
    return {name.split("!")[0] for _, name, _, _ in string.Formatter().parse(text) if name}


def test_finnish_and_english_hold_the_same_keys_and_placeholders() -> None:
    fi, en = catalog("fi"), catalog("en")
    assert set(fi) == set(en)
    for key in fi:
        assert _fields(fi[key]) == _fields(en[key]), key


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
    for lang in ("fi", "en"):
        for value in values:
            assert f"{prefix}.{value}" in catalog(lang)


def test_swedish_falls_back_to_finnish_until_written() -> None:
    assert Translator("sv")("result.title") == Translator("fi")("result.title")
