"""The rules: the version in force and its thresholds in words, and a candidate file set beside
the team's decisions — which paths move, which cases (by code) would change, and the agreement
before and after. Nothing here activates rules: that is ``consult rules activate FILE``."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Input, Static

from consult.core.dates import team_day
from consult.i18n.formats import show
from consult.scoring.compare import Comparison, compare
from consult.scoring.rules import RulesDefinition
from consult.scoring.rules_file import RulesError, parse_rules
from consult.scoring.words import comparison_lines, describe, rules_error
from consult.screens.base import ConsultScreen
from consult.widgets.key_bar import KeyBar
from consult.widgets.title_bar import TitleBar


class RulesScreen(ConsultScreen[None]):
    # The candidate's path field sits below the thresholds, out of view at 80×24: a key in the
    # footer brings it into view and focuses it. The scroll area has focus at first, so the
    # arrows read the thresholds and `p` is a key rather than a letter typed into the field.
    BINDINGS = [
        Binding("p", "path", "binding.rules_path"),
        Binding("escape", "back", "binding.back", key_display="esc"),
    ]

    def __init__(self, since: date | None = None, until: date | None = None) -> None:
        super().__init__()
        self.since, self.until = since, until
        self.in_force: RulesDefinition | None = None
        self.comparison: Comparison | None = None

    def compose(self) -> ComposeResult:
        t = self.t
        yield TitleBar(self.app.title, t("rules.screen.title"))
        with VerticalScroll(id="rules", classes="step"):
            yield Static(t("review.loading"), id="in-force", classes="primary")
            yield Static("", id="activated")
            yield Static("", id="thresholds", markup=False)
            yield Static(t("rules.screen.candidate"), classes="section")
            yield Input(placeholder=t("rules.screen.path"), id="candidate-path")
            yield Static("", id="problem", classes="error", markup=False)
            yield Static("", id="comparison", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#rules", VerticalScroll).focus()
        self._load()

    def action_path(self) -> None:
        field = self.query_one("#candidate-path", Input)
        field.focus()
        # After the layout that the loaded thresholds may still change.
        self.call_after_refresh(field.scroll_visible, animate=False)

    @work(exclusive=True, group="rules")
    async def _load(self) -> None:
        store = self.host.store
        rules, history = await asyncio.to_thread(lambda: (store.rules_in_force(), store.activations()))
        self.in_force = rules
        t = self.t
        self.query_one("#in-force", Static).update(t("rules.in_force", version=rules.version))
        self.query_one("#activated", Static).update(
            t(
                "rules.screen.activated",
                day=show(team_day(history[0].activated_at), t.lang),
                who=history[0].activated_by,
            )
            if history
            else t("rules.screen.built_in")
        )
        self.query_one("#thresholds", Static).update("\n".join(f"• {line}" for line in describe(rules, t)))

    @on(Input.Submitted, "#candidate-path")
    def _submitted(self, event: Input.Submitted) -> None:
        path = event.value.strip()
        if path:
            self._compare(path)

    @work(exclusive=True, group="rules-compare")
    async def _compare(self, path: str) -> None:
        t = self.t
        problem, shown = self.query_one("#problem", Static), self.query_one("#comparison", Static)
        store = self.host.store
        since, until = self.since, self.until

        def work() -> tuple[Comparison, str]:
            text = Path(path).expanduser().read_bytes().decode("utf-8-sig")
            candidate = parse_rules(text, store.known_rules())
            in_force = store.rules_in_force()
            return compare(store.stored_cases(since, until), candidate), in_force.version

        # A new file's answer replaces the last one: an error never sits above another file's
        # comparison as if it were this one's.
        shown.update("")
        try:
            self.comparison, version = await asyncio.to_thread(work)
        except RulesError as error:
            problem.update(f"{path}: {rules_error(error, t)}")
            self._show(problem)
            return
        except (OSError, UnicodeError) as error:
            problem.update(t("input.file", path=path, error=error.__class__.__name__))
            self._show(problem)
            return
        problem.update("")
        if self.comparison is not None:
            shown.update("\n".join(comparison_lines(self.comparison, version, t)))
            self._show(shown)

    def _show(self, widget: Static) -> None:
        """Scrolls the answer into view once it is laid out: its top first, so a long comparison
        is read from its head line down."""
        self.call_after_refresh(widget.scroll_visible, animate=False, top=True)

    def action_back(self) -> None:
        self.dismiss(None)
