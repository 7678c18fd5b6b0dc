"""The referral questions, one at a time with all five in view, each beside its suggestion.

Keys: y (or k) yes, n (or e) no, ? unsure, ←/Backspace back. Enter keeps the answer already
given, and takes the suggestion only where there is none: a worker walking back and on again
must never have their own answer replaced.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Static

from consult.core.instrument import QUESTION_KEYS, load_instrument, localized
from consult.screens.base import StepScreen, relabel
from consult.screens.host import Move
from consult.widgets.key_bar import KeyBar
from consult.widgets.text import hanging
from consult.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from consult.screens.host import WalkControl


class QuestionScreen(StepScreen):
    """Dismisses with ``Move("next", answer)`` for the current question."""

    HELP = "help.questions"

    BINDINGS = [
        # Both languages' keys shown: k(yllä)/e(i) work as y/n do.
        Binding("y,k", "answer('yes')", "binding.yes", key_display="y/k"),
        Binding("n,e", "answer('no')", "binding.no", key_display="n/e"),
        Binding("question_mark", "answer('unsure')", "binding.unsure", key_display="?"),
        Binding("enter", "accept", "binding.accept", key_display="⏎"),
        Binding("left,backspace", "back", "binding.back", key_display="←"),
        Binding("escape", "leave", "binding.home"),
    ]

    def __init__(
        self, walk: WalkControl, current: str, answers: dict[str, str | None], suggested: dict[str, str]
    ) -> None:
        super().__init__(walk)
        self.current = current
        self.answers = answers
        self.suggested = suggested

    def compose(self) -> ComposeResult:
        t = self.t
        yield TitleBar(self.app.title)
        with Vertical(classes="step"):
            yield Static(t("questions.title"), classes="step-title")
            with VerticalScroll(id="questions"):
                for question in load_instrument().questions:
                    yield Static(classes="question", id=f"q-{question.key}")
            with Horizontal(id="answer-buttons"):
                yield Button(t("answer.yes"), id="yes", compact=True)
                yield Button(t("answer.no"), id="no", compact=True)
                yield Button(t("answer.unsure"), id="unsure", compact=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self._fill()

    def load(self, current: str, answers: dict[str, str | None], suggested: dict[str, str]) -> None:
        """Moves to another question on this screen."""
        self.current, self.answers, self.suggested = current, answers, suggested
        if self.is_mounted:
            self._fill()

    def _fill(self) -> None:
        t = self.t
        number = QUESTION_KEYS.index(self.current) + 1
        self.query_one(TitleBar).update(f"{self.app.title} — {t('questions.progress', number=number)}")
        for question in load_instrument().questions:
            is_current = question.key == self.current
            answer = self.answers.get(question.key)
            status = t("questions.suggestion", answer=t(f"answer.{self.suggested[question.key]}"))
            if answer:
                status += " · " + t("questions.answer", answer=t(f"answer.{answer}"))
            marker = Text.assemble("▶ " if is_current else "  ", (f"{question.number}.", "bold"))
            body = Text.assemble(localized(question.text, t.lang), "\n", (status, "italic"))
            widget = self.query_one(f"#q-{question.key}", Static)
            widget.update(hanging(marker, body, width=4))
            widget.set_class(is_current, "current")
        self.set_focus(None)
        self.query_one(f"#q-{self.current}").scroll_visible(animate=False)
        self._show_enter()

    @on(Button.Pressed)
    def _button(self, event: Button.Pressed) -> None:
        self.action_answer(event.button.id or "")

    def action_answer(self, answer: str) -> None:
        self.finish(Move("next", answer))

    def action_accept(self) -> None:
        self.finish(Move("next", self.answers.get(self.current) or self.suggested[self.current]))

    def _show_enter(self) -> None:
        """Enter's label says what it will do: keep the answer, or take the suggestion."""
        relabel(self, "enter", self.t("binding.keep" if self.answers.get(self.current) else "binding.accept"))
        self.refresh_bindings()

    def action_back(self) -> None:
        self.finish(Move("back"))

    def action_leave(self) -> None:
        self.finish(Move("leave"))
