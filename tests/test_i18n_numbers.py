"""Whole numbers and their plurals are written without Babel (home's count comes before Babel
is imported): the text must be Babel's own, in every language."""

from __future__ import annotations

import pytest
from babel.core import Locale
from babel.numbers import format_decimal
from hypothesis import given
from hypothesis import strategies as st

from consult.i18n.formats import INTEGER_GROUP, LOCALES, format_number, plural_form

integers = st.integers(-(10**24), 10**24) | st.integers(-2000, 2000)


@pytest.mark.parametrize("lang", sorted(INTEGER_GROUP))
@given(value=integers)
def test_a_whole_number_is_written_as_babel_writes_it(lang: str, value: int) -> None:
    assert format_number(value, lang) == format_decimal(value, locale=Locale.parse(LOCALES[lang]))


@pytest.mark.parametrize("lang", sorted(INTEGER_GROUP))
@given(value=integers)
def test_a_whole_numbers_plural_is_babels(lang: str, value: int) -> None:
    assert plural_form(lang, value) == Locale.parse(LOCALES[lang]).plural_form(value)


def test_every_language_has_a_way_to_write_whole_numbers() -> None:
    assert set(INTEGER_GROUP) == set(LOCALES)
