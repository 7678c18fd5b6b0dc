"""An identifier cut in two and written in two texts of one case is found wherever the cut
falls, and two clean notes read together are never taken for one."""

from __future__ import annotations

import random
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from consult.privacy.guard import check_case, refusals
from tests.test_privacy import identity_codes

DATA = Path(__file__).parent / "data"
LABELS = st.sampled_from(["", "syntymäaika ", "hetu ", "tunnus alkaa ", "jatkuu: ", "loppuosa "])


def _refused_together(first: str, second: str) -> list[str]:
    return [f.kind for f in check_case({"notes.a": first, "notes.b": second}) if len(f.fields) > 1]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(code=identity_codes(), cut=st.integers(min_value=1, max_value=10), before=LABELS, after=LABELS)
def test_an_identity_code_cut_anywhere_is_found_across_two_texts(
    code: str, cut: int, before: str, after: str
) -> None:
    first, second = f"{before}{code[:cut]}", f"{after}{code[cut:]}"
    assume(not refusals(first) and not refusals(second))  # a half that is an identifier alone
    assume(len(code[:cut].strip("+-")) > 2 or len(code[cut:]) > 2)
    assert "identity_code" in _refused_together(first, second), (first, second)


@settings(max_examples=60, deadline=None)
@given(
    number=st.sampled_from(["040 123 4567", "050 765 4321", "044 987 6543", "09 123 4567", "017 123 4567"]),
    cut=st.integers(min_value=3, max_value=8),
    after=LABELS,
)
def test_a_phone_number_cut_in_two_is_found_across_two_texts(number: str, cut: int, after: str) -> None:
    first, second = f"soita {number[:cut]}", f"{after}{number[cut:]}"
    assume(not refusals(first) and not refusals(second))
    assume(sum(c.isdigit() for c in number[:cut]) >= 3 and sum(c.isdigit() for c in number[cut:]) >= 3)
    assert "phone" in _refused_together(first, second), (first, second)


def test_two_clean_notes_read_together_are_not_an_identifier() -> None:
    notes = [
        line
        for name in ("clean_notes_fi.txt", "clean_notes_numbers_fi.txt")
        for line in (DATA / name).read_text("utf-8").splitlines()
        if line.strip() and not line.startswith("#") and any(c.isdigit() for c in line)
    ]
    draw = random.Random(11)
    for _ in range(400):
        first, second = draw.sample(notes, 2)
        assert not _refused_together(first, second), (first, second)
