"""What the team's dialogs on a case share: a day typed as the language writes it, a note through
the privacy guard, Enter to save from a choice row, Esc to cancel, and a problem named in one
line with the field it concerns focused, so nothing typed is lost."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TypeVar

from textual import events, on
from textual.binding import Binding
from textual.widgets import Input, Static

from consult.core.dates import parse_day, today
from consult.screens.base import ConsultModal, TextGuard
from consult.widgets.choice_row import ChoiceRow

T = TypeVar("T")


class CaseDialog(ConsultModal[T | None]):
    BINDINGS = [Binding("escape", "cancel", "binding.cancel")]

    def __init__(self, code: str, others: Mapping[str, str] | None = None) -> None:
        super().__init__()
        self.code = code
        self.guard = TextGuard(self.t, others=lambda: {f"notes.{k}": v for k, v in (others or {}).items()})

    def on_key(self, event: events.Key) -> None:
        # Enter on a choice row saves; the text fields submit by themselves.
        if event.key == "enter" and isinstance(self.focused, ChoiceRow):
            event.stop()
            self.save()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.save()

    def save(self) -> None:
        raise NotImplementedError

    def say(self, problem: str, field: str) -> None:
        self.query_one("#problem", Static).update(problem)
        self.query_one(field).focus()

    def day(self, bad_date_key: str, future_key: str) -> date | None:
        """The day in the ``#date`` field, or None once the problem is said. A day after today
        is refused (``future_key``): what is recorded here has happened, and a day ahead would
        count in the figures as if it had."""
        from consult.i18n.formats import show

        raw = self.query_one("#date", Input).value
        try:
            day = parse_day(raw)
        except ValueError:
            self.say(self.t(bad_date_key, value=raw), "#date")
            return None
        if day > (last := today()):
            self.say(self.t(future_key, date=show(last, self.t.lang)), "#date")
            return None
        return day

    def note_problem(self, label_key: str, text: str, field: str = "note") -> bool:
        """True (and said) when the guard refuses or asks about the note."""
        problem = self.guard.problem(self.t(label_key), text, field, key=label_key) if text.strip() else None
        if problem is not None:
            self.say(problem, "#note")
        return problem is not None

    def action_cancel(self) -> None:
        self.dismiss(None)
