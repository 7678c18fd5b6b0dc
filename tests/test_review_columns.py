"""The review list fits 80 columns in every language and never cuts a word."""

from __future__ import annotations

import pytest

from consult.i18n import Translator
from consult.screens.review_columns import review_columns, row_width, value_words


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_review_row_fits_80_columns_and_every_word_its_column(lang: str) -> None:
    t = Translator(lang)
    assert row_width(t) + 2 <= 80  # and a vertical scrollbar
    widths = {key: width for key, _, width in review_columns(t)}
    for key, label, width in review_columns(t):
        assert len(label) <= width, (key, label)
    for key, words in value_words(t).items():
        assert all(len(word) <= widths[key] for word in words), (key, words)


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_month_letters_are_the_first_letters_of_their_words(lang: str) -> None:
    t = Translator(lang)
    for path in ("tym", "bilateral", "social_services", "own_service"):
        assert t(f"primary_short.{path}").startswith(t(f"month_letter.{path}")), path
