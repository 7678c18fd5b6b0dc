"""`rules suggest` in words: only candidates that agree with the team better than the rules in
force are listed, described in words; when none does, it says so plainly."""

from __future__ import annotations

from consult.i18n import Translator
from consult.scoring.search import Candidate, Search
from consult.scoring.words import search_lines


def _search(*agrees: int) -> Search:
    return Search(
        baseline=Candidate((), 97, 0.9, 0),
        candidates=tuple(Candidate((("levels.challenge", 4),), a, 0.9, 3) for a in agrees),
        decided=106,
        cases=120,
    )


def test_equal_candidates_are_no_suggestion() -> None:
    text = "\n".join(search_lines(_search(97, 97, 97), "ps-2025.1", Translator("fi")))
    assert "Mikään kokeiltu muutos ei vastaa tiimin päätöksiä paremmin" in text
    assert "levels.challenge" not in text and "1." not in text.split("paremmin")[1].split("Mitään")[0]


def test_a_better_candidate_is_described_in_words() -> None:
    text = "\n".join(search_lines(_search(99, 97), "ps-2025.1", Translator("en")))
    assert "1. a challenge from level 4 (levels.challenge = 4)" in text
    assert "2." not in text and "No change tried" not in text


def test_a_compare_that_changes_nothing_says_why() -> None:
    from consult.scoring.compare import Comparison, square
    from consult.scoring.words import comparison_lines

    comparison = Comparison(
        candidate="x",
        cases=12,
        transitions=square(),
        decided=0,
        stored_agree=0,
        candidate_agree=0,
        stored_kappa=None,
        candidate_kappa=None,
        candidate_confusion=square(),
        changes=(),
    )
    text = "\n".join(comparison_lines(comparison, "ps-2025.1", Translator("fi")))
    assert "Yhdenkään tapauksen polku ei muutu" in text


def test_one_decided_case_is_said_in_the_singular() -> None:
    from consult.scoring.compare import TeamAgreement
    from consult.scoring.words import agreement_line

    fields = {f: None for f in TeamAgreement.__dataclass_fields__}
    fields.update(decided=1, agree=1, kappa=None, overruled=None)
    line = agreement_line(TeamAgreement(**fields), Translator("fi"))  # type: ignore[arg-type]
    assert "Tiimi päätti 1 tapauksen" in line
