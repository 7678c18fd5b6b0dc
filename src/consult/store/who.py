"""Who does something: on a PostgreSQL server the database login (``session_user``), which
the server fills in and checks (migration 0008) so the app never says it; on a SQLite file,
one worker's own, the OS account the app records."""

from __future__ import annotations

import getpass

from sqlalchemy import Engine


def os_user() -> str:
    """The OS account's name (no person's name is asked for); "?" where the platform cannot
    say."""
    try:
        return getpass.getuser()[:64] or "?"
    except Exception:  # no user name in the environment or the password database
        return "?"


def written_by(engine: Engine) -> str | None:
    """The value the app puts in a who-column: None on PostgreSQL, where the server's default
    and trigger put the login (and refuse any other name), the OS account elsewhere."""
    return None if engine.dialect.name == "postgresql" else os_user()
