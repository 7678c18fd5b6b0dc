"""One domain of the instrument: its two ends, the five level descriptors, an optional note.

Keys: 1–5 choose and move on, 0 marks not assessed, Enter/→ forward, ←/Backspace back.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Footer, Header, Input, Static

from consult.instrument import Domain, localized
from consult.screens.base import ConsultScreen, Move
from consult.widgets.text import hanging


class LevelOption(Static):
    """One descriptor line; clicking it chooses the level."""

    def __init__(self, level: int, text: str, chosen: bool) -> None:
        marker = Text.assemble("▶ " if chosen else "  ", (str(level), "bold"))
        super().__init__(hanging(marker, text, width=3), classes="level")
        self.level = level
        self.set_class(chosen, "chosen")

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.screen.choose(self.level)  # type: ignore[attr-defined]


class NoteInput(Input):
    BINDINGS = [Binding("escape", "leave_note", show=False)]

    def action_leave_note(self) -> None:
        self.screen.set_focus(None)


class DomainScreen(ConsultScreen[Move]):
    """Dismisses with ``Move("next", level)``, ``Move("back")`` or ``Move("leave")``."""

    BINDINGS = [
        Binding("1", "choose(1)", "binding.choose", key_display="1–5"),
        Binding("2", "choose(2)", show=False),
        Binding("3", "choose(3)", show=False),
        Binding("4", "choose(4)", show=False),
        Binding("5", "choose(5)", show=False),
        Binding("0", "choose(0)", "binding.not_assessed"),
        Binding("enter,right", "next", "binding.next", key_display="⏎"),
        Binding("left,backspace", "back", "binding.back", key_display="←"),
        Binding("m", "note", "binding.note"),
        Binding("escape", "leave", "binding.home"),
    ]

    def __init__(
        self,
        domain: Domain,
        level: int | None,
        note: str,
        save_note: Callable[[str, str], None],
    ) -> None:
        super().__init__()
        self.domain = domain
        self.level = level
        self.note = note
        self.save_note = save_note

    def compose(self) -> ComposeResult:
        t, lang, d = self.t, self.t.lang, self.domain
        yield Header(icon="")
        with Vertical(classes="step"):
            dots = "●" * d.number + "○" * (7 - d.number)
            yield Static(f"{t('walk.progress', number=d.number)}  {dots}", classes="progress")
            yield Static(localized(d.title, lang), classes="step-title")
            with VerticalScroll(classes="levels"):
                yield Static(f"{t('domain.good')}: {localized(d.good, lang)}", classes="end good")
                for level in range(1, 6):
                    yield LevelOption(level, d.level_text(level, lang), self.level == level)
                yield Static(f"{t('domain.bad')}: {localized(d.bad, lang)}", classes="end bad")
                yield LevelOption(0, t("domain.not_assessed"), False)
            yield NoteInput(self.note, placeholder=t("domain.note"), id="note", max_length=300)
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = localized(self.domain.title, self.t.lang)
        self.set_focus(None)

    def choose(self, level: int) -> None:
        self._keep_note()
        self.dismiss(Move("next", level or None))

    def action_choose(self, level: int) -> None:
        self.choose(level)

    def action_next(self) -> None:
        self._keep_note()
        self.dismiss(Move("next", self.level))

    def action_back(self) -> None:
        self._keep_note()
        self.dismiss(Move("back"))

    def action_leave(self) -> None:
        self._keep_note()
        self.dismiss(Move("leave"))

    def action_note(self) -> None:
        self.query_one("#note", Input).focus()

    @on(Input.Submitted, "#note")
    def _note_submitted(self) -> None:
        self._keep_note()
        self.set_focus(None)

    def _keep_note(self) -> None:
        text = self.query_one("#note", Input).value.strip()
        if text != self.note:
            self.note = text
            self.save_note(self.domain.key, text)
