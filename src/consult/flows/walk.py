"""The caseworker's walk as a flow: which screen shows each step, and saving as the worker goes.

The App only starts a walk and hands it each step's result; everything else lives here. Steps
replace each other (``switch_screen``) so no key falls between two steps, and one screen serves
all seven domains (and one all five questions). Every choice is saved as it is made: the
snapshot carries the whole walk, so a newer one replaces any still waiting, and the database
gets the latest state promptly without one write per key.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from consult.assessment.walk_state import (
    CONTEXT,
    PROFILE,
    RESULT,
    SERVICES,
    WalkState,
    step_domain,
    step_question,
)

if TYPE_CHECKING:
    from textual.screen import Screen

    from consult.catalogue.model import Catalogue
    from consult.core.model import Case, CaseServices, Context, Recommendation
    from consult.demo import DemoCase
    from consult.flows.drafts import DraftSaver
    from consult.flows.host import FlowHost
    from consult.screens.host import Move


@dataclass(frozen=True, slots=True)
class Trainee:
    """A training walk: the demo client walked and the trainee's pseudonym."""

    case: DemoCase
    pseudonym: str


class Walk:
    """One walk in progress: its state, its screens and its saves."""

    def __init__(
        self, host: FlowHost, saver: DraftSaver, state: WalkState, trainee: Trainee | None = None
    ) -> None:
        self.host = host
        self.state = state
        self.trainee = trainee
        self.saver = saver
        self._training_result_id: int | None = None
        self._catalogue: Catalogue | None = None
        self._catalogue_read: asyncio.Task[Catalogue] | None = None

    @property
    def training(self) -> bool:
        return self.trainee is not None

    @property
    def notes(self) -> Mapping[str, str]:
        return self.state.notes

    # --- moving between steps -------------------------------------------------------------

    def first_screen(self) -> Screen:
        # Read while the worker walks the domains: the services step and the result name
        # services from it without a wait.
        self.host.run_worker(self.catalogue(), group="catalogue")
        return self._screen_for(self.state)

    def move(self, screen: Screen, move: Move) -> None:
        """A step's result: apply it, save, and replace the step with the next one."""
        host, state = self.host, self.state
        if screen is not host.screen:
            return  # a step that has already been left
        if move.direction == "leave":
            host.end_walk()
            return
        if move.direction == "back":
            if state.step == CONTEXT:
                return  # the first step: there is nothing behind it, and nothing may change
            state.back(past_services=self.training)
        else:
            self._apply(move.value)
            state.forward(past_services=self.training)
        self._save()
        if not self._show_on(screen):
            host.switch_screen(self._screen_for(state))

    def _apply(self, value: object) -> None:
        from consult.core.model import CaseServices, Context

        state, step = self.state, self.state.step
        if step == CONTEXT and isinstance(value, Context):
            state.context = value
        elif (domain_key := step_domain(step)) is not None and (value is None or isinstance(value, int)):
            state.levels[domain_key] = value
        elif (question_key := step_question(step)) is not None and (value is None or isinstance(value, str)):
            state.answers[question_key] = value
        elif step == SERVICES and isinstance(value, CaseServices):
            state.services = value

    def _show_on(self, screen: Screen) -> bool:
        """Shows the next step on the screen already up when it is of the same kind."""
        from consult.core.instrument import load_instrument
        from consult.screens.domain import DomainScreen
        from consult.screens.questions import QuestionScreen

        state = self.state
        if isinstance(screen, DomainScreen) and (domain_key := step_domain(state.step)):
            domain = load_instrument().domain(domain_key)
            screen.load(domain, state.levels[domain_key], *state.note(domain_key))
            return True
        if isinstance(screen, QuestionScreen) and (question_key := step_question(state.step)):
            screen.load(question_key, dict(state.answers), state.facts().suggested)
            return True
        return False

    def _screen_for(self, state: WalkState) -> Screen:
        # The walk's screens (and pydantic, the rules) load on the first walk, not at start.
        from consult.core.instrument import load_instrument
        from consult.screens.context import ContextScreen
        from consult.screens.domain import DomainScreen
        from consult.screens.profile import ProfileScreen
        from consult.screens.questions import QuestionScreen
        from consult.screens.result import ResultScreen
        from consult.screens.services import ServicesStepScreen

        step = state.step
        if step == CONTEXT:
            return ContextScreen(self, state.context, self.context_changed)
        if (domain_key := step_domain(step)) is not None:
            note, confirmed = state.note(domain_key)
            return DomainScreen(
                self,
                load_instrument().domain(domain_key),
                state.levels[domain_key],
                note,
                self.save_note,
                confirmed=confirmed,
            )
        if step == PROFILE:
            return ProfileScreen(self, state.facts())
        if (question_key := step_question(step)) is not None:
            return QuestionScreen(self, question_key, dict(state.answers), state.facts().suggested)
        if step == SERVICES:
            return ServicesStepScreen(
                self,
                state.services,
                area=state.context.area,
                challenges=[key for key, level in state.levels.items() if (level or 0) >= 3],
                changed=self.services_changed,
            )
        assert step == RESULT
        recommendation = state.recommendation(self.host.t.lang)
        if self.trainee is not None:
            self.host.run_worker(self._keep_training_result(recommendation), group="training", exclusive=True)
        return ResultScreen(
            self,
            state.assessment(),
            recommendation,
            dict(state.notes),
            assessed_on=state.started or date.today(),
            save=lambda status: self.complete(status, recommendation),
            save_note_file=self.host.write_note_file,
            compare=(lambda: self._compare(recommendation)) if self.trainee else None,
            save_general_note=None if self.trainee else self._save_general_note,
            bring_to_team="bring_to_team" in recommendation.flags,
            rules=state.rules,
            services=state.services,
        )

    # --- saving ---------------------------------------------------------------------------

    def _save(self) -> None:
        if self.trainee is None:
            self.saver.queue(self.state)

    def context_changed(self, context: Context) -> None:
        """A context choice is saved as it is made, before the worker leaves the step."""
        self.state.context = context
        self._save()

    def save_note(self, key: str, text: str, confirmed: bool = True) -> None:
        """Keeps a note; one whose privacy warning is not confirmed is kept apart (``confirmed``
        False) and listed for confirmation before the case is saved."""
        self.state.keep_note(key, text, confirmed)
        if self.state.case_id is not None:
            self._save()

    def services_changed(self, services: CaseServices) -> None:
        """A service tried or missing is saved as it is recorded, before the step is left."""
        self.state.services = services
        self._save()

    async def catalogue(self) -> Catalogue:
        """The service catalogue in force, read once a walk (off the UI thread, once the
        database is open); the starter catalogue where the database cannot say."""
        if self._catalogue is not None:
            return self._catalogue
        if self._catalogue_read is None:
            self._catalogue_read = asyncio.ensure_future(self._read_catalogue())
        self._catalogue = await asyncio.shield(self._catalogue_read)
        return self._catalogue

    async def _read_catalogue(self) -> Catalogue:
        from consult.catalogue.file import starter_catalogue

        host = self.host
        await host.store_ready.wait()
        if not host.store_open:
            return starter_catalogue()
        try:
            return await asyncio.to_thread(host.store.catalogue_in_force)
        except Exception:  # the result still names the shipped services; the save says more
            return starter_catalogue()

    def _save_general_note(self, text: str, confirmed: bool) -> None:
        self.save_note("general", text, confirmed)

    def unconfirmed_notes(self) -> dict[str, str]:
        """The case's notes whose privacy warning waits for the worker, by note key."""
        return dict(self.state.unconfirmed)

    def confirmed_notes(self) -> dict[str, str]:
        return dict(self.state.notes)

    def confirm_notes(self) -> None:
        """The worker confirmed every listed warning: the notes become the case's."""
        self.state.confirm_notes()
        self._save()

    async def complete(self, status: str, recommendation: Recommendation) -> Case:
        host = self.host
        await self.saver.write_pending()  # the walk's last choices first
        async with self.saver.lock:
            if not host.store_open or self.state.case_id is None:
                raise RuntimeError("the draft was never saved")
            return await asyncio.to_thread(host.store.complete, self.state.case_id, status, recommendation)

    # --- training -------------------------------------------------------------------------

    async def _keep_training_result(self, recommendation: Recommendation) -> None:
        """Every completed training walk is kept, whether or not the trainee asks to compare;
        walking back and on again updates the same result."""
        from consult.store.training import TraineeResult

        if self.trainee is None:
            return
        result = TraineeResult(
            pseudonym=self.trainee.pseudonym,
            case_id=self.trainee.case.id,
            scores=self.state.scores,
            answers=self.state.answer_model,
            primary=recommendation.primary,
        )
        store = await self.host.training_store()
        self._training_result_id = await asyncio.to_thread(
            store.save_training_result, result, self._training_result_id
        )

    def show_vignette(self) -> None:
        from consult.screens.training import VignetteScreen

        if self.trainee is not None:
            self.host.push_screen(VignetteScreen(self.trainee.case, self.trainee.pseudonym, reading=True))

    def _compare(self, recommendation: Recommendation) -> None:
        from consult.screens.comparison import ComparisonScreen

        if self.trainee is None:
            return
        case = self.trainee.case
        self.host.end_walk(
            then=ComparisonScreen(case, self.state.scores, recommendation, self.state.answer_model)
        )
