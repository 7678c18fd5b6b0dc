"""The team's decision on a case: agree with the recommendation or choose another path, with a
note and the date. A bad date is named in one line and nothing typed is lost."""

from __future__ import annotations

from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from consult.core.dates import parse_day
from consult.core.model import PRIMARIES, TeamDecision
from consult.i18n.formats import show
from consult.privacy.free_text import clean
from consult.screens.base import ConsultModal, TextGuard
from consult.widgets.choice_row import ChoiceRow
from consult.widgets.text_field import TextField


class DecisionScreen(ConsultModal[TeamDecision | None]):
    BINDINGS = [Binding("escape", "cancel", "binding.cancel")]

    def __init__(self, code: str, recommended: str) -> None:
        super().__init__()
        self.code = code
        self.recommended = recommended
        self.guard = TextGuard(self.t)

    def compose(self) -> ComposeResult:
        t = self.t
        with Vertical(id="decision"):
            yield Static(t("decision.title", code=self.code), classes="step-title")
            yield ChoiceRow(
                t("decision.path"),
                [(p, t(f"primary_short.{p}")) for p in PRIMARIES],
                self.recommended,
                arrows=True,
                first_number=1,
                id="path",
            )
            yield TextField("decision", placeholder=t("decision.note"), id="note")
            yield Input(show(date.today(), t.lang), placeholder=t("decision.date"), id="date")
            yield Static("", id="problem", classes="error")
            yield Static(t("decision.hint"), classes="keys")

    def on_mount(self) -> None:
        self.query_one(ChoiceRow).focus()

    def on_key(self, event) -> None:
        # Enter anywhere in the dialog saves; Inputs submit by themselves.
        if event.key == "enter" and isinstance(self.focused, ChoiceRow):
            event.stop()
            self._save()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self._save()

    def _save(self) -> None:
        raw = self.query_one("#date", Input).value
        try:
            decided = parse_day(raw)
        except ValueError:
            self.query_one("#problem", Static).update(self.t("decision.bad_date", value=raw))
            self.query_one("#date", Input).focus()
            return
        path = str(self.query_one(ChoiceRow).value)
        note = self.query_one("#note", Input).value
        problem = self.guard.problem(self.t("privacy.field.decision"), note, "decision")
        if problem is not None:
            self.query_one("#problem", Static).update(problem)
            self.query_one("#note", Input).focus()
            return
        self.dismiss(TeamDecision(path=path, note=clean(note), decided_at=decided))

    def action_cancel(self) -> None:
        self.dismiss(None)
