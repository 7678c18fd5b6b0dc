"""What happened after the referral: the service that started and on which day, or that nothing
started and why, with an optional note through the privacy guard. A bad day is named in one
line and nothing typed is lost."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Static

from consult.core.model import NOT_STARTED_REASONS, PRIMARIES, Outcome
from consult.i18n.formats import show
from consult.screens.dialog import CaseDialog
from consult.widgets.choice_row import ChoiceRow


class OutcomeScreen(CaseDialog[Outcome]):
    def __init__(
        self, code: str, saved_on: date, path: str | None = None, others: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(code, others)
        self.saved_on = saved_on  # the case's own day: no service starts before it was saved
        self.path: object = path
        self.reason: object = None

    def compose(self) -> ComposeResult:
        t = self.t
        with Vertical(id="outcome"):
            yield Static(t("outcome.title", code=self.code), classes="step-title")
            yield ChoiceRow(
                t("outcome.kind"),
                [(True, t("outcome.kind.started")), (False, t("outcome.kind.not_started"))],
                True,
                arrows=True,  # a dialog: ← and → choose here, as in the decision dialog
                first_number=1,
                id="kind",
            )
            # The path of a start, or the reason nothing started: one row, its options those
            # of the kind chosen.
            yield ChoiceRow(*self._detail(True), arrows=True, first_number=1, id="detail")
            # The day is filled in, so its placeholder never shows: a label says what it is.
            yield Static(t("outcome.date"), classes="label")
            yield Input(show(date.today(), t.lang), placeholder=t("outcome.date"), id="date")
            yield Input(placeholder=t("outcome.note"), id="note", max_length=500)
            yield Static("", id="problem", classes="error")
            yield Static(t("outcome.hint"), classes="keys")

    def on_mount(self) -> None:
        kind = self.query_one("#kind", ChoiceRow)
        # Within the key that changes the kind, not on its Changed message: a tab typed right
        # after it (a fast typist, a paste) must find the row of the kind chosen.
        self.watch(kind, "index", self._kind_chosen, init=False)
        kind.focus()

    def _detail(self, started: bool) -> tuple[str, list[tuple[object, str]], object]:
        t = self.t
        if started:
            return t("outcome.path"), [(p, t(f"primary_short.{p}")) for p in PRIMARIES], self.path
        return t("outcome.reason"), [(r, t(f"reason.{r}")) for r in NOT_STARTED_REASONS], self.reason

    def _kind_chosen(self) -> None:
        detail = self.query_one("#detail", ChoiceRow)
        started = bool(self.query_one("#kind", ChoiceRow).value)
        # What was chosen for the other kind comes back if the worker changes their mind.
        if started:
            self.reason = detail.value
        else:
            self.path = detail.value
        detail.offer(*self._detail(started))

    def save(self) -> None:
        t = self.t
        if (day := self.day("outcome.bad_date", "outcome.in_future")) is None:
            return
        if day < self.saved_on:
            self.say(t("outcome.before_created", date=show(self.saved_on, t.lang)), "#date")
            return
        note = self.query_one("#note", Input).value.strip()
        if self.note_problem("privacy.field.outcome", note):
            return
        started = bool(self.query_one("#kind", ChoiceRow).value)
        chosen = str(self.query_one("#detail", ChoiceRow).value)
        self.dismiss(
            Outcome(
                started=started,
                path=chosen if started else None,
                reason=None if started else chosen,
                on=day,
                note=note,
            )
        )
