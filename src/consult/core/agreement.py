"""How alike trainees score: per domain, agreement with the reference and among the raters;
per case, how many reached the reference path. Pure functions over plain data.

The weighted kappa is Cohen's with quadratic weights, averaged over every pair of trainees
who both rated a case (the usual extension to many raters); it is None where it is not
defined (fewer than two raters with overlapping cases, or no spread in the levels).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

from consult.core.instrument import DOMAIN_KEYS, LEVELS

# ratings[trainee][case][domain] = level 1–5, or None for "not assessed"
Ratings = Mapping[str, Mapping[str, Mapping[str, int | None]]]


@dataclass(frozen=True, slots=True)
class DomainAgreement:
    domain: str
    pairs: int  # trainee × case ratings compared with the reference
    exact: float | None
    within_one: float | None
    kappa: float | None


@dataclass(frozen=True, slots=True)
class CaseAgreement:
    case_id: str
    trainees: int
    reached_reference: int


def weighted_kappa(
    first: Sequence[int], second: Sequence[int], categories: Sequence[int] = LEVELS
) -> float | None:
    """Cohen's kappa with quadratic weights for two raters' paired ratings. Identical ratings
    are full agreement, 1, even when chance agreement is full too (one level throughout)."""
    n = len(first)
    if n == 0 or n != len(second):
        return None
    span = (max(categories) - min(categories)) ** 2
    observed = sum((a - b) ** 2 for a, b in zip(first, second, strict=True)) / span / n
    expected = sum(
        (first.count(i) / n) * (second.count(j) / n) * (i - j) ** 2 / span
        for i in categories
        for j in categories
    )
    if observed == 0:
        return 1.0
    if expected == 0:
        return None
    return 1 - observed / expected


def domain_agreement(
    ratings: Ratings, reference: Mapping[str, Mapping[str, int | None]]
) -> list[DomainAgreement]:
    out = []
    trainees = sorted(ratings)
    for domain in DOMAIN_KEYS:
        exact = within = compared = 0
        for trainee in trainees:
            for case_id, levels in ratings[trainee].items():
                mine, ref = levels.get(domain), reference.get(case_id, {}).get(domain)
                if mine is None or ref is None:
                    continue
                compared += 1
                exact += mine == ref
                within += abs(mine - ref) <= 1
        kappas = []
        for a, b in combinations(trainees, 2):
            shared = [
                (mine, theirs)
                for c in ratings[a]
                if c in ratings[b]
                and (mine := ratings[a][c].get(domain)) is not None
                and (theirs := ratings[b][c].get(domain)) is not None
            ]
            if shared:
                kappa = weighted_kappa([x for x, _ in shared], [y for _, y in shared])
                if kappa is not None:
                    kappas.append(kappa)
        out.append(
            DomainAgreement(
                domain=domain,
                pairs=compared,
                exact=exact / compared if compared else None,
                within_one=within / compared if compared else None,
                kappa=sum(kappas) / len(kappas) if kappas else None,
            )
        )
    return out


def case_agreement(
    primaries: Mapping[str, Mapping[str, str]], reference: Mapping[str, str]
) -> list[CaseAgreement]:
    """primaries[trainee][case] = the trainee's recommendation; reference[case] = the reference one."""
    out = []
    for case_id in sorted(reference):
        reached = [p[case_id] for p in primaries.values() if case_id in p]
        out.append(CaseAgreement(case_id, len(reached), sum(r == reference[case_id] for r in reached)))
    return out
