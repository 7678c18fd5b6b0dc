"""Lines rendered ahead of time, shown as they are.

A long text of tables and wrapped paragraphs costs tens of milliseconds to render on every
change. Rendered in a worker thread (``render_strips``) while the reader is still reading
something else, and handed over here, showing it costs almost nothing: the meeting view moves
to its next case this way. The lines are kept for one width; the screen renders them again
when the width changes.
"""

from __future__ import annotations

import io

from rich.console import Console, RenderableType
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip


def render_strips(renderable: RenderableType, width: int) -> list[Strip]:
    """``renderable`` as lines ``width`` cells wide; safe in a worker thread (a console of its
    own, writing nowhere)."""
    console = Console(
        width=max(width, 1),
        file=io.StringIO(),
        color_system="truecolor",
        force_terminal=True,
        legacy_windows=False,
    )
    lines = console.render_lines(renderable, console.options.update_width(max(width, 1)), pad=False)
    return [Strip(line) for line in lines]


class PreparedLines(ScrollView, can_focus=True):
    DEFAULT_CSS = """
    PreparedLines {
        height: 1fr;
        /* The width the lines were rendered for stays the same with or without a scroll bar. */
        scrollbar-gutter: stable;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.lines: list[Strip] = []

    @property
    def line_width(self) -> int:
        """The width to render lines for: the content area, scroll bar gutter excluded."""
        return self.scrollable_content_region.width

    @property
    def plain(self) -> str:
        """The lines as text, for a reader that is not a terminal (tests, a check)."""
        return "\n".join(line.text.rstrip() for line in self.lines)

    def show(self, lines: list[Strip]) -> None:
        """These lines from the top."""
        self.lines = lines
        width = max((line.cell_length for line in lines), default=0)
        self.virtual_size = Size(width, len(lines))
        self.scroll_to(0, 0, animate=False, immediate=True)
        self.refresh()

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = y + scroll_y
        width = self.scrollable_content_region.width
        style = self.rich_style
        if index >= len(self.lines):
            return Strip.blank(width, style)
        return self.lines[index].crop_extend(scroll_x, scroll_x + width, style).apply_style(style)
