"""Outcomes in the TUI: recorded from the case screen with the convener's keys, filtered in the
review list (the bottleneck list), shown in the follow-up, and the report written with one key."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from textual import events

from consult.core.dates import team_day
from consult.core.model import Outcome
from consult.i18n.formats import show
from consult.screens.case import CaseScreen
from consult.screens.follow_up import FollowUpScreen
from consult.screens.outcome import OutcomeScreen
from consult.system.settings import Settings
from tests.screens.helpers import codes, press, rows, running, screen_text, seed, settle
from tests.store.fixtures import make_case


def days_ago(days: int) -> str:
    return (datetime.now(UTC) - timedelta(days=days)).isoformat()


async def test_the_team_records_what_happened_and_the_history_is_kept(settings: Settings) -> None:
    seed(settings, [make_case(1, "3,3,2,4,3,3,2", days_ago(20), "referred_directly", "kuopio")])
    saved_on = team_day(datetime.now(UTC) - timedelta(days=20))
    async with running(settings) as (app, pilot):
        await press(app, pilot, "r", "enter")  # the list is read before enter opens its first case
        await settle(app, pilot)
        assert isinstance(app.screen, CaseScreen)
        shown = screen_text(app)
        assert "Reitti: ohjattu suoraan ilman tiimiä" in shown and "Ei kirjattu: odottaa." in shown
        await pilot.press("o")
        await settle(app, pilot)
        assert isinstance(app.screen, OutcomeScreen)
        await pilot.press("enter")  # started, the recommended path (TYM), today
        await settle(app, pilot)
        assert isinstance(app.screen, CaseScreen)
        assert f"{show(date.today(), 'fi')}: alkoi – TYM-asiakkuus" in screen_text(app)

        # The case reloads after the first record; "o" pressed before it has is not taken (the
        # key is offered once the case is there), so press it again as a worker would.
        for _ in range(20):
            await pilot.press("o")
            await settle(app, pilot)  # keys typed before a dialog is up are dropped, as a worker's would be
            if isinstance(app.screen, OutcomeScreen):
                break
        assert isinstance(app.screen, OutcomeScreen)
        # Typed in one burst, as a terminal delivers a fast typist's keys or a paste: the reason
        # row, shown when "not started" is chosen, must be there for the tab right after it.
        for key in ("right", "tab"):  # nothing started this time
            app.post_message(events.Key(key, None))
        await settle(app, pilot)
        assert app.focused is app.screen.query_one("#detail")
        shown = screen_text(app)  # the reasons are offered, the paths are not
        assert "ei kapasiteettia" in shown and "Kahdenv." not in shown
        await pilot.press("right")  # no capacity
        await pilot.press("tab", "ctrl+a", "ctrl+k", *"31.2.2026", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, OutcomeScreen) and "31.2.2026" in screen_text(app)
        day_before = show(saved_on - timedelta(days=1), "fi")
        await pilot.press("ctrl+a", "ctrl+k", *day_before, "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, OutcomeScreen)
        assert "ennen tapauksen tallennuspäivää" in screen_text(app)
        await pilot.press("ctrl+a", "ctrl+k", *show(saved_on + timedelta(days=3), "fi"))
        await pilot.press("tab", *"soita 040 123 4567", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, OutcomeScreen)  # a phone number is refused, the text kept
        await pilot.press("ctrl+a", "ctrl+k", *"jono täynnä", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, CaseScreen)
        shown = screen_text(app)
        assert "ei alkanut – ei kapasiteettia · jono täynnä" in shown and "alkoi – TYM-asiakkuus" in shown
        await pilot.press("p", "enter")  # a decision afterwards changes neither route nor outcome
        await settle(app, pilot)
    assert rows(settings, "SELECT status, route, outcome_started, outcome_reason FROM cases") == [
        ("team_decided", "direct", 0, "no_capacity")
    ]
    history = rows(settings, "SELECT started, path, reason, note FROM outcomes ORDER BY id")
    assert history == [(1, "tym", None, ""), (0, None, "no_capacity", "jono täynnä")]


async def test_the_review_list_filters_by_outcome_and_shows_the_bottleneck(settings: Settings) -> None:
    old = make_case(1, "3,3,2,4,3,3,2", days_ago(45), "awaiting_team", "kuopio")
    recent = make_case(2, "1,1,1,2,1,1,1", days_ago(5), "referred_directly", None)
    started = make_case(3, "2,2,5,2,2,2,2", days_ago(40), "awaiting_team", "yla-savo")
    started = started.model_copy(
        update={"outcome": Outcome(started=True, path="social_services", on=date.today())}
    )
    declined = make_case(4, "1,1,1,3,1,3,1", days_ago(60), "referred_directly", "kuopio")
    declined = declined.model_copy(
        update={"outcome": Outcome(started=False, reason="client_declined", on=date.today())}
    )
    seed(settings, [old, recent, started, declined])
    async with running(settings) as (app, pilot):
        await pilot.press("r", "l")
        await settle(app, pilot)
        assert codes(app) == ["T02-AAA", "T01-AAA"] and "Lopputulos: odottaa" in screen_text(app)
        await pilot.press("l")
        await settle(app, pilot)
        assert codes(app) == ["T03-AAA"]
        await pilot.press("l")
        await settle(app, pilot)
        assert codes(app) == ["T04-AAA"]
        await pilot.press("n", *"kolmekymmentä", "enter")
        await settle(app, pilot)
        assert codes(app) == ["T04-AAA"]  # not a number: nothing changes, the text stays
        await pilot.press("ctrl+a", "ctrl+k", *"30", "enter")
        await settle(app, pilot)
        assert codes(app) == ["T01-AAA"] and "odottanut yli 30 vrk" in screen_text(app)
        await pilot.press("a", "a", "a", "a", "a")  # area: not known — the recent one is younger
        await settle(app, pilot)
        assert codes(app) == []


async def test_follow_up_shows_outcomes_and_writes_the_report(settings: Settings) -> None:
    started = make_case(1, "3,3,2,4,3,3,2", "2026-03-02T10:15:00+02:00", "awaiting_team", "kuopio")
    started = started.model_copy(update={"outcome": Outcome(started=True, path="tym", on=date(2026, 3, 14))})
    declined = make_case(2, "1,1,1,2,1,1,1", "2026-03-03T09:00:00+02:00", "referred_directly", None)
    declined = declined.model_copy(
        update={"outcome": Outcome(started=False, reason="no_capacity", on=date(2026, 3, 9))}
    )
    waiting = make_case(3, "2,2,5,2,2,2,2", "2026-03-04T15:00:00+02:00", "awaiting_team", "kuopio")
    seed(settings, [started, declined, waiting])
    async with running(settings) as (app, pilot):
        await pilot.press("f")
        await settle(app, pilot)
        assert isinstance(app.screen, FollowUpScreen)
        shown = screen_text(app)
        assert "Alkoi 1 · Ei alkanut 1 · Odottaa 1 · Mediaani alkuun 12 vrk" in shown
        assert "(12)" in shown and "ei kapasiteettia" in shown and "Tuntematon" in shown
        await pilot.press("d", *"1.3.2026-3.3.2026", "enter")
        await settle(app, pilot)
        assert "Alkoi 1 · Ei alkanut 1 · Odottaa 0" in screen_text(app)
        await pilot.press("r")
        await settle(app, pilot)
    written = sorted(p.suffix for p in (settings.data_dir / "reports").glob("seuranta-*"))
    assert written == [".html", ".xlsx"]
