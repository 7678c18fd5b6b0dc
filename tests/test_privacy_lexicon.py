"""The guard reads Voikko's lexicon with a reader of its own (``consult.privacy.lexicon``: 6 MiB
where pyvoikko's loader takes 220 MiB). Word for word it must read what pyvoikko reads: the
same word classes and base forms, for names in their inflected forms, everyday words, words
it does not know and strings of any characters."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consult.privacy.lexicon import Lexicon, LexiconError, analyse, lexicon, transducer_file

ROOT = Path(__file__).resolve().parents[1]


def pyvoikko_readings(word: str) -> list[tuple[str, str]]:
    import pyvoikko

    return sorted((a.CLASS, a.BASEFORM) for a in pyvoikko.analyse(word))


def readings(word: str) -> list[tuple[str, str]]:
    return sorted(analyse(word))


def words_of_the_project() -> list[str]:
    """Every word of the name lists, the catalogs, the rules and the test notes, as written and
    in lower case: names, their inflections and everyday Finnish and Swedish."""
    sources = [
        *(ROOT / "src" / "consult" / "data").glob("*.txt"),
        *(ROOT / "src" / "consult" / "i18n" / "fi").glob("*.json"),
        *(ROOT / "src" / "consult" / "i18n" / "sv").glob("*.json"),
        *(ROOT / "tests" / "data").glob("*.txt"),
        ROOT / "tests" / "test_privacy_disguises.py",
    ]
    words: set[str] = set()
    for source in sources:
        for word in re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)?", source.read_text("utf-8")):
            words.update((word, word.lower()))
    return sorted(words)


def test_every_word_of_the_project_reads_as_pyvoikko_reads_it() -> None:
    words = words_of_the_project()
    rng = random.Random(7)  # a sample keeps the test quick; any word may be drawn
    sample = rng.sample(words, min(len(words), 1500))
    differ = [w for w in sample if readings(w) != pyvoikko_readings(w)]
    assert not differ, differ[:10]


@settings(max_examples=300)
@given(st.text(alphabet="abdefghijklmnoprstuvyäöåéšž-'AEKMSTÄ ", min_size=1, max_size=14))
def test_any_string_reads_as_pyvoikko_reads_it(word: str) -> None:
    assert readings(word) == pyvoikko_readings(word)


def test_names_and_words_are_told_apart() -> None:
    assert ("sukunimi", "Kauhanen") in readings("kauhasen")
    assert ("nimisana", "asiakas") in readings("asiakkaan")
    assert {c for c, _ in readings("toivo")} >= {"nimisana", "etunimi"}
    assert readings("xqzzv") == []


def test_the_lexicon_is_small() -> None:
    """What the reader keeps: four arrays of the arcs and one of where each state starts."""
    held = lexicon()
    arrays = (held._to, held._input, held._output, held._starts)
    assert sum(a.itemsize * len(a) for a in arrays) < 10 * 2**20


def test_a_file_that_is_not_a_transducer_is_refused() -> None:
    with pytest.raises(LexiconError):
        Lexicon(b"not a transducer")
    data = transducer_file().read_bytes()
    with pytest.raises(LexiconError):
        Lexicon(data[:4] + b"\x00\x01" + data[6:])  # a version this reader does not know


def test_a_case_code_costs_no_lookup_and_a_known_compound_after_a_name_is_still_asked() -> None:
    """A hyphenated word of abbreviations and lower-case parts (a case code, TE-toimisto) is
    skipped; the lexicon is asked about it whole only where it stands right after a name, as a
    word there is pointed out with the name."""
    from consult.privacy import morphology
    from consult.privacy.normalise import normalise
    from consult.store.codes import new_code

    morphology.morphology_names(normalise("Warsamen kanssa"))  # the lexicon read
    before = morphology._analyses.cache_info()
    codes = {new_code() for _ in range(300)}
    assert all(morphology.morphology_names(normalise(code)) == [] for code in codes)
    after = morphology._analyses.cache_info()
    assert (after.hits, after.misses) == (before.hits, before.misses)

    assert morphology.morphology_names(normalise("Warsamen EU-maassa")) == [(0, 8), (9, 18)]
    assert morphology.morphology_names(normalise("Warsamen TE-toimisto")) == [(0, 8)]
    assert morphology.morphology_names(normalise("Tapasin EU-maassa")) == []
