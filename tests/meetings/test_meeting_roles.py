"""Meetings on a server set up with roles: a team member plans and holds the meetings of the
login's areas only, and a worker reads nothing of meetings but what the case view of their own
case shows. Tried through the Store and with plain SQL (an app's URL could run anything)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy.exc import DBAPIError

from consult.store import Store
from consult.store.database import MeetingRefused
from tests.roles.server import Server, fresh_server
from tests.roles.test_server_roles import add_case, refused

pytestmark = pytest.mark.postgres
# The cases are saved now (the server's clock): a meeting after them has them on its agenda.
DAY = date(2099, 1, 10)


@pytest.fixture
def server(postgres_available: None) -> Iterator[Server]:
    with fresh_server() as made:
        yield made


def _store(server: Server, login: str) -> Store:
    return Store.open(server.url(login))


def test_a_team_member_of_another_area_neither_sees_nor_plans_the_areas_meetings(server: Server) -> None:
    kuopio, yla_savo = server.login("team", "kuopio"), server.login("team", "yla-savo")
    case = add_case(server, kuopio, "kuopio")
    own = _store(server, kuopio)
    other = _store(server, yla_savo)
    try:
        meeting = own.plan_meeting("kuopio", DAY, "social")
        assert [i.case_id for i in meeting.items] == [case]
        own.start_meeting(meeting.id)
        action = own.add_action(meeting.id, case, "kela", "palveluneuvoja", "ottaa yhteyttä", None)

        # Through the store: refused in one line before the server is asked.
        with pytest.raises(MeetingRefused) as raised:
            other.plan_meeting("kuopio", DAY, "social")
        assert "\n" not in str(raised.value) and "kuopio" in str(raised.value)
        with pytest.raises(MeetingRefused):
            other.propose_agenda("kuopio", DAY)
        # What the other area's login can read holds nothing of the meeting.
        assert other.get_meeting(meeting.id) is None
        assert other.list_meetings() == []
        assert other.case_actions(case) == []
        assert other.open_actions("kuopio") == []
        # Nor can it change the meeting by any way round the store: it sees no such meeting.
        with pytest.raises(ValueError, match="meeting_id"):
            other.close_meeting(meeting.id)
        with pytest.raises(ValueError, match="action_id"):
            other.close_action(action.id, "done", DAY)
    finally:
        own.close()
        other.close()

    # Plain SQL: the server's policies hold the same.
    assert server.sql(yla_savo, "SELECT count(*) FROM meetings") == [(0,)]
    assert server.sql(yla_savo, "SELECT count(*) FROM meeting_items") == [(0,)]
    assert server.sql(yla_savo, "SELECT count(*) FROM meeting_actions") == [(0,)]
    assert refused(
        server,
        yla_savo,
        "INSERT INTO meetings (id, area, held_on, status, convener_org, present, apologies, note, planned_at)"
        " VALUES (:id, 'kuopio', '2099-01-12', 'planned', 'social', '[]', '[]', '', now())",
        id=str(uuid.uuid4()),
    )
    assert server.sql(yla_savo, "UPDATE meetings SET status = 'open' RETURNING id") == []
    assert server.sql(kuopio, "SELECT status FROM meetings") == [("open",)]


def test_a_worker_reads_only_what_the_case_view_of_their_own_case_shows(server: Server) -> None:
    worker, team = server.login("worker"), server.login("team", "kuopio")
    mine = add_case(server, worker, "kuopio")
    theirs = add_case(server, team, "kuopio")
    held = _store(server, team)
    try:
        meeting = held.plan_meeting("kuopio", DAY, "social")
        assert {i.case_id for i in meeting.items} == {mine, theirs}
        held.start_meeting(meeting.id)
        held.add_action(meeting.id, mine, "kela", "palveluneuvoja", "ottaa yhteyttä", None)
        held.add_action(meeting.id, theirs, "health", "lääkäri", "lausunto", None)
        held.close_meeting(meeting.id)
    finally:
        held.close()
    reading = _store(server, worker)
    try:
        with pytest.raises(MeetingRefused):
            reading.plan_meeting("kuopio", DAY, "social")
        [(seen, item)] = reading.case_meetings(mine)
        assert item.case_id == mine and item.result == "not_discussed"
        # The meeting without the other case's item or actions.
        assert [i.case_id for i in seen.items] == [mine]
        assert [a.case_id for a in seen.actions] == [mine]
        assert [a.what for a in reading.case_actions(mine)] == ["ottaa yhteyttä"]
        assert reading.case_actions(theirs) == []
    finally:
        reading.close()
    assert server.sql(worker, "SELECT count(*) FROM meeting_items") == [(1,)]
    assert refused(server, worker, "UPDATE meeting_actions SET status = 'done'")
    assert refused(server, worker, "DELETE FROM meeting_items")


def test_the_administrator_reads_figures_not_the_texts(server: Server) -> None:
    admin, team = server.login("admin"), server.login("team", "kuopio")
    case = add_case(server, team, "kuopio")
    held = _store(server, team)
    try:
        meeting = held.plan_meeting("kuopio", DAY, "social")
        held.start_meeting(meeting.id)
        held.add_action(meeting.id, case, "kela", "palveluneuvoja", "ottaa yhteyttä", None)
        held.close_meeting(meeting.id)
    finally:
        held.close()
    assert server.sql(admin, "SELECT status, held_on FROM meetings") == [("closed", DAY)]
    assert server.sql(admin, "SELECT status FROM meeting_actions") == [("open",)]
    for column, table in (
        ("note", "meetings"),
        ("what", "meeting_actions"),
        ("owner_role", "meeting_actions"),
    ):
        assert refused(server, admin, f"SELECT {column} FROM {table}")


def test_who_closed_is_the_servers_to_say(server: Server) -> None:
    team = server.login("team", "kuopio")
    case = add_case(server, team, "kuopio")
    held = _store(server, team)
    try:
        meeting = held.plan_meeting("kuopio", DAY, "social")
        held.start_meeting(meeting.id)
        action = held.add_action(meeting.id, case, "kela", "palveluneuvoja", "ottaa yhteyttä", None)
        held.close_meeting(meeting.id)
    finally:
        held.close()
    assert refused(server, team, "UPDATE meeting_actions SET status = 'done', closed_by = 'someone_else'")
    server.sql(team, "UPDATE meeting_actions SET status = 'done' WHERE id = :id", id=action.id)
    assert server.sql(team, "SELECT closed_by, created_by FROM meeting_actions") == [(team, team)]
    assert server.sql(team, "SELECT closed_by FROM meetings") == [(team,)]
    with pytest.raises(DBAPIError):
        server.sql(team, "UPDATE meetings SET closed_by = 'someone_else'")
    audit = server.sql(
        team, "SELECT who, what FROM audit WHERE what LIKE 'meeting.%' OR what LIKE 'action.%'"
    )
    assert sorted(audit) == sorted(
        [(team, "meeting.planned"), (team, "action.added"), (team, "meeting.closed"), (team, "action.closed")]
    )


def test_the_administrators_purge_takes_a_cases_items_and_actions_with_it(server: Server) -> None:
    from datetime import UTC, datetime, timedelta

    from consult.store.purge import purge

    admin, team = server.login("admin"), server.login("team", "kuopio")
    case = add_case(server, team, "kuopio")
    held = _store(server, team)
    try:
        meeting = held.plan_meeting("kuopio", DAY, "social")
        held.start_meeting(meeting.id)
        held.decide_in_meeting(meeting.id, case, "tym", "")
        held.add_action(meeting.id, case, "kela", "palveluneuvoja", "ottaa yhteyttä", None)
        held.close_meeting(meeting.id)
    finally:
        held.close()
    done = purge(
        server.engine(admin), draft_days=30, retention_days=1, now=datetime.now(UTC) + timedelta(days=3)
    )
    assert done.cases_removed == 1
    assert server.sql(None, "SELECT count(*) FROM meeting_items") == [(0,)]
    assert server.sql(None, "SELECT count(*) FROM meeting_actions") == [(0,)]
    assert server.sql(None, "SELECT count(*) FROM meetings") == [(1,)]


def test_a_workers_export_carries_their_part_of_a_meeting_readable_elsewhere(
    server: Server, tmp_path
) -> None:
    import io
    import json

    from consult.core.model import Assessment, Scores
    from consult.exchange.bundle import export_json, import_file
    from consult.scoring import evaluate

    worker, team = server.login("worker"), server.login("team", "kuopio")
    mine = add_case(server, worker, "kuopio")
    theirs = add_case(server, team, "kuopio")
    recommendation = evaluate(Assessment(scores=Scores(affairs=3, services=3, employment=4)))
    server.sql(
        None,
        "UPDATE cases SET recommendation = CAST(:r AS json), recommended = 'tym'",
        r=recommendation.model_dump_json(),
    )
    held = _store(server, team)
    try:
        meeting = held.plan_meeting("kuopio", DAY, "social")
        held.set_items(meeting.id, [theirs, mine])
        held.start_meeting(meeting.id)
        held.defer_item(meeting.id, mine)
        held.add_action(meeting.id, theirs, "health", "lääkäri", "lausunto", None)
        held.close_meeting(meeting.id)
    finally:
        held.close()
    out = io.StringIO()
    export_json(server.engine(worker), out)
    data = json.loads(out.getvalue())
    assert [c["id"] for c in data["cases"]] == [mine]
    [seen] = data["meetings"]
    assert seen["items"] == [{"case_id": mine, "position": 1, "result": "deferred"}]
    assert seen["actions"] == []
    elsewhere = Store.open(f"sqlite:///{tmp_path / 'elsewhere.db'}")
    try:
        import_file(elsewhere.engine, io.BytesIO(out.getvalue().encode()))
        assert [m.id for m in elsewhere.list_meetings()] == [meeting.id]
    finally:
        elsewhere.close()
