"""The seven levels as a bar profile. Levels are written as digits beside the bars and
challenges are named in words, so the profile reads without colour."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from consult.i18n import Translator
from consult.instrument import load_instrument, localized
from consult.scoring.engine import Facts

_BAR = "█"
_EMPTY = "·"
_STYLES = {1: "green", 2: "green", 3: "yellow", 4: "dark_orange", 5: "bold red"}


def profile_table(facts: Facts, t: Translator) -> Table:
    table = Table.grid(padding=(0, 1))
    # The title gives way (wraps) in a narrow terminal, so the level and its word never get cut:
    # a Swedish title is half as long again as the Finnish one.
    table.add_column()
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
        table.add_row(Text(title), bar, digit, mark)
    return table


def joined(keys: list[str] | tuple[str, ...], prefix: str, t: Translator) -> str:
    return ", ".join(t(f"{prefix}.{k}") for k in keys) if keys else t("profile.none")
