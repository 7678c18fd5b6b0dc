"""No identifier reaches a case through the screens; nothing typed is lost on the way."""

from __future__ import annotations

import json

from textual import events

from consult.i18n import Translator
from consult.screens.base import TextGuard
from consult.screens.decision import DecisionScreen
from consult.screens.domain import DomainScreen
from consult.system.settings import Settings
from tests.screens.helpers import press, rows, running, screen_text, seed, settle
from tests.store.fixtures import make_case


async def test_an_identity_code_in_a_note_is_refused_and_kept_for_editing(settings: Settings) -> None:
    async with running(settings) as (app, pilot):
        await pilot.press("n", "enter", "3", "m", *"vuokra-asia, hetu 131052-308T", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, DomainScreen) and app.screen.domain.key == "services"
        assert (
            "henkilötunnus" in screen_text(app)
            and "131052" not in app.screen.query_one("#note-problem").content
        )
        assert app.screen.query_one("#note").value == "vuokra-asia, hetu 131052-308T"  # nothing typed is lost
        await pilot.press("4")  # a level goes into the field being edited, not past the guard
        await pilot.press("escape", "2")  # leave the field: the step may not be left with the code
        await settle(app, pilot)
        assert app.screen.domain.key == "services"
        await pilot.press("m", "ctrl+a", "ctrl+k", *"vuokra-asia hoidossa", "enter", "2")
        await settle(app, pilot)
        assert app.screen.domain.key == "housing"
    ((notes,),) = rows(settings, "SELECT notes FROM cases")
    assert json.loads(notes) == {"services": "vuokra-asia hoidossa"}


async def test_a_likely_name_is_warned_once_and_can_be_confirmed(settings: Settings) -> None:
    async with running(settings) as (app, pilot):
        await pilot.press("n", "enter", "m", *"Juhan sisko auttaa", "enter")
        await settle(app, pilot)
        assert "mahdollinen nimi" in screen_text(app)
        assert rows(settings, "SELECT notes FROM cases") in ([("{}",)], [({},)])
        await pilot.press("enter")  # the worker confirms: it is not a client's name
        await settle(app, pilot)
        await pilot.press("3")
        await settle(app, pilot)
    ((notes,),) = rows(settings, "SELECT notes FROM cases")
    assert json.loads(notes) == {"affairs": "Juhan sisko auttaa"}


async def test_a_team_note_with_an_e_mail_address_is_refused(settings: Settings) -> None:
    seed(settings, [make_case(1, "3,3,2,4,3,3,2", "2026-03-02T10:15:00+02:00", "awaiting_team", "kuopio")])
    async with running(settings) as (app, pilot):
        # Key by key to the dialog: the case is read before it offers "p" (a key typed ahead of
        # it is dropped, and the note's letters were then taken as the case screen's keys).
        await press(app, pilot, "r", "enter", "p")
        await pilot.press("tab", *"kysy a.b@example.fi", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, DecisionScreen)
        assert "sähköpostiosoite" in screen_text(app)
    assert rows(settings, "SELECT count(*) FROM team_decisions") == [(0,)]


async def test_every_identifier_in_a_note_is_named_and_enter_never_saves_them(settings: Settings) -> None:
    pasted = "hetu １３１０５２–３０８Ｔ"  # fullwidth, an en dash for the sign: pasted from a PDF
    typed = f"{pasted} ja puh 040.123.4567"
    async with running(settings, size=(100, 24)) as (app, pilot):
        await pilot.press("n", "enter", "3", "m")
        app.screen.query_one("#note").post_message(events.Paste(pasted))
        await pilot.press(*" ja puh 040.123.4567", "enter")
        await settle(app, pilot)
        problem = str(app.screen.query_one("#note-problem").content)
        assert "henkilötunnus" in problem and "puhelinnumero" in problem
        assert "３０８" not in problem and "4567" not in problem
        for _ in range(3):  # pressing Enter again is no confirmation for a refusal
            await pilot.press("enter")
            await settle(app, pilot)
        assert app.screen.query_one("#note").value == typed
    assert rows(settings, "SELECT notes FROM cases") in ([("{}",)], [({},)])


async def test_all_warnings_are_shown_at_once_and_confirmed_together(settings: Settings) -> None:
    typed = "Riikan osoite Kauppakatu 12"
    async with running(settings, size=(120, 24)) as (app, pilot):
        await pilot.press("n", "enter", "m", *typed, "enter")
        await settle(app, pilot)
        problem = str(app.screen.query_one("#note-problem").content)
        assert "mahdollinen nimi" in problem and "katuosoite" in problem
        assert rows(settings, "SELECT notes FROM cases") in ([("{}",)], [({},)])
        await pilot.press("enter")  # confirmed: neither identifies a client
        await settle(app, pilot)
        await pilot.press("3")
        await settle(app, pilot)
    ((notes,),) = rows(settings, "SELECT notes FROM cases")
    assert json.loads(notes) == {"affairs": typed}


def test_many_warnings_are_counted_not_all_spelled_out() -> None:
    guard = TextGuard(Translator("en"))
    text = "Riikka, Matti, Juha, Pekka, Merja ja Tuija sopivat asiasta."
    line = guard.problem("Note", text)
    assert line is not None and "\n" not in line
    assert '"Riikka"' in line and '"Pekka"' in line and "and 2 more" in line
    assert guard.problem("Note", text) is None  # the same text again: confirmed
    refused = guard.problem("Note", "131052-308T ja 010203A123X, puh 040 123 4567")
    assert refused is not None and "personal identity code" in refused and "phone number" in refused


async def test_an_identity_code_split_across_two_notes_is_refused(settings: Settings) -> None:
    """Half of a code in one domain's note and the rest in the next: each half is clean alone,
    together they are an identity code, and the second half is refused in the field."""
    async with running(settings) as (app, pilot):
        await pilot.press("n", "enter", "m", *"syntymäaika 131052", "enter")
        await settle(app, pilot)
        await pilot.press("3", "m", *"loppuosa -308T", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, DomainScreen) and app.screen.domain.key == "services"
        assert "toisen tekstin kanssa" in screen_text(app)
        assert app.screen.query_one("#note").value == "loppuosa -308T"  # nothing typed is lost
    ((notes,),) = rows(settings, "SELECT notes FROM cases")
    assert "services" not in json.loads(notes)


def test_the_store_refuses_a_code_split_across_two_notes(settings: Settings) -> None:
    """Every way in, not only the screens: the store's backstop reads the notes together."""
    import pytest

    from consult.core.model import Context
    from consult.privacy.guard import IdentifierRefused
    from consult.store import Store

    store = Store.open(settings.resolved_database_url)
    try:
        case = store.create_draft(Context(), 1)
        store.update_draft(case.id, step=2, notes={"affairs": "syntymäaika 131052"})
        with pytest.raises(IdentifierRefused):
            store.update_draft(
                case.id, step=3, notes={"affairs": "syntymäaika 131052", "services": "loppuosa -308T"}
            )
        assert store.get_case(case.id).notes == {"affairs": "syntymäaika 131052"}
    finally:
        store.close()
