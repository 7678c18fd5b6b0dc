"""The Textual app: built by one factory from validated settings.

Start-up stays fast because the store (SQLModel, Alembic) is imported and opened in a worker
thread after home is on screen. The walk is one worker that pushes each step and saves the
draft after each, so a closed terminal loses nothing.
"""

from __future__ import annotations

import asyncio
import os
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

from consult.i18n import Translator
from consult.instrument import load_instrument
from consult.model import Case, Draft
from consult.screens.base import Move, translate_bindings
from consult.screens.context import ContextScreen
from consult.screens.domain import DomainScreen
from consult.screens.home import HomeScreen
from consult.screens.profile import ProfileScreen
from consult.screens.questions import QuestionScreen
from consult.screens.result import ResultScreen
from consult.walk import CONTEXT, PROFILE, RESULT, WalkState, step_domain, step_question

if TYPE_CHECKING:
    from consult.settings import Settings
    from consult.store import Store


class ConsultApp(App[None]):
    CSS_PATH = Path(__file__).with_name("app.tcss")
    # The command palette speaks English and offers nothing a caseworker needs yet.
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [Binding("ctrl+q", "quit", "binding.quit", priority=True, show=False)]

    def __init__(self, settings: Settings) -> None:
        super().__init__()
        self.settings = settings
        self.t = Translator(settings.lang)
        self.store: Store | None = None
        self.store_error: str | None = None
        self.store_ready = asyncio.Event()
        self._save_lock = asyncio.Lock()
        self._saves_pending = 0
        self._walking = False
        translate_bindings(self, self.t)

    # --- start-up -------------------------------------------------------------------------

    def get_default_screen(self) -> Screen:
        return HomeScreen()

    def on_mount(self) -> None:
        self.title = self.t("app.title")
        self.sub_title = self.t("app.sub_title")
        self._open_store()

    @work(thread=True, group="store")
    def _open_store(self) -> None:
        try:
            from consult.store import Store

            store = Store.open(self.settings.resolved_database_url)
        except Exception as error:  # shown on home in one line; the app stays usable to quit
            self.call_from_thread(self._store_opened, None, f"{error.__class__.__name__}: {error}")
        else:
            self.call_from_thread(self._store_opened, store, None)

    def _store_opened(self, store: Store | None, error: str | None) -> None:
        self.store, self.store_error = store, error
        self.store_ready.set()
        self.refresh_home()

    def on_unmount(self) -> None:
        if self.store is not None:
            self.store.close()

    @work(group="home", exclusive=True)
    async def refresh_home(self) -> None:
        home = self.screen_stack[0]
        if not isinstance(home, HomeScreen):
            return
        if self.store is None:
            home.show_store(None, None, self.store_error or "")
            return
        from consult.store import cases

        engine = self.store.engine
        count, draft = await asyncio.to_thread(
            lambda: (cases.count_cases(engine), cases.latest_draft(engine))
        )
        home.show_store(count, draft)

    # --- the walk -------------------------------------------------------------------------

    def start_walk(self, draft: Draft | None) -> None:
        if not self.store_ready.is_set():
            self.notify(self.t("home.store_wait"))
        self.run_walk(draft)

    @property
    def walking(self) -> bool:
        return self._walking

    @property
    def draft_saves_pending(self) -> int:
        return self._saves_pending

    @work(exclusive=True, group="walk")
    async def run_walk(self, draft: Draft | None) -> None:
        await self.store_ready.wait()
        if self.store is None:
            return
        state = WalkState.from_draft(draft) if draft else WalkState()
        self._walking = True
        try:
            while True:
                move: Move = await self.push_screen(self._screen_for(state), wait_for_dismiss=True)
                if move.direction == "leave":
                    break
                if move.direction == "back":
                    state.back()
                else:
                    self._apply(state, move.value)
                    state.forward()
                # The next step goes on screen at once; the save follows in order behind it, so
                # no key a quick typist presses falls between two steps.
                self._queue_save(state)
        finally:
            self._walking = False
        async with self._save_lock:
            pass  # the drafts saved so far are in the database before home counts them
        self.refresh_home()

    def _screen_for(self, state: WalkState) -> Screen[Move]:
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
        )

    @staticmethod
    def _apply(state: WalkState, value: object) -> None:
        step = state.step
        if step == CONTEXT:
            state.context = value  # type: ignore[assignment]
        elif (domain_key := step_domain(step)) is not None:
            state.levels[domain_key] = value  # type: ignore[assignment]
        elif (question_key := step_question(step)) is not None:
            state.answers[question_key] = value  # type: ignore[assignment]

    def _queue_save(self, state: WalkState) -> None:
        """Saves a snapshot of the walk so far, after every save queued before it."""
        snapshot = {
            "step": state.step,
            "context": state.context,
            "scores": state.scores,
            "answers": state.answer_model,
            "notes": dict(state.notes),
        }
        self._saves_pending += 1
        self.run_worker(self._save_draft(state, snapshot), group="draft-save")

    async def _save_draft(self, state: WalkState, snapshot: dict) -> None:
        from consult.store import cases

        assert self.store is not None
        engine = self.store.engine
        try:
            async with self._save_lock:
                # Every save carries the whole walk, so one that fails is made good by the next.
                if state.case_id is None:
                    case = await asyncio.to_thread(
                        cases.create_draft, engine, snapshot["context"], snapshot["step"]
                    )
                    state.case_id, state.code = case.id, case.code
                await asyncio.to_thread(cases.update_draft, engine, state.case_id, **snapshot)
        except Exception as error:  # the answers stay in memory and on screen; say so
            self.notify(self.t("walk.save_failed", error=error.__class__.__name__), severity="error")
        finally:
            self._saves_pending -= 1

    def _save_note(self, state: WalkState, key: str, text: str) -> None:
        state.notes[key] = text
        if state.case_id is not None:
            self._queue_save(state)

    async def _complete(self, state: WalkState, status: str, recommendation) -> Case:
        from consult.store import cases

        assert self.store is not None
        async with self._save_lock:
            if state.case_id is None:
                raise RuntimeError("the draft was never saved")
            return await asyncio.to_thread(
                cases.complete, self.store.engine, state.case_id, status, recommendation
            )

    def _write_note_file(self, note: str) -> Path:
        folder = self.settings.data_dir / "notes"
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        path = folder / f"kirjaus-{datetime.now():%Y%m%d-%H%M%S}.txt"
        fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(note + "\n")
        return path


def make_app(settings: Settings) -> ConsultApp:
    """The one factory that builds the app, for the command line and the tests alike."""
    return ConsultApp(settings)
