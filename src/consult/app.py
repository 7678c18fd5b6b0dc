"""The Textual app: built by one factory from validated settings.

A thin shell: the store handle, the global keys and which flow is running. The walk lives in
``consult.flows.walk``; each screen module holds its own screen. Start-up stays fast because
the store (SQLModel, Alembic) is imported and opened in a worker thread after home is on
screen.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import threading
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import App
from textual.binding import Binding
from textual.css.query import NoMatches
from textual.message import Message
from textual.screen import Screen

from consult.flows.drafts import DraftSaver, SaveFailed
from consult.i18n import Translator
from consult.screens.base import translate_bindings
from consult.screens.home import HomeScreen
from consult.system.files import create_unique, private_dir

if TYPE_CHECKING:
    from consult.assessment.walk_state import WalkState
    from consult.core.model import Draft
    from consult.demo import DemoCase
    from consult.flows.host import FlowHost
    from consult.flows.walk import Walk
    from consult.scoring.rules import RulesDefinition
    from consult.store import Store
    from consult.system.settings import Settings


class ConsultApp(App[None]):
    CSS_PATH = Path(__file__).with_name("app.tcss")
    # The command palette speaks English and offers nothing a caseworker needs yet.
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [
        Binding("ctrl+q", "quit", "binding.quit", priority=True, show=False),
        Binding("f1", "help", "binding.help", show=False),
        # Not a priority: the questions take ? for "unsure", and a text field takes it as text.
        Binding("question_mark", "help", "binding.help", show=False),
    ]

    def __init__(
        self,
        settings: Settings,
        store: Store,
        training: Store,
        start: str | None = None,
        *,
        freeze_after_start: bool = False,
    ) -> None:
        super().__init__()
        self.settings = settings
        self.t = Translator(settings.lang)
        self.title = self.t("app.title_demo" if settings.demo else "app.title")
        self.store = store
        self.store_error: str | None = None
        self.store_ready = asyncio.Event()
        self.draft_saver = DraftSaver(self)
        self.walk: Walk | None = None
        self._quit_asked = False
        self._training_store = training
        self._start = start
        self.rules: RulesDefinition | None = None  # in force on the database; None until read
        self._freeze_after_start = freeze_after_start
        translate_bindings(self, self.t)

    # --- start-up -------------------------------------------------------------------------

    def get_default_screen(self) -> Screen:
        return HomeScreen()

    def on_mount(self) -> None:
        self.sub_title = self.t("app.sub_title")

    def on_ready(self) -> None:
        # Home is painted: only now import and open the store, so its ~0.8 s of imports and
        # migrations never stand between the worker and the first screen.
        threading.Thread(target=self._open_store, name="consult-store-open", daemon=True).start()
        if self._start == "training":
            from consult.screens.training import TrainingScreen

            self.push_screen(TrainingScreen())

    @property
    def store_open(self) -> bool:
        return self.store.is_open

    class _CountRead(Message):
        def __init__(self, count: int) -> None:
            super().__init__()
            self.count = count

    class _StoreOpened(Message):
        def __init__(self, error: str | None) -> None:
            super().__init__()
            self.error = error

    def _open_store(self) -> None:
        """Home's case count first, straight from a local file, then the store itself.

        A thread of its own rather than a Textual worker, whose end the app awaits: a worker who
        quits at once does not wait for SQLAlchemy's imports, the page check and a migration.
        Stopped at any point, the process leaves what a kill would, which SQLite and the
        migration already survive (a transaction rolled back, a backup only when whole)."""
        from consult.store.database import OPENING

        with OPENING:  # the demo's folder is removed only between openings
            count = self._count_in_file()
            if count is not None:
                self.post_message(self._CountRead(count))
            try:
                self.store.connect(check=True)  # a damaged file: one line on home, no screen reads it
                self._read_rules()
            except Exception as error:  # shown on home in one line; the app stays usable to quit
                problem: str | None = self._store_problem(error)
            else:
                problem = None
        if not self.post_message(self._StoreOpened(problem)):
            self.store.close()  # the app closed meanwhile: nothing will close it after this

    def _count_in_file(self) -> int | None:
        """The saved cases of a current local SQLite file, through the standard library in a few
        milliseconds; None for anything else (a server, a file to create or upgrade, a damaged
        one: the store then counts, or says what is wrong)."""
        if self.settings.database_url is not None:
            return None
        from consult.stats import saved_cases
        from consult.system.database_file import open_current
        from consult.system.settings import DATABASE_FILE

        try:
            connection = open_current(self.settings.data_dir / DATABASE_FILE)
            if connection is None:
                return None
            try:
                return saved_cases(connection)
            finally:
                connection.close()
        except Exception:  # the store's own opening says what is wrong, in its words
            return None

    @on(_CountRead)
    def _count_read(self, message: _CountRead) -> None:
        home = self.screen_stack[0] if self.screen_stack else None
        if isinstance(home, HomeScreen) and not self.store_ready.is_set():
            with contextlib.suppress(NoMatches):
                home.show_count(message.count)

    @on(_StoreOpened)
    def _store_opened_message(self, message: _StoreOpened) -> None:
        self._store_opened(message.error)

    def _read_rules(self) -> RulesDefinition:
        """The rules in force on the database; called off the UI thread."""
        self.rules = self.store.rules_in_force()
        return self.rules

    @work(thread=True, group="rules", exclusive=True)
    def _refresh_walk_rules(self, state: WalkState) -> None:
        """A new walk scores with the rules in force now: another worker may have activated
        new ones since this app started. The context and seven domains come before any
        suggestion is shown, so the read is long done by then."""
        if not self.store.is_open:
            return
        try:
            rules = self._read_rules()
        except Exception:  # the walk keeps the rules read at start; the save will say more
            return
        state.rules = rules

    def _store_problem(self, error: Exception) -> str:
        from consult.store.migrate import SchemaBehind
        from consult.system.failures import database_cause

        if isinstance(error, SchemaBehind):  # a worker's login never migrates the server
            return self.t("admin.error.schema_behind")

        return database_cause(error, self.t)

    def _store_opened(self, error: str | None) -> None:
        if self._freeze_after_start and not self.store_ready.is_set():
            # What start-up made (Textual, the screens' styles, the catalogs, SQLAlchemy and the
            # open store) lives as long as the app. Out of the collector's sight, its full
            # passes during the walk no longer go through all of it: a key waited up to 150 ms
            # for one (bench/walk.py: a walk's 16 keys, 0.31 → 0.22 s at the median).
            gc.freeze()
        self.store_error = error
        if self.walk is not None and self.walk.trainee is None and self.rules is not None:
            self.walk.state.rules = self.rules  # a walk begun before the database answered
        self.store_ready.set()
        self.refresh_home()

    def on_unmount(self) -> None:
        for store in (self.store, self._training_store):
            store.close()

    async def training_store(self) -> Store:
        """The training database, opened on first use."""
        if not self._training_store.is_open:
            await asyncio.to_thread(self._training_store.connect)
        return self._training_store

    @work(group="home", exclusive=True)
    async def refresh_home(self) -> None:
        home = self.screen_stack[0]
        if not isinstance(home, HomeScreen):
            return
        store = self.store
        if not store.is_open:
            home.show_store(None, None, self.store_error or "")
            return

        def read() -> tuple:
            who = store.identity()
            # An administrator reads no case text: no drafts of theirs to offer.
            walks = who.may("walk")
            return (
                who,
                store.count_cases(),
                store.latest_draft() if walks else None,
                store.count_drafts() if walks else 0,
                store.last_purge(),
                self._read_rules(),
            )

        who, count, draft, drafts, purged, rules = await asyncio.to_thread(read)
        with contextlib.suppress(NoMatches):  # the app closed while the database answered
            home.show_store(
                count,
                draft,
                draft_count=drafts,
                purged=purged,
                backup=self.store.backup,
                rules_version=rules.version,
                identity=who,
            )

    # --- global keys ----------------------------------------------------------------------

    def action_help(self) -> None:
        from consult.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_help_quit(self) -> None:
        """Ctrl+C: Textual's own notice is English; say it in the user's words."""
        self.notify(self.t("app.ctrl_c"), title=self.t("app.ctrl_c_title"))

    async def action_quit(self) -> None:
        """Keeps what the worker typed but has not confirmed (a note), and the walk's last
        choices, before the app closes. Text the guard objects to is not kept: the worker is
        told why, and a second Ctrl+Q quits all the same."""
        keep = getattr(self.screen, "keep_typed_text", None)
        if keep is not None and not self._quit_asked and not keep():
            self._quit_asked = True
            self.notify(self.t("app.quit_unsaved"), severity="warning", timeout=8)
            return
        if await self._ask_before_leaving_result():
            return
        with contextlib.suppress(SaveFailed):  # told on screen already; quitting goes on
            await self.draft_saver.write_pending()
        self.exit()

    async def _ask_before_leaving_result(self) -> bool:
        """A result not yet saved, on screen or under a dialog, asks what becomes of the case
        before the app closes (True: asked; the answer quits or stays)."""
        from consult.screens.leave_result import LeaveResultScreen
        from consult.screens.result import ResultScreen

        if isinstance(self.screen, LeaveResultScreen):
            return True  # asked already: the answer decides
        stack = self.screen_stack
        results = [screen for screen in stack if isinstance(screen, ResultScreen)]
        if not results or results[-1].saved is not None or results[-1].compare is not None:
            return False
        while self.screen is not results[-1]:
            await self.pop_screen()  # a dialog over the result: what it held was kept above
        results[-1].dialogs_closed()
        return results[-1].ask_before_leaving(quitting=True)

    # --- the walk (its flow lives in consult.flows.walk) -----------------------------------

    @property
    def walking(self) -> bool:
        return self.walk is not None

    @property
    def walk_step(self) -> int | None:
        """The step on screen, or None outside a walk."""
        return self.walk.state.step if self.walk is not None else None

    @property
    def draft_saving(self) -> bool:
        return self.draft_saver.busy

    def start_walk(self, draft: Draft | None) -> None:
        """Starts a new walk, or continues a draft where it stopped. The first save waits for
        the store if it is still opening, so the worker can begin at once."""
        from consult.assessment.walk_state import WalkState
        from consult.flows.walk import Walk

        if self.walk is not None:
            return
        if draft is not None:
            state = WalkState.from_draft(draft)
        else:  # the worker's defaults from the settings screen, preselected on the context step
            from consult.core.model import Context

            preset = Context.model_validate(
                {"area": self.settings.area, "worker_org": self.settings.worker_org}
            )
            state = WalkState(context=preset)
        if self.rules is not None:
            state.rules = self.rules
        self.walk = Walk(self, self.draft_saver, state)
        # A notice from home (drafts waiting, a purge) would sit over the note's privacy
        # warning and its counter: the walk starts with the corner clear.
        self.clear_notifications()
        self._refresh_walk_rules(state)
        self.push_screen(self.walk.first_screen())

    def start_training_walk(self, case: DemoCase, pseudonym: str, step: int) -> None:
        """A trainee's walk of a demo case: the case's context is given, nothing is saved as a
        draft, and the result is kept in the training database and compared with the reference."""
        from consult.assessment.walk_state import WalkState
        from consult.flows.walk import Trainee, Walk

        if self.walk is not None:
            return
        self.walk = Walk(
            self, self.draft_saver, WalkState(step=step, context=case.context), Trainee(case, pseudonym)
        )
        self.switch_screen(self.walk.first_screen())

    def end_walk(self, then: Screen | None = None) -> None:
        """Leaves the walk: back where it was started from, or on to ``then``."""
        self.walk = None
        if then is not None:
            self.switch_screen(then)
        else:
            self.pop_screen()
        self._after_walk()

    @work(group="home")
    async def _after_walk(self) -> None:
        async with self.draft_saver.lock:
            pass  # the drafts saved so far are in the database before home counts them
        self.refresh_home()

    def use_settings(self, settings: Settings) -> None:
        self.settings = settings
        if settings.lang != self.t.lang:
            self.t = Translator(settings.lang)
            self.title = self.t("app.title_demo" if settings.demo else "app.title")
            self.sub_title = self.t("app.sub_title")

    def write_note_file(self, note: str) -> Path:
        """A record note saved as a file of its own: a new name every time, never following a
        link planted at that name."""
        folder = private_dir(self.settings.files_dir / "notes")
        stem = f"{self.t('file.note')}-{datetime.now():%Y%m%d-%H%M%S}"
        path, handle = create_unique(folder, stem, ".txt")
        with handle:
            handle.write(note + "\n")
        return path


def make_app(settings: Settings, start: str | None = None, *, freeze_after_start: bool = False) -> ConsultApp:
    """The one factory that builds the app, for the command line and the tests alike.
    ``start="training"`` opens training mode (``consult train``); ``freeze_after_start``: the
    app is the process's whole life (the command line), so what start-up made is kept out of
    the garbage collector's passes (not in a test process, where apps come and go)."""
    from consult.store import Store  # light: the database itself is opened after home is on screen

    app = ConsultApp(
        settings,
        Store(settings.resolved_database_url),
        Store(settings.training_database_url),
        start,
        freeze_after_start=freeze_after_start,
    )
    _offered: FlowHost = app  # mypy holds the app to the interface its flows and screens use
    return app
