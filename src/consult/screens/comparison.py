"""A trainee's walk beside the reference: level by level, the recommendation, the teaching note.
Differences are written in words ("sama", "±1", "eroaa"), not shown by colour alone."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from consult.core.instrument import load_instrument, localized
from consult.core.model import Recommendation, Scores
from consult.demo import DemoCase
from consult.screens.base import ConsultScreen
from consult.widgets.key_bar import KeyBar
from consult.widgets.title_bar import TitleBar


class ComparisonScreen(ConsultScreen[None]):
    BINDINGS = [Binding("escape,enter", "back", "binding.back", key_display="esc")]

    def __init__(self, case: DemoCase, scores: Scores, recommendation: Recommendation) -> None:
        super().__init__()
        self.case = case
        self.scores = scores
        self.recommendation = recommendation

    def compose(self) -> ComposeResult:
        t, lang = self.t, self.t.lang
        table = Table(show_edge=False, pad_edge=False, box=None, header_style="bold")
        # The domain's title wraps in a narrow terminal so the levels and the verdict stay whole.
        table.add_column(t("comparison.domain"))
        for column in ("yours", "reference"):
            table.add_column(t(f"comparison.{column}"), no_wrap=True)
        table.add_column("", no_wrap=True)
        for domain in load_instrument().domains:
            mine = getattr(self.scores, domain.key)
            ref = getattr(self.case.reference.scores, domain.key)
            if mine == ref:
                verdict = t("comparison.same")
            elif mine is not None and ref is not None and abs(mine - ref) == 1:
                verdict = t("comparison.near")
            else:
                verdict = t("comparison.far")
            table.add_row(localized(domain.title, lang), str(mine or "–"), str(ref or "–"), verdict)
        reference_primary = self.case.reference_primary
        same_path = self.recommendation.primary == reference_primary
        yield TitleBar(self.app.title, t("training.title"))
        with VerticalScroll(classes="step"):
            yield Static(t("comparison.title", title=localized(self.case.title, lang)), classes="step-title")
            yield Static(table)
            yield Static(
                t("comparison.your_primary", primary=t(f"primary.{self.recommendation.primary}")),
                classes="section",
            )
            yield Static(t("comparison.reference_primary", primary=t(f"primary.{reference_primary}")))
            yield Static(
                ("✓ " + t("comparison.match")) if same_path else ("✗ " + t("comparison.mismatch")),
                classes="primary",
            )
            yield Static(t("comparison.note"), classes="section")
            yield Static(localized(self.case.teaching_note, lang))
        yield KeyBar()

    def action_back(self) -> None:
        self.dismiss(None)
