"""Re-scoring stored cases under other rules, to compare, never to overwrite (``scoring.md``,
"Rules as data"), and how the rules agree with the team's decisions.

An answer equal to the stored recommendation's suggestion counts as accepted and takes the new
version's suggestion; an answer that differs is the worker's own and is kept; an absent answer
takes the new suggestion. Pure functions over plain tuples, so 100,000 cases take a second.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from consult.core.instrument import QUESTION_KEYS
from consult.core.model import PRIMARIES, Answers, Assessment, Case
from consult.scoring.engine import primary_only
from consult.scoring.rules import RulesDefinition


@dataclass(frozen=True, slots=True)
class StoredCase:
    """What re-scoring reads of a completed case: levels in instrument order, answers in
    question order, the stored suggestions (None when the stored recommendation has none), the
    stored primary, and the team's newest decision path (None while undecided)."""

    code: str
    levels: tuple[int | None, ...]
    answers: tuple[str | None, ...]
    jobseeker: bool | None
    suggested: tuple[str | None, ...] | None
    primary: str
    team: str | None = None


def own_answers(
    answers: Sequence[str | None], suggested: Sequence[str | None] | None
) -> tuple[str | None, ...]:
    """The answers the worker gave as their own: one equal to the stored suggestion was an
    accepted suggestion and becomes absent, so the new version's suggestion takes its place."""
    if suggested is None:
        return tuple(answers)
    return tuple(None if a == s else a for a, s in zip(answers, suggested, strict=True))


def rescore(case: StoredCase, rules: RulesDefinition) -> str:
    """The primary ``rules`` give a stored case."""
    return primary_only(case.levels, own_answers(case.answers, case.suggested), case.jobseeker, rules)


def rescored_assessment(case: Case) -> Assessment:
    """A stored case as the assessment another version scores (its own answers kept)."""
    given = tuple(getattr(case.answers, k) for k in QUESTION_KEYS)
    stored = case.recommendation
    suggested = tuple(stored.suggested_answers.get(k) for k in QUESTION_KEYS) if stored else None
    kept = own_answers(given, suggested)
    return Assessment(
        scores=case.scores,
        answers=Answers(**dict(zip(QUESTION_KEYS, kept, strict=True))),
        context=case.context,
    )


def kappa(pairs: Sequence[tuple[str, str]]) -> float | None:
    """Cohen's unweighted kappa over the four paths, (po − pe) / (1 − pe); None when there are
    no pairs. When pe = 1 (every pair names one and the same path) the agreement is full: 1."""
    n = len(pairs)
    if n == 0:
        return None
    observed = sum(1 for a, b in pairs if a == b) / n
    first, second = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    expected = sum(first[p] * second[p] for p in PRIMARIES) / (n * n)
    if expected == 1:
        return 1.0
    return (observed - expected) / (1 - expected)


def square() -> dict[str, dict[str, int]]:
    """A path × path table of zeros, all four keys at both levels."""
    return {a: dict.fromkeys(PRIMARIES, 0) for a in PRIMARIES}


@dataclass(frozen=True, slots=True)
class Change:
    code: str
    stored: str
    candidate: str
    team: str | None


@dataclass(frozen=True, slots=True)
class Comparison:
    candidate: str
    cases: int
    transitions: dict[str, dict[str, int]]
    decided: int
    stored_agree: int
    candidate_agree: int
    stored_kappa: float | None
    candidate_kappa: float | None
    candidate_confusion: dict[str, dict[str, int]]
    changes: tuple[Change, ...]

    @property
    def changed_primary(self) -> int:
        return len(self.changes)

    def as_json(self) -> dict[str, object]:
        """Exactly the shape ``scoring.md`` gives for ``consult rules compare --json``."""
        return {
            "candidate": self.candidate,
            "cases": self.cases,
            "changed_primary": self.changed_primary,
            "transitions": self.transitions,
            "team": {
                "decided": self.decided,
                "stored_agree": self.stored_agree,
                "candidate_agree": self.candidate_agree,
                "stored_kappa": self.stored_kappa,
                "candidate_kappa": self.candidate_kappa,
                "candidate_confusion": self.candidate_confusion,
            },
        }


def compare(cases: Iterable[StoredCase], candidate: RulesDefinition) -> Comparison:
    """Re-scores every case under ``candidate`` and sets both versions beside the team."""
    transitions, confusion = square(), square()
    changes: list[Change] = []
    stored_pairs: list[tuple[str, str]] = []
    candidate_pairs: list[tuple[str, str]] = []
    count = 0
    for case in cases:
        count += 1
        new = rescore(case, candidate)
        transitions[case.primary][new] += 1
        if new != case.primary:
            changes.append(Change(case.code, case.primary, new, case.team))
        if case.team is not None:
            stored_pairs.append((case.primary, case.team))
            candidate_pairs.append((new, case.team))
            confusion[new][case.team] += 1
    return Comparison(
        candidate=candidate.version,
        cases=count,
        transitions=transitions,
        decided=len(stored_pairs),
        stored_agree=sum(1 for a, b in stored_pairs if a == b),
        candidate_agree=sum(1 for a, b in candidate_pairs if a == b),
        stored_kappa=kappa(stored_pairs),
        candidate_kappa=kappa(candidate_pairs),
        candidate_confusion=confusion,
        changes=tuple(sorted(changes, key=lambda c: c.code)),
    )


@dataclass(frozen=True, slots=True)
class TeamAgreement:
    """How often the team's decision equals the recommendation, and the path it overrules
    most (the stored primary, what the team chose instead, and how often)."""

    decided: int
    agree: int
    kappa: float | None
    overruled: tuple[str, str, int] | None

    @property
    def share(self) -> float | None:
        return self.agree / self.decided if self.decided else None


def team_agreement(pairs: Iterable[tuple[str, str]]) -> TeamAgreement:
    """``pairs`` = (recommended primary, the team's path) of the decided cases."""
    listed = list(pairs)
    against = Counter((a, b) for a, b in listed if a != b)
    # Ties go to the order of the paths, so the same data always names the same rule.
    order = {p: i for i, p in enumerate(PRIMARIES)}
    top = min(
        against.items(), key=lambda item: (-item[1], order[item[0][0]], order[item[0][1]]), default=None
    )
    return TeamAgreement(
        decided=len(listed),
        agree=sum(1 for a, b in listed if a == b),
        kappa=kappa(listed),
        overruled=(top[0][0], top[0][1], top[1]) if top else None,
    )


def monthly_agreement(rows: Iterable[tuple[str, str, str]]) -> list[tuple[str, TeamAgreement]]:
    """``rows`` = (month "2026-03", recommended primary, team path): one line per month."""
    months: dict[str, list[tuple[str, str]]] = {}
    for month, primary, path in rows:
        months.setdefault(month, []).append((primary, path))
    return [(month, team_agreement(pairs)) for month, pairs in sorted(months.items())]


def paths_moving(transitions: Mapping[str, Mapping[str, int]]) -> list[tuple[str, str, int]]:
    """The (from, to, count) moves of a comparison, largest first."""
    moves = [(a, b, n) for a, row in transitions.items() for b, n in row.items() if a != b and n]
    return sorted(moves, key=lambda m: -m[2])
