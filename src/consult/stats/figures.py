"""The shape of the follow-up figures (product.md, "consult stats --json") and how the grouped
counts become them: pure Python, the same whichever path ran the queries (``consult.stats``:
the standard library's sqlite3 or SQLAlchemy).

Plain dataclasses, not pydantic models: `consult stats` on the local file answers without
importing pydantic, SQLAlchemy or Alembic (issue 11's speed target).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import date

from consult.core.instrument import DOMAIN_KEYS
from consult.core.vocabulary import (
    AREA_BUCKETS,
    FLAGS,
    MISSING_REASONS,
    NOT_STARTED_REASONS,
    PRIMARIES,
    ROUTES,
    TRIED_RESULTS,
)


@dataclass
class Period:
    since: date | None = None
    until: date | None = None


def _zeros(keys: tuple[str, ...]) -> dict[str, int]:
    return dict.fromkeys(keys, 0)


@dataclass
class AreaFigures:
    cases: int
    by_primary: dict[str, int]
    missing_by_reason: dict[str, int] = field(default_factory=lambda: _zeros(MISSING_REASONS))


@dataclass
class MissingService:
    """One of the most often missing services: a catalogue id, or the words the workers typed."""

    service: str | None
    text: str | None
    cases: int


TOP_MISSING = 10


@dataclass
class ServiceFigures:
    cases_with_missing: int = 0
    missing_by_reason: dict[str, int] = field(default_factory=lambda: _zeros(MISSING_REASONS))
    missing_by_domain: dict[str, int] = field(default_factory=lambda: _zeros(DOMAIN_KEYS))
    tried_by_result: dict[str, int] = field(default_factory=lambda: _zeros(TRIED_RESULTS))
    top_missing: list[MissingService] = field(default_factory=list)


# Whole days from a pending case's saving to the period's end: (key, first day, last day).
AGE_BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("0_14", 0, 14),
    ("15_30", 15, 30),
    ("31_60", 31, 60),
    ("over_60", 61, None),
)


@dataclass
class Outcomes:
    pending: int
    started: int
    not_started: int
    started_by_path: dict[str, int]
    not_started_reasons: dict[str, int]
    median_days_to_start: float | None
    median_days_to_start_by_path: dict[str, float | None]
    pending_by_age: dict[str, int]


@dataclass
class MeetingActions:
    open: int
    done: int
    not_possible: int
    not_done: int
    overdue: int


@dataclass
class MeetingFigures:
    """The team's meetings of the period (product.md, "Team meetings")."""

    held: int
    items: int
    decided: int
    deferred: int
    not_discussed: int
    median_days_to_first_discussion: float | None
    actions: MeetingActions


# The closed lists the meeting figures count by (consult.core.meeting's, restated here: this
# module imports nothing but the standard library and the vocabulary).
ITEM_RESULTS = ("decided", "deferred", "not_discussed")
ACTION_STATUSES = ("open", "done", "not_possible", "not_done")


@dataclass
class Stats:
    period: Period
    cases: int
    by_primary: dict[str, int]
    needs: dict[str, int]
    flags: dict[str, int]
    routes: dict[str, int]
    awaiting_team: int
    team_decided: int
    team_changed_path: int
    median_days_to_decision: float | None
    outcomes: Outcomes
    by_area: dict[str, AreaFigures]
    meetings: MeetingFigures
    services: ServiceFigures = field(default_factory=ServiceFigures)

    def as_dict(self) -> dict:
        """The figures as JSON values (dates as ISO text), in the documented field order."""
        figures = asdict(self)
        period = figures["period"]
        for key in ("since", "until"):
            period[key] = period[key].isoformat() if period[key] else None
        return figures

    def as_json(self) -> str:
        return json.dumps(self.as_dict(), ensure_ascii=False, indent=2)


NEEDS = ("social_only", "health_only", "both", "none")

# The one-row counts each query path computes, in this order: both paths build their SELECT
# from this list, so a count added to one and not the other fails at once instead of shifting
# every figure after it.
TOTALS: tuple[str, ...] = (
    "cases",
    *(f"by_primary.{p}" for p in PRIMARIES),
    *(f"needs.{n}" for n in NEEDS),
    *(f"flags.{f}" for f in FLAGS),
    "awaiting_team",
    "team_decided",
    "team_changed_path",
    *(f"routes.{r}" for r in ROUTES),
    "outcomes.pending",
    "outcomes.started",
    "outcomes.not_started",
    *(f"outcomes.started_by_path.{p}" for p in PRIMARIES),
    *(f"outcomes.not_started_reasons.{r}" for r in NOT_STARTED_REASONS),
)


def empty_area() -> AreaFigures:
    return AreaFigures(cases=0, by_primary=dict.fromkeys(PRIMARIES, 0))


@dataclass
class Counts:
    """What the queries returned for one group, before it becomes Stats."""

    totals: list[int] = field(default_factory=lambda: [0] * len(TOTALS))
    areas: dict[str, AreaFigures] = field(default_factory=lambda: {a: empty_area() for a in AREA_BUCKETS})
    decided: dict[int, int] = field(default_factory=dict)  # whole days to the decision → cases
    started: dict[str, dict[int, int]] = field(default_factory=lambda: {p: {} for p in PRIMARIES})
    pending: dict[date, int] = field(default_factory=dict)  # saving day → pending cases
    # The team's meetings: closed meetings held in the period, their items by result, the
    # actions agreed in them by status and the open ones' due days (overdue is judged against
    # the period's end), and whole days from a case's saving to its first discussion → cases.
    held: int = 0
    items: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ITEM_RESULTS, 0))
    actions: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ACTION_STATUSES, 0))
    open_due: dict[date, int] = field(default_factory=dict)
    first_discussion: dict[int, int] = field(default_factory=dict)
    # What the cases record of services (product.md, "Services").
    with_missing: int = 0
    missing_domains: dict[str, int] = field(default_factory=dict)
    tried: dict[str, int] = field(default_factory=dict)
    named_ids: dict[str, int] = field(default_factory=dict)  # catalogue id → cases naming it
    # A typed service, trimmed and case-folded → [cases naming it, its first spelling in order]
    named_texts: dict[str, list] = field(default_factory=dict)

    def add_area(self, area: str, primary: str | None, times: int) -> None:
        figures = self.areas.setdefault(area, empty_area())
        figures.cases += times
        if primary in figures.by_primary:  # a rule-set's unknown path counts only in the total
            figures.by_primary[primary] += times

    def add_missing(self, area: str, reason: str, domain: str, times: int) -> None:
        reasons = self.areas.setdefault(area, empty_area()).missing_by_reason
        reasons[reason] = reasons.get(reason, 0) + times
        self.missing_domains[domain] = self.missing_domains.get(domain, 0) + times

    def add_named_text(self, folded: str, spelling: str, cases: int) -> None:
        entry = self.named_texts.get(folded)
        if entry is None:
            self.named_texts[folded] = [cases, spelling]
        else:
            entry[0] += cases
            entry[1] = min(entry[1], spelling)

    def merge(self, other: Counts) -> None:
        """Adds another group's counts to these: every figure adds up (a case is in one group
        only, so the cases naming a service add up too)."""
        self.totals = [a + b for a, b in zip(self.totals, other.totals, strict=True)]
        for name, figures in other.areas.items():
            into = self.areas.setdefault(name, empty_area())
            into.cases += figures.cases
            for primary, times in figures.by_primary.items():
                into.by_primary[primary] = into.by_primary.get(primary, 0) + times
            for reason, times in figures.missing_by_reason.items():
                into.missing_by_reason[reason] = into.missing_by_reason.get(reason, 0) + times
        self.with_missing += other.with_missing
        for mine, theirs in (
            (self.missing_domains, other.missing_domains),
            (self.tried, other.tried),
            (self.named_ids, other.named_ids),
        ):
            for key, times in theirs.items():
                mine[key] = mine.get(key, 0) + times
        for folded, (cases, spelling) in other.named_texts.items():
            self.add_named_text(folded, spelling, cases)
        for days, times in other.decided.items():
            self.decided[days] = self.decided.get(days, 0) + times
        for day, times in other.pending.items():
            self.pending[day] = self.pending.get(day, 0) + times
        for path, per_path in other.started.items():
            into_path = self.started.setdefault(path, {})
            for value, times in per_path.items():
                into_path[value] = into_path.get(value, 0) + times
        self.held += other.held
        for counted, into_counts in ((other.items, self.items), (other.actions, self.actions)):
            for key, times in counted.items():
                into_counts[key] = into_counts.get(key, 0) + times
        for due, times in other.open_due.items():
            self.open_due[due] = self.open_due.get(due, 0) + times
        for days, times in other.first_discussion.items():
            self.first_discussion[days] = self.first_discussion.get(days, 0) + times


def median(counts: Mapping[int, int]) -> float | None:
    """The median of values given as value → how many times it occurs."""
    n = sum(counts.values())
    if n == 0:
        return None
    ordered = sorted(counts.items())

    def nth(k: int) -> int:
        seen = 0
        for value, times in ordered:
            seen += times
            if k < seen:
                return value
        raise AssertionError(k)

    return float(nth(n // 2)) if n % 2 else (nth(n // 2 - 1) + nth(n // 2)) / 2


def figures(counts: Counts, since: date | None, until: date | None, end: date) -> Stats:
    """The Stats of one group's counts; pending cases are aged to ``end``."""
    total = dict(zip(TOTALS, counts.totals, strict=True))

    def part(prefix: str, keys: tuple[str, ...]) -> dict[str, int]:
        return {k: total[f"{prefix}.{k}"] for k in keys}

    ages = dict.fromkeys((key for key, _, _ in AGE_BUCKETS), 0)
    for day, times in counts.pending.items():
        waited = (end - day).days
        # A case dated after the end (a clock ahead, an import) has waited no time at all.
        key = next(k for k, _, last in AGE_BUCKETS if last is None or waited <= last)
        ages[key] += times
    all_paths: dict[int, int] = {}
    for per_path in counts.started.values():
        for value, times in per_path.items():
            all_paths[value] = all_paths.get(value, 0) + times
    return Stats(
        period=Period(since=since, until=until),
        cases=total["cases"],
        by_primary=part("by_primary", PRIMARIES),
        needs=part("needs", NEEDS),
        flags=part("flags", FLAGS),
        routes=part("routes", ROUTES),
        awaiting_team=total["awaiting_team"],
        team_decided=total["team_decided"],
        team_changed_path=total["team_changed_path"],
        median_days_to_decision=median(counts.decided),
        outcomes=Outcomes(
            pending=total["outcomes.pending"],
            started=total["outcomes.started"],
            not_started=total["outcomes.not_started"],
            started_by_path=part("outcomes.started_by_path", PRIMARIES),
            not_started_reasons=part("outcomes.not_started_reasons", NOT_STARTED_REASONS),
            median_days_to_start=median(all_paths),
            median_days_to_start_by_path={p: median(counts.started[p]) for p in PRIMARIES},
            pending_by_age=ages,
        ),
        by_area=counts.areas,
        meetings=MeetingFigures(
            held=counts.held,
            items=sum(counts.items.get(r, 0) for r in ITEM_RESULTS),
            decided=counts.items.get("decided", 0),
            deferred=counts.items.get("deferred", 0),
            not_discussed=counts.items.get("not_discussed", 0),
            median_days_to_first_discussion=median(counts.first_discussion),
            actions=MeetingActions(
                **{s: counts.actions.get(s, 0) for s in ACTION_STATUSES},
                overdue=sum(times for due, times in counts.open_due.items() if due < end),
            ),
        ),
        services=service_figures(counts),
    )


def service_figures(counts: Counts) -> ServiceFigures:
    """The services block: entries counted by reason, domain and result; the ten services
    named missing by the most cases (ties by id or text ascending)."""
    reasons = _zeros(MISSING_REASONS)
    for area in counts.areas.values():
        for reason, times in area.missing_by_reason.items():
            reasons[reason] = reasons.get(reason, 0) + times
    named: list[tuple[int, str | None, str | None]]
    named = [(cases, service, None) for service, cases in counts.named_ids.items()]
    named += [(cases, None, spelling) for cases, spelling in counts.named_texts.values()]
    named.sort(key=lambda entry: (-entry[0], entry[1] or entry[2] or ""))
    return ServiceFigures(
        cases_with_missing=counts.with_missing,
        missing_by_reason=reasons,
        missing_by_domain={**_zeros(DOMAIN_KEYS), **counts.missing_domains},
        tried_by_result={**_zeros(TRIED_RESULTS), **counts.tried},
        top_missing=[MissingService(s, t, c) for c, s, t in named[:TOP_MISSING]],
    )


def empty(since: date | None, until: date | None, end: date) -> Stats:
    """The figures of a period or group without cases: every key there, zeros and nulls."""
    return figures(Counts(), since, until, end)


def as_date(value: date | str) -> date:
    """A DATE column's value: a date from SQLAlchemy, ISO text from the sqlite3 driver."""
    return value if isinstance(value, date) else date.fromisoformat(value)
