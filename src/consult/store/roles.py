"""Who may do what on a team's shared PostgreSQL server, kept by the server itself.

Identity is the database login (``session_user``): the app never says who it is. The schema's
tables belong to a ``NOLOGIN`` owner role (``consult_owner``), no person; each login is a
member of one of three group roles, ``consult_worker``, ``consult_team`` and
``consult_admin``, whose rights are table grants and row-level security policies (FORCEd, so
even the owner's rights are policies). A team member's areas are rows of ``login_area``.

On a SQLite file (one worker, one laptop) and on a server database never set up with
``consult admin setup`` there is nothing to hold: the worker holds every role.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel
from sqlalchemy import Connection, Engine, text

from consult.store.db import SCHEMA_LOCK
from consult.store.who import os_user

Role = Literal["worker", "team", "admin"]
ROLES: tuple[Role, ...] = ("worker", "team", "admin")
OWNER = "consult_owner"
GROUPS: dict[Role, str] = {role: f"consult_{role}" for role in ROLES}

# What each role may do (the table). "owner" (the owner role's members, superusers)
# and "all" (a SQLite file, a server not set up) may do everything.
ACTIONS: dict[str, frozenset[str]] = {
    "walk": frozenset({"worker", "team"}),
    "read_cases": frozenset({"worker", "team"}),
    "correct": frozenset({"worker", "team"}),
    "import": frozenset({"worker", "team"}),
    "export": frozenset({"worker", "team"}),
    "decide": frozenset({"team"}),
    # Planning, holding and closing the team's meetings, and their actions: a team member's,
    # for the login's areas (product.md, "Team meetings").
    "meet": frozenset({"team"}),
    "stats": frozenset({"worker", "team", "admin"}),
    "audit": frozenset({"worker", "team", "admin"}),
    "activate_rules": frozenset({"admin"}),
    "activate_catalogue": frozenset({"admin"}),
    "purge": frozenset({"admin"}),
    "manage_logins": frozenset({"admin"}),
}

# A login as consult creates it: PostgreSQL's own limit (63 bytes), no quoting surprises.
LOGIN = re.compile(r"[a-z_][a-z0-9_.\-]{0,62}")
AREA = re.compile(r"[^\s]{1,20}")


class Identity(BaseModel):
    """Who is signed in: the login, the role it holds here, the areas of a team member."""

    login: str
    role: str
    areas: tuple[str, ...] = ()

    @property
    def holds_every_role(self) -> bool:
        return self.role in ("all", "owner")

    def may(self, action: str) -> bool:
        return self.holds_every_role or self.role in ACTIONS[action]


class LoginRefused(ValueError):
    """A login name or an area consult will not create; ``what`` says which."""

    def __init__(self, what: str, value: str) -> None:
        super().__init__(f"{what}: {value}")
        self.what, self.value = what, value


# --- reading who is signed in ---------------------------------------------------------------


def managed(connection: Connection) -> bool:
    """True when this database was set up with roles: its tables belong to the owner role."""
    if connection.dialect.name != "postgresql":
        return False
    owner = connection.execute(
        text(
            "SELECT pg_get_userbyid(relowner) FROM pg_class "
            "WHERE oid = to_regclass(quote_ident(current_schema()) || '.alembic_version')"
        )
    ).scalar()
    return owner == OWNER


def acts_as_owner(connection: Connection) -> bool:
    """The login may take the owner role (a member of it, or a superuser)."""
    return bool(
        connection.execute(
            text(
                "SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :owner) "
                "AND pg_has_role(session_user, :owner, 'MEMBER')"
            ),
            {"owner": OWNER},
        ).scalar()
    )


def identity(engine: Engine) -> Identity:
    if engine.dialect.name != "postgresql":
        return Identity(login=os_user(), role="all")
    with engine.connect() as connection:
        login = connection.execute(text("SELECT session_user::text")).scalar_one()
        if not managed(connection):
            return Identity(login=login, role="all")
        areas = tuple(
            connection.execute(
                text("SELECT area FROM login_area WHERE login = session_user ORDER BY area")
            ).scalars()
        )
        if acts_as_owner(connection):  # a superuser is a member of every role: asked first
            return Identity(login=login, role="owner", areas=areas)
        # The most the login may do: a member of two groups (made by hand) holds the larger.
        for role in ("admin", "team", "worker"):
            if connection.execute(
                text("SELECT pg_has_role(session_user, :group, 'MEMBER')"), {"group": f"consult_{role}"}
            ).scalar():
                return Identity(login=login, role=role, areas=areas)
        return Identity(login=login, role="none", areas=areas)


# --- setting the server up ------------------------------------------------------------------

# Every table consult keeps; only alembic_version holds nothing of anyone's.
TABLES = (
    "cases",
    "team_decisions",
    "outcomes",
    "case_edits",
    "purge_runs",
    "rules_activations",
    "trainee_results",
    "audit",
    "login_area",
    "meetings",
    "meeting_items",
    "meeting_actions",
    "catalogue_activations",
    "case_tried_services",
    "case_missing_services",
)
NO_RLS = ("alembic_version",)
FUNCTIONS = (
    "consult_who()",
    "consult_audit()",
    "consult_areas()",
    "consult_saved_stays()",
    "consult_meeting_audit()",
    "consult_closer()",
)

# Columns an administrator may read: figures, never text a person wrote.
_TEXT_COLUMNS = {
    "cases": ("notes", "recommendation"),
    "team_decisions": ("note",),
    "outcomes": ("note",),
    "case_edits": ("old_value", "new_value"),
    "meetings": ("note",),
    "meeting_actions": ("owner_role", "what"),
    # A missing service's words stay readable: they name a service, not a person (the guard
    # passed them), and the steering group's figure of the most missing services counts them.
    "case_tried_services": ("text",),
}
# A worker corrects their case; the team's decision and the outcome are the team's.
_WORKER_FIXED = (
    "id",
    "code",
    "created_at",
    "created_by",
    "decision_path",
    "decided_at",
    "outcome_started",
    "outcome_path",
    "outcome_reason",
    "outcome_on",
)

MINE = "created_by = session_user"
AREAS = "area = ANY (consult_areas())"
VISIBLE_CASE = "case_id IN (SELECT id FROM cases)"
UNDECIDED = "status <> 'team_decided'"
# A case this transaction added (its row's xmin is this transaction's id): a worker's import
# brings the bundle's decisions and outcomes with the cases that become theirs, and adds no
# decision to a case saved before.
ADDED_NOW = (
    "case_id IN (SELECT id FROM cases WHERE created_by = session_user"
    " AND xmin::text = (pg_current_xact_id()::text::numeric % 4294967296)::text)"
)

# A meeting of the login's areas (the meetings' own policy says which it sees); an action is
# reviewed in one of them or in none.
VISIBLE_MEETING = "meeting_id IN (SELECT id FROM meetings)"
REVIEWED_HERE = "(closed_in IS NULL OR closed_in IN (SELECT id FROM meetings))"
# A case whose services a worker may change, like its notes: their own, not yet decided (the
# team's decision closes the worker's part).
WORKER_CHANGES = f"case_id IN (SELECT id FROM cases WHERE {MINE} AND {UNDECIDED})"
SERVICE_TABLES = ("case_tried_services", "case_missing_services")

# (table, policy, command, roles, USING, WITH CHECK)
POLICIES: tuple[tuple[str, str, str, tuple[str, ...], str | None, str | None], ...] = (
    ("cases", "worker_read", "SELECT", ("worker",), MINE, None),
    ("cases", "worker_add", "INSERT", ("worker",), None, MINE),
    ("cases", "worker_correct", "UPDATE", ("worker",), f"{MINE} AND {UNDECIDED}", f"{MINE} AND {UNDECIDED}"),
    ("cases", "draft_discard", "DELETE", ("worker", "team"), f"{MINE} AND status = 'draft'", None),
    ("cases", "team_read", "SELECT", ("team",), f"{MINE} OR {AREAS}", None),
    ("cases", "team_add", "INSERT", ("team",), None, MINE),
    ("cases", "team_change", "UPDATE", ("team",), f"{MINE} OR {AREAS}", f"{MINE} OR {AREAS}"),
    ("cases", "admin_read", "SELECT", ("admin",), "true", None),
    ("cases", "admin_purge", "DELETE", ("admin",), "true", None),
    *(
        policy
        for child in ("team_decisions", "outcomes", "case_edits")
        for policy in (
            (child, "case_read", "SELECT", ("worker", "team"), VISIBLE_CASE, None),
            (child, "admin_read", "SELECT", ("admin",), "true", None),
            (child, "admin_purge", "DELETE", ("admin",), "true", None),
        )
    ),
    ("team_decisions", "team_add", "INSERT", ("team",), None, f"{MINE} AND {VISIBLE_CASE}"),
    ("outcomes", "team_add", "INSERT", ("team",), None, f"{MINE} AND {VISIBLE_CASE}"),
    ("team_decisions", "worker_import", "INSERT", ("worker",), None, f"{MINE} AND {ADDED_NOW}"),
    ("outcomes", "worker_import", "INSERT", ("worker",), None, f"{MINE} AND {ADDED_NOW}"),
    ("case_edits", "edit_add", "INSERT", ("worker", "team"), None, f"{MINE} AND {VISIBLE_CASE}"),
    ("purge_runs", "all_read", "SELECT", ROLES, "true", None),
    ("purge_runs", "admin_add", "INSERT", ("admin",), None, MINE),
    ("rules_activations", "all_read", "SELECT", ROLES, "true", None),
    ("rules_activations", "admin_add", "INSERT", ("admin",), None, "activated_by = session_user"),
    ("audit", "worker_read", "SELECT", ("worker",), "who = session_user", None),
    ("audit", "team_read", "SELECT", ("team",), f"who = session_user OR {AREAS}", None),
    ("audit", "admin_read", "SELECT", ("admin",), "true", None),
    ("login_area", "own_read", "SELECT", ROLES, "login = session_user", None),
    # Meetings are the team's, of the login's areas. A worker reads only what the case view of
    # their own case shows: the meetings where it was an item, its items and its actions.
    ("meetings", "team_read", "SELECT", ("team",), AREAS, None),
    ("meetings", "team_plan", "INSERT", ("team",), None, f"{MINE} AND {AREAS}"),
    ("meetings", "team_hold", "UPDATE", ("team",), AREAS, AREAS),
    ("meetings", "worker_read", "SELECT", ("worker",), "id IN (SELECT meeting_id FROM meeting_items)", None),
    ("meetings", "admin_read", "SELECT", ("admin",), "true", None),
    ("meeting_items", "case_read", "SELECT", ("worker",), VISIBLE_CASE, None),
    ("meeting_items", "team_read", "SELECT", ("team",), f"{VISIBLE_MEETING} OR {VISIBLE_CASE}", None),
    *(
        ("meeting_items", f"team_{name}", command, ("team",), using, check)
        for name, command, using, check in (
            ("add", "INSERT", None, f"{VISIBLE_MEETING} AND {VISIBLE_CASE}"),
            ("change", "UPDATE", VISIBLE_MEETING, f"{VISIBLE_MEETING} AND {VISIBLE_CASE}"),
            ("remove", "DELETE", VISIBLE_MEETING, None),
        )
    ),
    ("meeting_items", "admin_read", "SELECT", ("admin",), "true", None),
    ("meeting_actions", "case_read", "SELECT", ("worker",), VISIBLE_CASE, None),
    ("meeting_actions", "team_read", "SELECT", ("team",), f"{VISIBLE_MEETING} OR {VISIBLE_CASE}", None),
    (
        "meeting_actions",
        "team_add",
        "INSERT",
        ("team",),
        None,
        f"{MINE} AND {VISIBLE_MEETING} AND {VISIBLE_CASE} AND {REVIEWED_HERE}",
    ),
    (
        "meeting_actions",
        "team_close",
        "UPDATE",
        ("team",),
        VISIBLE_CASE,
        f"{VISIBLE_CASE} AND {REVIEWED_HERE}",
    ),
    ("meeting_actions", "admin_read", "SELECT", ("admin",), "true", None),
    ("catalogue_activations", "all_read", "SELECT", ROLES, "true", None),
    ("catalogue_activations", "admin_add", "INSERT", ("admin",), None, "activated_by = session_user"),
    *(
        policy
        for table in SERVICE_TABLES
        for policy in (
            (table, "case_read", "SELECT", ("worker", "team"), VISIBLE_CASE, None),
            (table, "admin_read", "SELECT", ("admin",), "true", None),
            (table, "admin_purge", "DELETE", ("admin",), "true", None),
            # A worker's import brings the services of the cases it adds, decided or not.
            (
                table,
                "worker_add",
                "INSERT",
                ("worker",),
                None,
                f"{MINE} AND ({WORKER_CHANGES} OR {ADDED_NOW})",
            ),
            (table, "worker_remove", "DELETE", ("worker",), WORKER_CHANGES, None),
            (table, "team_add", "INSERT", ("team",), None, f"{MINE} AND {VISIBLE_CASE}"),
            (table, "team_remove", "DELETE", ("team",), VISIBLE_CASE, None),
        )
    ),
)

# Table privileges; "SELECT()" and "UPDATE()" are filled with the columns the role may use.
GRANTS: dict[str, dict[str, str]] = {
    "cases": {"worker": "SELECT, INSERT, DELETE, UPDATE()", "team": "ALL", "admin": "SELECT(), DELETE"},
    "team_decisions": {"worker": "SELECT, INSERT", "team": "SELECT, INSERT", "admin": "SELECT(), DELETE"},
    "outcomes": {"worker": "SELECT, INSERT", "team": "SELECT, INSERT", "admin": "SELECT(), DELETE"},
    "case_edits": {"worker": "SELECT, INSERT", "team": "SELECT, INSERT", "admin": "SELECT(), DELETE"},
    "purge_runs": {"worker": "SELECT", "team": "SELECT", "admin": "SELECT, INSERT"},
    "rules_activations": {"worker": "SELECT", "team": "SELECT", "admin": "SELECT, INSERT"},
    "audit": {"worker": "SELECT", "team": "SELECT", "admin": "SELECT"},
    "login_area": {"worker": "SELECT", "team": "SELECT", "admin": "SELECT"},
    "catalogue_activations": {"worker": "SELECT", "team": "SELECT", "admin": "SELECT, INSERT"},
    "case_tried_services": {
        "worker": "SELECT, INSERT, DELETE",
        "team": "SELECT, INSERT, DELETE",
        "admin": "SELECT(), DELETE",
    },
    "case_missing_services": {
        "worker": "SELECT, INSERT, DELETE",
        "team": "SELECT, INSERT, DELETE",
        "admin": "SELECT(), DELETE",
    },
    "alembic_version": {"worker": "SELECT", "team": "SELECT", "admin": "SELECT"},
    "meetings": {"worker": "SELECT", "team": "SELECT, INSERT, UPDATE", "admin": "SELECT()"},
    "meeting_items": {"worker": "SELECT", "team": "SELECT, INSERT, UPDATE, DELETE", "admin": "SELECT()"},
    "meeting_actions": {"worker": "SELECT", "team": "SELECT, INSERT, UPDATE", "admin": "SELECT()"},
}

_AREAS_FUNCTION = """
CREATE OR REPLACE FUNCTION consult_areas() RETURNS text[] LANGUAGE sql STABLE SECURITY DEFINER
SET search_path FROM CURRENT AS $$
  SELECT coalesce(array_agg(area::text), '{}') FROM login_area WHERE login = session_user
$$
"""


# A worker may correct their own undecided case (route, notes), and may discard their own
# draft: without this, a saved case set back to "draft" could then be deleted, a purge that is
# the administrator's alone. No policy sees the row's old status; a trigger does.
_SAVED_STAYS_FUNCTION = """
CREATE OR REPLACE FUNCTION consult_saved_stays() RETURNS trigger LANGUAGE plpgsql
SET search_path FROM CURRENT AS $$
BEGIN
  RAISE EXCEPTION 'consult: a saved case never becomes a draft again' USING ERRCODE = '42501';
END $$
"""


def lock_schema(connection: Connection) -> None:
    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK})


def login_of(connection: Connection) -> str:
    return connection.execute(text("SELECT session_user::text")).scalar_one()


def quoted_name(connection: Connection, name: str) -> str:
    return connection.dialect.identifier_preparer.quote_identifier(name)


def hand_to_owner(connection: Connection) -> None:
    """Tables made before the setup (by whoever first opened the database) become the owner
    role's, with their sequences and consult's functions."""
    for table in (*TABLES, *NO_RLS):
        owner = connection.execute(
            text(
                "SELECT pg_get_userbyid(relowner) FROM pg_class "
                "WHERE oid = to_regclass(quote_ident(current_schema()) || '.' || :t)"
            ),
            {"t": table},
        ).scalar()
        if owner is not None and owner != OWNER:
            connection.execute(text(f"ALTER TABLE {table} OWNER TO {OWNER}"))
    for function in FUNCTIONS:
        found = connection.execute(
            text("SELECT to_regprocedure(quote_ident(current_schema()) || '.' || :f)"), {"f": function}
        ).scalar()
        if found is not None:
            connection.execute(text(f"ALTER FUNCTION {function} OWNER TO {OWNER}"))


def apply_security(connection: Connection) -> None:
    """The grants and the row-level security of every table, as the owner role: dropped and
    made again, so a migration's new table or column gets them too."""
    groups = ", ".join(GROUPS.values())
    connection.execute(text(_AREAS_FUNCTION))
    connection.execute(text("REVOKE ALL ON FUNCTION consult_areas() FROM PUBLIC"))
    connection.execute(text(f"GRANT EXECUTE ON FUNCTION consult_areas() TO {groups}"))
    connection.execute(text(_SAVED_STAYS_FUNCTION))
    connection.execute(text("DROP TRIGGER IF EXISTS saved_stays ON cases"))
    connection.execute(
        text(
            "CREATE TRIGGER saved_stays BEFORE UPDATE OF status ON cases FOR EACH ROW "
            "WHEN (OLD.status <> 'draft' AND NEW.status = 'draft') EXECUTE FUNCTION consult_saved_stays()"
        )
    )
    for table in (*TABLES, *NO_RLS):
        connection.execute(text(f"REVOKE ALL ON {table} FROM PUBLIC, {groups}"))
        columns = _columns(connection, table)
        for role, rights in GRANTS.get(table, {}).items():
            connection.execute(
                text(f"GRANT {_rights(table, role, rights, columns)} ON {table} TO consult_{role}")
            )
    for (statement,) in connection.execute(
        text(
            "SELECT format('GRANT USAGE ON SEQUENCE %I TO ' || :groups, sequencename) "
            "FROM pg_sequences WHERE schemaname = current_schema()"
        ),
        {"groups": groups},
    ).all():
        connection.execute(text(statement))
    for table in TABLES:
        connection.execute(text(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY"))
        connection.execute(text(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY"))
        for (name,) in connection.execute(
            text("SELECT policyname FROM pg_policies WHERE schemaname = current_schema() AND tablename = :t"),
            {"t": table},
        ).all():
            connection.execute(text(f"DROP POLICY {quoted_name(connection, name)} ON {table}"))
        connection.execute(
            text(f"CREATE POLICY owner_all ON {table} TO {OWNER} USING (true) WITH CHECK (true)")
        )
    for table, name, command, roles, using, check in POLICIES:
        to = ", ".join(f"consult_{role}" for role in roles)
        clauses = (f" USING ({using})" if using else "") + (f" WITH CHECK ({check})" if check else "")
        connection.execute(text(f"CREATE POLICY {name} ON {table} FOR {command} TO {to}{clauses}"))


def _columns(connection: Connection, table: str) -> list[str]:
    return list(
        connection.execute(
            text(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_schema = current_schema() AND table_name = :t ORDER BY ordinal_position"
            ),
            {"t": table},
        ).scalars()
    )


def _rights(table: str, role: str, rights: str, columns: list[str]) -> str:
    if "SELECT()" in rights:
        shown = [c for c in columns if c not in _TEXT_COLUMNS.get(table, ())]
        rights = rights.replace("SELECT()", f"SELECT ({', '.join(shown)})")
    if "UPDATE()" in rights:
        changed = [c for c in columns if c not in _WORKER_FIXED]
        rights = rights.replace("UPDATE()", f"UPDATE ({', '.join(changed)})")
    return rights


# --- logins ---------------------------------------------------------------------------------


def grant(engine: Engine, login: str, role: Role, areas: tuple[str, ...] = ()) -> bool:
    """Gives ``login`` the role (and only it) and the areas; creates the login when there is
    none. Returns True when the login was created. Run with an owner's URL."""
    if not LOGIN.fullmatch(login):
        raise LoginRefused("login", login)
    for area in areas:
        if not AREA.fullmatch(area):
            raise LoginRefused("area", area)
    with engine.begin() as connection:
        name = quoted_name(connection, login)
        created = not connection.execute(
            text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": login}
        ).first()
        if created:
            connection.execute(text(f"CREATE ROLE {name} LOGIN"))
        _leave_groups(connection, login)
        connection.execute(text(f"GRANT {GROUPS[role]} TO {name}"))
        _set_areas(connection, login, areas)
    return created


def revoke(engine: Engine, login: str) -> bool:
    """Takes every consult role and area from ``login`` (the login stays: other databases
    may know it). Returns False when it held none."""
    with engine.begin() as connection:
        held = _leave_groups(connection, login)
        areas = _set_areas(connection, login, ())
    return bool(held or areas)


def _leave_groups(connection: Connection, login: str) -> list[str]:
    held = list(
        connection.execute(
            text(
                "SELECT g.rolname FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid "
                "JOIN pg_roles u ON u.oid = m.member WHERE u.rolname = :login AND g.rolname = ANY(:groups)"
            ),
            {"login": login, "groups": list(GROUPS.values())},
        ).scalars()
    )
    for group in held:
        connection.execute(text(f"REVOKE {group} FROM {quoted_name(connection, login)}"))
    return held


def _set_areas(connection: Connection, login: str, areas: tuple[str, ...]) -> int:
    """The login's areas become ``areas``; returns how many it had."""
    connection.execute(text(f"SET LOCAL ROLE {OWNER}"))
    removed = connection.execute(
        text("DELETE FROM login_area WHERE login = :login"), {"login": login}
    ).rowcount
    for area in dict.fromkeys(areas):
        connection.execute(
            text("INSERT INTO login_area (login, area) VALUES (:login, :area)"),
            {"login": login, "area": area},
        )
    connection.execute(text("RESET ROLE"))
    return removed
