"""No finished work is dropped silently: leaving a result that is not saved asks what becomes of
the case, the drafts list marks drafts that reached the result, and purge counts them apart."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update
from textual.widgets import OptionList

from consult.screens.drafts import DraftsScreen
from consult.screens.home import HomeScreen
from consult.screens.leave_result import LeaveResultScreen
from consult.screens.result import ResultScreen
from consult.system.settings import Settings
from tests.screens.helpers import TO_RESULT, press, rows, running, screen_text


@pytest.mark.parametrize(
    ("keys", "status", "route"),
    [("t", "awaiting_team", "to_team"), ("d", "referred_directly", "direct"), ("l", "draft", None)],
)
async def test_esc_on_an_unsaved_result_asks(settings: Settings, keys: str, status: str, route: str) -> None:
    async with running(settings) as (app, pilot):
        await press(app, pilot, *TO_RESULT, "c", "escape")  # copied the note, then away
        assert isinstance(app.screen, LeaveResultScreen)
        assert "ei ole tallennettu" in screen_text(app)
        await press(app, pilot, "escape")  # stays
        assert isinstance(app.screen, ResultScreen)
        await press(app, pilot, "escape", keys)
        assert isinstance(app.screen, HomeScreen)
    assert rows(settings, "SELECT status, route FROM cases") == [(status, route)]


async def test_ctrl_q_on_an_unsaved_result_asks_and_saves_before_quitting(settings: Settings) -> None:
    async with running(settings) as (app, pilot):
        await press(app, pilot, *TO_RESULT, "m", *"Asia etenee", "ctrl+q")  # even from a dialog
        assert isinstance(app.screen, LeaveResultScreen)
        await pilot.press("t")
        await pilot.pause()
        await app.workers.wait_for_complete()
    assert rows(settings, "SELECT status FROM cases") == [("awaiting_team",)]


async def test_a_saved_result_leaves_without_a_question(settings: Settings) -> None:
    async with running(settings) as (app, pilot):
        await press(app, pilot, *TO_RESULT, "t", "escape")
        assert isinstance(app.screen, HomeScreen)


async def test_the_drafts_list_marks_a_draft_that_reached_the_result(settings: Settings) -> None:
    async with running(settings) as (app, pilot):
        await press(app, pilot, *TO_RESULT, "escape", "l", "n", "enter", "3", "escape", "c")
        assert isinstance(app.screen, DraftsScreen)
        options = app.screen.query_one(OptionList)
        lines = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert ["valmis, ei tallennettu" in line for line in lines] == [False, True]


def test_purge_counts_drafts_that_reached_the_result_apart(settings: Settings) -> None:
    from consult.core.model import Context
    from consult.store import Store
    from consult.store.db import table_of
    from consult.store.purge import purge
    from consult.store.tables import CaseRow

    store = Store.open(settings.resolved_database_url)
    try:
        finished, unfinished = store.create_draft(Context()), store.create_draft(Context())
        store.update_draft(finished.id, step=14)
        store.update_draft(unfinished.id, step=3)
        later = datetime.now(UTC) + timedelta(days=40)
        result = purge(store.engine, draft_days=30, retention_days=3650, dry_run=True, now=later)
        assert (result.drafts_removed, result.finished_drafts_removed) == (2, 1)
        with store.engine.begin() as connection:  # as if untouched for 40 days
            connection.execute(
                update(table_of(CaseRow)).values(updated_at=datetime.now(UTC) - timedelta(days=40))
            )
    finally:
        store.close()
    done = subprocess.run(
        [sys.executable, "-m", "consult", "purge", "--dry-run", "--draft-days", "30"],
        capture_output=True,
        text=True,
        env={"CONSULT_DATA_DIR": str(settings.data_dir), "PATH": "/usr/bin:/bin", "CONSULT_LANG": "fi"},
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "2 luonnosta (niistä 1 oli valmis tulokseen asti mutta jäi tallentamatta)" in done.stdout
