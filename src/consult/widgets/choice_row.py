"""A labelled row of mutually exclusive options, numbered so a key chooses one.

The chosen option is shown in brackets as well as highlighted, so nothing depends on colour.
Options wrap onto more lines when the terminal is narrow: a chosen option is always in view.
Keys that mean "choose" choose: the option's number, or Space for the next one. Arrow keys
choose only where the row asks for them (a dialog); in the walk ← means "back" and must never
change a value on the way.
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
    DEFAULT_CSS = """
    ChoiceRow { height: auto; }
    """
    BINDINGS = [
        Binding("space", "move(1)", show=False),
        # Rows sit in a scrolling container, which would take ↑/↓ to scroll.
        Binding("down", "app.focus_next", show=False),
        Binding("up", "app.focus_previous", show=False),
        *(Binding(str(n), f"pick({n})", show=False) for n in range(10)),
    ]
    ARROW_BINDINGS = [
        Binding("left", "move(-1)", show=False),
        Binding("right", "move(1)", show=False),
    ]

    index: reactive[int] = reactive(0, layout=True)

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
        arrows: bool = False,
        first_number: int = 0,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.first_number = first_number
        self._set_options(label, options, value)
        # Where each option was drawn: (line, start, end), for clicks.
        self._spans: list[tuple[int, int, int]] = []
        if arrows:
            for binding in self.ARROW_BINDINGS:
                self._bindings.key_to_bindings.setdefault(binding.key, []).append(binding)

    @property
    def value(self) -> object:
        return self.options[self.index][0]

    def offer(self, label: str, options: Sequence[tuple[object, str]], value: object = None) -> None:
        """Other options in the same row, ``value`` chosen (else the first), without a Changed
        message: the row keeps its place on screen and in the order of focus, so a tab typed
        right after the change that called for it reaches it (a row shown anew has no place
        until the next layout, and the tab would pass it by)."""
        self._set_options(label, options, value)
        self.refresh(layout=True)

    def _set_options(self, label: str, options: Sequence[tuple[object, str]], value: object) -> None:
        self.label = label
        self.options = list(options)
        values = [v for v, _ in self.options]
        # Set quietly: a row given its options has no change to announce.
        self.set_reactive(ChoiceRow.index, values.index(value) if value in values else 0)

    def _option_cells(self) -> list[str]:
        cells = []
        for i, (_value, label) in enumerate(self.options):
            shown = f"{self.first_number + i} {label}"
            cells.append(f"[{shown}]" if i == self.index else f" {shown} ")
        return cells

    def _lines(self, width: int) -> list[list[tuple[int, str]]]:
        lines: list[list[tuple[int, str]]] = [[]]
        used = 0
        for i, cell in enumerate(self._option_cells()):
            need = len(cell) + (1 if used else 0)
            if used and used + need > width:
                lines.append([])
                used, need = 0, len(cell)
            lines[-1].append((i, cell))
            used += need
        return lines

    def get_content_height(self, container, viewport, width: int) -> int:
        # As drawn: an option longer than the row (a domain's long name in a narrow terminal)
        # wraps onto lines of its own, which must count, or the options after it are cut off.
        width = max(width, 1)
        return len(self._text(width).wrap(self.app.console, width))

    def render(self) -> Text:
        return self._text(max(self.content_size.width, 1))

    def _text(self, width: int) -> Text:
        text = Text(self.label, style="bold")
        self._spans = []
        for row, line in enumerate(self._lines(width), start=1):
            text.append("\n")
            column = 0
            for i, cell in line:
                if column:
                    text.append(" ")
                    column += 1
                chosen = i == self.index
                text.append(cell, style=("reverse bold" if self.has_focus else "bold") if chosen else "")
                self._spans.append((row, column, column + len(cell)))
                column += len(cell)
        return text

    def watch_index(self) -> None:
        self.post_message(self.Changed(self, self.value))

    def action_move(self, delta: int) -> None:
        self.index = (self.index + delta) % len(self.options)

    def action_pick(self, number: int) -> None:
        if 0 <= number - self.first_number < len(self.options):
            self.index = number - self.first_number

    def on_click(self, event: events.Click) -> None:
        for i, (row, start, end) in enumerate(self._spans):
            if event.y == row and start <= event.x < end:
                self.index = i
                return

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()
