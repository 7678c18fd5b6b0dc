"""A closed meeting opens on its minutes, to read before pasting into Teams: c copies them as
text, m as Markdown."""

from __future__ import annotations

from consult.screens.meeting_minutes import MinutesScreen
from consult.system.settings import Settings
from tests.screens.helpers import press, running, screen_text, seed, wait_until
from tests.screens.test_meeting_flow import last_meeting, meeting_cases


async def test_a_closed_meeting_opens_on_its_minutes_to_copy(settings: Settings) -> None:
    seed(settings, meeting_cases())
    last_meeting(settings)
    async with running(settings, size=(100, 30)) as (app, pilot):
        await press(app, pilot, "m", "enter")  # the only meeting, closed
        assert isinstance(app.screen, MinutesScreen)
        await wait_until(pilot, lambda: "…" not in screen_text(app), "the minutes read")
        shown = screen_text(app)
        assert "T07-AAA" in shown and "palveluneuvoja" in shown
        await press(app, pilot, "c")
        assert app.clipboard == app.screen.minutes["text"] and "T07-AAA" in app.clipboard
        await press(app, pilot, "m")
        assert app.clipboard == app.screen.minutes["markdown"]
        await press(app, pilot, "escape")
        assert type(app.screen).__name__ == "MeetingsScreen"
