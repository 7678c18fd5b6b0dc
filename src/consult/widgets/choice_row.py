"""A labelled row of mutually exclusive options: ←/→ or a click chooses.

The chosen option is shown in brackets as well as highlighted, so nothing depends on colour.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget


class ChoiceRow(Widget, can_focus=True):
    BINDINGS = [
        Binding("left", "move(-1)", show=False),
        Binding("right", "move(1)", show=False),
    ]

    index: reactive[int] = reactive(0)

    class Changed(Message):
        def __init__(self, row: ChoiceRow, value: object) -> None:
            super().__init__()
            self.row = row
            self.value = value

    def __init__(
        self,
        label: str,
        options: Sequence[tuple[object, str]],
        value: object = None,
        *,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.label = label
        self.options = list(options)
        values = [v for v, _ in self.options]
        self.set_reactive(ChoiceRow.index, values.index(value) if value in values else 0)
        self._spans: list[tuple[int, int]] = []

    @property
    def value(self) -> object:
        return self.options[self.index][0]

    def render(self) -> Text:
        # The label sits above its options so the longest row fits in 80 columns.
        text = Text(self.label + "\n", style="bold")
        line_start = len(text.plain)
        self._spans = []
        for i, (_value, label) in enumerate(self.options):
            start = len(text.plain) - line_start
            if i == self.index:
                text.append(f"[{label}]", style="reverse bold" if self.has_focus else "bold")
            else:
                text.append(f" {label} ")
            self._spans.append((start, len(text.plain) - line_start))
            text.append(" ")
        return text

    def watch_index(self) -> None:
        self.post_message(self.Changed(self, self.value))

    def action_move(self, delta: int) -> None:
        self.index = (self.index + delta) % len(self.options)

    def on_click(self, event: events.Click) -> None:
        if event.y != 1:
            return
        for i, (start, end) in enumerate(self._spans):
            if start <= event.x < end:
                self.index = i
                return

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()
