"""A warned text (a likely name, an address) leaves the draft only when the worker confirmed
that exact text: no way out of the field -- quitting, Esc, a level key, a dialog, continuing the
draft later -- confirms it, and saving the case lists every unconfirmed warning first."""

from __future__ import annotations

import json

from consult.screens.confirm import ConfirmScreen
from consult.screens.domain import DomainScreen
from consult.screens.result import ResultScreen
from consult.system.settings import Settings
from tests.screens.helpers import press, rows, running, screen_text

NAME_AND_ADDRESS = "Keskusteltu Matti Virtasen kanssa, asuu Puijonkatu 12:ssa."
NAME = "Sovittu Liisa Korhosen kanssa"
# From domain 5 through the profile and the five questions, onto the result.
DOMAINS_5_TO_RESULT = ["3", "2", "3", "enter", *["enter"] * 6]


def _stored(settings: Settings) -> tuple[str, dict, dict]:
    ((status, notes, unconfirmed),) = rows(settings, "SELECT status, notes, unconfirmed_notes FROM cases")
    return status, _json(notes), _json(unconfirmed)


def _json(value: object) -> dict:
    if isinstance(value, str):
        value = json.loads(value)
    return dict(value) if isinstance(value, dict) else {}


async def test_quitting_keeps_a_warned_note_unconfirmed_and_saving_asks_again(settings: Settings) -> None:
    async with running(settings) as (app, pilot):
        await press(app, pilot, "n", "enter", "3", "3", "2", "m", *NAME_AND_ADDRESS, "enter")
        assert "mahdollinen nimi" in screen_text(app)
        await pilot.press("ctrl+q")  # quit with the warning on view: kept, not confirmed
        await pilot.pause()
    status, notes, unconfirmed = _stored(settings)
    assert (status, notes, unconfirmed) == ("draft", {}, {"employment": NAME_AND_ADDRESS})

    async with running(settings) as (app, pilot):
        await press(app, pilot, "c", "enter")
        assert isinstance(app.screen, DomainScreen) and app.screen.domain.key == "employment"
        assert "Virtasen" in str(app.screen.query_one("#note-problem").content)  # asked again
        await press(app, pilot, "4", *DOMAINS_5_TO_RESULT)
        assert isinstance(app.screen, ResultScreen)
        assert "Virtasen" not in app.screen.note  # the record note holds confirmed text only
        await press(app, pilot, "t")
        assert isinstance(app.screen, ConfirmScreen)
        assert "Virtasen" in screen_text(app) and "Puijonkatu" in screen_text(app)
        await press(app, pilot, "n")
        assert _stored(settings)[0] == "draft"
        await press(app, pilot, "t", "escape")  # not a confirmation either
        assert isinstance(app.screen, ResultScreen) and _stored(settings)[0] == "draft"
        await press(app, pilot, "t")
        assert isinstance(app.screen, ConfirmScreen)
        await press(app, pilot, "y")
        assert isinstance(app.screen, ResultScreen) and app.screen.saved is not None
        assert NAME_AND_ADDRESS in app.screen.note
    assert _stored(settings) == ("awaiting_team", {"employment": NAME_AND_ADDRESS}, {})


async def test_esc_then_a_level_key_moves_on_without_confirming(settings: Settings) -> None:
    async with running(settings) as (app, pilot):
        await press(app, pilot, "n", "enter", "m", *NAME, "enter")
        assert "mahdollinen nimi" in screen_text(app)
        await press(app, pilot, "escape", "3")
        assert isinstance(app.screen, DomainScreen) and app.screen.domain.key == "services"
        assert _stored(settings) == ("draft", {}, {"affairs": NAME})
        await press(app, pilot, "left")  # back: the warning is on view again
        assert "Korhosen" in str(app.screen.query_one("#note-problem").content)
        await press(app, pilot, "3", "3", "2", "4", *DOMAINS_5_TO_RESULT)
        await press(app, pilot, "d")
        assert isinstance(app.screen, ConfirmScreen) and "Korhosen" in screen_text(app)
        await press(app, pilot, "escape")
        assert isinstance(app.screen, ResultScreen) and app.screen.saved is None
    assert _stored(settings) == ("draft", {}, {"affairs": NAME})


async def test_only_enter_with_the_warning_on_view_confirms(settings: Settings) -> None:
    async with running(settings) as (app, pilot):
        await press(app, pilot, "n", "enter", "m", *NAME, "enter", "enter", "3")
        assert app.screen.domain.key == "services"
    assert _stored(settings) == ("draft", {"affairs": NAME}, {})


async def test_an_edited_note_needs_its_own_confirmation(settings: Settings) -> None:
    async with running(settings) as (app, pilot):
        await press(app, pilot, "n", "enter", "m", *NAME, "enter", "enter")
        await press(app, pilot, "m", "end", *" ja Matti Virtasen", "escape", "3")
        assert app.screen.domain.key == "affairs"  # the new text's warning is said first
        await press(app, pilot, "escape", "3")
        assert app.screen.domain.key == "services"
    # The confirmed text stays the case's until the new one is confirmed.
    assert _stored(settings) == ("draft", {"affairs": NAME}, {"affairs": NAME + " ja Matti Virtasen"})


async def test_a_general_note_kept_on_quitting_is_asked_before_saving(settings: Settings) -> None:
    async with running(settings) as (app, pilot):
        await press(app, pilot, "n", "enter", "3", "3", "2", "4", *DOMAINS_5_TO_RESULT)
        assert isinstance(app.screen, ResultScreen)
        await press(app, pilot, "m", *"Soitettu Matti Virtaselle", "enter")
        assert "mahdollinen nimi" in screen_text(app)
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert _stored(settings) == ("draft", {}, {"general": "Soitettu Matti Virtaselle"})
    async with running(settings) as (app, pilot):
        await press(app, pilot, "c", "enter")
        assert isinstance(app.screen, ResultScreen)
        await press(app, pilot, "d")
        assert isinstance(app.screen, ConfirmScreen) and "Virtaselle" in screen_text(app)
        await press(app, pilot, "n")
    assert _stored(settings)[0] == "draft"


def test_the_store_refuses_to_complete_a_case_with_an_unconfirmed_note(settings: Settings) -> None:
    import pytest

    from consult.core.model import Context, Recommendation
    from consult.store import Store
    from consult.store.drafts import UnconfirmedNotes

    store = Store.open(settings.resolved_database_url)
    try:
        case = store.create_draft(Context())
        store.update_draft(case.id, step=14, unconfirmed={"general": NAME})
        recommendation = Recommendation(
            primary="own_service",
            needs=[],
            orgs=[],
            flags=[],
            suggested_answers={},
            reasons=[],
            rules_version="PS-2025.1",
        )
        with pytest.raises(UnconfirmedNotes):
            store.complete(case.id, "awaiting_team", recommendation)
    finally:
        store.close()
