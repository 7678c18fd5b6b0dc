"""The meeting view is shared in a Teams call: while an item is on screen, nothing of any other
case is -- no other code on the rendered screen, in any widget scrolled out of view, or in a
notice left over from the item before -- at 80×24 and at 120×40."""

from __future__ import annotations

from datetime import date

import pytest
from textual.app import App

from consult.screens.meeting_hold import HoldScreen
from consult.store import Store
from consult.system.settings import Settings
from tests.screens.helpers import press, running, seed, wait_until
from tests.screens.test_languages import everything_shown
from tests.screens.test_meeting_flow import last_meeting, meeting_cases

DAY = date(2026, 3, 10)
CODES = [case.code for case in meeting_cases()]


def rendered(app: App) -> str:
    """The screen as the call sees it: every cell of every line, notices included."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def held_meeting(settings: Settings) -> list[str]:
    """Kuopio's meeting of 10.3., started, its four items' codes in order."""
    seed(settings, meeting_cases())
    last_meeting(settings)
    store = Store.open(settings.resolved_database_url)
    try:
        meeting = store.plan_meeting("kuopio", DAY, "social")
        store.start_meeting(meeting.id)
        return [store.get_case(item.case_id).code for item in meeting.items]  # type: ignore[union-attr]
    finally:
        store.close()


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_held_item_is_the_only_case_on_screen(settings: Settings, size: tuple[int, int]) -> None:
    items = held_meeting(settings)
    assert len(items) == 4
    async with running(settings, size=size) as (app, pilot):
        await press(app, pilot, "m", "enter")  # the newest meeting: the one being held
        assert isinstance(app.screen, HoldScreen)
        for number, code in enumerate(items, start=1):
            await wait_until(pilot, lambda c=code: c in rendered(app), f"{code} on screen")
            # Something recorded on the item, so that a notice is on screen as the next comes.
            await press(app, pilot, "s" if number % 2 else "t")
            if number % 2 == 0:
                await press(app, pilot, "1", "tab", *"palveluneuvoja", "tab", *"Soittaa asiakkaalle", "enter")
            for where, text in (("on screen", rendered(app)), ("anywhere", everything_shown(app))):
                others = [other for other in CODES if other != code and other in text]
                assert others == [], f"item {number} ({code}) shows {others} {where} at {size}"
                assert f"{number} / 4" in text
            await press(app, pilot, "end")  # the foot of the case, scrolled
            assert not [other for other in CODES if other != code and other in rendered(app)]
            await press(app, pilot, "right")
            # The notices went with the item they spoke of.
            assert not app._notifications


async def test_the_case_is_rendered_again_for_a_wider_window(settings: Settings) -> None:
    from consult.widgets.prepared import PreparedLines

    items = held_meeting(settings)
    async with running(settings, size=(80, 24)) as (app, pilot):
        await press(app, pilot, "m", "enter")
        lines = app.screen.query_one("#hold-item", PreparedLines)
        await wait_until(pilot, lambda: items[0] in lines.plain, "the first item")
        narrow = max((line.cell_length for line in lines.lines), default=0)
        await pilot.resize_terminal(120, 40)
        await wait_until(
            pilot,
            lambda: max((line.cell_length for line in lines.lines), default=0) > narrow,
            "the lines at the new width",
        )
        assert items[0] in rendered(app) and not [c for c in items[1:] if c in rendered(app)]
