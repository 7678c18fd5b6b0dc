"""Help (F1 or ?): the keys of the screen in view, and in plain words how the recommendation
is made. Opened over any screen; Esc, Enter, F1 or ? closes it."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from consult.screens.base import ConsultModal


class HelpScreen(ConsultModal[None]):
    BINDINGS = [Binding("escape,enter,f1,question_mark", "close", "binding.close", key_display="esc")]

    def __init__(self, screen: Screen) -> None:
        super().__init__()
        self.keys = self._keys_of(screen)
        self.extra = getattr(screen, "HELP", None)

    def _keys_of(self, screen: Screen) -> list[tuple[str, str]]:
        """The screen's own keys, in the user's words; keys bound to the same action are shown
        together (y / k). Textual's generic keys (scrolling, Tab, copy) are left out: they are
        the same everywhere and would be English."""
        ours = {
            binding.action
            for cls in type(screen).__mro__
            if cls.__module__.startswith("consult.")
            for binding in cls.__dict__.get("BINDINGS", ())
            if isinstance(binding, Binding)
        }
        by_action: dict[str, tuple[list[str], str]] = {}
        for active in screen.active_bindings.values():
            binding = active.binding
            if active.node is not screen or binding.action not in ours or not binding.description:
                continue
            shown = binding.key_display or self.app.get_key_display(binding)
            slot = by_action.setdefault(binding.action, ([], binding.description))
            if shown not in slot[0]:
                slot[0].append(shown)
        return [(" / ".join(keys), description) for keys, description in by_action.values()]

    def compose(self) -> ComposeResult:
        t = self.t
        table = Table(show_header=False, box=None, pad_edge=False)
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for keys, description in self.keys:
            table.add_row(keys, description)
        # Where ? answers a question ("unsure"), only F1 opens the help: say it once.
        taken = any("?" in keys.split(" / ") for keys, _ in self.keys)
        table.add_row("F1" if taken else "F1 / ?", t("help.this"))
        table.add_row("Ctrl+Q", t("binding.quit"))
        with VerticalScroll(id="help-dialog"):
            yield Static(t("help.title"), classes="step-title")
            yield Static(t("help.keys"), classes="section")
            yield Static(table)
            if self.extra:
                yield Static(t(self.extra), classes="extra")
            yield Static(t("help.how_title"), classes="section")
            yield Static(t("help.how"))
            yield Static(t("help.close"), classes="keys")

    def action_close(self) -> None:
        self.dismiss(None)
