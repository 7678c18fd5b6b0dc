"""A free-text note in a dialog, checked by the privacy guard before it is kept: a refusal
names the field and what was found and keeps the text for editing; a warning is confirmed by
saving the same text again (Enter, with the warning on view); a warned text kept any other way
stays unconfirmed."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from consult.privacy.free_text import clean
from consult.screens.base import ConsultModal, TextGuard
from consult.widgets.text_field import NoteArea, TextField


class NoteScreen(ConsultModal[str | None]):
    """Dismissed with the note to keep ("" removes it), or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "binding.cancel")]

    def __init__(
        self,
        title: str,
        field: str,
        text: str,
        keep: Callable[[str, bool], None] | None = None,
        others: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__()
        self.title_text, self.field, self.text = title, field, text
        self.keep = keep
        self.guard = TextGuard(self.t, others=lambda: others or {})

    def compose(self) -> ComposeResult:
        with Vertical(id="note-dialog"):
            yield Static(self.title_text, classes="step-title")
            yield Static(self.t("general_note.reminder"), classes="hint")
            yield TextField(
                "general",
                self.text,
                placeholder=self.field,
                id="general-note",
                input_class=NoteArea,
                leave_on_escape=False,
            )
            yield Static("", id="problem", classes="error")
            yield Static(self.t("general_note.hint"), classes="keys")

    @on(NoteArea.Submitted)
    def _submitted(self) -> None:
        text = self._checked()
        if text is not None:
            self.dismiss(text)

    def _checked(self) -> str | None:
        typed = self.query_one(NoteArea).value
        problem = self.guard.problem(self.field, typed, "general", key="general")
        if problem is not None:
            self.query_one("#problem", Static).update(problem)
            return None
        return clean(typed)

    def keep_typed_text(self) -> bool:
        """Before the app quits: keeps the note typed so far -- one with a warning not confirmed
        here as unconfirmed, asked again before the case is saved -- or says why it cannot
        (False). Quitting confirms nothing."""
        typed = self.query_one(NoteArea).value
        problem = self.guard.problem(self.field, typed, "general", key="general", confirm=False)
        if problem is not None and not self.guard.warned(typed, "general", key="general"):
            self.query_one("#problem", Static).update(problem)
            return False
        text = clean(typed)
        if self.keep is not None and text != self.text:
            self.keep(text, problem is None)
        return True

    def action_cancel(self) -> None:
        self.dismiss(None)
