"""The referral questions, one at a time with all five in view, each beside its suggestion.

Keys: y (or k) yes, n (or e) no, ? unsure, Enter accepts the suggestion, ←/Backspace back.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Footer, Header, Static

from consult.instrument import QUESTION_KEYS, load_instrument, localized
from consult.screens.base import ConsultScreen, Move
from consult.widgets.text import hanging


class QuestionScreen(ConsultScreen[Move]):
    """Dismisses with ``Move("next", answer)`` for the current question."""

    BINDINGS = [
        Binding("y,k", "answer('yes')", "binding.yes", key_display="y"),
        Binding("n,e", "answer('no')", "binding.no", key_display="n"),
        Binding("question_mark", "answer('unsure')", "binding.unsure", key_display="?"),
        Binding("enter", "accept", "binding.accept", key_display="⏎"),
        Binding("left,backspace", "back", "binding.back", key_display="←"),
        Binding("escape", "leave", "binding.home"),
    ]

    def __init__(self, current: str, answers: dict[str, str | None], suggested: dict[str, str]) -> None:
        super().__init__()
        self.current = current
        self.answers = answers
        self.suggested = suggested

    def compose(self) -> ComposeResult:
        t = self.t
        yield Header(icon="")
        with Vertical(classes="step"):
            yield Static(t("questions.title"), classes="step-title")
            with VerticalScroll(id="questions"):
                for question in load_instrument().questions:
                    is_current = question.key == self.current
                    answer = self.answers.get(question.key)
                    status = t("questions.suggestion", answer=t(f"answer.{self.suggested[question.key]}"))
                    if answer:
                        status += " · " + t("questions.answer", answer=t(f"answer.{answer}"))
                    marker = Text.assemble("▶ " if is_current else "  ", (f"{question.number}.", "bold"))
                    body = Text.assemble(localized(question.text, t.lang), "\n", (status, "italic"))
                    yield Static(
                        hanging(marker, body, width=4),
                        classes="question current" if is_current else "question",
                        id=f"q-{question.key}",
                    )
            with Horizontal(id="answer-buttons"):
                yield Button(t("answer.yes"), id="yes", compact=True)
                yield Button(t("answer.no"), id="no", compact=True)
                yield Button(t("answer.unsure"), id="unsure", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        number = QUESTION_KEYS.index(self.current) + 1
        self.sub_title = self.t("questions.progress", number=number)
        self.set_focus(None)
        self.query_one(f"#q-{self.current}").scroll_visible(animate=False)

    @on(Button.Pressed)
    def _button(self, event: Button.Pressed) -> None:
        self.action_answer(event.button.id or "")

    def action_answer(self, answer: str) -> None:
        self.dismiss(Move("next", answer))

    def action_accept(self) -> None:
        self.dismiss(Move("next", self.suggested[self.current]))

    def action_back(self) -> None:
        self.dismiss(Move("back"))

    def action_leave(self) -> None:
        self.dismiss(Move("leave"))
