"""Setting a shared server up: the roles created, the tables handed to the owner role, the
schema migrated and the grants and policies applied. Above both the migrations and the role
definitions, which the migrations also use.
"""

from __future__ import annotations

from sqlalchemy import Engine, text

from consult.store.migrate import upgrade
from consult.store.roles import (
    GROUPS,
    OWNER,
    apply_security,
    hand_to_owner,
    lock_schema,
    login_of,
    quoted_name,
)


def setup(engine: Engine) -> None:
    """Creates the roles, hands the tables to the owner role, migrates and applies the grants
    and policies. Run with an owner's URL (a superuser, or a login with CREATEROLE that owns
    the schema); running it again changes nothing."""
    with engine.begin() as connection:
        lock_schema(connection)
        for role in (OWNER, *GROUPS.values()):
            exists = connection.execute(
                text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}
            ).first()
            if not exists:
                connection.execute(text(f"CREATE ROLE {role} NOLOGIN"))
        superuser = connection.execute(
            text("SELECT rolsuper FROM pg_roles WHERE rolname = session_user")
        ).scalar()
        if not superuser:
            # The administrator migrates as the owner role, so takes it (SET ROLE).
            connection.execute(text(f"GRANT {OWNER} TO {quoted_name(connection, login_of(connection))}"))
        schema = quoted_name(connection, connection.execute(text("SELECT current_schema()")).scalar_one())
        connection.execute(text(f"GRANT USAGE, CREATE ON SCHEMA {schema} TO {OWNER}"))
        connection.execute(text(f"GRANT USAGE ON SCHEMA {schema} TO {', '.join(GROUPS.values())}"))
        hand_to_owner(connection)
    upgrade(engine, as_owner=True)
    with engine.begin() as connection:
        lock_schema(connection)
        connection.execute(text(f"SET LOCAL ROLE {OWNER}"))
        apply_security(connection)
