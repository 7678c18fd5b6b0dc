"""Leaving a result that is not saved: the worker chooses what becomes of the finished walk --
to the team, referred directly, or kept as an unfinished draft -- so no finished assessment is
left behind without a word (a draft never reaches the team, and old drafts are purged)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from consult.screens.base import ConsultModal, FreshKeys

KEEP_DRAFT = "draft"


class LeaveResultScreen(FreshKeys, ConsultModal[str | None]):
    """Dismissed with the status to save ("awaiting_team", "referred_directly"), ``KEEP_DRAFT``,
    or None to stay on the result. Only keys pressed after the question was on view count."""

    FRESH_KEYS = frozenset({"t", "d", "l"})
    BINDINGS = [
        Binding("t", "answer('awaiting_team')", "binding.save_team"),
        Binding("d", "answer('referred_directly')", "binding.save_direct"),
        Binding("l", "answer('draft')", "binding.keep_draft"),
        Binding("escape", "answer(None)", "binding.stay"),
    ]

    def __init__(self, quitting: bool = False) -> None:
        super().__init__()
        self.quitting = quitting

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-dialog"):
            yield Static(self.t("leave.question"), id="question")
            yield Static(self.t("leave.quit_keys" if self.quitting else "leave.keys"), classes="keys")

    def action_answer(self, answer: str | None) -> None:
        self.dismiss(answer)
