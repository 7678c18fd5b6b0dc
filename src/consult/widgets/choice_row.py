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
        self._spans: list[tuple[int, int, int]] = []  # (line, start, end) of each option

    @property
    def value(self) -> object:
        return self.options[self.index][0]

    def render(self) -> Text:
        return self._text(self.content_size.width)

    def get_content_height(self, container, viewport, width: int) -> int:
        return self._text(width).plain.count("\n") + 1

    def _text(self, width: int) -> Text:
        # The label sits above its options, and the options wrap onto more lines when they do
        # not fit (a Swedish or English row is longer than the Finnish one), so none is hidden.
        width = max(width, 1)
        text = Text(self.label, style="bold")
        self._spans = []
        line, column = 0, width  # forces the first option onto a line of its own
        for i, (_value, label) in enumerate(self.options):
            cell = f"[{label}]" if i == self.index else f" {label} "
            if column + len(cell) > width and column > 0:
                text.append("\n")
                line, column = line + 1, 0
            start = column
            text.append(cell, style=("reverse bold" if self.has_focus else "bold") if i == self.index else "")
            column += len(cell)
            self._spans.append((line, start, column))
            text.append(" ")
            column += 1
        return text

    def watch_index(self) -> None:
        self.post_message(self.Changed(self, self.value))

    def action_move(self, delta: int) -> None:
        self.index = (self.index + delta) % len(self.options)

    def on_click(self, event: events.Click) -> None:
        for i, (line, start, end) in enumerate(self._spans):
            if event.y == line + 1 and start <= event.x < end:
                self.index = i
                return

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()
