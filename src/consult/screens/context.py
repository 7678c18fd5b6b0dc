"""Context: the banded, anonymous facts, with the reminder not to record identifiers."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from consult.model import AGE_BANDS, AREAS, WORKER_ORGS, Context
from consult.screens.base import Move, StepScreen
from consult.widgets.choice_row import ChoiceRow
from consult.widgets.key_bar import KeyBar
from consult.widgets.title_bar import TitleBar

FIELDS = ("area", "worker_org", "age_band", "jobseeker")


class ContextScreen(StepScreen):
    BINDINGS = [
        Binding("enter", "next", "binding.next"),
        Binding("up", "app.focus_previous", show=False),
        Binding("down", "app.focus_next", show=False),
        Binding("escape", "leave", "binding.home"),
    ]

    def __init__(self, context: Context) -> None:
        super().__init__()
        self.context = context

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
        with Vertical(id="context", classes="step"):
            yield Static(t("context.title"), classes="step-title")
            yield Static(t("context.reminder"), classes="reminder")
            for name in FIELDS:
                yield ChoiceRow(
                    t(f"context.{name}"),
                    [unknown, *choices[name]],
                    getattr(self.context, name),
                    id=f"ctx-{name}",
                )
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(ChoiceRow).focus()

    def current(self) -> Context:
        return Context(**{name: self.query_one(f"#ctx-{name}", ChoiceRow).value for name in FIELDS})

    def action_next(self) -> None:
        self.finish(Move("next", self.current()))

    def action_leave(self) -> None:
        self.finish(Move("leave", self.current()))
