"""A trainee's walk beside the reference: level by level, answer by answer (marking the answers
that alone change the path), the recommendation, the teaching note. Differences are written in
words ("sama", "±1", "eroaa", "muuttaa polun"), not shown by colour alone."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from consult.core.instrument import load_instrument, localized
from consult.core.model import Answers, Recommendation, Scores
from consult.demo import DemoCase
from consult.screens.base import ConsultScreen
from consult.widgets.key_bar import KeyBar
from consult.widgets.title_bar import TitleBar


class ComparisonScreen(ConsultScreen[None]):
    BINDINGS = [Binding("escape,enter", "back", "binding.back", key_display="esc")]

    def __init__(
        self,
        case: DemoCase,
        scores: Scores,
        recommendation: Recommendation,
        answers: Answers | None = None,
    ) -> None:
        super().__init__()
        self.case = case
        self.scores = scores
        self.recommendation = recommendation
        self.answers = answers or Answers()

    def _answer_table(self) -> Table:
        """Each question: the trainee's answer (a suggestion taken counts as given), the
        reference's, and whether the reference's answer in place of the trainee's alone would
        change the trainee's path."""
        from consult.core.model import Assessment
        from consult.scoring import evaluate

        t, lang = self.t, self.t.lang
        suggested: dict[str, str] = {k: v for k, v in self.recommendation.suggested_answers.items()}
        reference = self.case.reference.answers
        ref_suggested: dict[str, str] = {
            k: v for k, v in self.case.recommendation(lang).suggested_answers.items()
        }
        table = Table(show_edge=False, pad_edge=False, box=None, header_style="bold")
        table.add_column(t("comparison.question"))
        for column in ("yours", "reference"):
            table.add_column(t(f"comparison.{column}"), no_wrap=True)
        table.add_column("", no_wrap=True)
        for question in load_instrument().questions:
            key = question.key
            mine = getattr(self.answers, key) or suggested[key]
            ref = getattr(reference, key) or ref_suggested[key]
            if mine == ref:
                verdict = t("comparison.same")
            else:
                swapped = self.answers.model_copy(update={key: ref})
                other = evaluate(
                    Assessment(scores=self.scores, answers=swapped, context=self.case.context), lang
                ).primary
                changed = other != self.recommendation.primary
                verdict = t("comparison.changes_path" if changed else "comparison.far")
            table.add_row(
                f"{question.number}. {localized(question.text, lang)}",
                t(f"answer.{mine}"),
                t(f"answer.{ref}"),
                verdict,
            )
        return table

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
            yield Static(t("comparison.answers"), classes="section")
            yield Static(self._answer_table())
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
