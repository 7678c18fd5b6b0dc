"""A convener plans, holds and closes a team meeting with the keyboard alone: the agenda proposed,
reordered, a case added by its code, attendance recorded; the meeting started, one case decided,
one deferred, an action agreed; an action from the area's last meeting reviewed; the meeting
closed and its minutes shown. Asserted on the screen and in the database, through the Store."""

from __future__ import annotations

from datetime import date

import pytest
from textual.widgets import DataTable

from consult.screens.confirm import ConfirmScreen
from consult.screens.decision import DecisionScreen
from consult.screens.meeting_hold import ActionDialog, HoldScreen
from consult.screens.meeting_minutes import MinutesScreen
from consult.screens.meeting_plan import AttendanceDialog, PlanScreen
from consult.screens.meetings import MeetingsScreen, NewMeetingDialog
from consult.store import Store
from consult.system.settings import Settings
from tests.screens.helpers import press, running, screen_text, seed, wait_until
from tests.store.fixtures import make_case

DAY = date(2026, 3, 10)
LAST = date(2026, 2, 24)


def case_id(number: int) -> str:
    return f"00000000-0000-4000-8000-{number:012d}"


def meeting_cases() -> list:
    """Kuopio's cases waiting for the team (one safety, one urgent), a case of another area,
    a case referred directly since the last meeting, and the case of that last meeting."""
    return [
        make_case(1, "3,3,2,4,3,3,2", "2026-03-02T10:15:00+02:00", "awaiting_team", "kuopio"),
        make_case(2, "2,2,2,2,2,2,5", "2026-03-05T09:00:00+02:00", "awaiting_team", "kuopio"),
        make_case(3, "2,2,5,2,2,2,2", "2026-03-04T09:00:00+02:00", "awaiting_team", "kuopio"),
        make_case(
            4,
            "1,1,1,3,1,3,1",
            "2026-03-06T12:00:00+02:00",
            "awaiting_team",
            "kuopio",
            notes={"general": "Asiakas toivoo etäyhteyttä."},
        ),
        make_case(5, "3,3,2,4,3,3,2", "2026-03-03T09:00:00+02:00", "awaiting_team", "yla-savo"),
        make_case(6, "1,1,1,2,1,1,1", "2026-03-03T09:00:00+02:00", "referred_directly", "kuopio"),
        make_case(7, "3,3,2,4,3,3,2", "2026-02-10T09:00:00+02:00", "awaiting_team", "kuopio"),
    ]


def last_meeting(settings: Settings) -> tuple[str, str]:
    """Kuopio's meeting of 24.2.: case 7 decided, an action for Kela agreed and still open."""
    store = Store.open(settings.resolved_database_url)
    try:
        meeting = store.plan_meeting("kuopio", LAST, "social")
        assert [item.case_id for item in meeting.items] == [case_id(7)]
        store.start_meeting(meeting.id)
        store.decide_in_meeting(meeting.id, case_id(7), "tym", "TYM-asiakkuus")
        action = store.add_action(
            meeting.id, case_id(7), "kela", "palveluneuvoja", "Yhteydenotto asiakkaaseen", date(2026, 3, 5)
        )
        store.close_meeting(meeting.id)
        return meeting.id, action.id
    finally:
        store.close()


def seeded(settings: Settings) -> tuple[str, str]:
    seed(settings, meeting_cases())
    return last_meeting(settings)


def agenda(app) -> list[str]:
    """The codes on the agenda, top to bottom."""
    table = app.screen.query_one(DataTable)
    return [str(table.get_row_at(i)[1]) for i in range(table.row_count)]


def open_store(settings: Settings) -> Store:
    return Store.open(settings.resolved_database_url)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_a_convener_plans_holds_and_closes_a_meeting(settings: Settings, size: tuple[int, int]) -> None:
    last_id, old_action = seeded(settings)
    async with running(settings, size=size) as (app, pilot):
        await press(app, pilot, "m")
        assert isinstance(app.screen, MeetingsScreen)
        assert "24.2.2026" in screen_text(app) or "24.2.2026" in str(
            app.screen.query_one(DataTable).get_row_at(0)
        )

        # Plan: Kuopio, the convener from social services, on 10.3.2026.
        await press(app, pilot, "n")
        assert isinstance(app.screen, NewMeetingDialog)
        await press(app, pilot, "3", "tab", "2", "tab", "ctrl+a", "ctrl+k", *"10.3.2026", "enter")
        assert isinstance(app.screen, PlanScreen)
        # Safety first, then urgent, then the longest waiting.
        assert agenda(app) == ["T02-AAA", "T03-AAA", "T01-AAA", "T04-AAA"]
        shown = screen_text(app)
        assert "MYÖHÄSSÄ" in shown and "T07-AAA" in shown and "palveluneuvoja" in shown
        assert "1 alueen tapaus ohjattu suoraan edellisen kokouksen (24.2.2026) jälkeen" in shown
        meeting_id = app.screen.meeting_id

        # Reorder: the last item up one; the one now last removed, then added back by its code;
        # a case of another area is refused in one line and stays in the field.
        await press(app, pilot, "down", "down", "down", "shift+up")
        assert agenda(app) == ["T02-AAA", "T03-AAA", "T04-AAA", "T01-AAA"]
        await press(app, pilot, "down", "delete")
        assert agenda(app) == ["T02-AAA", "T03-AAA", "T04-AAA"]
        await press(app, pilot, "a", *"t05aaa", "enter")
        assert any("toisen alueen" in n.message for n in app._notifications)
        assert app.screen.query_one("#add-code").display
        await press(app, pilot, "ctrl+a", "ctrl+k", *"T01-AAA", "enter")
        assert agenda(app) == ["T02-AAA", "T03-AAA", "T04-AAA", "T01-AAA"]

        # Attendance: employment, social and Kela present; health sent apologies.
        await press(app, pilot, "o")
        assert isinstance(app.screen, AttendanceDialog)
        await press(app, pilot, "1", "down", "1", "down", "2", "down", "1", "enter")
        assert isinstance(app.screen, PlanScreen)
        assert "Estyneet: Terveyspalvelut" in screen_text(app)

        store = open_store(settings)
        try:
            meeting = store.get_meeting(meeting_id)
            assert meeting is not None
            assert [i.case_id for i in meeting.items] == [case_id(n) for n in (2, 3, 4, 1)]
            assert meeting.present == ("employment", "social", "kela")
            assert meeting.apologies == ("health",)
            assert meeting.status == "planned"
        finally:
            store.close()

        # Hold: item 1, its decision (another path, with a note) and an action.
        await press(app, pilot, "s")
        assert isinstance(app.screen, HoldScreen)
        shown = screen_text(app)
        assert "kohta 1 / 4" in shown and "T02-AAA" in shown and "TURVALLISUUS" in shown
        await press(app, pilot, "p")
        assert isinstance(app.screen, DecisionScreen)
        assert not app.screen.query("#date")  # decided on the meeting's day
        await press(app, pilot, "2", "tab", *"Kahden organisaation yhteistyö riittää", "enter")
        assert isinstance(app.screen, HoldScreen)
        assert "Tiimin päätös: Kahden organisaation" in screen_text(app)
        await press(app, pilot, "t")
        assert isinstance(app.screen, ActionDialog)
        await press(app, pilot, "2", "tab", *"sosiaalityöntekijä", "tab", *"Palvelutarpeen arvio", "tab")
        await press(app, pilot, *"9.3.2026", "enter")  # before the meeting: refused, kept
        assert isinstance(app.screen, ActionDialog)
        await press(app, pilot, "ctrl+a", "ctrl+k", *"31.3.2026", "enter")
        assert isinstance(app.screen, HoldScreen)
        assert "sosiaalityöntekijä: Palvelutarpeen arvio" in screen_text(app)

        # Item 2 deferred; items 3 and 4 passed over.
        await press(app, pilot, "right")
        assert "kohta 2 / 4" in screen_text(app) and "T03-AAA" in screen_text(app)
        await press(app, pilot, "s")
        assert "Siirretty seuraavaan kokoukseen" in screen_text(app)
        # The team records a service the client needs and cannot get: shown on the item at once.
        await press(app, pilot, "v", "p", *"päihdekuntou", "enter", "enter", "2", "escape")
        assert isinstance(app.screen, HoldScreen)
        await wait_until(pilot, lambda: "Puuttuvat palvelut" in screen_text(app), "the service on the item")
        assert "kohta 2 / 4" in screen_text(app) and "T02-AAA" not in screen_text(app)
        await press(app, pilot, "right", "right", "right")

        # The review of the area's open actions: Kela's, from the last meeting, done.
        shown = screen_text(app)
        assert "toimenpide 1 / 1" in shown and "T07-AAA" in shown and "Yhteydenotto asiakkaaseen" in shown
        await press(app, pilot, "1")
        assert "Tila: tehty" in screen_text(app)

        # Closing: asked first; the items not reached become "not discussed".
        await press(app, pilot, "right", "c")
        assert isinstance(app.screen, ConfirmScreen)
        assert "2 kohtaa" in screen_text(app)
        await press(app, pilot, "y")
        assert isinstance(app.screen, MinutesScreen)

    store = open_store(settings)
    try:
        meeting = store.get_meeting(meeting_id)
        assert meeting is not None and meeting.status == "closed"
        assert [i.result for i in meeting.items] == ["decided", "deferred", "not_discussed", "not_discussed"]
        decided = store.get_case(case_id(2))
        assert decided is not None and decided.team_decision is not None
        assert decided.team_decision.path == "bilateral"
        assert decided.team_decision.meeting_id == meeting_id
        assert decided.team_decision.decided_at == DAY
        deferred = store.get_case(case_id(3))
        assert deferred is not None and [m.reason for m in deferred.services.missing] == ["no_capacity"]
        (action,) = meeting.actions
        assert (action.case_id, action.owner_org, action.owner_role, action.what, action.due) == (
            case_id(2),
            "social",
            "sosiaalityöntekijä",
            "Palvelutarpeen arvio",
            date(2026, 3, 31),
        )
        (reviewed,) = store.reviewed_actions(meeting_id)
        assert (reviewed.id, reviewed.status, reviewed.closed_on) == (old_action, "done", DAY)
        assert store.open_actions("kuopio") == [action]
        assert last_id != meeting_id
    finally:
        store.close()


async def test_the_case_view_shows_the_cases_meetings_and_actions(settings: Settings) -> None:
    seeded(settings)
    async with running(settings, size=(100, 40)) as (app, pilot):
        await press(app, pilot, "r", "slash", *"T07", "enter", "enter")
        shown = screen_text(app)
        assert "Tiimikokoukset" in shown and "24.2.2026 Kuopio: Päätetty" in shown
        assert "Kela, palveluneuvoja: Yhteydenotto asiakkaaseen · määräpäivä 5.3.2026 · avoin" in shown
