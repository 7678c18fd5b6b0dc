"""The caseworker's walk, driven with the keys a caseworker presses."""

from __future__ import annotations

import json

from consult.screens.context import ContextScreen
from consult.screens.domain import DomainScreen
from consult.screens.home import HomeScreen
from consult.screens.profile import ProfileScreen
from consult.screens.questions import QuestionScreen
from consult.screens.result import ResultScreen
from consult.system.settings import Settings
from tests.screens.helpers import TO_RESULT, TYM_KEYS, press, rows, running, screen_text, settle


async def test_seventeen_keys_from_home_to_a_saved_tym_case(settings: Settings) -> None:
    async with running(settings) as (app, pilot):
        keys = [*TO_RESULT, "t"]
        # Sixteen before issue 21; one more Enter passes the optional services step.
        assert len(keys) == 17
        await press(app, pilot, *keys)
        assert isinstance(app.screen, ResultScreen)
        shown = screen_text(app)
        assert "TYM-asiakkuus" in shown
        assert "TYPPI" in shown
        assert "Tallennettu nimettömänä" in shown
    (row,) = rows(
        settings, "SELECT status, recommended, code, affairs, employment, relations, q_joint_plan FROM cases"
    )
    status, recommended, code, affairs, employment, relations, joint_plan = row
    assert (status, recommended) == ("awaiting_team", "tym")
    assert (affairs, employment, relations, joint_plan) == (3, 4, 2, "yes")
    assert code in shown


async def test_every_step_shows_what_the_worker_needs(settings: Settings) -> None:
    async with running(settings) as (app, pilot):
        home = screen_text(app)
        assert "nimettöminä" in home and str(settings.data_dir) in home
        await pilot.press("n")
        await settle(app, pilot)
        assert isinstance(app.screen, ContextScreen)
        assert "tunnistetietoja" in screen_text(app)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, DomainScreen)
        shown = screen_text(app)
        assert "1/7" in shown and "Asioiden hoitaminen" in shown
        assert "Hyvä tilanne" in shown and "Huolestuttava tilanne" in shown
        for descriptor in ("pankkitunnukset käytössä", "muistuttelua", "toisen apua", "jäävät hakematta"):
            assert descriptor in shown
        await press(app, pilot, *TYM_KEYS[:2])
        assert "3/7" in screen_text(app)
        await press(app, pilot, *TYM_KEYS[2:])
        assert isinstance(app.screen, ProfileScreen)
        profile = screen_text(app)
        assert "haaste" in profile and "työvoimaviranomainen" in profile
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, QuestionScreen)
        questions = screen_text(app)
        assert questions.count("ehdotus:") == 5


async def test_leaving_mid_walk_keeps_a_draft_that_resumes_where_it_stopped(settings: Settings) -> None:
    async with running(settings) as (app, pilot):
        for key in ["n", "1", "enter", "4", "2", "5"]:  # area Ylä-Savo, then three domains
            await pilot.press(key)
            await settle(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
    ((status, step, area, affairs, services, housing),) = rows(
        settings, "SELECT status, step, area, affairs, services, housing FROM cases"
    )
    assert (status, step, area, affairs, services, housing) == ("draft", 4, "yla-savo", 4, 2, 5)

    async with running(settings) as (again, pilot):
        assert "4/7" in screen_text(again)  # home names the step it stopped at
        await pilot.press("c")  # the list of unfinished walks; Enter continues the newest
        await settle(again, pilot)
        await pilot.press("enter")
        await settle(again, pilot)
        assert isinstance(again.screen, DomainScreen)
        assert again.screen.domain.key == "employment"
        await pilot.press("left")
        await settle(again, pilot)
        assert again.screen.domain.key == "housing" and again.screen.level == 5
        await press(again, pilot, "5", "3", "3", "3", "2", "enter", *["enter"] * 6, "d")
        assert "Ohjattu suoraan".lower() in screen_text(again).lower()
    ((status, recommended, flags),) = rows(settings, "SELECT status, recommended, flag_urgent FROM cases")
    assert (status, recommended, flags) == ("referred_directly", "social_services", True)


async def test_safety_comes_first_and_loud(settings: Settings) -> None:
    async with running(settings) as (app, pilot):
        await press(app, pilot, "n", "enter", "2", "2", "2", "3", "2", "2", "5", "enter", *["enter"] * 6)
        assert isinstance(app.screen, ResultScreen)
        first = app.screen.query(".alarm").first()
        assert "TURVALLISUUS" in str(first.render())
        shown = screen_text(app)
        assert "SHL 35 §" in shown
        assert "yhteydenotto sosiaalihuoltoon" in shown and "ilmoitus sosiaalihuollon tarpeesta" in shown


async def test_not_assessed_and_answers_are_recorded(settings: Settings) -> None:
    async with running(settings) as (app, pilot):
        keys = [
            "n",
            "enter",
            "2",
            "0",
            "0",
            "3",
            "0",
            "2",
            "2",
            "enter",
            "y",
            "n",
            "question_mark",
            "k",
            "e",
            "enter",  # past the services (optional)
            "t",
        ]
        await press(app, pilot, *keys)
    ((services, housing, finances, answers, flags),) = rows(
        settings,
        "SELECT services, housing, finances, q_bilateral || q_other_first || q_multi_support || q_coordination"
        " || q_joint_plan, recommendation FROM cases",
    )
    assert (services, housing, finances) == (None, None, None)
    assert answers == "yesnounsureyesno"
    stored = json.loads(flags) if isinstance(flags, str) else flags
    assert "insufficient_data" in stored["flags"] and "bring_to_team" in stored["flags"]


async def test_digits_typed_into_a_note_stay_in_the_note(settings: Settings) -> None:
    async with running(settings) as (app, pilot):
        await press(app, pilot, "n", "enter", "m")
        await pilot.press(*"vuokra 3 kk", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, DomainScreen) and app.screen.domain.key == "affairs"
        await pilot.press("3")
        await settle(app, pilot)
        assert app.screen.domain.key == "services"
    ((notes, affairs),) = rows(settings, "SELECT notes, affairs FROM cases")
    assert json.loads(notes) == {"affairs": "vuokra 3 kk"}
    assert affairs == 3


async def test_the_record_note_can_be_copied_and_saved(settings: Settings) -> None:
    async with running(settings) as (app, pilot):
        await press(app, pilot, "n", "enter", *TYM_KEYS, "enter", *["enter"] * 6, "c", "f")
        assert "Suositus: TYM-asiakkuus" in app.clipboard
        # The note goes to the identified client record: it must not carry the anonymous code.
        ((code,),) = rows(settings, "SELECT code FROM cases")
        assert code not in app.clipboard
    (note_file,) = (settings.data_dir / "notes").glob("kirjaus-*.txt")
    assert note_file.read_text("utf-8").startswith("Sosiaalisen tilanteen arvio")
    assert oct(note_file.stat().st_mode & 0o777) == "0o600"


async def test_the_walk_in_english(tmp_path) -> None:
    settings = Settings(data_dir=tmp_path / "en", lang="en")
    async with running(settings) as (app, pilot):
        assert "New assessment" in screen_text(app)
        await press(app, pilot, "n", "enter", "1", "1", "1", "2", "1", "1", "1")
        assert "Service needs" in screen_text(app)
        await press(app, pilot, *["enter"] * 7)
        shown = screen_text(app)
        assert "Own service" in shown and "Reasons" in shown
        footer_labels = {b.binding.description for b in app.screen.active_bindings.values()}
        assert "Bring to team" in footer_labels


async def test_the_walk_saves_to_a_shared_postgresql_server(postgres_url: str, tmp_path) -> None:
    settings = Settings(data_dir=tmp_path / "data", database_url=postgres_url)
    async with running(settings) as (app, pilot):
        await press(app, pilot, "n", "enter", *TYM_KEYS, "enter", *["enter"] * 6, "t")
        assert "Tallennettu nimettömänä" in screen_text(app)
    assert rows(settings, "SELECT status, recommended, employment FROM cases") == [
        ("awaiting_team", "tym", 4)
    ]
