"""Agreement figures against values worked out by hand."""

import pytest

from consult.core.agreement import case_agreement, domain_agreement, weighted_kappa
from consult.core.instrument import DOMAIN_KEYS

CASES = ["c1", "c2", "c3", "c4"]


def levels(values: list[int | None], domain: str = "housing") -> dict[str, dict[str, int | None]]:
    return {case: {**dict.fromkeys(DOMAIN_KEYS), domain: v} for case, v in zip(CASES, values, strict=True)}


def test_weighted_kappa_by_hand() -> None:
    assert weighted_kappa([1, 2, 3, 4], [1, 2, 3, 4]) == pytest.approx(1.0)
    # Every rating one level higher: observed Σw·O = 1/16, expected Σw·E = 56/256 → 1 − (1/16)/(56/256) = 5/7.
    assert weighted_kappa([1, 2, 3, 4], [2, 3, 4, 5]) == pytest.approx(5 / 7)
    # Reversed: observed (9+1+1+9)/16/4 = 20/64, expected 40/256 → 1 − 0.3125/0.15625 = −1.
    assert weighted_kappa([1, 2, 3, 4], [4, 3, 2, 1]) == pytest.approx(-1.0)
    # No spread but identical ratings: full agreement reads as full agreement (1), as elsewhere.
    assert weighted_kappa([3, 3, 3], [3, 3, 3]) == pytest.approx(1.0)
    assert weighted_kappa([], []) is None


def test_three_trainees_per_domain() -> None:
    reference = levels([1, 2, 3, 4])
    ratings = {"aalto": levels([1, 2, 3, 4]), "koivu": levels([1, 2, 3, 4]), "kuusi": levels([2, 3, 4, 5])}
    by_domain = {d.domain: d for d in domain_agreement(ratings, reference)}
    housing = by_domain["housing"]
    assert housing.pairs == 12
    assert housing.exact == pytest.approx(8 / 12)
    assert housing.within_one == pytest.approx(1.0)
    assert housing.kappa == pytest.approx((1 + 5 / 7 + 5 / 7) / 3)  # = 17/21
    assert by_domain["health"].pairs == 0 and by_domain["health"].kappa is None


def test_not_assessed_is_left_out_not_counted_as_disagreement() -> None:
    reference = levels([1, 2, 3, 4])
    ratings = {"aalto": levels([1, None, 3, 4]), "koivu": levels([1, 2, None, 5])}
    housing = next(d for d in domain_agreement(ratings, reference) if d.domain == "housing")
    assert housing.pairs == 6
    assert housing.exact == pytest.approx(5 / 6)
    assert housing.within_one == pytest.approx(1.0)
    # The pair shares c1 and c4 only: (1,1), (4,5).
    assert housing.kappa == pytest.approx(weighted_kappa([1, 4], [1, 5]))


def test_how_many_reached_the_reference_path() -> None:
    primaries = {
        "aalto": {"c1": "tym", "c2": "bilateral"},
        "koivu": {"c1": "tym", "c2": "tym"},
        "kuusi": {"c1": "bilateral"},
    }
    result = case_agreement(primaries, {"c1": "tym", "c2": "bilateral", "c3": "own_service"})
    assert [(c.case_id, c.trainees, c.reached_reference) for c in result] == [
        ("c1", 3, 2),
        ("c2", 2, 1),
        ("c3", 0, 0),
    ]
