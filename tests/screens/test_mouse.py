"""The mouse works too: levels, answers and the keys in the key bar can be clicked."""

from __future__ import annotations

from consult.screens.domain import DomainScreen, LevelOption
from consult.screens.profile import ProfileScreen
from consult.screens.questions import QuestionScreen
from consult.screens.services import ServicesStepScreen
from consult.system.settings import Settings
from consult.widgets.key_bar import KeyBar
from tests.screens.helpers import rows, running, settle, wait_until


async def test_a_walk_by_mouse(settings: Settings) -> None:
    async with running(settings, size=(100, 30)) as (app, pilot):
        await pilot.click("#new")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        for level in (3, 3, 2, 4, 3, 3, 2):
            assert isinstance(app.screen, DomainScreen)
            option = next(o for o in app.screen.query(LevelOption) if o.level == level)
            await pilot.click(option)
            await settle(app, pilot)
        assert isinstance(app.screen, ProfileScreen)
        # The key bar's first key is "⏎ Eteenpäin": clicking it moves on.
        await pilot.click(KeyBar, offset=(2, 0))
        await settle(app, pilot)
        assert isinstance(app.screen, QuestionScreen)
        for answer in ("no", "no", "yes", "yes", "yes"):
            await pilot.click(f"#{answer}")
            await settle(app, pilot)
            # A person reads the next question before clicking; two clicks on one button
            # within Textual's press effect count once, which also guards a double-click.
            await wait_until(
                pilot, lambda: not app.screen.query("Button.-active"), "the press effect is over"
            )
        # The services tried and missing are optional: the key bar's "⏎" goes on to the result.
        assert isinstance(app.screen, ServicesStepScreen)
        await pilot.click(KeyBar, offset=(2, 0))
        await settle(app, pilot)
        await pilot.press("t")
        await settle(app, pilot)
    ((employment, joint_plan, recommended),) = rows(
        settings, "SELECT employment, q_joint_plan, recommended FROM cases"
    )
    assert (employment, joint_plan, recommended) == (4, "yes", "tym")
