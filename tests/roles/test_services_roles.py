"""Services on a server set up with roles: only an administrator activates a catalogue (through
consult and with plain SQL); a worker records the services of their own cases, the team those of
its areas' cases, as they change notes; an administrator counts them but reads no tried
service's words."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from consult.catalogue.file import starter_text
from consult.core.model import CaseServices, Context, MissingService, TriedService
from consult.store import Store
from tests.roles.server import Server, fresh_server
from tests.roles.test_server_roles import add_case, changed, consult, refused

pytestmark = pytest.mark.postgres

NEWER = starter_text().replace('version = "pshva-2026.1"', 'version = "pshva-2027.1"')
SERVICES = CaseServices(
    tried=(TriedService(text="Kaupungin työpaja", result="interrupted"),),
    missing=(MissingService(service="kela-teak", domain="health", reason="waiting_doctor"),),
)


@pytest.fixture
def server(postgres_available: None) -> Iterator[Server]:
    with fresh_server() as made:
        yield made


def test_only_an_administrator_activates_a_catalogue(server: Server, tmp_path: Path) -> None:
    worker, team, admin = server.login("worker"), server.login("team", "kuopio"), server.login("admin")
    path = tmp_path / "catalogue.toml"
    path.write_text(NEWER, "utf-8")
    for login in (worker, team):
        done = consult(tmp_path, server.url(login), "services", "activate", str(path))
        assert done.returncode == 2 and done.stdout == ""
        assert "activate a service catalogue" in done.stderr and done.stderr.count("\n") == 1
        store = Store.open(server.url(login))
        try:
            with pytest.raises(PermissionError):
                store.activate_catalogue(NEWER)
        finally:
            store.close()
        assert refused(
            server,
            login,
            "INSERT INTO catalogue_activations (version, text, activated_at) VALUES ('x', '', now())",
        )
    done = consult(tmp_path, server.url(admin), "services", "activate", str(path))
    assert done.returncode == 0, done.stderr
    assert f"activated by {admin}" in done.stdout
    # Everyone reads the catalogue in force; the activation names the administrator's login.
    shown = consult(tmp_path, server.url(worker), "services", "show", "--json")
    assert json.loads(shown.stdout)["version"] == "pshva-2027.1"
    assert server.sql(worker, "SELECT version, activated_by FROM catalogue_activations") == [
        ("pshva-2027.1", admin)
    ]
    # Nor may the administrator sign an activation with another's name.
    assert refused(
        server,
        admin,
        "INSERT INTO catalogue_activations (version, text, activated_at, activated_by) "
        "VALUES ('x', '', now(), :other)",
        other=worker,
    )


def test_a_worker_records_services_on_their_own_cases_until_the_team_decides(server: Server) -> None:
    worker, other = server.login("worker"), server.login("worker")
    store = Store.open(server.url(worker))
    try:
        draft = store.create_draft(Context(area="kuopio"))
        assert store.set_case_services(draft.id, SERVICES).services == SERVICES
        mine = add_case(server, worker)
        assert store.set_case_services(mine, SERVICES).services == SERVICES
        assert [e.field for e in store.case_edits(mine)] == ["services"]
        theirs = add_case(server, other)
        with pytest.raises(LookupError):  # not theirs to see
            store.set_case_services(theirs, SERVICES)
        assert server.sql(
            worker, "SELECT created_by FROM case_tried_services WHERE case_id = :id", id=mine
        ) == [(worker,)]
        assert server.sql(other, "SELECT count(*) FROM case_missing_services") == [(0,)]
        assert refused(
            server,
            worker,
            "INSERT INTO case_missing_services (case_id, position, service, domain, reason) "
            "VALUES (:id, 1, 'kela-teak', 'health', 'other')",
            id=theirs,
        )
        assert changed(server, other, "DELETE FROM case_missing_services WHERE case_id = :id", id=mine) == 0
        # Once the team has decided, the services are the team's to change.
        server.sql(None, "UPDATE cases SET status = 'team_decided' WHERE id = :id", id=mine)
        with pytest.raises(Exception):  # noqa: B017 -- the server's refusal, whichever way it says it
            store.set_case_services(mine, CaseServices())
        assert store.get_case(mine).services == SERVICES  # type: ignore[union-attr]
    finally:
        store.close()


def test_the_team_records_services_on_its_areas_cases(server: Server) -> None:
    worker, team = server.login("worker"), server.login("team", "kuopio")
    here, elsewhere = add_case(server, worker, "kuopio"), add_case(server, worker, "yla-savo")
    server.sql(None, "UPDATE cases SET status = 'team_decided' WHERE id = :id", id=here)
    store = Store.open(server.url(team))
    try:
        assert store.set_case_services(here, SERVICES).services == SERVICES
        with pytest.raises(LookupError):
            store.set_case_services(elsewhere, SERVICES)
    finally:
        store.close()
    assert server.sql(worker, "SELECT created_by FROM case_missing_services") == [(team,)]


def test_an_administrator_counts_services_but_reads_no_tried_services_words(
    server: Server, tmp_path: Path
) -> None:
    worker, admin = server.login("worker"), server.login("admin")
    store = Store.open(server.url(worker))
    try:
        case = add_case(server, worker)
        store.set_case_services(case, SERVICES)
        # The app writes each case's Finnish day; add_case's plain SQL does not.
        server.sql(
            None, "UPDATE cases SET created_day = current_date, route = 'to_team' WHERE id = :id", id=case
        )
    finally:
        store.close()
    assert refused(server, admin, "SELECT text FROM case_tried_services")
    assert server.sql(admin, "SELECT result FROM case_tried_services") == [("interrupted",)]
    done = consult(tmp_path, server.url(admin), "stats", "--json")
    assert done.returncode == 0, done.stderr
    services = json.loads(done.stdout)["services"]
    assert services["tried_by_result"]["interrupted"] == 1
    assert services["top_missing"] == [{"service": "kela-teak", "text": None, "cases": 1}]
