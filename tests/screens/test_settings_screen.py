"""The settings screen, driven from home with the keys a worker presses."""

from __future__ import annotations

import json
from pathlib import Path

from consult.screens.context import ContextScreen
from consult.screens.home import HomeScreen
from consult.screens.settings import SettingsScreen
from consult.system.settings import Settings, preferences_path
from consult.widgets.choice_row import ChoiceRow
from tests.screens.helpers import running, screen_text, settle


async def test_swedish_and_defaults_chosen_on_settings_apply_at_once_and_are_kept(tmp_path: Path) -> None:
    settings = Settings.from_env(
        {"CONSULT_DATA_DIR": str(tmp_path / "data"), "CONSULT_CONFIG_DIR": str(tmp_path / "cfg")}
    )
    async with running(settings) as (app, pilot):
        await pilot.press("a")
        await settle(app, pilot)
        assert isinstance(app.screen, SettingsScreen)
        # language: fi → sv; area: no default → Ylä-Savo → Keski-Savo → Kuopio; organisation → Kela
        for key in ["right", "down", "right", "right", "right", "down", *["right"] * 4, "enter"]:
            await pilot.press(key)
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
        shown = screen_text(app)
        assert "Ny bedömning" in shown and "Uusi arvio" not in shown
        assert app.title == "consult — TYM-konsultation"
        await pilot.press("n")
        await settle(app, pilot)
        assert isinstance(app.screen, ContextScreen)
        assert app.screen.query_one("#ctx-area", ChoiceRow).value == "kuopio"
        assert app.screen.query_one("#ctx-worker_org", ChoiceRow).value == "kela"
        assert "Bakgrundsuppgifter" in screen_text(app)
    saved = json.loads(preferences_path({"CONSULT_CONFIG_DIR": str(tmp_path / "cfg")}).read_text("utf-8"))
    assert saved == {"lang": "sv", "area": "kuopio", "worker_org": "kela"}
    again = Settings.from_env(
        {"CONSULT_DATA_DIR": str(tmp_path / "data"), "CONSULT_CONFIG_DIR": str(tmp_path / "cfg")}
    )
    assert (again.lang, again.area, again.worker_org) == ("sv", "kuopio", "kela")


async def test_escape_keeps_everything_as_it_was(tmp_path: Path) -> None:
    settings = Settings.from_env(
        {"CONSULT_DATA_DIR": str(tmp_path / "data"), "CONSULT_CONFIG_DIR": str(tmp_path / "cfg")}
    )
    async with running(settings) as (app, pilot):
        await pilot.press("a", "right", "escape")
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen) and "Uusi arvio" in screen_text(app)
    assert not (tmp_path / "cfg").exists()


async def test_a_bad_settings_file_is_one_line_on_home_and_the_defaults_are_used(tmp_path: Path) -> None:
    env = {"CONSULT_DATA_DIR": str(tmp_path / "data"), "CONSULT_CONFIG_DIR": str(tmp_path / "cfg")}
    path = preferences_path(env)
    path.parent.mkdir(parents=True)
    path.write_text('{"lang": "sv", "worker_org": "police"}', "utf-8")
    async with running(Settings.from_env(env)) as (app, _pilot):
        problem = str(app.screen.query_one("#preferences-problem").content)
        assert "worker_org" in problem and "'police'" in problem and "kela" in problem
        assert problem.count("\n") == 0
        assert "Uusi arvio" in screen_text(app)


async def test_the_environment_wins_and_the_screen_says_so(tmp_path: Path) -> None:
    env = {
        "CONSULT_DATA_DIR": str(tmp_path / "data"),
        "CONSULT_CONFIG_DIR": str(tmp_path / "cfg"),
        "CONSULT_LANG": "en",
    }
    async with running(Settings.from_env(env)) as (app, pilot):
        await pilot.press("a")
        await settle(app, pilot)
        assert "CONSULT_LANG=en" in screen_text(app)
        await pilot.press("left", "enter")  # choose Swedish: saved, but English stays in force
        await settle(app, pilot)
        assert "New assessment" in screen_text(app)
    assert json.loads(preferences_path(env).read_text("utf-8"))["lang"] == "sv"
