"""A closed meeting's minutes, to read through before they are pasted into Teams: anonymous, in
the user's language (``consult.report.minutes``). c copies them as text, m as Markdown."""

from __future__ import annotations

import asyncio

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from consult.screens.base import ConsultScreen
from consult.widgets.key_bar import KeyBar
from consult.widgets.title_bar import TitleBar


class MinutesScreen(ConsultScreen[None]):
    BINDINGS = [
        Binding("c", "copy('text')", "meeting.key.copy"),
        Binding("m", "copy('markdown')", "meeting.key.copy_markdown"),
        Binding("escape", "back", "binding.back", key_display="esc"),
    ]

    def __init__(self, meeting_id: str) -> None:
        super().__init__()
        self.meeting_id = meeting_id
        self.minutes: dict[str, str] = {}
        """The minutes by format, once read."""

    def compose(self) -> ComposeResult:
        t = self.t
        yield TitleBar(self.app.title, t("meeting.minutes.title"))
        with VerticalScroll(id="minutes", classes="step"):
            yield Static(t("review.loading"), id="minutes-text", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#minutes").focus()
        self._load()

    @work(exclusive=True, group="minutes")
    async def _load(self) -> None:
        store, t = self.host.store, self.t

        def read() -> dict[str, str]:
            from consult.report import minutes  # with its catalogs: only when minutes are asked for

            meeting = store.get_meeting(self.meeting_id)
            if meeting is None:
                return {}
            cases, reviewed = minutes.minutes_sources(store, meeting)
            return {
                fmt: minutes.minutes_text(meeting, cases, reviewed, t, fmt=fmt)
                for fmt in ("text", "markdown")
            }

        try:
            self.minutes = await asyncio.to_thread(read)
        except Exception as error:  # said in one line; the meeting itself is closed and kept
            self.query_one("#minutes-text", Static).update(
                t("meeting.failed", error=error.__class__.__name__)
            )
            return
        self.query_one("#minutes-text", Static).update(
            self.minutes.get("text") or t("meeting.minutes.pending")
        )
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "copy":
            return bool(self.minutes)
        return True

    def action_copy(self, fmt: str) -> None:
        text = self.minutes.get(fmt)
        if text:
            self.app.copy_to_clipboard(text)
            self.notify(self.t("meeting.minutes.copied"))

    def action_back(self) -> None:
        self.dismiss(None)
