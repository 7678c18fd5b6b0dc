"""Profile: the seven levels as bars, challenges and implicated organisations marked."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Static

from consult.scoring.engine import Facts
from consult.screens.base import ConsultScreen, Move
from consult.widgets.profile import joined, profile_table


class ProfileScreen(ConsultScreen[Move]):
    BINDINGS = [
        Binding("enter,right", "next", "binding.next", key_display="⏎"),
        Binding("left,backspace", "back", "binding.back", key_display="←"),
        Binding("escape", "leave", "binding.home"),
    ]

    def __init__(self, facts: Facts) -> None:
        super().__init__()
        self.facts = facts

    def compose(self) -> ComposeResult:
        t, f = self.t, self.facts
        yield Header(icon="")
        with VerticalScroll(classes="step"):
            yield Static(t("profile.title"), classes="step-title")
            yield Static(profile_table(f, t), id="profile")
            yield Static(t("profile.challenges", count=len(f.challenges), assessed=f.assessed))
            yield Static(f"{t('profile.needs')}: {joined(f.needs, 'need', t)}", id="needs")
            yield Static(f"{t('profile.orgs')}: {joined(f.orgs, 'org', t)}", id="orgs")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = self.t("profile.title")

    def action_next(self) -> None:
        self.dismiss(Move("next"))

    def action_back(self) -> None:
        self.dismiss(Move("back"))

    def action_leave(self) -> None:
        self.dismiss(Move("leave"))
