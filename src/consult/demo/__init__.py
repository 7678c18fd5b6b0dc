"""Fictional demo clients for newcomers and trainers, and the throwaway database they fill.

Every client is invented and each vignette says so. Demo data lives in its own temporary
database; nothing done there reaches a real one.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from functools import cache
from importlib import resources

from pydantic import BaseModel, ConfigDict

from consult.core.instrument import localized
from consult.core.model import Answers, Assessment, Case, Context, Recommendation, Scores, TeamDecision
from consult.scoring import evaluate

Localized = dict[str, str]


class Reference(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    scores: Scores
    answers: Answers = Answers()


class DemoCase(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    fictional: bool
    title: Localized
    vignette: Localized
    context: Context
    reference: Reference
    reference_primary: str
    teaching_note: Localized

    def assessment(self) -> Assessment:
        return Assessment(scores=self.reference.scores, answers=self.reference.answers, context=self.context)

    def recommendation(self, lang: str = "fi") -> Recommendation:
        return evaluate(self.assessment(), lang)

    def listing(self, lang: str) -> dict:
        """What ``consult demo --list`` prints for this case."""
        return {
            "id": self.id,
            "title": localized(self.title, lang),
            "vignette": localized(self.vignette, lang),
            "context": self.context.model_dump(),
            "reference": {
                "scores": self.reference.scores.model_dump(),
                "answers": self.reference.answers.model_dump(exclude_none=True),
            },
            "reference_primary": self.reference_primary,
            "teaching_note": localized(self.teaching_note, lang),
        }


@cache
def demo_cases() -> tuple[DemoCase, ...]:
    raw = json.loads(resources.files("consult.demo").joinpath("cases.json").read_text("utf-8"))
    return tuple(DemoCase.model_validate(item) for item in raw)


# The demo database shows every status: some cases wait for the team, some went directly,
# some the team has decided (one of them on another path than recommended).
_STATUSES = ("awaiting_team", "referred_directly", "team_decided", "awaiting_team")
_OTHER_PATH = {
    "tym": "bilateral",
    "bilateral": "tym",
    "social_services": "bilateral",
    "own_service": "bilateral",
}


def stored_cases(now: datetime | None = None, lang: str = "fi") -> list[Case]:
    """The demo clients as stored cases, spread over the last weeks so follow-up has data."""
    now = now or datetime.now(UTC)
    out = []
    for index, demo in enumerate(demo_cases()):
        created = now - timedelta(days=3 * (len(demo_cases()) - index), hours=index)
        status = _STATUSES[index % len(_STATUSES)]
        recommendation = demo.recommendation(lang)
        decision = None
        if status == "team_decided":
            path = _OTHER_PATH[recommendation.primary] if index % 8 == 2 else recommendation.primary
            decision = TeamDecision(path=path, note="", decided_at=(created + timedelta(days=4)).date())
        out.append(
            Case(
                id=f"00000000-0000-4000-9000-{index + 1:012d}",
                code=f"DEM-{index + 1:03d}",
                created_at=created,
                status=status,
                context=demo.context,
                scores=demo.reference.scores,
                answers=demo.reference.answers,
                recommendation=recommendation,
                team_decision=decision,
            )
        )
    return out
