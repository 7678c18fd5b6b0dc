"""``consult rules suggest``: a small, documented grid of thresholds tried against the team's
decisions, one or two keys at a time. A starting point for the team's discussion; nothing here
is ever put in force.

The grid (only keys that can move a recommendation; the flags' thresholds cannot):

- ``levels.challenge``: 2, 3, 4
- ``levels.acute``: 4, 5
- ``thresholds.bilateral_max_orgs``: 1, 2, 3
- ``thresholds.multi_support_min_challenges``: 2, 3, 4, 5
- ``thresholds.joint_plan_min_challenges``: 2, 3, 4, 5
- ``thresholds.joint_plan_employment_level``: 2, 3, 4

Every single change from the rules in force, and every pair of changes to two different keys:
about a hundred candidates.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from itertools import combinations
from typing import Any

from consult.scoring.compare import StoredCase, kappa, own_answers
from consult.scoring.engine import primary_only
from consult.scoring.rules import RulesDefinition

GRID: tuple[tuple[str, str, tuple[int, ...]], ...] = (
    # (TOML key, field of the definition, values tried)
    ("levels.challenge", "challenge_level", (2, 3, 4)),
    ("levels.acute", "acute_level", (4, 5)),
    ("thresholds.bilateral_max_orgs", "bilateral_max_orgs", (1, 2, 3)),
    ("thresholds.multi_support_min_challenges", "multi_support_min_challenges", (2, 3, 4, 5)),
    ("thresholds.joint_plan_min_challenges", "joint_plan_min_challenges", (2, 3, 4, 5)),
    ("thresholds.joint_plan_employment_level", "joint_plan_employment_level", (2, 3, 4)),
)
TOO_FEW_DECIDED = 30
SHOWN = 5


@dataclass(frozen=True, slots=True)
class Candidate:
    changes: tuple[tuple[str, int], ...]  # (TOML key, value)
    agree: int
    kappa: float | None
    changed_cases: int

    def toml(self, version: str, based_on: str) -> str:
        """The few lines of a rules file that would try this candidate."""
        lines = [f'version = "{version}"', f'based_on = "{based_on}"']
        sections: dict[str, list[str]] = {}
        for key, value in self.changes:
            section, name = key.split(".")
            sections.setdefault(section, []).append(f"{name} = {value}")
        for section, entries in sections.items():
            lines += [f"[{section}]", *entries]
        return "\n".join(lines) + "\n"


@dataclass(frozen=True, slots=True)
class Search:
    baseline: Candidate  # the rules in force, no change
    candidates: tuple[Candidate, ...]
    decided: int
    cases: int

    @property
    def too_few(self) -> bool:
        return self.decided < TOO_FEW_DECIDED


def _variants(rules: RulesDefinition) -> Iterable[tuple[tuple[str, int], ...]]:
    singles = [
        [(key, value) for value in values if value != getattr(rules, attribute)]
        for key, attribute, values in GRID
    ]
    for options in singles:
        for option in options:
            yield (option,)
    for first, second in combinations(singles, 2):
        for a in first:
            for b in second:
                yield (a, b)


def search(cases: Sequence[StoredCase], rules: RulesDefinition, shown: int = SHOWN) -> Search:
    """The ``shown`` candidates that agree most with the team (ties: fewer changed cases,
    then fewer changed keys)."""
    # Cases alike in everything the rules read are scored once, weighted by how many they are.
    groups = Counter(
        (c.levels, own_answers(c.answers, c.suggested), c.jobseeker, c.primary, c.team) for c in cases
    )
    fields = {key: attribute for key, attribute, _ in GRID}

    def measure(changes: tuple[tuple[str, int], ...], candidate: RulesDefinition) -> Candidate:
        pairs: list[tuple[str, str]] = []
        changed = agree = 0
        for (levels, answers, jobseeker, stored, team), weight in groups.items():
            new = primary_only(levels, answers, jobseeker, candidate)
            if new != stored:
                changed += weight
            if team is not None:
                pairs += [(new, team)] * weight
                agree += weight if new == team else 0
        return Candidate(changes, agree, kappa(pairs), changed)

    baseline = measure((), rules)
    measured = [
        measure(changes, _changed(rules, {fields[k]: v for k, v in changes})) for changes in _variants(rules)
    ]
    # A candidate that moves no case is the rules in force under another name.
    measured = [c for c in measured if c.changed_cases]
    measured.sort(key=lambda c: (-c.agree, c.changed_cases, len(c.changes)))
    decided = sum(1 for c in cases if c.team is not None)
    return Search(baseline, tuple(measured[:shown]), decided, len(cases))


def _changed(rules: RulesDefinition, thresholds: dict[str, int]) -> RulesDefinition:
    """The rules with some thresholds changed (every key of the grid names a number field)."""
    values: dict[str, Any] = dict(thresholds)
    return replace(rules, **values)
