"""Training: a trainee types a pseudonym, picks a fictional client, reads the vignette and
walks it; the trainer sees how alike the group scores (``a``)."""

from __future__ import annotations

import asyncio
import re

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from consult.assessment.record_note import context_words
from consult.core.instrument import localized
from consult.demo import DemoCase, demo_cases
from consult.screens.base import ConsultScreen, TextGuard, relabel
from consult.widgets.key_bar import KeyBar
from consult.widgets.title_bar import TitleBar

PSEUDONYM = re.compile(r"^[\w\- ]{2,30}$")


class TrainingScreen(ConsultScreen[None]):
    BINDINGS = [
        Binding("a", "agreement", "binding.agreement"),
        Binding("escape", "home", "binding.home"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.done: set[str] = set()
        self.guard = TextGuard(self.t)

    def compose(self) -> ComposeResult:
        t = self.t
        yield TitleBar(self.app.title, t("training.title"))
        yield Static(t("training.intro"), classes="reminder")
        yield Input(placeholder=t("training.pseudonym"), id="pseudonym")
        yield OptionList(id="demo-cases")
        yield KeyBar()

    def on_mount(self) -> None:
        self._fill()
        self.query_one("#pseudonym", Input).focus()

    def _fill(self) -> None:
        t = self.t
        options = self.query_one(OptionList)
        highlighted = options.highlighted
        options.clear_options()
        for case in demo_cases():
            mark = f"  ✓ {t('training.done')}" if case.id in self.done else ""
            options.add_option(Option(f"{localized(case.title, t.lang)}{mark}", id=case.id))
        options.highlighted = highlighted if highlighted is not None else 0

    def on_screen_resume(self) -> None:
        self._refresh_done()

    @work(exclusive=True, group="training")
    async def _refresh_done(self) -> None:
        pseudonym = self.query_one("#pseudonym", Input).value.strip()
        store = await self.host.training_store()
        all_results = await asyncio.to_thread(store.training_results)
        self.done = {r.case_id for r in all_results if r.pseudonym == pseudonym}
        self._fill()

    @on(Input.Submitted, "#pseudonym")
    def _pseudonym(self) -> None:
        if self._checked_pseudonym() is not None:
            self.query_one(OptionList).focus()
            self._refresh_done()

    def _checked_pseudonym(self) -> str | None:
        value = self.query_one("#pseudonym", Input).value.strip()
        if not value:
            self.notify(self.t("training.pseudonym_missing"), severity="warning")
        elif not PSEUDONYM.match(value):
            self.notify(self.t("training.pseudonym_bad", value=value), severity="error")
        elif (
            problem := self.guard.problem(self.t("privacy.field.pseudonym"), value, "pseudonym")
        ) is not None:
            self.notify(problem, severity="warning")
        else:
            return value
        self.query_one("#pseudonym", Input).focus()
        return None

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        pseudonym = self._checked_pseudonym()
        if pseudonym is None:
            return
        case = next(c for c in demo_cases() if c.id == event.option.id)
        self.app.push_screen(VignetteScreen(case, pseudonym))

    def action_agreement(self) -> None:
        from consult.screens.agreement import AgreementScreen

        self.app.push_screen(AgreementScreen())

    def action_home(self) -> None:
        self.dismiss(None)


class VignetteScreen(ConsultScreen[None]):
    """The fictional client's situation as the worker heard it; Enter starts the walk."""

    BINDINGS = [
        Binding("enter", "start", "binding.start", key_display="⏎"),
        Binding("escape", "back", "binding.back", key_display="esc"),
    ]

    def __init__(self, case: DemoCase, pseudonym: str, reading: bool = False) -> None:
        super().__init__()
        self.case = case
        self.pseudonym = pseudonym
        # Opened from a step of the walk (i): Enter and Esc both go back to that step.
        self.reading = reading
        if reading:
            relabel(self, "enter", self.t("binding.back_to_walk"))
            relabel(self, "escape", self.t("binding.back_to_walk"))

    def compose(self) -> ComposeResult:
        t, lang = self.t, self.t.lang
        yield TitleBar(self.app.title, t("training.title"))
        with VerticalScroll(classes="step"):
            yield Static(localized(self.case.title, lang), classes="step-title")
            yield Static(localized(self.case.vignette, lang))
            yield Static(t("case.context", context=context_words(self.case.context, t)), classes="section")
            yield Static(t("training.reading" if self.reading else "training.start"), classes="keys")
        yield KeyBar()

    def action_start(self) -> None:
        from consult.assessment.walk_state import FIRST_DOMAIN

        if self.reading:
            self.dismiss(None)
            return
        self.host.start_training_walk(self.case, self.pseudonym, FIRST_DOMAIN)

    def action_back(self) -> None:
        self.dismiss(None)
