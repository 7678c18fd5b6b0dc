"""A one-line text field with a counter of what it holds against its limit.

No ``max_length`` on the Input: Textual would cut a paste silently at the limit. The counter
says how long the text is, and the screen refuses an over-long text in one line, keeping it.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Static

from consult.privacy.free_text import LIMITS, clean


class TextField(Vertical):
    DEFAULT_CSS = """
    TextField { height: auto; }
    TextField > .counter { width: 100%; text-align: right; color: $text-muted; height: 1; }
    TextField > .counter.over { color: $error; text-style: bold; }
    """

    def __init__(
        self,
        field: str,
        value: str = "",
        placeholder: str = "",
        *,
        id: str | None = None,
        input_class: type[Input] = Input,
    ) -> None:
        super().__init__(id=f"{id}-field" if id else None)
        self.field = field
        self.limit = LIMITS[field]
        self._value, self._placeholder, self._input_id = value, placeholder, id
        self._input_class = input_class

    def compose(self) -> ComposeResult:
        yield self._input_class(self._value, placeholder=self._placeholder, id=self._input_id)
        yield Static(classes="counter")

    def on_mount(self) -> None:
        self._count(self._value)

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        self._count(event.value)

    def _count(self, text: str) -> None:
        length = len(clean(text))
        counter = self.query_one(".counter", Static)
        # The mark says "over" in characters as well as in colour.
        counter.update(f"{'⚠ ' if length > self.limit else ''}{length}/{self.limit}")
        counter.set_class(length > self.limit, "over")
