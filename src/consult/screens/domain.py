"""One domain of the instrument: its two ends, the five level descriptors, an optional note.

Keys: 1–5 choose and move on, 0 marks not assessed, Enter/→ forward once a level is chosen,
←/Backspace back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.timer import Timer
from textual.widgets import Static, TextArea

from consult.core.instrument import Domain, localized
from consult.privacy.free_text import clean
from consult.screens.base import StepScreen, TextGuard
from consult.screens.host import Move
from consult.widgets.key_bar import KeyBar
from consult.widgets.text import hanging
from consult.widgets.text_field import NoteArea, TextField
from consult.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from consult.screens.host import WalkControl


class LevelOption(Static):
    """One descriptor line; clicking it chooses the level."""

    def __init__(self, level: int) -> None:
        super().__init__(classes="level")
        self.level = level

    def show(self, text: str, chosen: bool) -> None:
        marker = Text.assemble("▶ " if chosen else "  ", (str(self.level), "bold"))
        self.update(hanging(marker, text, width=3))
        self.set_class(chosen, "chosen")

    def on_click(self, event: events.Click) -> None:
        event.stop()
        if isinstance(self.screen, DomainScreen):
            self.screen.choose(self.level)


class DomainScreen(StepScreen):
    """Reports ``Move("next", level)``, ``Move("back")`` or ``Move("leave")``.

    One screen serves all seven domains (``load``): building a new one per domain cost more
    than the whole walk's target."""

    HELP = "help.domain"

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
        walk: WalkControl,
        domain: Domain,
        level: int | None,
        note: str,
        save_note: Callable[[str, str, bool], None],
        *,
        confirmed: bool = True,
    ) -> None:
        super().__init__(walk)
        self.domain = domain
        self.level = level
        self.note = note
        self.note_confirmed = confirmed
        self.save_note = save_note
        self.guard = TextGuard(self.t, others=lambda: walk.notes)
        self._autosave: Timer | None = None

    def compose(self) -> ComposeResult:
        t = self.t
        yield TitleBar(self.app.title, t("walk.progress", number=self.domain.number))
        with Vertical(classes="step"):
            yield Static(classes="progress")
            yield Static(classes="step-title")
            with VerticalScroll(classes="levels"):
                yield Static(classes="end good")
                for level in range(1, 6):
                    yield LevelOption(level)
                yield Static(classes="end bad")
                yield LevelOption(0)
            yield TextField("note", placeholder=t("domain.note"), id="note", input_class=NoteArea)
            yield Static("", id="note-problem", classes="error")
        yield KeyBar()

    def on_mount(self) -> None:
        self._fill()

    def load(self, domain: Domain, level: int | None, note: str, confirmed: bool = True) -> None:
        """Shows another domain on this screen."""
        self.domain, self.level, self.note, self.note_confirmed = domain, level, note, confirmed
        if self.is_mounted:
            self._fill()

    def _fill(self) -> None:
        t, lang, d = self.t, self.t.lang, self.domain
        progress = t("walk.progress", number=d.number)
        self.query_one(TitleBar).update(f"{self.app.title} — {progress}")
        self.query_one(".progress", Static).update(f"{progress}  {'●' * d.number}{'○' * (7 - d.number)}")
        self.query_one(".step-title", Static).update(localized(d.title, lang))
        self.query_one(".good", Static).update(f"{t('domain.good')}: {localized(d.good, lang)}")
        self.query_one(".bad", Static).update(f"{t('domain.bad')}: {localized(d.bad, lang)}")
        for option in self.query(LevelOption):
            text = d.level_text(option.level, lang) if option.level else t("domain.not_assessed")
            option.show(text, option.level == self.level and option.level != 0)
        self.query_one("#note", NoteArea).value = self.note
        self.query_one("#note-problem", Static).update("")
        self.query_one(".levels").scroll_home(animate=False)
        self.set_focus(None)
        if not self.note_confirmed:
            # A note kept unconfirmed (a draft continued, a step walked back to): the warning
            # is on view again, and Enter in the field confirms it.
            problem = self.guard.problem(self._label(), self.note, "note", confirm=False)
            if problem is not None:
                self.query_one("#note-problem", Static).update(problem)

    def _label(self) -> str:
        return self.t("privacy.field.note", domain=localized(self.domain.title, self.t.lang))

    def choose(self, level: int) -> None:
        if self._keep_note():
            self.finish(Move("next", level or None))

    def action_choose(self, level: int) -> None:
        self.choose(level)

    def action_next(self) -> None:
        if self.level is None:
            # Not assessed is chosen (0), never fallen into by Enter: say how to choose.
            self.query_one("#note-problem", Static).update(self.t("domain.choose_first"))
            return
        if self._keep_note():
            self.finish(Move("next", self.level))

    def action_back(self) -> None:
        if self._keep_note():
            self.finish(Move("back"))

    def action_leave(self) -> None:
        if self._keep_note():
            self.finish(Move("leave"))

    def action_note(self) -> None:
        self.query_one("#note", NoteArea).focus()

    @on(NoteArea.Submitted, "#note")
    def _note_submitted(self) -> None:
        if self._keep_note(confirming=True):
            self.set_focus(None)

    @on(TextArea.Changed, "#note")
    def _note_typed(self) -> None:
        # Kept as it is typed (a moment after the last key), so a closed terminal or a dead
        # process loses nothing -- but only text the guard has nothing to say about: a name or
        # an identifier waits for the worker's Enter.
        if self._autosave is not None:
            self._autosave.stop()
        self._autosave = self.set_timer(0.6, self._keep_clean_note)

    def _keep_clean_note(self) -> None:
        self._autosave = None
        try:
            typed = self.query_one("#note", NoteArea).value
        except NoMatches:
            return
        text = self.guard.clean_without_findings(typed, key=self.domain.key)
        if text is not None and (text != self.note or not self.note_confirmed):
            self._store(text, confirmed=True)
        elif self.guard.warned(typed, key=self.domain.key) and (clean(typed) != self.note or self.note_confirmed):
            # Kept too, but as unconfirmed: the warning is asked again before the case is saved.
            self._store(clean(typed), confirmed=False)

    def keep_typed_text(self) -> bool:
        """Before the app quits: keeps the note typed so far (a warned one as unconfirmed), or
        says why it cannot (False)."""
        return self._keep_note(quitting=True)

    def _store(self, text: str, confirmed: bool) -> None:
        self.note, self.note_confirmed = text, confirmed
        self.save_note(self.domain.key, text, confirmed)

    def _keep_note(self, *, confirming: bool = False, quitting: bool = False) -> bool:
        """Saves the note if the privacy guard allows it; False keeps the worker on this step
        with the text in the field and one line saying what to change.

        A warned text is confirmed only by Enter in the field (``confirming``) with its warning
        on view. Any other way on says the warning first; offered again, the text is kept as
        unconfirmed and the worker moves on -- it is asked again before the case is saved."""
        try:
            field = self.query_one("#note", NoteArea)
        except NoMatches:
            return True  # left before it was even drawn: nothing was typed
        text = clean(field.value)
        if text == self.note and self.note_confirmed:
            return True
        line = self.query_one("#note-problem", Static)
        shown_before = self.guard.on_view == text
        problem = self.guard.problem(self._label(), text, "note", key=self.domain.key, confirm=confirming)
        if problem is None:
            line.update("")
            self._store(text, confirmed=True)
            return True
        if not self.guard.warned(text, key=self.domain.key):  # refused or too long: never kept
            line.update(problem)
            field.focus()
            return False
        if text != self.note or self.note_confirmed:
            self._store(text, confirmed=False)  # nothing typed is lost
        line.update(problem)
        if quitting or (shown_before and not confirming):
            return True
        field.focus()
        return False
