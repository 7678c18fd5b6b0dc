from __future__ import annotations

import asyncio
import io

from rich.console import Console
from sqlalchemy import create_engine, text
from textual.widget import Widget
from textual.widgets import Button, Static, TextArea

from consult.app import ConsultApp
from consult.system.settings import Settings
from consult.widgets.choice_row import ChoiceRow
from consult.widgets.profile import ProfileView


async def ready(app: ConsultApp, pilot) -> None:
    """Waits until the store is open and home shows it."""
    await app.store_ready.wait()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def settle(app: ConsultApp, pilot) -> None:
    """Waits until the screen has taken the key, its workers are done and the draft is saved."""
    await pilot.pause()
    for _ in range(500):
        await app.workers.wait_for_complete()
        if not app.draft_saving:
            break
        await asyncio.sleep(0.01)
    await pilot.pause()


def _plain(renderable: object) -> str:
    if isinstance(renderable, str):
        return renderable
    plain = getattr(renderable, "plain", None)
    if isinstance(plain, str):
        return plain
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
            parts.append(_plain(widget.label))
        elif isinstance(widget, Static):
            parts.append(_plain(widget.content))
        elif isinstance(widget, ChoiceRow):
            parts.append(widget.render().plain)
        elif isinstance(widget, ProfileView):
            parts.append(_plain(widget.render()))
    return "\n".join(parts)


def rows(settings: Settings, sql: str) -> list[tuple]:
    engine = create_engine(settings.resolved_database_url)
    try:
        with engine.connect() as connection:
            return [tuple(r) for r in connection.execute(text(sql))]
    finally:
        engine.dispose()
