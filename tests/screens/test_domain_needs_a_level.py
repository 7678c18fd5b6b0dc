"""Not assessed is chosen (0), never fallen into: Enter or → on a domain without a level stays
and says how to choose, and nothing is recorded for it."""

from __future__ import annotations

import pytest

from consult.screens.domain import DomainScreen
from consult.system.settings import Settings
from tests.screens.helpers import press, rows, running


@pytest.mark.parametrize("key", ["enter", "right"])
async def test_moving_on_without_a_level_is_refused_with_a_hint(settings: Settings, key: str) -> None:
    async with running(settings) as (app, pilot):
        await press(app, pilot, "n", "enter", key)
        assert isinstance(app.screen, DomainScreen) and app.screen.domain.key == "affairs"
        assert "0" in str(app.screen.query_one("#note-problem").content)
        await press(app, pilot, "0")  # chosen: not assessed
        assert app.screen.domain.key == "services"
        await press(app, pilot, "3", "left", "enter")  # a chosen level: Enter moves on
        assert app.screen.domain.key == "housing"
    ((step, affairs, services),) = rows(settings, "SELECT step, affairs, services FROM cases")
    assert (step, affairs, services) == (3, None, 3)
