"""A period typed as a convener says it ("1.3.2026–31.3.2026"), hidden until asked for.

A period that cannot be read is named in one line and the text stays in the field; a good one
is posted as ``PeriodField.Chosen`` and the field hides itself.
"""

from __future__ import annotations

from datetime import date

from textual.message import Message
from textual.widgets import Input

from consult.core.dates import parse_period
from consult.i18n import Translator


class PeriodField(Input):
    def __init__(self, t: Translator, *, placeholder: str, id: str | None = None) -> None:
        super().__init__(placeholder=placeholder, id=id)
        self.t = t

    class Chosen(Message):
        def __init__(self, since: date | None, until: date | None) -> None:
            super().__init__()
            self.since = since
            self.until = until

    def on_mount(self) -> None:
        self.display = False

    def ask(self) -> None:
        self.display = True
        self.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            since, until = parse_period(event.value)
        except ValueError:
            self.notify(self.t("review.period_bad", value=event.value), severity="error")
            return
        self.display = False
        self.post_message(self.Chosen(since, until))
