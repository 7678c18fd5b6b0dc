"""A one-line title: the app and where in it the worker is.

Plain text on purpose: Textual's Header fills in its title after mounting, and a step that a
quick typist leaves within that moment made it fail.
"""

from __future__ import annotations

from textual.widgets import Static


class TitleBar(Static):
    DEFAULT_CSS = """
    TitleBar {
        dock: top;
        height: 1;
        width: 100%;
        background: $panel;
        color: $text;
        text-style: bold;
        padding: 0 1;
    }
    """

    def __init__(self, title: str, where: str = "") -> None:
        super().__init__(f"{title} — {where}" if where else title, markup=False)
