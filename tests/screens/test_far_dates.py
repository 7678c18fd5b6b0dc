"""A case stored with a date at the end of the calendar (year 9999, by an older version or by
hand) is shown, not an OverflowError: the review list, the case and the follow-up figures."""

from __future__ import annotations

import contextlib
import sqlite3

from textual.widgets import DataTable

from consult.screens.follow_up import FollowUpScreen
from consult.screens.review import ReviewScreen
from consult.system.settings import DATABASE_FILE, Settings
from tests.screens.helpers import running, screen_text, seed, settle
from tests.store.fixtures import march_cases


async def test_year_9999_is_shown_not_a_crash(settings: Settings) -> None:
    seed(settings, march_cases())
    with contextlib.closing(sqlite3.connect(settings.data_dir / DATABASE_FILE)) as db, db:
        db.execute("UPDATE cases SET created_at = '9999-12-31 23:30:00.000000' WHERE status = 'team_decided'")
    async with running(settings, size=(100, 30)) as (app, pilot):
        await pilot.press("r")
        await settle(app, pilot)
        assert isinstance(app.screen, ReviewScreen)
        table = app.screen.query_one(DataTable)
        shown = [str(cell) for row in range(table.row_count) for cell in table.get_row_at(row)]
        assert "31.12.9999" in shown, shown
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("f")
        await settle(app, pilot)
        assert isinstance(app.screen, FollowUpScreen)
        assert "Ohjattu ilman konsultaatiotiimiä: 3 / 6" in screen_text(app)
