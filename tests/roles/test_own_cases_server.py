"""A worker's own cases and their route corrections on the real server: the list holds only
the login's own saved cases, and the correction reaches only their own case the team has not
decided, through consult and with plain SQL alike; it is kept in the case's edits and in the
audit under the login."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from consult.store import Store
from consult.store.corrections import AlreadyDecided
from consult.store.review import CaseFilter
from tests.roles.server import Server, fresh_server
from tests.roles.test_server_roles import add_case, changed, refused

pytestmark = pytest.mark.postgres


@pytest.fixture
def server(postgres_available: None) -> Iterator[Server]:
    with fresh_server() as made:
        yield made


def _store(server: Server, login: str) -> Store:
    store = Store.open(server.url(login))
    server._engines.append(store.engine)  # disposed with the test's database
    return store


def _own(store: Store) -> list[str]:
    mine = CaseFilter(created_by=store.identity().login)
    return [row.id for row in store.review_page(mine, "date", True, None, 100).rows]


def test_a_worker_corrects_only_their_own_undecided_case(server: Server) -> None:
    worker, other = server.login("worker"), server.login("worker")
    team = server.login("team", "kuopio")
    mine, decided = add_case(server, worker), add_case(server, worker)
    theirs = add_case(server, other)
    server.sql(team, "UPDATE cases SET status = 'team_decided' WHERE id = :id", id=decided)
    store = _store(server, worker)

    assert sorted(_own(store)) == sorted([mine, decided])
    corrected = store.correct_route(mine, "direct")
    assert (corrected.route, corrected.status) == ("direct", "referred_directly")
    assert server.sql(
        None, "SELECT field, old_value, new_value, created_by FROM case_edits WHERE case_id = :id", id=mine
    ) == [("route", "to_team", "direct", worker)]
    assert server.sql(
        None, "SELECT who, what, detail FROM audit WHERE case_id = :id AND what = 'case.edited'", id=mine
    ) == [(worker, "case.edited", "route")]

    # Another login's case is not there to correct; a decided one is refused; nothing changes.
    with pytest.raises(LookupError):
        store.correct_route(theirs, "direct")
    with pytest.raises(AlreadyDecided):
        store.correct_route(decided, "direct")
    assert server.sql(None, "SELECT status FROM cases WHERE id = :id", id=theirs) == [("awaiting_team",)]
    assert server.sql(None, "SELECT route, status FROM cases WHERE id = :id", id=decided) == [
        (None, "team_decided")
    ]
    # Plain SQL is held by the same policies: no row of another's, none the team has decided,
    # and a correction never makes a case decided.
    update = "UPDATE cases SET route = 'direct', status = 'referred_directly' WHERE id = :id"
    assert changed(server, worker, update, id=theirs) == 0
    assert changed(server, worker, update, id=decided) == 0
    assert refused(server, worker, "UPDATE cases SET status = 'team_decided' WHERE id = :id", id=mine)
    assert server.sql(None, "SELECT count(*) FROM case_edits WHERE field = 'route'") == [(1,)]
    # Correcting is not deleting: a saved case set back to a draft could be discarded.
    assert refused(server, worker, "UPDATE cases SET status = 'draft' WHERE id = :id", id=mine)
    assert changed(server, worker, "DELETE FROM cases WHERE id = :id", id=mine) == 0


def test_a_team_members_own_list_leaves_their_areas_cases_to_the_review(server: Server) -> None:
    worker, team = server.login("worker"), server.login("team", "kuopio")
    workers = add_case(server, worker)
    own = add_case(server, team)
    store = _store(server, team)
    assert _own(store) == [own]
    assert store.review_count(CaseFilter()) == 2  # the area's case is the review's
    corrected = store.correct_route(own, "direct")
    assert corrected.route == "direct"
    assert server.sql(None, "SELECT route FROM cases WHERE id = :id", id=workers) == [(None,)]
