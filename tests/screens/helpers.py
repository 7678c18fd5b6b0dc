"""What the screen tests share: starting the app, pressing keys as a worker does, waiting for a
condition (never for a length of time) and reading the screen and the database.

A test waits for what it needs to be true, with a deadline generous enough for a machine busy
with other work: a test that holds on an idle laptop holds beside two CPU-hungry processes."""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager

from rich.console import Console
from sqlalchemy import create_engine, text
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Button, DataTable, Static, TextArea
from textual.worker import WorkerState

from consult.app import ConsultApp, make_app
from consult.core.model import Case, route_for_status
from consult.exchange.bundle import Bundle, import_bundle
from consult.store import Store
from consult.system.settings import DATABASE_FILE, Settings
from consult.widgets.choice_row import ChoiceRow
from consult.widgets.prepared import PreparedLines
from consult.widgets.profile import ProfileView
from tests.template import ensure_database

# Long enough for a loaded CI runner; a condition that holds is seen within one poll.
DEADLINE_S = 60.0
POLL_S = 0.02

TYM_KEYS = ["3", "3", "2", "4", "3", "3", "2"]
# From home through context, the seven domains and the five questions, onto the services tried
# and missing (an optional step), and past it onto the result.
TO_SERVICES = ["n", "enter", *TYM_KEYS, "enter", *["enter"] * 5]
TO_RESULT = [*TO_SERVICES, "enter"]


async def wait_until(
    pilot: Pilot, condition: Callable[[], object], what: str, deadline: float = DEADLINE_S
) -> None:
    """Returns as soon as ``condition()`` is true; fails saying ``what`` was awaited if it is
    still false after ``deadline`` seconds. The app keeps running while this polls."""
    loop = asyncio.get_running_loop()
    give_up = loop.time() + deadline
    while not condition():
        if loop.time() > give_up:
            raise AssertionError(f"still not true after {deadline:.0f} s: {what}")
        await pilot.pause(POLL_S)
    await pilot.pause()


def _busy(app: ConsultApp) -> bool:
    running = (WorkerState.PENDING, WorkerState.RUNNING)
    return app.draft_saving or any(worker.state in running for worker in app.workers)


async def ready(app: ConsultApp, pilot: Pilot) -> None:
    """Waits until the store is open and home shows it."""
    await asyncio.wait_for(app.store_ready.wait(), DEADLINE_S)
    await settle(app, pilot)


async def settle(app: ConsultApp, pilot: Pilot) -> None:
    """Waits until the screen has taken the key, every worker is done (including those a worker
    started on finishing, such as a case reloading after a decision is saved) and the draft is
    saved."""
    await pilot.pause()
    await wait_until(pilot, lambda: not _busy(app), "the workers finish and the draft is saved")


async def press(app: ConsultApp, pilot: Pilot, *keys: str) -> None:
    """Presses the keys one by one as a worker does: each after the screen has taken the one
    before."""
    for key in keys:
        await pilot.press(key)
        await settle(app, pilot)


@asynccontextmanager
async def running(
    settings: Settings, size: tuple[int, int] = (80, 24), start: str | None = None
) -> AsyncIterator[tuple[ConsultApp, Pilot]]:
    """The app, started headless and shown with its store open: ``async with running(s) as
    (app, pilot):``."""
    app = make_app(settings, start=start)
    async with app.run_test(size=size) as pilot:
        await ready(app, pilot)
        yield app, pilot


def seed(settings: Settings, cases: Iterable[Case]) -> None:
    """Saves the cases into the worker's database as another worker's bundle would bring them."""
    cases = [c.model_copy(update={"route": c.route or route_for_status(c.status)}) for c in cases]
    if settings.database_url is None:  # new ones as the settings fixture's, not migrated
        for name in (DATABASE_FILE, "training.db"):
            ensure_database(settings.data_dir / name)
    store = Store.open(settings.resolved_database_url)
    try:
        import_bundle(store.engine, Bundle(format="consult-cases", version=3, cases=cases))
    finally:
        store.close()


def codes(app: ConsultApp) -> list[str]:
    """The case codes listed in the screen's table, top to bottom."""
    table = app.screen.query_one(DataTable)
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


def plain(renderable: object) -> str:
    """A widget's content as the text a reader sees, without styles."""
    if isinstance(renderable, str):
        return renderable
    text_ = getattr(renderable, "plain", None)
    if isinstance(text_, str):
        return text_
    console = Console(width=200, file=io.StringIO(), color_system=None)
    with console.capture() as capture:
        console.print(renderable)
    return capture.get()


def screen_text(app: ConsultApp) -> str:
    """Everything the current screen holds as text, scrolled into view or not."""
    parts = []
    for widget in app.screen.query(Widget):
        if isinstance(widget, TextArea):
            parts.append(widget.text)
        elif isinstance(widget, Button):
            parts.append(plain(widget.label))
        elif isinstance(widget, Static):
            parts.append(plain(widget.content))
        elif isinstance(widget, ChoiceRow):
            parts.append(widget.render().plain)
        elif isinstance(widget, ProfileView):
            parts.append(plain(widget.render()))
        elif isinstance(widget, PreparedLines):
            parts.append(widget.plain)
    return "\n".join(parts)


def rows(settings: Settings, sql: str) -> list[tuple]:
    engine = create_engine(settings.resolved_database_url)
    try:
        with engine.connect() as connection:
            return [tuple(r) for r in connection.execute(text(sql))]
    finally:
        engine.dispose()
