"""The Textual app: built by one factory from validated settings.

Start-up stays fast because the store (SQLModel, Alembic) is imported and opened in a worker
thread after home is on screen. The walk is one worker that pushes each step and saves the
draft after each, so a closed terminal loses nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.css.query import NoMatches
from textual.screen import Screen

from consult.files import create_unique, private_dir
from consult.i18n import Translator
from consult.screens.base import Move, translate_bindings
from consult.screens.home import HomeScreen

if TYPE_CHECKING:
    from consult.demo import DemoCase
    from consult.model import Case, Draft, Recommendation
    from consult.settings import Settings
    from consult.store import Store
    from consult.walk import WalkState


class _SaveFailed(Exception):
    """A draft save failed; the user has been told and the snapshot is kept to retry."""


class ConsultApp(App[None]):
    CSS_PATH = Path(__file__).with_name("app.tcss")
    # The command palette speaks English and offers nothing a caseworker needs yet.
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [Binding("ctrl+q", "quit", "binding.quit", priority=True, show=False)]

    def __init__(self, settings: Settings, start: str | None = None) -> None:
        super().__init__()
        self.settings = settings
        self.t = Translator(settings.lang)
        self.title = self.t("app.title_demo" if settings.demo else "app.title")
        self.store: Store | None = None
        self.store_error: str | None = None
        self.store_ready = asyncio.Event()
        self._save_lock = asyncio.Lock()
        self._pending_save: tuple[WalkState, dict] | None = None
        self._saver_running = False
        self._walk: WalkState | None = None
        self._training: tuple[DemoCase, str] | None = None  # the demo case and the pseudonym
        self._training_store: Store | None = None
        self._start = start
        translate_bindings(self, self.t)

    # --- start-up -------------------------------------------------------------------------

    def get_default_screen(self) -> Screen:
        return HomeScreen()

    def on_mount(self) -> None:
        self.sub_title = self.t("app.sub_title")

    def on_ready(self) -> None:
        # Home is painted: only now import and open the store, so its ~0.8 s of imports and
        # migrations never stand between the worker and the first screen.
        self._open_store()
        if self._start == "training":
            from consult.screens.training import TrainingScreen

            self.push_screen(TrainingScreen())

    @work(thread=True, group="store")
    def _open_store(self) -> None:
        try:
            from consult.store import Store

            store = Store.open(self.settings.resolved_database_url)
        except Exception as error:  # shown on home in one line; the app stays usable to quit
            self.call_from_thread(self._store_opened, None, self._store_problem(error))
        else:
            self.call_from_thread(self._store_opened, store, None)

    def _store_problem(self, error: Exception) -> str:
        from consult.failures import database_cause

        return database_cause(error, self.t)

    def _store_opened(self, store: Store | None, error: str | None) -> None:
        self.store, self.store_error = store, error
        self.store_ready.set()
        self.refresh_home()

    def on_unmount(self) -> None:
        for store in (self.store, self._training_store):
            if store is not None:
                store.close()

    async def training_store(self) -> Store:
        """The training database, opened on first use."""
        if self._training_store is None:
            from consult.store import Store

            self._training_store = await asyncio.to_thread(Store.open, self.settings.training_database_url)
        return self._training_store

    @work(group="home", exclusive=True)
    async def refresh_home(self) -> None:
        home = self.screen_stack[0]
        if not isinstance(home, HomeScreen):
            return
        if self.store is None:
            home.show_store(None, None, self.store_error or "")
            return
        from consult.store import cases
        from consult.store.purge import last_purge

        engine = self.store.engine
        count, draft, purged = await asyncio.to_thread(
            lambda: (cases.count_cases(engine), cases.latest_draft(engine), last_purge(engine))
        )
        with contextlib.suppress(NoMatches):  # the app closed while the database answered
            home.show_store(count, draft, purged=purged, backup=self.store.backup)

    # --- the walk -------------------------------------------------------------------------

    @property
    def walking(self) -> bool:
        return self._walk is not None

    @property
    def walk_step(self) -> int | None:
        """The step on screen, or None outside a walk."""
        return self._walk.step if self._walk is not None else None

    @property
    def draft_saving(self) -> bool:
        return self._saver_running or self._pending_save is not None

    def start_walk(self, draft: Draft | None) -> None:
        """Starts a new walk, or continues a draft where it stopped. The first save waits for
        the store if it is still opening, so the worker can begin at once."""
        from consult.walk import WalkState

        if self._walk is not None:
            return
        self._walk = WalkState.from_draft(draft) if draft else WalkState()
        self.push_screen(self._screen_for(self._walk))

    def start_training_walk(self, case: DemoCase, pseudonym: str, step: int) -> None:
        """A trainee's walk of a demo case: the case's context is given, nothing is saved as a
        draft, and the result is compared with the reference instead of being saved as a case."""
        from consult.walk import WalkState

        if self._walk is not None:
            return
        self._training = (case, pseudonym)
        self._walk = WalkState(step=step, context=case.context)
        self.switch_screen(self._screen_for(self._walk))

    def walk_move(self, screen: Screen, move: Move) -> None:
        """A step's result: apply it, queue the save, and replace the step with the next one."""
        state = self._walk
        if state is None or screen is not self.screen:
            return  # a step that has already been left
        if move.direction == "leave":
            self._walk = None
            self._training = None
            self.pop_screen()
            self._after_walk()
            return
        if move.direction == "back":
            state.back()
        else:
            self._apply(state, move.value)
            state.forward()
        if self._training is None:
            self._queue_save(state)
        if not self._show_on(self.screen, state):
            self.switch_screen(self._screen_for(state))

    def _show_on(self, screen: Screen, state: WalkState) -> bool:
        """Shows the next step on the screen already up when it is of the same kind."""
        from consult.instrument import load_instrument
        from consult.screens.domain import DomainScreen
        from consult.screens.questions import QuestionScreen
        from consult.walk import step_domain, step_question

        if isinstance(screen, DomainScreen) and (domain_key := step_domain(state.step)):
            domain = load_instrument().domain(domain_key)
            screen.load(domain, state.levels[domain_key], state.notes.get(domain_key, ""))
            return True
        if isinstance(screen, QuestionScreen) and (question_key := step_question(state.step)):
            screen.load(question_key, dict(state.answers), state.facts().suggested)
            return True
        return False

    @work(group="home")
    async def _after_walk(self) -> None:
        async with self._save_lock:
            pass  # the drafts saved so far are in the database before home counts them
        self.refresh_home()

    def _screen_for(self, state: WalkState) -> Screen:
        # The walk's screens (and pydantic, the rules) load on the first walk, not at start.
        from consult.instrument import load_instrument
        from consult.screens.context import ContextScreen
        from consult.screens.domain import DomainScreen
        from consult.screens.profile import ProfileScreen
        from consult.screens.questions import QuestionScreen
        from consult.screens.result import ResultScreen
        from consult.walk import CONTEXT, PROFILE, RESULT, step_domain, step_question

        step = state.step
        if step == CONTEXT:
            return ContextScreen(state.context)
        if (domain_key := step_domain(step)) is not None:
            return DomainScreen(
                load_instrument().domain(domain_key),
                state.levels[domain_key],
                state.notes.get(domain_key, ""),
                lambda key, text: self._save_note(state, key, text),
            )
        if step == PROFILE:
            return ProfileScreen(state.facts())
        if (question_key := step_question(step)) is not None:
            return QuestionScreen(question_key, dict(state.answers), state.facts().suggested)
        assert step == RESULT
        recommendation = state.recommendation(self.t.lang)
        return ResultScreen(
            state.assessment(),
            recommendation,
            dict(state.notes),
            save=lambda status: self._complete(state, status, recommendation),
            save_note_file=self._write_note_file,
            compare=(lambda: self._compare(state, recommendation)) if self._training else None,
            save_general_note=None
            if self._training
            else lambda text: self._save_note(state, "general", text),
        )

    def _compare(self, state: WalkState, recommendation: Recommendation) -> None:
        self.run_worker(self._save_training(state, recommendation), group="training", exclusive=True)

    async def _save_training(self, state: WalkState, recommendation: Recommendation) -> None:
        from consult.screens.comparison import ComparisonScreen
        from consult.store.training import TraineeResult, save_result

        if self._training is None:
            return
        case, pseudonym = self._training
        result = TraineeResult(
            pseudonym=pseudonym,
            case_id=case.id,
            scores=state.scores,
            answers=state.answer_model,
            primary=recommendation.primary,
        )
        store = await self.training_store()
        await asyncio.to_thread(save_result, store.engine, result)
        self._walk, self._training = None, None
        self.switch_screen(ComparisonScreen(case, result.scores, recommendation))

    @staticmethod
    def _apply(state: WalkState, value: object) -> None:
        from consult.walk import CONTEXT, step_domain, step_question

        step = state.step
        if step == CONTEXT:
            state.context = value  # type: ignore[assignment]
        elif (domain_key := step_domain(step)) is not None:
            state.levels[domain_key] = value  # type: ignore[assignment]
        elif (question_key := step_question(step)) is not None:
            state.answers[question_key] = value  # type: ignore[assignment]

    def _queue_save(self, state: WalkState) -> None:
        """Saves a snapshot of the walk so far. Every snapshot carries the whole walk, so a
        newer one replaces any still waiting: the database gets the latest state promptly
        without one write per key."""
        self._pending_save = (
            state,
            {
                "step": state.step,
                "context": state.context,
                "scores": state.scores,
                "answers": state.answer_model,
                "notes": dict(state.notes),
            },
        )
        if not self._saver_running:
            self._saver_running = True
            self.run_worker(self._saver(), group="draft-save")

    async def _saver(self) -> None:
        try:
            while self._pending_save is not None:
                try:
                    await self._write_pending()
                except _SaveFailed:
                    return  # kept pending; the next choice or the final save tries again
        finally:
            self._saver_running = False

    async def _write_pending(self) -> None:
        from consult.store import cases

        async with self._save_lock:
            if self._pending_save is None:
                return
            state, snapshot = self._pending_save
            self._pending_save = None
            try:
                await self.store_ready.wait()
                if self.store is None:
                    raise RuntimeError(self.store_error or "no database")
                engine = self.store.engine
                if state.case_id is None:
                    case = await asyncio.to_thread(
                        cases.create_draft, engine, snapshot["context"], snapshot["step"]
                    )
                    state.case_id, state.code = case.id, case.code
                await asyncio.to_thread(cases.update_draft, engine, state.case_id, **snapshot)
            except Exception as error:  # the answers stay in memory and on screen; say so
                if self._pending_save is None:
                    self._pending_save = (state, snapshot)  # the next save retries it
                self.notify(self.t("walk.save_failed", error=error.__class__.__name__), severity="error")
                raise _SaveFailed from error

    def _save_note(self, state: WalkState, key: str, text: str) -> None:
        state.notes[key] = text
        if state.case_id is not None:
            self._queue_save(state)

    async def _complete(self, state: WalkState, status: str, recommendation: Recommendation) -> Case:
        from consult.store import cases

        await self._write_pending()  # the walk's last choices first
        async with self._save_lock:
            if self.store is None or state.case_id is None:
                raise RuntimeError("the draft was never saved")
            return await asyncio.to_thread(
                cases.complete, self.store.engine, state.case_id, status, recommendation
            )

    def _write_note_file(self, note: str) -> Path:
        # Two saves in one second get two files; a link planted at the name is never followed.
        folder = private_dir(self.settings.data_dir / "notes")
        path, handle = create_unique(folder, f"kirjaus-{datetime.now():%Y%m%d-%H%M%S}", ".txt")
        with handle:
            handle.write(note + "\n")
        return path


def make_app(settings: Settings, start: str | None = None) -> ConsultApp:
    """The one factory that builds the app, for the command line and the tests alike.
    ``start="training"`` opens training mode (``consult train``)."""
    return ConsultApp(settings, start)
