"""A small set of fictional, anonymous cases whose follow-up figures are worked out by hand."""

from __future__ import annotations

from datetime import date, datetime

from consult.core.instrument import DOMAIN_KEYS
from consult.core.model import Assessment, Case, Context, TeamDecision
from consult.scoring import evaluate


def make_case(
    number: int,
    levels: str,
    created: str,
    status: str,
    area: str | None,
    decision: tuple[str, ...] | None = None,
    notes: dict[str, str] | None = None,
) -> Case:
    values = [None if v == "-" else int(v) for v in levels.split(",")]
    assessment = Assessment.model_validate(
        {"scores": dict(zip(DOMAIN_KEYS, values, strict=True)), "context": {"area": area, "jobseeker": True}}
    )
    return Case(
        id=f"00000000-0000-4000-8000-{number:012d}",
        code=f"T{number:02d}-AAA",
        created_at=datetime.fromisoformat(created),
        status=status,
        context=Context(area=area, worker_org="social", jobseeker=True),
        scores=assessment.scores,
        notes=notes or {},
        recommendation=None if status == "draft" else evaluate(assessment),
        team_decision=(
            TeamDecision(
                path=decision[0],
                note=decision[2] if len(decision) > 2 else "tiimi",
                decided_at=date.fromisoformat(decision[1]),
            )
            if decision
            else None
        ),
    )


def march_cases() -> list[Case]:
    return [
        # tym, both needs, waiting for the team
        make_case(1, "3,3,2,4,3,3,2", "2026-03-02T10:15:00+02:00", "awaiting_team", "kuopio"),
        # own service, no needs, referred directly
        make_case(2, "1,1,1,2,1,1,1", "2026-03-03T09:00:00+02:00", "referred_directly", "yla-savo"),
        # urgent housing → social services; no area counts as "unknown"; decided after 7 days, same path
        make_case(3, "2,2,5,2,2,2,2", "2026-03-02T15:00:00+02:00", "team_decided", None, ("social_services", "2026-03-09")),
        # borderline → bilateral, health only; the team chose TYM after 5 days
        make_case(4, "1,1,1,3,1,3,1", "2026-03-05T12:00:00+02:00", "team_decided", "keski-savo", ("tym", "2026-03-10", "=SUM(A1) tiimi")),
        # a draft never counts
        make_case(5, "3,3,-,-,-,-,-", "2026-03-06T12:00:00+02:00", "draft", "kuopio"),
        # the last evening of March in Finnish summer time: inside a period ending 31.3.
        make_case(6, "1,1,1,2,1,1,1", "2026-03-31T23:30:00+03:00", "referred_directly", "kuopio"),
        # half an hour later it is April in Finland (still March in UTC): outside
        make_case(7, "3,3,2,4,3,3,2", "2026-04-01T00:30:00+03:00", "referred_directly", "kuopio",
                  notes={"general": "=HYPERLINK(\"x\")"}),
    ]  # fmt: skip
