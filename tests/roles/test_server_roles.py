"""Roles on a real PostgreSQL server: each test makes a database and logins of its own
(tests/roles/server.py) and drops them. What a role may do is tried both through consult
and with plain SQL, since each worker's app holds a URL that could run anything."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from consult.store.codes import new_code
from consult.store.roles import NO_RLS, OWNER
from tests.roles.server import Server, fresh_server
from tests.test_cli_bundles import write_bundle

pytestmark = pytest.mark.postgres


@pytest.fixture
def server(postgres_available: None) -> Iterator[Server]:
    with fresh_server() as made:
        yield made


def consult(tmp_path: Path, url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "CONSULT_DATA_DIR": str(tmp_path / "data"),
        "CONSULT_LANG": "en",
        "CONSULT_DATABASE_URL": url,
    }
    return subprocess.run(
        [sys.executable, "-m", "consult", *args], capture_output=True, text=True, env=env, timeout=120
    )


def add_case(server: Server, login: str, area: str | None = "kuopio", status: str = "awaiting_team") -> str:
    """A saved case inserted by ``login`` with plain SQL, as a script of theirs would."""
    case_id = str(uuid.uuid4())
    server.sql(
        login,
        "INSERT INTO cases (id, code, created_at, updated_at, status, step, notes, area) "
        'VALUES (:id, :code, now(), now(), :status, 9, \'{"general": "muistiinpano"}\', :area)',
        id=case_id,
        # The app's own shape: a uuid's 8 hex characters are all digits one time in 43, and a
        # bundle refuses such a code as a possible phone number.
        code=new_code(),
        status=status,
        area=area,
    )
    return case_id


def refused(server: Server, login: str, statement: str, **values: object) -> bool:
    """True when the server refuses the statement outright."""
    try:
        server.sql(login, statement, **values)
    except DBAPIError:
        return True
    return False


def changed(server: Server, login: str, statement: str, **values: object) -> int:
    """Rows the statement changed (row-level security hides the rest: zero, no error)."""
    with server.engine(login).begin() as connection:
        return connection.execute(text(statement), values).rowcount


# --- the setup ------------------------------------------------------------------------------


def test_every_table_but_alembics_has_forced_row_level_security_and_policies(server: Server) -> None:
    rows = server.sql(
        None,
        "SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity, pg_get_userbyid(c.relowner), "
        "(SELECT count(*) FROM pg_policies p WHERE p.schemaname = 'public' AND p.tablename = c.relname) "
        "FROM pg_class c WHERE c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace",
    )
    assert len(rows) >= 9
    for name, enabled, forced, owner, policies in rows:
        assert owner == OWNER, name
        if name in NO_RLS:
            continue
        # A table that holds case data without RLS would show every worker every case.
        assert enabled and forced, f"{name} has no (forced) row-level security"
        assert policies > 0, name


def test_setup_again_changes_nothing_and_keeps_the_rows(server: Server) -> None:
    from consult.store.server_setup import setup

    worker = server.login("worker")
    case = add_case(server, worker)
    setup(server.engine())
    assert server.sql(worker, "SELECT id FROM cases") == [(case,)]


def test_whoami_names_the_login_the_role_and_the_areas(server: Server, tmp_path: Path) -> None:
    team = server.login("team", "kuopio", "yla-savo")
    done = consult(tmp_path, server.url(team), "whoami")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [f"login: {team}", "role: team member", "areas: kuopio, yla-savo"]


def test_revoke_takes_the_role_away(server: Server, tmp_path: Path) -> None:
    worker = server.login("worker")
    assert consult(tmp_path, server.owner_url, "admin", "revoke", worker).returncode == 0
    assert refused(server, worker, "SELECT count(*) FROM cases")
    again = consult(tmp_path, server.owner_url, "admin", "grant", worker, "--role", "worker")
    assert again.returncode == 0, again.stderr
    assert server.sql(worker, "SELECT count(*) FROM cases") == [(0,)]


# --- plain SQL, role by role ----------------------------------------------------------------


def test_a_worker_sees_and_changes_only_their_own_cases(server: Server) -> None:
    first, second = server.login("worker"), server.login("worker")
    mine, theirs = add_case(server, first), add_case(server, second)
    assert server.sql(first, "SELECT id, created_by FROM cases") == [(mine, first)]
    for table in ("team_decisions", "outcomes", "case_edits"):
        assert server.sql(first, f"SELECT count(*) FROM {table}") == [(0,)]
    assert changed(server, first, "UPDATE cases SET route = 'direct' WHERE id = :id", id=theirs) == 0
    assert changed(server, first, "DELETE FROM cases WHERE id = :id", id=theirs) == 0
    assert changed(server, first, "UPDATE cases SET route = 'direct' WHERE id = :id", id=mine) == 1
    # Nor can a worker sign a row with another's name, or take over another's case.
    assert refused(
        server,
        first,
        "INSERT INTO cases (id, code, created_at, updated_at, status, step, notes, created_by) "
        "VALUES ('x', 'X', now(), now(), 'draft', 1, '{}', :other)",
        other=second,
    )
    assert refused(
        server, first, "UPDATE cases SET created_by = :other WHERE id = :id", other=second, id=mine
    )
    # The team's decision is the team's.
    assert refused(server, first, "UPDATE cases SET decision_path = 'tym' WHERE id = :id", id=mine)
    assert refused(
        server,
        first,
        "INSERT INTO team_decisions (case_id, path, note, decided_at, recorded_at) "
        "VALUES (:id, 'tym', '', current_date, now())",
        id=mine,
    )


def test_a_worker_reads_the_audit_of_their_own_actions_and_never_changes_it(server: Server) -> None:
    first, second = server.login("worker"), server.login("worker")
    add_case(server, first)
    add_case(server, second)
    assert server.sql(first, "SELECT who, what FROM audit") == [(first, "case.imported")]
    for statement in ("UPDATE audit SET who = 'x'", "DELETE FROM audit", "TRUNCATE audit"):
        assert refused(server, first, statement), statement
    assert refused(server, first, "INSERT INTO audit (at, what) VALUES (now(), 'forged')")
    # Not even the audit's own function is a way in: it is a trigger's.
    assert refused(server, first, "SELECT consult_audit()")


def test_a_worker_cannot_activate_rules_purge_or_manage_areas(server: Server) -> None:
    worker = server.login("worker")
    assert refused(
        server,
        worker,
        "INSERT INTO rules_activations (version, definition, activated_at) VALUES ('x', '', now())",
    )
    assert refused(
        server,
        worker,
        "INSERT INTO purge_runs (ran_at, draft_days, retention_days, drafts_removed, cases_removed) "
        "VALUES (now(), 1, 1, 0, 0)",
    )
    assert refused(server, worker, "INSERT INTO login_area (login, area) VALUES (:w, 'kuopio')", w=worker)
    assert refused(server, worker, "SELECT count(*) FROM trainee_results")


def test_a_team_member_sees_their_areas_and_decides_there(server: Server) -> None:
    worker, team = server.login("worker"), server.login("team", "kuopio")
    here, elsewhere = add_case(server, worker, "kuopio"), add_case(server, worker, "yla-savo")
    assert server.sql(team, "SELECT id FROM cases") == [(here,)]
    server.sql(
        team,
        "INSERT INTO team_decisions (case_id, path, note, decided_at, recorded_at) "
        "VALUES (:id, 'tym', '', current_date, now())",
        id=here,
    )
    assert refused(
        server,
        team,
        "INSERT INTO team_decisions (case_id, path, note, decided_at, recorded_at) "
        "VALUES (:id, 'tym', '', current_date, now())",
        id=elsewhere,
    )
    # The worker sees the team's decision on their case, and who made it.
    assert server.sql(worker, "SELECT case_id, path, created_by FROM team_decisions") == [(here, "tym", team)]
    # The audit of the team's areas: the case saved there and the decision.
    assert {(who, what) for who, what in server.sql(team, "SELECT who, what FROM audit")} == {
        (worker, "case.imported"),
        (team, "decision"),
    }
    # Once decided, the worker no longer changes the case.
    server.sql(team, "UPDATE cases SET status = 'team_decided' WHERE id = :id", id=here)
    assert changed(server, worker, "UPDATE cases SET route = 'direct' WHERE id = :id", id=here) == 0


def test_an_administrator_counts_but_reads_no_case_text(server: Server) -> None:
    worker, admin = server.login("worker"), server.login("admin")
    add_case(server, worker)
    assert server.sql(admin, "SELECT count(*), min(area) FROM cases") == [(1, "kuopio")]
    assert refused(server, admin, "SELECT notes FROM cases")
    assert refused(server, admin, "SELECT recommendation FROM cases")
    assert refused(server, admin, "SELECT * FROM cases")
    for table, column in (("team_decisions", "note"), ("outcomes", "note"), ("case_edits", "old_value")):
        assert refused(server, admin, f"SELECT {column} FROM {table}"), table
    assert refused(server, admin, "UPDATE cases SET area = 'x'")
    assert refused(server, admin, "UPDATE audit SET who = 'x'")
    assert len(server.sql(admin, "SELECT who FROM audit")) == 1


# --- through consult ------------------------------------------------------------------------


def test_exports_hold_what_the_role_may_read_and_the_audit_names_who(server: Server, tmp_path: Path) -> None:
    worker, other, team, admin = (
        server.login("worker"),
        server.login("worker"),
        server.login("team", "kuopio"),
        server.login("admin"),
    )
    bundle = write_bundle(tmp_path / "bundle.json")
    imported = consult(tmp_path, server.url(worker), "import", str(bundle))
    assert imported.returncode == 0, imported.stderr
    add_case(server, other, "kuopio")

    def exported(login: str) -> set[str]:
        done = consult(tmp_path, server.url(login), "export", "--format", "json", "--drafts")
        assert done.returncode == 0, done.stderr
        return {case["code"] for case in json.loads(done.stdout)["cases"]}

    mine = exported(worker)
    assert len(mine) == 7 and all(code.startswith("T0") for code in mine)
    assert len(exported(other)) == 1
    assert exported(team) == {"T01-AAA", "T05-AAA", "T06-AAA", "T07-AAA"} | exported(other)

    for login, verb in ((admin, ("export",)), (worker, ("purge",)), (team, ("purge",))):
        done = consult(tmp_path, server.url(login), *verb)
        assert done.returncode == 2
        assert done.stderr.count("\n") == 1 and login in done.stderr and "may not" in done.stderr

    rules = tmp_path / "rules.toml"
    shown = consult(tmp_path, server.url(worker), "rules", "show", "--format", "toml")
    rules.write_text(shown.stdout.replace('version = "ps-2025.1"', 'version = "test-2"', 1), "utf-8")
    refused_rules = consult(tmp_path, server.url(worker), "rules", "activate", str(rules))
    assert refused_rules.returncode == 2 and "(worker) may not activate rules" in refused_rules.stderr
    activated = consult(tmp_path, server.url(admin), "rules", "activate", str(rules))
    assert activated.returncode == 0, activated.stderr

    audit = consult(tmp_path, server.url(admin), "audit", "--json")
    assert audit.returncode == 0, audit.stderr
    seen = {(entry["who"], entry["what"]) for entry in json.loads(audit.stdout)}
    assert {(worker, "case.imported"), (other, "case.imported"), (admin, "rules.activated")} <= seen
    assert "muistiinpano" not in audit.stdout
    own = consult(tmp_path, server.url(other), "audit", "--json")
    assert {entry["who"] for entry in json.loads(own.stdout)} == {other}


def test_a_login_that_is_not_the_owner_never_migrates(server: Server, tmp_path: Path) -> None:
    worker = server.login("worker")
    with server.engine().begin() as connection:
        head = connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
        connection.execute(text("UPDATE alembic_version SET version_num = '0006'"))
    try:
        done = consult(tmp_path, server.url(worker), "whoami")
        assert done.returncode == 2
        assert done.stderr.strip().endswith("ask the administrator to run `consult admin migrate`")
        assert done.stderr.count("\n") == 1
        migrate = consult(tmp_path, server.url(worker), "admin", "migrate")
        assert migrate.returncode == 2 and "consult admin migrate" in migrate.stderr
    finally:
        with server.engine().begin() as connection:
            connection.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": head})
    assert consult(tmp_path, server.owner_url, "admin", "migrate").stdout.startswith("The schema is already")


def test_a_server_set_up_after_use_keeps_its_cases(postgres_available: None, tmp_path: Path) -> None:
    with fresh_server(set_up=False) as server:
        from consult.store import Store

        Store.open(server.owner_url).close()  # used without roles first, as before this version
        with server.engine().begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO cases (id, code, created_at, updated_at, status, step, notes) "
                    "VALUES ('old', 'OLD', now(), now(), 'awaiting_team', 9, '{}')"
                )
            )
        done = consult(tmp_path, server.owner_url, "admin", "setup")
        assert done.returncode == 0, done.stderr
        admin = server.login("admin")
        assert server.sql(admin, "SELECT count(*) FROM cases") == [(1,)]
        assert server.sql(None, "SELECT created_by FROM cases") == [("postgres",)]
