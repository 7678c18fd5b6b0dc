"""The seven levels as a bar profile. Levels are written as digits beside the bars and
challenges are named in words, so the profile reads without colour."""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table
from rich.text import Text
from textual.widget import Widget

from consult.core.instrument import load_instrument, localized
from consult.i18n import Translator
from consult.scoring.engine import Facts

_BAR = "█"
_EMPTY = "·"
_STYLES = {1: "green", 2: "green", 3: "yellow", 4: "dark_orange", 5: "bold red"}


def profile_table(facts: Facts, t: Translator, width: int | None = None) -> Table:
    """The profile; given the ``width`` it may take, the domains' titles give way (…) in a
    narrow terminal, never the bar, the level or the word that says what it means."""
    marks = (t("profile.acute"), t("profile.challenge"), t("domain.not_assessed"))
    mark_width = max(len(m) for m in marks)
    title_width = None if width is None else max(8, width - (2 * 5 + 1 + mark_width + 3))
    table = Table.grid(padding=(0, 1))
    table.add_column(no_wrap=True, overflow="ellipsis", max_width=title_width)
    table.add_column(no_wrap=True)
    table.add_column(no_wrap=True)
    table.add_column(no_wrap=True)
    for domain in load_instrument().domains:
        level = facts.levels[domain.key]
        title = f"{domain.number} {localized(domain.title, t.lang)}"
        if level is None:
            bar = Text(_EMPTY * 10, style="dim")
            digit = Text("–")
            mark = Text(t("domain.not_assessed"), style="dim")
        else:
            bar = Text(_BAR * (2 * level), style=_STYLES[level]) + Text(
                _EMPTY * (10 - 2 * level), style="dim"
            )
            digit = Text(str(level), style="bold")
            if domain.key in facts.acute:
                mark = Text(t("profile.acute"), style="bold reverse red")
            elif domain.key in facts.challenges:
                mark = Text(t("profile.challenge"), style="bold")
            else:
                mark = Text("")
        table.add_row(Text(title, overflow="ellipsis", no_wrap=True), bar, digit, mark)
    return table


class ProfileView(Widget):
    """The profile drawn for the width it has, again whenever the terminal is resized."""

    DEFAULT_CSS = """
    ProfileView { height: auto; }
    """

    def __init__(self, facts: Facts, t: Translator, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.facts, self.t = facts, t

    def get_content_height(self, container, viewport, width: int) -> int:
        return len(self.facts.levels)

    def render(self) -> Table:
        return profile_table(self.facts, self.t, self.content_size.width or None)


def joined(keys: Sequence[str], prefix: str, t: Translator) -> str:
    return ", ".join(t(f"{prefix}.{k}") for k in keys) if keys else t("profile.none")
