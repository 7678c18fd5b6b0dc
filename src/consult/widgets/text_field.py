"""A text field with a counter of what it holds against its limit: one line (an Input) for
short fields, or a note (``NoteArea``) that wraps and grows so the whole text stays in view.

No ``max_length``: Textual would cut a paste silently at the limit. The counter says how long
the text is, and the screen refuses an over-long text in one line, keeping it for editing.
"""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Static, TextArea

from consult.privacy.free_text import LIMITS, clean


class NoteArea(TextArea):
    """A note that wraps and grows with its text (up to a few lines, then it scrolls), so a
    300-character note -- or a refused one being edited -- is read whole. Notes are one
    paragraph: Enter submits, as in a one-line field, and Esc leaves the field."""

    DEFAULT_CSS = """
    NoteArea { height: 3; }
    """
    MAX_LINES = 6  # then it scrolls: the step's levels keep their room
    BINDINGS = [Binding("escape", "leave_note", show=False)]

    class Submitted(Message):
        def __init__(self, area: NoteArea) -> None:
            super().__init__()
            self.area = area

        @property
        def control(self) -> NoteArea:
            return self.area

    def __init__(
        self, value: str = "", *, placeholder: str = "", id: str | None = None, leave_on_escape: bool = True
    ) -> None:
        self.leave_on_escape = leave_on_escape  # False in a dialog: Esc cancels the dialog
        super().__init__(
            value,
            id=id,
            soft_wrap=True,
            show_line_numbers=False,
            tab_behavior="focus",
            placeholder=placeholder,
        )

    @property
    def value(self) -> str:
        return self.text

    @value.setter
    def value(self, text: str) -> None:
        self.load_text(text)
        self.move_cursor(self.document.end)
        self.post_message(self.Changed(self))  # load_text says nothing: the counter must know

    def _fit(self) -> None:
        """As tall as the wrapped text (within bounds): the whole note in view as it grows."""
        lines = max(1, min(self.wrapped_document.height, self.MAX_LINES))
        self.styles.height = lines + 2  # the border

    def on_text_area_changed(self) -> None:
        self.call_after_refresh(self._fit)

    def on_resize(self) -> None:
        self.call_after_refresh(self._fit)

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            self.post_message(self.Submitted(self))
            return
        await super()._on_key(event)

    def on_paste(self, event: events.Paste) -> None:
        # TextArea's own handler has inserted it (Textual calls each class's handler in
        # turn); bubbling on, the screen would hand it to the focused field a second time.
        event.stop()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "leave_note":
            return self.leave_on_escape
        return super().check_action(action, parameters)

    def action_leave_note(self) -> None:
        self.screen.set_focus(None)


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
        input_class: type[Input] | type[NoteArea] = Input,
        leave_on_escape: bool = True,
    ) -> None:
        super().__init__(id=f"{id}-field" if id else None)
        self.field = field
        self.limit = LIMITS[field]
        self._value, self._placeholder, self._input_id = value, placeholder, id
        self._input_class = input_class
        self._leave_on_escape = leave_on_escape

    def compose(self) -> ComposeResult:
        if self._input_class is NoteArea:
            yield NoteArea(
                self._value,
                placeholder=self._placeholder,
                id=self._input_id,
                leave_on_escape=self._leave_on_escape,
            )
        else:
            yield self._input_class(self._value, placeholder=self._placeholder, id=self._input_id)
        yield Static(classes="counter")

    def on_mount(self) -> None:
        self._count(self._value)

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        self._count(event.value)

    @on(TextArea.Changed)
    def _area_changed(self, event: TextArea.Changed) -> None:
        self._count(event.text_area.text)

    def _count(self, text: str) -> None:
        length = len(clean(text))
        counter = self.query_one(".counter", Static)
        # The mark says "over" in characters as well as in colour.
        counter.update(f"{'⚠ ' if length > self.limit else ''}{length}/{self.limit}")
        counter.set_class(length > self.limit, "over")
