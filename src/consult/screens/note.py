"""A free-text note in a dialog, checked by the privacy guard before it is kept: a refusal
names the field and what was found and keeps the text for editing; a warning is confirmed by
saving the same text again."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from consult.screens.base import ConsultModal, TextGuard

NOTE_MAX_LENGTH = 500


class NoteScreen(ConsultModal[str | None]):
    """Dismissed with the note to keep ("" removes it), or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "binding.cancel")]

    def __init__(self, title: str, field: str, text: str) -> None:
        super().__init__()
        self.title_text, self.field, self.text = title, field, text
        self.guard = TextGuard(self.t)

    def compose(self) -> ComposeResult:
        with Vertical(id="note-dialog"):
            yield Static(self.title_text, classes="step-title")
            yield Static(self.t("general_note.reminder"), classes="hint")
            yield Input(self.text, placeholder=self.field, id="general-note", max_length=NOTE_MAX_LENGTH)
            yield Static("", id="problem", classes="error")
            yield Static(self.t("general_note.hint"), classes="keys")

    @on(Input.Submitted)
    def _submitted(self) -> None:
        text = self.query_one(Input).value.strip()
        problem = self.guard.problem(self.field, text) if text else None
        if problem is not None:
            self.query_one("#problem", Static).update(problem)
            return
        self.dismiss(text)

    def action_cancel(self) -> None:
        self.dismiss(None)
