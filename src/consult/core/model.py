"""The data of an assessment and its recommendation, validated at the edges (pydantic)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, model_validator
from typing_extensions import TypedDict

Level = Annotated[StrictInt, Field(ge=1, le=5)]
AnswerValue = Literal["yes", "no", "unsure"]
Area = Literal["yla-savo", "keski-savo", "kuopio", "other"]
WorkerOrg = Literal["social", "health", "employment", "kela"]
AgeBand = Literal["under_25", "25_plus"]
Primary = Literal["tym", "bilateral", "social_services", "own_service"]
Status = Literal["draft", "awaiting_team", "referred_directly", "team_decided"]
# How a case was saved; unlike the status it never changes afterwards (product.md, version 2).
Route = Literal["to_team", "direct"]
NotStartedReason = Literal["client_declined", "no_capacity", "not_eligible", "other"]
Need = Literal["health", "social"]
Org = Literal["employment", "kela", "welfare"]
Flag = Literal["safety", "urgent", "insufficient_data", "bring_to_team"]
# A note belongs to a domain or is the general one; a bundle cannot invent keys (free text).
NoteKey = Literal[
    "general", "affairs", "services", "housing", "employment", "finances", "health", "relations"
]
DomainKey = Literal["affairs", "services", "housing", "employment", "finances", "health", "relations"]
TriedResult = Literal["helped", "did_not_help", "interrupted", "not_timely"]
MissingReason = Literal["not_in_area", "no_capacity", "waiting_doctor", "waiting_list", "other"]

from consult.core.instrument import QuestionKey  # noqa: E402
from consult.core.vocabulary import (  # noqa: E402
    AGE_BANDS,
    AREA_BUCKETS,
    AREAS,
    FLAGS,
    MISSING_REASONS,
    NEEDS,
    NOT_STARTED_REASONS,
    ORGS,
    PRIMARIES,
    ROUTES,
    TRIED_RESULTS,
    WORKER_ORGS,
    route_for_status,
)

__all__ = [
    "AGE_BANDS",
    "AREAS",
    "AREA_BUCKETS",
    "FLAGS",
    "MISSING_REASONS",
    "NEEDS",
    "NOT_STARTED_REASONS",
    "ORGS",
    "PRIMARIES",
    "ROUTES",
    "TRIED_RESULTS",
    "WORKER_ORGS",
    "route_for_status",
]


class Scores(BaseModel):
    """A level 1–5 per domain; ``None`` means not assessed (data, not zero)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    affairs: Level | None = None
    services: Level | None = None
    housing: Level | None = None
    employment: Level | None = None
    finances: Level | None = None
    health: Level | None = None
    relations: Level | None = None


class Answers(BaseModel):
    """The worker's answers to the referral questions; ``None`` = not answered."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    q_bilateral: AnswerValue | None = None
    q_other_first: AnswerValue | None = None
    q_multi_support: AnswerValue | None = None
    q_coordination: AnswerValue | None = None
    q_joint_plan: AnswerValue | None = None


class Context(BaseModel):
    """Banded, anonymous facts about the client and the worker. Nothing here identifies anyone."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    area: Area | None = None
    worker_org: WorkerOrg | None = None
    age_band: AgeBand | None = None
    jobseeker: StrictBool | None = None


class Assessment(BaseModel):
    """What the rules read. Unknown top-level keys (a case's id, code, …) are ignored."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    scores: Scores
    answers: Answers = Answers()
    context: Context = Context()


class Reason(TypedDict):
    """Why a rule or flag fired. A plain dict: the rules build thousands per second."""

    rule: str
    text: str


class Recommendation(BaseModel):
    # Built by the rules with model_construct (no validation cost there); validated like this
    # only where it comes from outside, an imported bundle.
    model_config = ConfigDict(extra="forbid", frozen=True)

    primary: Primary
    needs: list[Need]
    orgs: list[Org]
    flags: list[Flag]
    suggested_answers: dict[QuestionKey, AnswerValue]
    reasons: list[Reason]
    rules_version: str = Field(max_length=20)  # the column's length


class TeamDecision(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    path: Primary
    note: str = ""
    decided_at: date
    # The meeting in which the team decided (product.md, version 3); None outside one.
    meeting_id: str | None = None


class Outcome(BaseModel):
    """What happened after the referral: a service started on a day, or nothing started and why.

    ``on`` is the day the service started, or the day a "not started" was recorded."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    started: StrictBool
    path: Primary | None = None
    on: date
    reason: NotStartedReason | None = None
    note: str = ""

    def problem(self) -> tuple[str, str] | None:
        """(field, what is wrong) when the fields do not fit together, else None."""
        if self.started and self.path is None:
            return "path", "path_missing"
        if self.started and self.reason is not None:
            return "reason", "reason_with_start"
        if not self.started and self.reason is None:
            return "reason", "reason_missing"
        if not self.started and self.path is not None:
            return "path", "path_without_start"
        return None


# A service a case names: a catalogue id, or the service in the worker's words (through the
# privacy guard) when the catalogue has none; the id's shape is the catalogue file's.
ServiceId = Annotated[str, Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=40)]
ServiceText = Annotated[str, Field(min_length=1, max_length=200)]


class _NamedService(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    service: ServiceId | None = None
    text: ServiceText | None = None

    @model_validator(mode="after")
    def _named(self) -> Self:
        if self.service is None and (self.text is None or not self.text.strip()):
            raise ValueError("service or text: one of them names the service")
        return self


class TriedService(_NamedService):
    """A service the client tried before, and how it ended."""

    result: TriedResult


class MissingService(_NamedService):
    """A service the client needs that is missing or out of reach, for which domain and why."""

    domain: DomainKey
    reason: MissingReason


class CaseServices(BaseModel):
    """What a case records of services: tried before, needed but missing (product.md,
    "Services"). Empty lists when nothing is recorded."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    tried: tuple[TriedService, ...] = ()
    missing: tuple[MissingService, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.tried or self.missing)

    def texts(self) -> dict[str, str]:
        """Each text typed for a service, by the field a refusal names."""
        found = {f"services.tried[{i}].text": s.text for i, s in enumerate(self.tried) if s.text}
        found.update({f"services.missing[{i}].text": s.text for i, s in enumerate(self.missing) if s.text})
        return found

    def ids(self) -> set[str]:
        return {s.service for s in (*self.tried, *self.missing) if s.service is not None}


class Case(BaseModel):
    """A stored case, as exported and imported (``product.md``, data contracts)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # The columns' lengths: PostgreSQL enforces them, and an import should name the field.
    id: str = Field(pattern=r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")  # a UUID
    code: str = Field(max_length=16)
    created_at: datetime
    status: Status
    route: Route | None = None
    context: Context = Context()
    scores: Scores = Scores()
    answers: Answers = Answers()
    notes: dict[NoteKey, str] = Field(default_factory=dict)
    recommendation: Recommendation | None = None
    team_decision: TeamDecision | None = None
    outcome: Outcome | None = None
    services: CaseServices = CaseServices()


class Draft(BaseModel):
    """An unfinished walk: the case so far and the step where it stopped."""

    model_config = ConfigDict(frozen=True)

    case: Case
    step: int
    touched_at: datetime | None = None
    """When the walk last saved a choice."""
    unconfirmed: dict[NoteKey, str] = Field(default_factory=dict)
    """Notes kept with a privacy warning the worker has not confirmed: asked again on return."""
