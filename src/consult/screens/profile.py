"""Profile: the seven levels as bars, challenges and implicated organisations marked."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from consult.scoring.engine import Facts
from consult.screens.base import StepScreen
from consult.screens.host import Move
from consult.widgets.key_bar import KeyBar
from consult.widgets.profile import ProfileView, joined
from consult.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from consult.screens.host import WalkControl


class ProfileScreen(StepScreen):
    BINDINGS = [
        Binding("enter,right", "next", "binding.next", key_display="⏎"),
        Binding("left,backspace", "back", "binding.back", key_display="←"),
        Binding("escape", "leave", "binding.home"),
    ]

    def __init__(self, walk: WalkControl, facts: Facts) -> None:
        super().__init__(walk)
        self.facts = facts

    def compose(self) -> ComposeResult:
        t, f = self.t, self.facts
        yield TitleBar(self.app.title, self.t("profile.title"))
        with VerticalScroll(classes="step"):
            yield Static(t("profile.title"), classes="step-title")
            yield ProfileView(f, t, id="profile")
            yield Static(t("profile.challenges", count=len(f.challenges), assessed=f.assessed))
            yield Static(f"{t('profile.needs')}: {joined(f.needs, 'need', t)}", id="needs")
            yield Static(f"{t('profile.orgs')}: {joined(f.orgs, 'org', t)}", id="orgs")
        yield KeyBar()

    def action_next(self) -> None:
        self.finish(Move("next"))

    def action_back(self) -> None:
        self.finish(Move("back"))

    def action_leave(self) -> None:
        self.finish(Move("leave"))
