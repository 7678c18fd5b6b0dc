"""The unfinished walks: code, the step where it stopped and when it was last touched. Enter
continues the one chosen; x (or Delete) throws it away after asking once."""

from __future__ import annotations

import asyncio
from functools import partial

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from consult.core.dates import TEAM_TIME
from consult.core.model import Draft
from consult.i18n import Translator
from consult.i18n.formats import show, show_time
from consult.screens.base import ConsultScreen
from consult.widgets.key_bar import KeyBar
from consult.widgets.title_bar import TitleBar


def step_name(step: int, t: Translator) -> str:
    """Where a draft stopped, in words: "Taustatiedot", "Osa-alue 3/7", "Kysymys 2/5"…"""
    from consult.assessment.walk_state import (
        CONTEXT,
        FIRST_DOMAIN,
        FIRST_QUESTION,
        PROFILE,
        SERVICES,
        step_domain,
        step_question,
    )

    if step_domain(step) is not None:
        return t("walk.progress", number=step - FIRST_DOMAIN + 1)
    if step_question(step) is not None:
        return t("questions.progress", number=step - FIRST_QUESTION + 1)
    return t(
        {CONTEXT: "context.title", PROFILE: "profile.title", SERVICES: "services.step_title"}.get(
            step, "result.title"
        )
    )


class DraftsScreen(ConsultScreen[Draft | None]):
    """Dismissed with the draft to continue, or None."""

    BINDINGS = [
        # Before the list's own Enter, so the key bar shows what Enter does here.
        Binding("enter", "continue", "binding.continue", key_display="⏎", priority=True),
        Binding("x,delete", "discard", "binding.discard", key_display="x"),
        Binding("escape", "back", "binding.back", key_display="esc"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.drafts: list[Draft] = []

    def compose(self) -> ComposeResult:
        yield TitleBar(self.app.title, self.t("drafts.title"))
        yield Static(self.t("drafts.intro"), classes="reminder")
        yield OptionList(id="drafts")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        self._load()

    @work(exclusive=True, group="drafts")
    async def _load(self) -> None:

        store = self.host.store
        self.drafts = await asyncio.to_thread(store.list_drafts)
        options = self.query_one(OptionList)
        highlighted = options.highlighted or 0
        options.clear_options()
        for draft in self.drafts:
            options.add_option(Option(self._line(draft), id=draft.case.id))
        if not self.drafts:
            options.add_option(Option(self.t("drafts.none"), disabled=True))
        else:
            options.highlighted = min(highlighted, len(self.drafts) - 1)
        self.refresh_bindings()

    def _line(self, draft: Draft) -> str:
        from consult.assessment.walk_state import SERVICES

        touched = (draft.touched_at or draft.case.created_at).astimezone(TEAM_TIME)
        return self.t(
            "drafts.line_finished" if draft.step >= SERVICES else "drafts.line",
            code=draft.case.code,
            step=step_name(draft.step, self.t),
            day=show(touched.date(), self.t.lang),
            time=show_time(touched, self.t.lang),
        )

    def _chosen(self) -> Draft | None:
        index = self.query_one(OptionList).highlighted
        return self.drafts[index] if index is not None and index < len(self.drafts) else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("continue", "discard"):
            return bool(self.drafts)
        return True

    @on(OptionList.OptionSelected)
    def _selected(self) -> None:
        self.action_continue()

    def action_continue(self) -> None:
        if (draft := self._chosen()) is not None:
            self.dismiss(draft)

    def action_discard(self) -> None:
        from consult.screens.confirm import ConfirmScreen

        if (draft := self._chosen()) is None:
            return
        question = self.t("drafts.confirm_discard", code=draft.case.code)
        self.app.push_screen(ConfirmScreen(question), partial(self._confirmed, draft))

    def _confirmed(self, draft: Draft, yes: bool | None) -> None:
        if yes:
            self._discard(draft)

    @work(group="drafts")
    async def _discard(self, draft: Draft) -> None:

        store = self.host.store
        await asyncio.to_thread(store.discard_draft, draft.case.id)
        self.notify(self.t("drafts.discarded", code=draft.case.code))
        self._load()

    def action_back(self) -> None:
        self.dismiss(None)
