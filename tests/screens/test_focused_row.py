"""On Taustatiedot the row being chosen is marked by more than a shade of grey: a coloured bar
that the rows not in focus do not have."""

from __future__ import annotations

from consult.system.settings import Settings
from consult.widgets.choice_row import ChoiceRow
from tests.screens.helpers import press, running


async def test_the_focused_context_row_has_a_bar_the_others_lack(settings: Settings) -> None:
    async with running(settings) as (app, pilot):
        await press(app, pilot, "n", "down")
        rows = list(app.screen.query(ChoiceRow))
        focused = [row for row in rows if row.has_focus]
        assert len(focused) == 1
        bar = focused[0].styles.border_left
        assert bar[0] == "thick"
        assert all(row.styles.border_left[1] != bar[1] for row in rows if not row.has_focus)
