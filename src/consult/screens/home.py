"""Home: start a new assessment, continue a draft; says where the data lives."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Button, Static

from consult.core.dates import team_day
from consult.i18n.formats import show
from consult.screens.base import ConsultScreen, translate_bindings
from consult.widgets.key_bar import KeyBar
from consult.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from pathlib import Path

    from consult.core.model import Draft
    from consult.store.purge import PurgeResult
    from consult.store.roles import Identity


# What each of home's choices needs the role to hold (store/roles.py ACTIONS): what the role
# may not do is not offered. A worker's own cases are there to be found and corrected.
# The team's meetings are the team's: a worker's login is not offered them.
_NEEDS = {
    "new": "walk",
    "review": "read_cases",
    "own_cases": "correct",
    "follow_up": "stats",
    "meetings": "meet",
}


class HomeScreen(ConsultScreen[None]):
    BINDINGS = [
        Binding("n", "new", "binding.new"),
        Binding("c", "continue", "binding.continue"),
        Binding("r", "review", "binding.review"),
        Binding("m", "meetings", "meeting.key.meetings"),
        Binding("o", "own_cases", "binding.own_cases"),
        Binding("f", "follow_up", "binding.follow_up"),
        Binding("k", "training", "binding.training"),
        Binding("s", "rules", "binding.rules"),
        Binding("a", "settings", "binding.settings"),
        Binding("q", "app.quit", "binding.quit"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.draft: Draft | None = None
        self.draft_count = 0
        self.identity: Identity | None = None
        """Who is signed in, once the store has said (None: not yet, and nothing is held back)."""

    def compose(self) -> ComposeResult:
        t = self.t
        yield TitleBar(self.app.title, self.t("app.sub_title"))
        with Vertical(id="home"):
            yield Static(t("home.title"), id="home-title")
            yield Static(t("home.subtitle"), id="home-subtitle")
            yield Button(t("home.new"), id="new", variant="primary", compact=True)
            yield Button(t("home.continue", code="", step=""), id="continue", compact=True)
            yield Static(t("home.no_draft"), id="no-draft")
            yield Button(t("home.review"), id="review", compact=True)
            yield Button(t("meeting.home"), id="meetings", compact=True)
            yield Button(t("admin.own.key"), id="own_cases", compact=True)
            yield Button(t("home.follow_up"), id="follow_up", compact=True)
            yield Button(t("home.training"), id="training", compact=True)
            yield Button(t("home.rules"), id="rules", compact=True)
            yield Button(t("home.settings"), id="settings", compact=True)
            yield Button(t("home.quit"), id="quit", compact=True)
            yield Static(t("home.anonymity"), id="anonymity")
            yield Static(t("home.data", where=self.host.settings.where()), id="where")
            yield Static(t("home.loading"), id="store-status")
            yield Static("", id="signed-in")
            yield Static("", id="purged")
            yield Static("", id="rules-version", classes="hint")
            yield Static(self._preferences_problem(), id="preferences-problem", classes="error")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#continue").display = False
        self.query_one("#no-draft").display = False
        self.query_one("#new", Button).focus()

    def show_count(self, count: int) -> None:
        """The number of saved cases: read straight from a local file before the store has
        opened, and again by ``show_store``."""
        self.query_one("#store-status", Static).update(self.t("home.ready", count=count))

    def show_store(
        self,
        count: int | None,
        draft: Draft | None,
        error: str | None = None,
        draft_count: int | None = None,
        purged: PurgeResult | None = None,
        backup: Path | None = None,
        rules_version: str | None = None,
        identity: Identity | None = None,
    ) -> None:
        """Called by the app once the store is open (or failed to open)."""
        status = self.query_one("#store-status", Static)
        if error is not None:
            status.update(self.t("home.store_failed", error=error))
            status.add_class("error")
            return
        if count is not None:
            self.show_count(count)
        if identity is not None:
            self.identity = identity
            self.query_one("#signed-in", Static).update(
                self.t(
                    "admin.home.signed_in", login=identity.login, role=self.t(f"admin.role.{identity.role}")
                )
            )
            # What the role may not do is not offered.
            for name, action in _NEEDS.items():
                self.query_one(f"#{name}", Button).display = identity.may(action)
        if backup is not None:  # once, on the start that upgraded: a toast, not a line to keep
            self.notify(self.t("home.upgraded", path=backup.name), timeout=20)
        self.query_one("#purged", Static).update(
            self.t(
                "home.purged",
                day=show(team_day(purged.ran_at), self.t.lang),
                drafts=self.t("count.drafts", count=purged.drafts_removed),
                cases=self.t("count.cases", count=purged.cases_removed),
            )
            if purged
            else self.t("home.never_purged")
        )
        if rules_version is not None:
            self.query_one("#rules-version", Static).update(self.t("rules.in_force", version=rules_version))
        self.draft = draft
        self.draft_count = draft_count if draft_count is not None else int(draft is not None)
        button = self.query_one("#continue", Button)
        button.display = draft is not None
        self.query_one("#no-draft").display = draft is None
        if draft is not None:
            from consult.screens.drafts import step_name

            key = "home.continue" if self.draft_count == 1 else "home.continue_many"
            button.label = self.t(
                key, code=draft.case.code, step=step_name(draft.step, self.t), count=self.draft_count
            )
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        needs = {**_NEEDS, "continue": "walk"}
        if self.identity is not None and action in needs and not self.identity.may(needs[action]):
            return False
        if action == "continue":
            return self.draft is not None
        if action in ("review", "meetings", "own_cases", "follow_up", "rules"):
            return self.host.store is not None
        return True

    def on_button_pressed(self, event: Button.Pressed) -> None:
        actions = {
            "new": self.action_new,
            "continue": self.action_continue,
            "review": self.action_review,
            "meetings": self.action_meetings,
            "own_cases": self.action_own_cases,
            "follow_up": self.action_follow_up,
            "training": self.action_training,
            "rules": self.action_rules,
            "settings": self.action_settings,
            "quit": self.app.exit,
        }
        actions[event.button.id or ""]()

    def action_new(self) -> None:
        if self.draft_count:  # the unfinished ones are not forgotten: say where they are
            self.notify(self.t("home.drafts_waiting", count=self.draft_count), timeout=6)
        self.host.start_walk(None)

    def action_continue(self) -> None:
        """Every unfinished walk, to continue or throw away."""
        from consult.screens.drafts import DraftsScreen

        if self.draft is not None:
            self.app.push_screen(DraftsScreen(), self._draft_chosen)

    def _draft_chosen(self, draft: Draft | None) -> None:
        if draft is not None:
            self.host.start_walk(draft)
        else:
            self.host.refresh_home()

    def action_review(self) -> None:
        from consult.screens.review import ReviewScreen

        self.app.push_screen(ReviewScreen(), self._back_home)

    def action_meetings(self) -> None:
        """The team's meetings: plan one, hold it with one case on the shared screen, close it
        and copy its minutes."""
        from consult.screens.meetings import MeetingsScreen

        self.app.push_screen(MeetingsScreen(), self._back_home)

    def action_own_cases(self) -> None:
        """The worker's own saved cases: find one again, see the team's decision, correct a
        route before the team has discussed the case."""
        from consult.screens.own_cases import OwnCasesScreen

        self.app.push_screen(OwnCasesScreen(), self._back_home)

    def _back_home(self, _: object) -> None:
        self.host.refresh_home()

    def action_follow_up(self) -> None:
        from consult.screens.follow_up import FollowUpScreen

        self.app.push_screen(FollowUpScreen())

    def action_rules(self) -> None:
        from consult.screens.rules import RulesScreen

        # Back on home, the line naming the rules in force is read again.
        self.app.push_screen(RulesScreen(), self._back_home)

    def action_training(self) -> None:
        from consult.screens.training import TrainingScreen

        self.app.push_screen(TrainingScreen())

    def action_settings(self) -> None:
        from consult.screens.settings import SettingsScreen

        self.app.push_screen(SettingsScreen(), self._after_settings)

    def _after_settings(self, language_changed: bool | None) -> None:
        if language_changed:
            # A new home in the new language: every word on it, its keys included, is rebuilt;
            # after the dialog has fully closed, since the screen stack is still settling now.
            self.app.call_later(self._rebuild)
        else:
            self._show_preferences_problem()

    async def _rebuild(self) -> None:
        self._bindings = self._merge_bindings()  # the keys again, then in the new language
        translate_bindings(self, self.t)
        await self.recompose()
        self.on_mount()
        self.refresh_bindings()
        self.host.refresh_home()

    def _show_preferences_problem(self) -> None:
        self.query_one("#preferences-problem", Static).update(self._preferences_problem())

    def _preferences_problem(self) -> str:
        """One line when the settings file could not be used; the defaults are then in force."""
        problem = self.host.settings.preferences_problem
        if problem is None:
            return ""
        key = "settings.file_bad" if problem.field else "settings.file_unreadable"
        return self.t(
            key, path=problem.path, field=problem.field, value=problem.value, allowed=problem.allowed
        )
