"""The caseworker's walk as state: which step comes next and what has been chosen so far.

Steps: 0 context · 1–7 the domains · 8 profile · 9–13 the referral questions · 14 services
tried and missing (optional; a trainee's walk passes it by) · 15 result. The stored draft keeps
the step to show next, so a walk resumes exactly where it stopped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from consult.core.dates import team_day
from consult.core.instrument import DOMAIN_KEYS, QUESTION_KEYS
from consult.core.model import Answers, Assessment, CaseServices, Context, Draft, Recommendation, Scores
from consult.scoring import evaluate
from consult.scoring.engine import Facts, derive
from consult.scoring.rules import PS_2025_1, RulesDefinition

CONTEXT = 0
FIRST_DOMAIN = 1
PROFILE = FIRST_DOMAIN + len(DOMAIN_KEYS)
FIRST_QUESTION = PROFILE + 1
SERVICES = FIRST_QUESTION + len(QUESTION_KEYS)
RESULT = SERVICES + 1
LAST_STEP = RESULT


def step_domain(step: int) -> str | None:
    index = step - FIRST_DOMAIN
    return DOMAIN_KEYS[index] if 0 <= index < len(DOMAIN_KEYS) else None


def step_question(step: int) -> str | None:
    index = step - FIRST_QUESTION
    return QUESTION_KEYS[index] if 0 <= index < len(QUESTION_KEYS) else None


@dataclass
class WalkState:
    case_id: str | None = None
    code: str | None = None
    step: int = CONTEXT
    context: Context = field(default_factory=Context)
    levels: dict[str, int | None] = field(default_factory=lambda: dict.fromkeys(DOMAIN_KEYS))
    answers: dict[str, str | None] = field(default_factory=lambda: dict.fromkeys(QUESTION_KEYS))
    notes: dict[str, str] = field(default_factory=dict)
    unconfirmed: dict[str, str] = field(default_factory=dict)
    """Notes kept although their privacy warning is not confirmed (by note key): never in
    ``notes``, shown with the warning again, and confirmed or changed before the case is saved."""
    services: CaseServices = field(default_factory=CaseServices)
    """Services tried before and services missing (the optional step before the result)."""
    services_stored: CaseServices = field(default_factory=CaseServices)
    """The services the draft in the database holds: written again only when they differ."""
    started: date | None = None
    """The day the assessment began (Helsinki): the record note is dated by it."""
    # The rules in force when the walk began (the app reads them from the database).
    rules: RulesDefinition = PS_2025_1

    @classmethod
    def from_draft(cls, draft: Draft) -> WalkState:
        case = draft.case
        return cls(
            case_id=case.id,
            code=case.code,
            step=min(max(draft.step, CONTEXT), LAST_STEP),
            context=case.context,
            levels=case.scores.model_dump(),
            answers=case.answers.model_dump(),
            notes={key: text for key, text in case.notes.items()},
            unconfirmed={key: text for key, text in draft.unconfirmed.items()},
            services=case.services,
            services_stored=case.services,
            started=team_day(case.created_at),
        )

    @property
    def scores(self) -> Scores:
        return Scores(**self.levels)

    @property
    def answer_model(self) -> Answers:
        return Answers(**self.answers)

    def assessment(self) -> Assessment:
        return Assessment(scores=self.scores, answers=self.answer_model, context=self.context)

    def facts(self) -> Facts:
        return derive(self.scores, self.rules)

    def recommendation(self, lang: str) -> Recommendation:
        return evaluate(self.assessment(), lang, self.rules)

    def snapshot(self) -> dict:
        """The whole walk so far, as the draft stores it."""
        return {
            "step": self.step,
            "context": self.context,
            "scores": self.scores,
            "answers": self.answer_model,
            "notes": dict(self.notes),
            "unconfirmed": dict(self.unconfirmed),
            "services": self.services,
        }

    def note(self, key: str) -> tuple[str, bool]:
        """The note to show for ``key`` and whether it is confirmed (an unconfirmed text wins:
        it is the newer one, typed over a confirmed note)."""
        if key in self.unconfirmed:
            return self.unconfirmed[key], False
        return self.notes.get(key, ""), True

    def keep_note(self, key: str, text: str, confirmed: bool) -> None:
        if confirmed:
            self.unconfirmed.pop(key, None)
            self.notes[key] = text
        else:
            # The last confirmed text stays the case's until the new one is confirmed.
            self.unconfirmed[key] = text

    def confirm_notes(self) -> None:
        """The worker confirmed every warned note (listed to them before saving)."""
        self.notes.update(self.unconfirmed)
        self.unconfirmed.clear()

    def forward(self, past_services: bool = False) -> None:
        """One step on; ``past_services``: a walk without the services step (a trainee's) goes
        from the last question straight to the result."""
        self.step = min(self.step + 1, LAST_STEP)
        if past_services and self.step == SERVICES:
            self.step = RESULT

    def back(self, past_services: bool = False) -> None:
        self.step = max(self.step - 1, CONTEXT)
        if past_services and self.step == SERVICES:
            self.step = SERVICES - 1
