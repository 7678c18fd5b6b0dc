"""Small Rich renderables: a line with a hanging indent, so wrapped text stays aligned."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text


def hanging(prefix: str | Text, body: str | Text, width: int | None = None) -> Table:
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, width=width or Text(str(prefix)).cell_len)
    grid.add_column(ratio=1)
    grid.add_row(prefix, body)
    return grid
