"""Context: the banded, anonymous facts, with the reminder not to record identifiers.

Each row is chosen with its numbers (or Space); ↑/↓ move between rows. ← and Backspace mean
"back" everywhere in the walk, and this is the first step: here they do nothing at all, so a
worker pressing ← through the domains can never change a choice on arrival. Every choice is
saved as it is made.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from consult.core.model import AGE_BANDS, AREAS, WORKER_ORGS, Context
from consult.screens.base import StepScreen
from consult.screens.host import Move
from consult.widgets.choice_row import ChoiceRow
from consult.widgets.key_bar import KeyBar
from consult.widgets.title_bar import TitleBar

FIELDS = ("area", "worker_org", "age_band", "jobseeker")

if TYPE_CHECKING:
    from consult.screens.host import WalkControl


class ContextScreen(StepScreen):
    HELP = "help.context"

    BINDINGS = [
        Binding("enter", "next", "binding.next"),
        Binding("up", "app.focus_previous", show=False),
        Binding("down", "app.focus_next", show=False),
        Binding("left,backspace", "nothing", show=False),
        Binding("escape", "leave", "binding.home"),
    ]

    def __init__(
        self, walk: WalkControl, context: Context, changed: Callable[[Context], None] | None = None
    ) -> None:
        super().__init__(walk)
        self.context = context
        self.changed = changed

    def compose(self) -> ComposeResult:
        t = self.t
        unknown = (None, t("context.unknown"))
        choices: dict[str, list[tuple[object, str]]] = {
            "area": [(a, t(f"area.{a}")) for a in AREAS],
            "worker_org": [(o, t(f"worker_org.{o}")) for o in WORKER_ORGS],
            "age_band": [(b, t(f"age_band.{b}")) for b in AGE_BANDS],
            "jobseeker": [(True, t("jobseeker.true")), (False, t("jobseeker.false"))],
        }
        yield TitleBar(self.app.title, self.t("context.title"))
        # Scrolls when a narrow terminal wraps the rows onto more lines than fit.
        with VerticalScroll(id="context", classes="step", can_focus=False):
            yield Static(t("context.title"), classes="step-title")
            yield Static(t("context.reminder"), classes="reminder")
            for name in FIELDS:
                yield ChoiceRow(
                    t(f"context.{name}"),
                    [unknown, *choices[name]],
                    getattr(self.context, name),
                    id=f"ctx-{name}",
                )
            yield Static(t("context.keys"), classes="keys")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(ChoiceRow).focus()

    @on(ChoiceRow.Changed)
    def _choice_made(self, event: ChoiceRow.Changed) -> None:
        event.row.scroll_visible(animate=False)
        context = self.current()
        if context != self.context and self.changed is not None:
            self.context = context
            self.changed(context)

    def action_nothing(self) -> None:
        """The first step: nothing behind it to go back to."""

    def current(self) -> Context:
        return Context(**{name: self.query_one(f"#ctx-{name}", ChoiceRow).value for name in FIELDS})

    def action_next(self) -> None:
        self.finish(Move("next", self.current()))

    def action_leave(self) -> None:
        self.finish(Move("leave", self.current()))
