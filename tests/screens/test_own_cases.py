"""Omat tapaukset on a worker's own SQLite file: the worker finds their saved cases, newest
first with the team's decision, opens one, and corrects a route before the team has decided
(kept as history and in the audit); a decided case's route is refused in one line."""

from __future__ import annotations

import getpass

import pytest
from textual.widgets import DataTable

from consult.i18n import Translator
from consult.screens.case import CaseScreen
from consult.screens.home import HomeScreen
from consult.screens.own_cases import OwnCasesScreen, own_columns, own_row_width
from consult.system.settings import Settings
from tests.screens.helpers import codes, press, rows, running, screen_text, seed
from tests.store.fixtures import march_cases

ME = getpass.getuser()


def _seed(settings: Settings) -> None:
    seed(settings, march_cases())
    # Another OS account's case in the same file (a laptop shared by two workers): not "own".
    from sqlalchemy import create_engine, text

    engine = create_engine(settings.resolved_database_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE cases SET created_by = 'toinen' WHERE code = 'T06-AAA'"))
    engine.dispose()


def _told(app: object) -> str:
    return " ".join(n.message for n in app._notifications)  # type: ignore[attr-defined]


async def test_a_worker_finds_their_own_cases_newest_first_with_the_teams_decision(
    settings: Settings,
) -> None:
    _seed(settings)
    async with running(settings) as (app, pilot):
        await press(app, pilot, "o")
        assert isinstance(app.screen, OwnCasesScreen)
        # Newest first; the draft and the other account's case are not listed.
        assert codes(app) == ["T07-AAA", "T04-AAA", "T02-AAA", "T03-AAA", "T01-AAA"]
        table = app.screen.query_one(DataTable)
        assert [str(c) for c in table.get_row_at(1)][2:] == ["Tiimiin", "Päätetty", "tiimi: TYM"]
        assert [str(c) for c in table.get_row_at(2)][2:] == ["Suoraan", "Suoraan", "ei vielä käsitelty"]
        shown = screen_text(app)
        assert f"Kirjautunut: {ME}" in shown and "1–5 / 5 tapausta" in shown.replace("\u00a0", " ")
        await press(app, pilot, "down", "enter")
        assert isinstance(app.screen, CaseScreen) and app.screen.case_id.endswith("4")
        assert "Tapaus T04-AAA" in screen_text(app)
        await press(app, pilot, "escape")
        assert isinstance(app.screen, OwnCasesScreen)
        await press(app, pilot, "escape")
        assert isinstance(app.screen, HomeScreen)


async def test_a_worker_corrects_a_route_before_the_team_decides_and_it_is_kept(
    settings: Settings,
) -> None:
    _seed(settings)
    async with running(settings) as (app, pilot):
        await press(app, pilot, "o", *["down"] * 4)  # the oldest: T01, waiting for the team
        assert str(app.screen.query_one(DataTable).get_row_at(4)[0]) == "T01-AAA"
        await press(app, pilot, "k")
        assert "Reitti vaihdettu: ohjattu suoraan ilman tiimiä." in _told(app)
        assert rows(settings, "SELECT route, status FROM cases WHERE code = 'T01-AAA'") == [
            ("direct", "referred_directly")
        ]
        table = app.screen.query_one(DataTable)
        assert table.cursor_row == 4  # the worker's place in the list is kept
        assert [str(c) for c in table.get_row_at(4)][2:4] == ["Suoraan", "Suoraan"]
        await press(app, pilot, "k")  # and back: a second correction, kept too
        assert rows(settings, "SELECT route, status FROM cases WHERE code = 'T01-AAA'") == [
            ("to_team", "awaiting_team")
        ]
        assert rows(
            settings,
            "SELECT field, old_value, new_value, created_by FROM case_edits "
            "WHERE case_id = (SELECT id FROM cases WHERE code = 'T01-AAA') ORDER BY id",
        ) == [("route", "to_team", "direct", ME), ("route", "direct", "to_team", ME)]
        assert rows(
            settings,
            "SELECT who, what, detail FROM audit WHERE what = 'case.edited' ORDER BY id",
        ) == [(ME, "case.edited", "route"), (ME, "case.edited", "route")]

        # The team has decided T04: its route stays, said in one line.
        await press(app, pilot, *["up"] * 3, "k")
        assert "Tiimi on käsitellyt tapauksen: sen reitti ei enää muutu." in _told(app)
        assert rows(settings, "SELECT route, status FROM cases WHERE code = 'T04-AAA'") == [
            ("to_team", "team_decided")
        ]
        assert rows(settings, "SELECT count(*) FROM case_edits WHERE field = 'route'") == [(2,)]


async def test_a_worker_with_no_saved_cases_is_told_so(settings: Settings) -> None:
    async with running(settings) as (app, pilot):
        await press(app, pilot, "o")
        assert codes(app) == []
        assert "Sinulla ei ole tallennettuja tapauksia." in screen_text(app)
        assert not app.screen.check_action("correct", ())  # nothing to correct: not offered


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_own_list_fits_80_columns_in_every_language(lang: str) -> None:
    t = Translator(lang)
    assert own_row_width(t) + 2 <= 80  # and a vertical scrollbar
    assert all(len(label) <= width for _, label, width in own_columns(t))
