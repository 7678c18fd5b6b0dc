"""A yes/no question before something that cannot be taken back (discarding a draft) or that
goes against the scores (saving a "bring to the team" case as referred directly).

Only y (k) confirms, and only when pressed after the question was on view; Enter, n (e) and
Esc keep things as they were, so a key typed ahead never confirms.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from consult.screens.base import ConsultModal, FreshKeys


class ConfirmScreen(FreshKeys, ConsultModal[bool]):
    FRESH_KEYS = frozenset({"y", "k"})
    BINDINGS = [
        Binding("y,k", "answer(True)", "binding.confirm_yes", key_display="y"),
        Binding("n,e,escape,enter", "answer(False)", "binding.confirm_no", key_display="n"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-dialog"):
            yield Static(self.question, id="question")
            yield Static(self.t("confirm.keys"), classes="keys")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
