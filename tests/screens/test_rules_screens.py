"""Rules in the TUI, with the keys a worker presses: home and result name the version in force,
the next walk scores with rules activated meanwhile, the rules screen compares a file with the
team's decisions, the case view shows what the rules in force would say, follow-up shows the
agreement with the team; reasons are in the reader's language."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from consult.scoring.rules_file import parse_rules
from consult.screens.case import CaseScreen
from consult.screens.follow_up import FollowUpScreen
from consult.screens.home import HomeScreen
from consult.screens.result import ResultScreen
from consult.screens.rules import RulesScreen
from consult.store import Store
from consult.store.rules import activate
from consult.system.settings import Settings
from consult.widgets.key_bar import KeyBar
from tests.screens.helpers import plain, press, rows, running, screen_text, seed, settle, wait_until
from tests.store.fixtures import make_case, march_cases

KUOPIO = 'version = "kuopio-2026.1"\nbased_on = "ps-2025.1"\n[thresholds]\nmulti_support_min_challenges = 2\n'
TWO_CHALLENGES_KEYS = ["1", "1", "1", "3", "1", "3", "1"]


def activate_file(settings: Settings, text: str = KUOPIO) -> None:
    """Another worker on the same database runs `consult rules activate`."""
    store = Store.open(settings.resolved_database_url)
    try:
        activate(store.engine, parse_rules(text), who="toinen")
    finally:
        store.close()


async def walk(app, pilot) -> None:
    # d on a case the rules bring to the team asks once: y confirms (and does nothing otherwise).
    await press(app, pilot, "n", "enter", *TWO_CHALLENGES_KEYS, "enter", *["enter"] * 6, "d", "y")


async def test_the_next_walk_scores_with_rules_activated_meanwhile(settings: Settings) -> None:
    async with running(settings, size=(100, 30)) as (app, pilot):
        assert "Voimassa olevat säännöt: ps-2025.1" in screen_text(app)
        await walk(app, pilot)
        assert isinstance(app.screen, ResultScreen)
        assert "ps-2025.1" in screen_text(app)
        await pilot.press("escape")
        await settle(app, pilot)
        activate_file(settings)  # while this app is open
        await walk(app, pilot)
        assert isinstance(app.screen, ResultScreen)
        shown = screen_text(app)
        assert "Voimassa olevat säännöt: kuopio-2026.1" in shown
        assert "TYM-asiakkuus" in shown
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
        assert "Voimassa olevat säännöt: kuopio-2026.1" in screen_text(app)
    # Each case keeps the version and the recommendation that scored it.
    assert rows(settings, "SELECT rules_version, recommended FROM cases ORDER BY created_at") == [
        ("ps-2025.1", "bilateral"),
        ("kuopio-2026.1", "tym"),
    ]


async def test_the_rules_screen_compares_a_file_with_the_team(settings: Settings, tmp_path: Path) -> None:
    seed(settings, march_cases())
    candidate = tmp_path / "kuopio.toml"
    candidate.write_text(KUOPIO, "utf-8")
    async with running(settings, size=(100, 40)) as (app, pilot):
        await pilot.press("s")
        await settle(app, pilot)
        assert isinstance(app.screen, RulesScreen)
        shown = screen_text(app)
        assert "Voimassa olevat säännöt: ps-2025.1" in shown
        assert "Haaste: osa-alue tasolla 3 tai yli." in shown
        assert "Kysymykseen 3 ehdotetaan ”kyllä”, kun haasteita on vähintään 3." in shown
        await pilot.press("p", *str(tmp_path / "missing.toml"), "enter")
        await settle(app, pilot)
        assert "missing.toml" in screen_text(app)
        await pilot.press("ctrl+a", "ctrl+k", *str(tmp_path / "bad.toml"))
        (tmp_path / "bad.toml").write_text('version = "x"\n[levels]\nchallenge = 9\n', "utf-8")
        await pilot.press("enter")
        await settle(app, pilot)
        assert "levels.challenge: 9 ei ole välillä 1–5" in screen_text(app)
        await pilot.press("ctrl+a", "ctrl+k", *str(candidate), "enter")
        await settle(app, pilot)
        shown = screen_text(app)
        assert "suositus muuttuu 1 tapauksessa" in shown
        assert "T04-AAA" in shown
        assert "ps-2025.1: sama kuin tiimin päätös 1 tapauksessa (50 %)" in shown
        assert "kuopio-2026.1: sama kuin tiimin päätös 2 tapauksessa (100 %), kappa 1,00" in shown
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
    assert rows(settings, "SELECT count(*) FROM rules_activations") == [(0,)]  # compared, not activated


def in_view(app, widget_id: str) -> bool:
    """The widget is laid out inside the screen (and above the key bar), not below the fold."""
    widget = app.screen.query_one(widget_id)
    visible = app.screen.query_one("#rules").region
    return bool(widget.region) and visible.contains_region(widget.region)


async def test_at_80x24_the_path_field_and_the_results_come_into_view(
    settings: Settings, tmp_path: Path
) -> None:
    seed(settings, march_cases())
    candidate = tmp_path / "kuopio.toml"
    candidate.write_text(KUOPIO, "utf-8")
    async with running(settings, size=(80, 24)) as (app, pilot):
        await press(app, pilot, "s")
        assert isinstance(app.screen, RulesScreen)
        footer = plain(app.screen.query_one(KeyBar).render())
        assert "p Polku" in footer
        assert not in_view(app, "#candidate-path")  # below the thresholds at this size
        await press(app, pilot, "p")
        await wait_until(
            pilot, lambda: in_view(app, "#candidate-path"), "the path field is scrolled into view"
        )
        assert app.focused is app.screen.query_one("#candidate-path")
        await pilot.press(*str(candidate), "enter")
        await settle(app, pilot)
        await wait_until(pilot, lambda: in_view(app, "#comparison"), "the comparison is scrolled into view")
        assert "suositus muuttuu 1 tapauksessa" in plain(app.screen.query_one("#comparison").content)
        # A missing file: the problem is in view as well.
        await pilot.press("ctrl+a", "ctrl+k", *str(tmp_path / "missing.toml"), "enter")
        await settle(app, pilot)
        await wait_until(pilot, lambda: in_view(app, "#problem"), "the problem is scrolled into view")
        assert "missing.toml" in plain(app.screen.query_one("#problem").content)
        assert plain(app.screen.query_one("#comparison").content) == ""  # the last file's answer went
    assert rows(settings, "SELECT count(*) FROM rules_activations") == [(0,)]


async def test_an_older_case_shows_what_the_rules_in_force_would_say(settings: Settings) -> None:
    seed(settings, [make_case(4, "1,1,1,3,1,3,1", "2026-03-05T12:00:00+02:00", "awaiting_team", "kuopio")])
    activate_file(settings)
    async with running(settings, size=(100, 40)) as (app, pilot):
        await press(app, pilot, "r", "enter")  # the list is read before enter opens its first case
        await settle(app, pilot)
        assert isinstance(app.screen, CaseScreen)
        shown = screen_text(app)
        assert "Suositus: Kahden organisaation" in shown.split("Voimassa olevilla säännöillä")[0]  # as stored
        assert (
            "Voimassa olevilla säännöillä (kuopio-2026.1; tapaus pisteytettiin versiolla ps-2025.1)" in shown
        )
        assert "Eri suositus: TYM-asiakkuus" in shown
    assert rows(settings, "SELECT recommended, rules_version FROM cases") == [("bilateral", "ps-2025.1")]


async def test_reasons_are_shown_in_the_readers_language(settings: Settings) -> None:
    seed(settings, [make_case(1, "3,3,2,4,3,3,2", "2026-03-02T10:15:00+02:00", "awaiting_team", "kuopio")])
    async with running(replace(settings, lang="en"), size=(100, 40)) as (app, pilot):
        await press(app, pilot, "r", "enter")  # the list is read before enter opens its first case
        await settle(app, pilot)
        shown = screen_text(app)
        assert "The client benefits from coordinating" in shown  # saved in Finnish
        assert "Asiakas hyötyy" not in shown


async def test_follow_up_shows_the_agreement_with_the_team(settings: Settings) -> None:
    seed(settings, march_cases())
    async with running(settings, size=(100, 60)) as (app, pilot):
        await pilot.press("f")
        await settle(app, pilot)
        assert isinstance(app.screen, FollowUpScreen)
        shown = screen_text(app)
        assert "Yksimielisyys tiimin kanssa" in shown
        assert "Tiimi päätti 2 tapausta ja valitsi suositellun polun 1 kertaa (50 %); kappa 0,33." in shown
        assert "Useimmin ohitettu: " in shown and "→ TYM (1)" in shown
        await pilot.press("s")
        await settle(app, pilot)
        assert isinstance(app.screen, RulesScreen)
