"""The team's decision on a case: agree with the recommendation or choose another path, with a
note and the date. A bad date is named in one line and nothing typed is lost."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Static

from consult.core.model import PRIMARIES, TeamDecision
from consult.i18n.formats import show
from consult.privacy.free_text import clean
from consult.screens.dialog import CaseDialog
from consult.widgets.choice_row import ChoiceRow
from consult.widgets.text_field import TextField


class DecisionScreen(CaseDialog[TeamDecision]):
    def __init__(
        self,
        code: str,
        recommended: str,
        others: Mapping[str, str] | None = None,
        on_day: date | None = None,
    ) -> None:
        super().__init__(code, others)
        self.recommended = recommended
        # Decided in a meeting: on the meeting's day, so no day is asked.
        self.on_day = on_day

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
            if self.on_day is None:
                # The day is filled in, so its placeholder never shows: a label says what it is.
                yield Static(t("decision.date"), classes="label")
                yield Input(show(date.today(), t.lang), placeholder=t("decision.date"), id="date")
            yield Static("", id="problem", classes="error")
            yield Static(t("decision.hint"), classes="keys")

    def on_mount(self) -> None:
        self.query_one(ChoiceRow).focus()

    def save(self) -> None:
        decided = self.on_day or self.day("decision.bad_date", "decision.in_future")
        if decided is None:
            return
        note = self.query_one("#note", Input).value
        if self.note_problem("privacy.field.decision", note, "decision"):
            return
        path = str(self.query_one(ChoiceRow).value)
        self.dismiss(TeamDecision(path=path, note=clean(note), decided_at=decided))
