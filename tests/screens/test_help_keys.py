"""The help lists each key once, and every key that works is shown."""

from __future__ import annotations

from consult.screens.help import HelpScreen
from consult.system.settings import Settings
from tests.screens.helpers import TYM_KEYS, press, running


async def test_the_questions_help_lists_each_key_once(settings: Settings) -> None:
    async with running(settings, size=(100, 40)) as (app, pilot):
        await press(app, pilot, "n", "enter", *TYM_KEYS, "enter", "f1")
        assert isinstance(app.screen, HelpScreen)
        rows = [keys for keys, _ in app.screen.keys] + ["F1"]
        assert "y/k" in rows and "n/e" in rows
        shown = [key for row in app.screen.keys for key in row[0].split(" / ")]
        assert shown.count("?") == 1
