"""The Store's meeting methods (meeting_api.md) on SQLite and PostgreSQL: a meeting planned
from the proposed agenda, held (decide, defer, actions), closed, and its actions reviewed at the
next meeting; every refusal one line naming the field, never the text."""

from __future__ import annotations

from datetime import date

import pytest

from consult.exchange.bundle import Bundle, import_bundle
from consult.privacy.gate import TextRefused
from consult.privacy.guard import IdentifierRefused
from consult.store import Store
from consult.store.meetings import MeetingProblem
from tests.store.fixtures import make_case

# Fictional identity code of the guard's own tests' kind: refused wherever it is written.
IDENTITY_CODE = "131052-308T"
ON = date(2026, 4, 2)


@pytest.fixture
def store(database_url: str):
    opened = Store.open(database_url)
    cases = [
        make_case(1, "3,3,2,4,3,3,2", "2026-03-02T10:15:00+02:00", "awaiting_team", "kuopio"),
        # safety (relations 5) comes first however new it is
        make_case(2, "3,3,2,4,3,3,5", "2026-03-20T10:15:00+02:00", "awaiting_team", "kuopio"),
        # urgent housing after safety, before the oldest
        make_case(3, "2,2,5,2,2,2,2", "2026-03-10T10:15:00+02:00", "awaiting_team", "kuopio"),
        make_case(4, "1,1,1,2,1,1,1", "2026-03-03T09:00:00+02:00", "referred_directly", "kuopio"),
        make_case(5, "3,3,2,4,3,3,2", "2026-03-02T10:15:00+02:00", "awaiting_team", "yla-savo"),
        make_case(6, "3,3,-,-,-,-,-", "2026-03-06T12:00:00+02:00", "draft", "kuopio"),
        # saved the day after the meeting: not on its agenda
        make_case(7, "3,3,2,4,3,3,2", "2026-04-03T00:30:00+03:00", "awaiting_team", "kuopio"),
    ]
    import_bundle(opened.engine, Bundle(format="consult-cases", version=1, cases=cases))
    yield opened
    opened.close()


def case_id(n: int) -> str:
    return f"00000000-0000-4000-8000-{n:012d}"


def one_line(error: pytest.ExceptionInfo, field: str) -> str:
    text = str(error.value)
    assert "\n" not in text and text.startswith(field), text
    assert IDENTITY_CODE not in text
    return text


def test_a_meeting_planned_held_and_closed(store: Store) -> None:
    agenda = store.propose_agenda("kuopio", ON)
    assert [c.code for c in agenda.cases] == ["T02-AAA", "T03-AAA", "T01-AAA"]
    assert [c.waiting_days for c in agenda.cases] == [13, 23, 31]
    assert agenda.last_meeting is None and agenda.direct_since_last == 1
    assert store.list_meetings() == []  # proposing wrote nothing

    meeting = store.plan_meeting("kuopio", ON, "social")
    assert meeting.status == "planned" and meeting.on == ON and meeting.convener_org == "social"
    assert [(i.case_id, i.position, i.result) for i in meeting.items] == [
        (case_id(2), 1, None),
        (case_id(3), 2, None),
        (case_id(1), 3, None),
    ]
    # reorder, remove one, add the direct case
    meeting = store.set_items(meeting.id, [case_id(1), case_id(4), case_id(2)])
    assert [(i.case_id, i.position) for i in meeting.items] == [
        (case_id(1), 1),
        (case_id(4), 2),
        (case_id(2), 3),
    ]
    meeting = store.set_attendance(meeting.id, ["social", "kela", "employment"], ["health"], "employment")
    assert meeting.present == ("employment", "social", "kela") and meeting.apologies == ("health",)
    assert meeting.convener_org == "employment"
    with pytest.raises(MeetingProblem, match="status"):
        store.decide_in_meeting(meeting.id, case_id(1), "tym", "")  # not started yet

    meeting = store.start_meeting(meeting.id)
    assert meeting.status == "open"
    meeting = store.decide_in_meeting(meeting.id, case_id(1), "bilateral", "kahdenvälinen riittää")
    decided = store.get_case(case_id(1))
    assert decided is not None and decided.status == "team_decided"
    assert decided.team_decision is not None
    assert decided.team_decision.meeting_id == meeting.id and decided.team_decision.decided_at == ON
    assert store.team_decisions(case_id(1))[-1].meeting_id == meeting.id
    meeting = store.defer_item(meeting.id, case_id(4))
    action = store.add_action(
        meeting.id, case_id(1), "kela", "palveluneuvoja", "ottaa yhteyttä", date(2026, 4, 9)
    )
    assert action.status == "open" and action.meeting_id == meeting.id
    # the items' results are kept as they happen; a reorder keeps them
    meeting = store.set_items(meeting.id, [case_id(2), case_id(1), case_id(4)])
    assert [(i.case_id, i.result) for i in meeting.items] == [
        (case_id(2), None),
        (case_id(1), "decided"),
        (case_id(4), "deferred"),
    ]
    with pytest.raises(MeetingProblem) as removed:
        store.set_items(meeting.id, [case_id(2)])
    assert one_line(removed, "case_ids").endswith("has_result")

    meeting = store.close_meeting(meeting.id)
    assert meeting.status == "closed"
    assert [(i.case_id, i.result) for i in meeting.items] == [
        (case_id(2), "not_discussed"),
        (case_id(1), "decided"),
        (case_id(4), "deferred"),
    ]
    assert meeting.actions == (action,)
    for change in (
        lambda: store.set_items(meeting.id, []),
        lambda: store.set_attendance(meeting.id, [], []),
        lambda: store.start_meeting(meeting.id),
        lambda: store.close_meeting(meeting.id),
        lambda: store.defer_item(meeting.id, case_id(2)),
    ):
        with pytest.raises(MeetingProblem, match=r"^status: closed$"):
            change()

    # The next meeting: the deferred case counted, the open action on the agenda, overdue.
    later = date(2026, 4, 16)
    agenda = store.propose_agenda("kuopio", later)
    assert agenda.last_meeting == ON and agenda.direct_since_last == 0
    assert [(c.code, c.deferred) for c in agenda.cases] == [("T02-AAA", 0), ("T03-AAA", 0), ("T07-AAA", 0)]
    assert [(a.id, a.case_code, a.overdue) for a in agenda.actions] == [(action.id, "T01-AAA", True)]
    assert store.open_actions("kuopio") == [action]
    second = store.start_meeting(store.plan_meeting("kuopio", later, "social").id)
    closed = store.close_action(action.id, "not_possible", later, second.id)
    assert (closed.status, closed.closed_on, closed.closed_in) == ("not_possible", later, second.id)
    assert store.reviewed_actions(second.id) == [closed]
    assert store.open_actions("kuopio") == []
    assert store.case_actions(case_id(1)) == [closed]
    with pytest.raises(MeetingProblem, match=r"^status: closed$"):
        store.close_action(action.id, "done", later)

    [(first, item)] = store.case_meetings(case_id(1))
    assert first.id == meeting.id and item.result == "decided"
    listed = store.list_meetings("kuopio")
    assert [m.id for m in listed] == [second.id, meeting.id]  # newest first
    assert listed[1].items == {"decided": 1, "deferred": 1, "not_discussed": 1, "pending": 0}
    assert listed[1].actions == {"open": 0, "done": 0, "not_possible": 1, "not_done": 0}
    assert listed[0].items["pending"] == 3
    assert store.list_meetings("yla-savo") == []
    whats = [e.what for e in store.audit() if e.what.startswith(("meeting.", "action."))]
    assert whats == ["meeting.planned", "action.added", "meeting.closed", "meeting.planned", "action.closed"]


def test_an_item_decided_elsewhere_in_the_meeting_closes_as_decided(store: Store) -> None:
    """A decision naming the meeting (a bundle's open meeting carries no results) is the item's."""
    meeting = store.start_meeting(store.plan_meeting("kuopio", ON, "social").id)
    store.decide_in_meeting(meeting.id, case_id(3), "tym", "")
    with store.engine.begin() as connection:
        from sqlalchemy import text

        connection.execute(text("UPDATE meeting_items SET result = NULL"))
    closed = store.close_meeting(meeting.id)
    assert {i.case_id: i.result for i in closed.items}[case_id(3)] == "decided"


def test_bad_input_is_refused_in_one_line_naming_the_field(store: Store) -> None:
    with pytest.raises(MeetingProblem) as error:
        store.plan_meeting("savo", ON, "social")
    one_line(error, "area")
    with pytest.raises(MeetingProblem) as error:
        store.plan_meeting("kuopio", ON, "welfare")
    one_line(error, "convener_org")
    meeting = store.plan_meeting("kuopio", ON, "social")
    for present, apologies, field in (
        (["social", "kela"], ["kela"], "apologies"),
        (["social", "social"], [], "present"),
        (["social"], ["nobody"], "apologies"),
    ):
        with pytest.raises(MeetingProblem) as error:
            store.set_attendance(meeting.id, present, apologies)
        one_line(error, field)
    for ids, kind in (
        ([case_id(1), case_id(1)], "duplicate"),
        ([case_id(5)], "other_area"),
        ([case_id(6)], "draft"),
        (["00000000-0000-4000-8000-999999999999"], "unknown_case"),
    ):
        with pytest.raises(MeetingProblem) as error:
            store.set_items(meeting.id, ids)
        assert one_line(error, "case_ids").endswith(kind)
    with pytest.raises(MeetingProblem) as error:
        store.set_items("00000000-0000-4000-8000-999999999999", [])
    one_line(error, "meeting_id")

    store.start_meeting(meeting.id)
    with pytest.raises(MeetingProblem) as error:
        store.decide_in_meeting(meeting.id, case_id(5), "tym", "")
    assert one_line(error, "case_id").endswith("not_an_item")
    with pytest.raises(MeetingProblem) as error:
        store.decide_in_meeting(meeting.id, case_id(1), "elsewhere", "")
    one_line(error, "path")
    with pytest.raises(MeetingProblem) as error:
        store.add_action(meeting.id, case_id(1), "kela", "palveluneuvoja", "soittaa", date(2026, 4, 1))
    one_line(error, "due")
    with pytest.raises(MeetingProblem) as error:
        store.add_action(meeting.id, case_id(1), "kela", "palveluneuvoja", "   ", None)
    one_line(error, "what")
    # Every text through the privacy guard, as notes: refused naming the field, never echoed.
    for field, call in (
        (
            "owner_role",
            lambda: store.add_action(meeting.id, case_id(1), "kela", IDENTITY_CODE, "soittaa", None),
        ),
        ("what", lambda: store.add_action(meeting.id, case_id(1), "kela", "", f"hetu {IDENTITY_CODE}", None)),
        ("note", lambda: store.set_meeting_note(meeting.id, f"asiakas {IDENTITY_CODE}")),
        (
            "team_decision.note",
            lambda: store.decide_in_meeting(meeting.id, case_id(1), "tym", f"hetu {IDENTITY_CODE}"),
        ),
    ):
        with pytest.raises((TextRefused, IdentifierRefused)) as refused:
            call()
        one_line(refused, field)
    action = store.add_action(meeting.id, case_id(1), "kela", "palveluneuvoja", "soittaa", None)
    for status, on, field in (
        ("open", ON, "status"),
        ("maybe", ON, "status"),
        ("done", date(2026, 4, 1), "on"),
    ):
        with pytest.raises(MeetingProblem) as error:
            store.close_action(action.id, status, on)  # type: ignore[arg-type]
        one_line(error, field)
    store.decide_in_meeting(meeting.id, case_id(1), "tym", "")
    with pytest.raises(MeetingProblem) as error:
        store.defer_item(meeting.id, case_id(1))
    assert one_line(error, "case_id").endswith("decided")
    # Nothing of the refused texts was kept.
    kept = store.get_meeting(meeting.id)
    assert kept is not None and kept.note == "" and [a.what for a in kept.actions] == ["soittaa"]


def test_a_meeting_of_the_unknown_area_holds_the_cases_saved_without_one(store: Store) -> None:
    import_bundle(
        store.engine,
        Bundle(
            format="consult-cases",
            version=1,
            cases=[make_case(8, "3,3,2,4,3,3,2", "2026-03-12T10:00:00+02:00", "awaiting_team", None)],
        ),
    )
    meeting = store.plan_meeting("unknown", ON, "other")
    assert [i.case_id for i in meeting.items] == [case_id(8)]
    assert store.open_actions("unknown") == []
