"""The record note is an official text: third person, no key hints, and it says what was done --
the route as saved with the day, or, before saving, that the case is not saved yet. The screen,
the clipboard and the file hold the same text."""

from __future__ import annotations

import dataclasses
import re
from datetime import date

import pytest

from consult.core.dates import team_day
from consult.i18n.formats import show
from consult.screens.result import ResultScreen
from consult.system.settings import Settings
from tests.screens.helpers import TYM_KEYS, press, running

# Question 1 answered yes against the scores' suggestion: the case is flagged for the team.
TO_FLAGGED_RESULT = ["n", "enter", *TYM_KEYS, "enter", "y", *["enter"] * 5]
UNSAVED = {
    "fi": "ei ole vielä tallennettu",
    "sv": "har ännu inte sparats",
    "en": "has not been saved in the consultation model yet",
}
DIRECT_OVER_TEAM = {
    "fi": "suoraan ohjattuna työntekijän harkinnan mukaan",
    "sv": "som hänvisat direkt enligt arbetstagarens bedömning",
    "en": "as referred directly, by the worker",
}
TO_TEAM = {
    "fi": "tuodaan konsultaatiotiimin käsiteltäväksi",
    "sv": "tas till konsultationsteamet",
    "en": "is brought to the consultation team",
}
# Words that address the worker or name a key: never in an official record.
SECOND_PERSON = {
    "fi": re.compile(r"vastauksesi|palvelussasi|\bTuo tapaus|\bsinun\b|\(\w\)"),
    "sv": re.compile(r"\bditt svar|\bdin egen|\bTa ärendet|\(\w\)"),
    "en": re.compile(r"\byour\b|\bBring the case\b|\(\w\)"),
}


def _clean(note: str, lang: str) -> None:
    assert not SECOND_PERSON[lang].search(note), note


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
async def test_the_note_says_the_direct_route_taken_against_the_flag(settings: Settings, lang: str) -> None:
    settings = dataclasses.replace(settings, lang=lang)
    async with running(settings) as (app, pilot):
        await press(app, pilot, *TO_FLAGGED_RESULT)
        screen = app.screen
        assert isinstance(screen, ResultScreen) and "bring_to_team" in screen.recommendation.flags
        await press(app, pilot, "c")
        assert UNSAVED[lang] in screen.note and app.clipboard == screen.note
        _clean(screen.note, lang)
        await press(app, pilot, "d", "y")
        assert screen.saved is not None
        today = show(_today(), lang)
        assert DIRECT_OVER_TEAM[lang] in screen.note and today in screen.note
        assert UNSAVED[lang] not in screen.note
        _clean(screen.note, lang)
        await press(app, pilot, "c", "f")
        assert app.clipboard == screen.note
        (written,) = (settings.files_dir / "notes").iterdir()
        assert written.read_text("utf-8") == screen.note + "\n"


@pytest.mark.parametrize("lang", ["fi", "en"])
async def test_the_note_says_the_case_went_to_the_team(settings: Settings, lang: str) -> None:
    settings = dataclasses.replace(settings, lang=lang)
    async with running(settings) as (app, pilot):
        await press(app, pilot, *TO_FLAGGED_RESULT, "t")
        screen = app.screen
        assert isinstance(screen, ResultScreen) and screen.saved is not None
        assert TO_TEAM[lang] in screen.note
        _clean(screen.note, lang)


def _today() -> date:
    from datetime import UTC, datetime

    return team_day(datetime.now(UTC))
