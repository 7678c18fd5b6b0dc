"""The general note: written before saving (through the privacy guard), edited after saving
with the earlier text kept as history; and home says when old data was last purged."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from consult.screens.case import CaseScreen
from consult.screens.note import NoteScreen
from consult.screens.result import ResultScreen
from consult.store import Store
from consult.store.purge import purge
from consult.system.settings import Settings
from tests.screens.helpers import TO_RESULT, press, rows, running, screen_text, seed, settle
from tests.store.fixtures import make_case


async def test_a_general_note_passes_the_guard_and_reaches_the_case_and_record_note(
    settings: Settings,
) -> None:
    async with running(settings) as (app, pilot):
        await press(app, pilot, *TO_RESULT)
        assert isinstance(app.screen, ResultScreen)
        await pilot.press("m", *"soita 040 123 4567", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, NoteScreen)  # refused: still open, the text kept
        assert "puhelinnumero" in screen_text(app) and "Yleinen muistiinpano" in screen_text(app)
        assert app.screen.query_one("#general-note").value == "soita 040 123 4567"
        await pilot.press("ctrl+a", "ctrl+k", *"Sovittu uusi tapaaminen kahden viikon päähän", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ResultScreen)
        assert "Sovittu uusi tapaaminen" in app.screen.query_one("#note").text  # in the record note too
        await pilot.press("t")
        await settle(app, pilot)
        assert "Tallennettu" in screen_text(app)
    ((status, notes),) = rows(settings, "SELECT status, notes FROM cases")
    assert status == "awaiting_team"
    assert json.loads(notes) == {"general": "Sovittu uusi tapaaminen kahden viikon päähän"}


async def test_a_saved_cases_note_is_edited_with_the_old_text_kept(settings: Settings) -> None:
    seed(
        settings,
        [
            make_case(
                1,
                "3,3,2,4,3,3,2",
                "2026-03-02T10:15:00+02:00",
                "awaiting_team",
                "kuopio",
                notes={"general": "Odottaa lausuntoa"},
            )
        ],
    )
    async with running(settings, size=(100, 40)) as (app, pilot):
        await press(app, pilot, "r", "enter")  # the list is read before enter opens its first case
        await settle(app, pilot)
        assert isinstance(app.screen, CaseScreen)
        await pilot.press("m", "ctrl+a", "ctrl+k", *"Lausunto saatu, tiimi käsittelee", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, CaseScreen)
        shown = screen_text(app)
        assert "Muutoshistoria" in shown
        assert "”Odottaa lausuntoa” → ”Lausunto saatu, tiimi käsittelee”" in shown
        await pilot.press("m", "ctrl+a", "ctrl+k", "enter")  # emptied: the note is removed, on record
        await settle(app, pilot)
        assert "”Lausunto saatu, tiimi käsittelee” → ”–”" in screen_text(app)
    ((notes,),) = rows(settings, "SELECT notes FROM cases")
    assert json.loads(notes) == {}
    assert rows(settings, "SELECT field, old_value, new_value FROM case_edits ORDER BY id") == [
        ("notes.general", "Odottaa lausuntoa", "Lausunto saatu, tiimi käsittelee"),
        ("notes.general", "Lausunto saatu, tiimi käsittelee", None),
    ]


async def test_home_says_when_old_data_was_last_purged(settings: Settings) -> None:
    async with running(settings) as (app, _pilot):
        assert "ei ole vielä siivottu" in screen_text(app)
    store = Store.open(settings.resolved_database_url)
    purge(store.engine, draft_days=30, retention_days=730, now=datetime(2026, 11, 20, 12, tzinfo=UTC))
    store.close()
    async with running(settings) as (app, _pilot):
        assert "siivottu 20.11.2026 (0 luonnosta, 0 tapausta poistettu)" in screen_text(app)
