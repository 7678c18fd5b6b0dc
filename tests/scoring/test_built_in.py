"""The built-in rules are data: a TOML file read by the region files' parser, the reasons' words
in the catalogs."""

from __future__ import annotations

from importlib import resources

import pytest

from consult.i18n import catalog
from consult.scoring import rules_file
from consult.scoring.rules import BUILT_IN, CURRENT_RULES, PS_2025_1, RULES
from consult.scoring.rules_file import built_in_rules, parse_rules, same_rules


def _shipped() -> str:
    return resources.files("consult.scoring").joinpath("ps-2025.1.toml").read_text("utf-8")


def test_the_built_in_rules_are_parsed_once() -> None:
    assert built_in_rules() is BUILT_IN is RULES
    assert CURRENT_RULES is PS_2025_1 is BUILT_IN["ps-2025.1"]


def test_every_reason_takes_its_words_from_the_catalogs() -> None:
    names = {k.removeprefix("reasons.") for k in catalog("fi") if k.startswith("reasons.")}
    assert set(PS_2025_1.reasons) == names
    for name, texts in PS_2025_1.reasons.items():
        assert dict(texts) == {lang: catalog(lang)[f"reasons.{name}"] for lang in ("fi", "sv", "en")}


def test_the_shipped_file_read_as_a_region_file_gives_the_same_rules() -> None:
    # The same parser: on top of itself, the complete file changes nothing.
    assert same_rules(parse_rules(_shipped()), PS_2025_1)


@pytest.mark.parametrize("cut", ["min_assessed = 5\n", "kela_needs = []\n", "challenge = 3\n"])
def test_a_built_in_file_must_name_every_key(cut: str) -> None:
    text = _shipped()
    assert cut in text
    with pytest.raises(ValueError, match="every key"):
        rules_file._complete(text.replace(cut, ""), PS_2025_1.reasons)
