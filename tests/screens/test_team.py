"""The consultation team's screens, driven with the convener's keys."""

from __future__ import annotations

from textual.widgets import DataTable

from consult.screens.case import CaseScreen
from consult.screens.decision import DecisionScreen
from consult.screens.follow_up import FollowUpScreen
from consult.screens.review import ReviewScreen
from consult.system.settings import Settings
from tests.screens.helpers import codes, press, rows, running, screen_text, seed, settle
from tests.store.fixtures import make_case, march_cases


async def test_filter_sort_search_and_open(settings: Settings) -> None:
    seed(settings, march_cases())
    async with running(settings) as (app, pilot):
        await pilot.press("r")
        await settle(app, pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert codes(app) == [
            "T07-AAA",
            "T06-AAA",
            "T04-AAA",
            "T02-AAA",
            "T03-AAA",
            "T01-AAA",
        ]  # newest first
        await pilot.press("p")  # recommendation: TYM
        await settle(app, pilot)
        assert codes(app) == ["T07-AAA", "T01-AAA"]
        await pilot.press("v")  # oldest first
        await settle(app, pilot)
        assert codes(app) == ["T01-AAA", "T07-AAA"]
        await pilot.press("p", "p", "p", "p", "a", "a", "a", "a")  # all recommendations; area: other
        await settle(app, pilot)
        assert codes(app) == []  # a case saved without an area is not "other"
        await pilot.press("a")  # area: not known, as the figures count it
        await settle(app, pilot)
        assert codes(app) == ["T03-AAA"]
        shown = screen_text(app)
        assert "Alue: Tuntematon" in shown and "Tuntematon" in str(
            app.screen.query_one(DataTable).get_row_at(0)
        )
        await pilot.press("a", "slash", *"t0", "4", "enter")
        await settle(app, pilot)
        assert codes(app) == ["T04-AAA"]
        assert "1–1 / 1" in screen_text(app)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, CaseScreen)
        shown = screen_text(app)
        assert "Tapaus T04-AAA" in shown and "Kahden organisaation" in shown and "rajatapaus" in shown
        assert "=SUM(A1) tiimi" in shown  # the decision history, note as written


async def test_a_period_filter_and_a_bad_period(settings: Settings) -> None:
    seed(settings, march_cases())
    async with running(settings) as (app, pilot):
        await pilot.press("r", "d", *"1.3.2026 - 31.3.2026", "enter")
        await settle(app, pilot)
        assert "T07-AAA" not in codes(app) and len(codes(app)) == 5
        await pilot.press("d", *"huomenna", "enter")
        await settle(app, pilot)
        assert len(codes(app)) == 5  # a bad period changes nothing, and stays to be corrected
        period = app.screen.query_one("#period")
        assert period.display and period.value == "huomenna"  # kept for the convener to correct


async def test_the_team_records_a_decision_and_history_is_kept(settings: Settings) -> None:
    seed(settings, [make_case(1, "3,3,2,4,3,3,2", "2026-03-02T10:15:00+02:00", "awaiting_team", "kuopio")])
    async with running(settings) as (app, pilot):
        await press(app, pilot, "r", "enter")  # the list is read before enter opens its first case
        await settle(app, pilot)
        await pilot.press("p")
        await settle(app, pilot)
        assert isinstance(app.screen, DecisionScreen)
        await pilot.press("tab", *"Tiimi sopi", "tab")
        await pilot.press("ctrl+a", "ctrl+k", *"31.2.2026", "enter")  # no such day
        await settle(app, pilot)
        assert isinstance(app.screen, DecisionScreen)
        assert "31.2.2026" in screen_text(app)
        await pilot.press("ctrl+a", "ctrl+k", *"9.3.2026", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, CaseScreen)
        await pilot.press("p", "right", "enter")  # a second decision: another path
        await settle(app, pilot)
    assert rows(settings, "SELECT status, recommended, decision_path FROM cases") == [
        ("team_decided", "tym", "bilateral")
    ]
    history = rows(settings, "SELECT path, note, decided_at FROM team_decisions ORDER BY id")
    assert [h[:2] for h in history] == [("tym", "Tiimi sopi"), ("bilateral", "")]
    assert str(history[0][2]) == "2026-03-09"


async def test_follow_up_shows_the_figures_at_a_glance(settings: Settings) -> None:
    seed(settings, march_cases())
    async with running(settings) as (app, pilot):
        await pilot.press("f")
        await settle(app, pilot)
        assert isinstance(app.screen, FollowUpScreen)
        shown = screen_text(app)
        assert "Vain sosiaalipalveluja tarvitsee 1, vain terveyspalveluja 1, molempia 2" in shown
        assert "Ohjattu ilman konsultaatiotiimiä: 3 / 6" in shown
        await pilot.press("d", *"1.3.2026 - 31.3.2026", "enter")
        await settle(app, pilot)
        assert "Ohjattu ilman konsultaatiotiimiä: 2 / 5" in screen_text(app)


async def test_the_filtered_list_exports_as_csv(settings: Settings) -> None:
    seed(settings, march_cases())
    async with running(settings) as (app, pilot):
        await pilot.press("r", "p", "e")  # TYM only, then export
        await settle(app, pilot)
    (export,) = (settings.data_dir / "exports").glob("tapaukset-*.csv")
    assert (
        oct(export.stat().st_mode & 0o777) == "0o600" and oct(export.parent.stat().st_mode & 0o777) == "0o700"
    )
    lines = export.read_text("utf-8-sig").strip().splitlines()
    assert lines[0].startswith("Tunniste;Koodi;Luotu;Tila;Työllisyysalue")
    assert len(lines) == 3 and all(";TYM-asiakkuus — " in line for line in lines[1:])


async def test_the_team_screens_on_a_shared_postgresql_server(postgres_url: str, tmp_path) -> None:
    settings = Settings(data_dir=tmp_path / "data", database_url=postgres_url)
    seed(settings, march_cases())
    async with running(settings) as (app, pilot):
        await pilot.press("r", "g")  # flag: safety — none
        await settle(app, pilot)
        assert codes(app) == []
        await pilot.press("g")  # urgent
        await settle(app, pilot)
        assert codes(app) == ["T03-AAA"]
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("p", "enter")  # the team agrees
        await settle(app, pilot)
        await pilot.press("escape", "escape", "f")
        await settle(app, pilot)
        shown = screen_text(app)
        assert "maalis 2026" in shown and "Sos.palv. 1" in shown
    assert rows(
        settings, "SELECT count(*) FROM team_decisions WHERE case_id = '00000000-0000-4000-8000-000000000003'"
    ) == [(2,)]


async def test_page_keys_turn_the_page_and_a_code_is_found_without_its_dash(settings: Settings) -> None:
    from datetime import timedelta

    base = march_cases()[0]
    many = [
        base.model_copy(
            update={
                "id": f"00000000-0000-4000-8000-{n:012d}",
                "code": f"P{n:02d}-X{n % 10}Q" if n < 100 else f"Q{n - 100:02d}-AAA",
                "created_at": base.created_at + timedelta(minutes=n),
            }
        )
        for n in range(1, 131)
    ]
    seed(settings, many)
    async with running(settings) as (app, pilot):
        await pilot.press("r")
        await settle(app, pilot)
        first = codes(app)
        assert len(first) == 100
        await pilot.press("pagedown")
        await settle(app, pilot)
        assert len(codes(app)) == 30 and set(codes(app)).isdisjoint(first)
        await pilot.press("pageup")
        await settle(app, pilot)
        assert codes(app) == first
        await pilot.press("slash", *"p42x2", "enter")  # typed as read aloud: no dash, lower case
        await settle(app, pilot)
        assert codes(app) == ["P42-X2Q"]
