"""Schema migrations, run on start: a database from an older version opens without loss, and
a SQLite file is copied aside before its schema changes.

Alembic is imported only when a schema must change: a verb that reads a current database (the
usual start) checks the revision with one query against the migration files' own headers.
"""

from __future__ import annotations

import io
import os
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, text

from consult.store.db import SCHEMA_LOCK, sqlite_file, writer
from consult.system.database_file import NewerSchema, known_revisions
from consult.system.files import NOFOLLOW, PRIVATE_FILE

__all__ = [
    "NewerSchema",
    "SchemaBehind",
    "check",
    "current_revision",
    "head_revision",
    "known_revisions",
    "upgrade",
]

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

MIGRATIONS = Path(__file__).with_name("migrations")
# Any constant will do as long as every consult uses the same one: it names "the schema lock".


class SchemaBehind(RuntimeError):
    """The server's schema is older than this consult, and only the owner role migrates it
    (``consult admin migrate``): a worker's login never changes the schema."""

    def __init__(self, revision: str | None) -> None:
        super().__init__(revision)
        self.revision = revision


def alembic_config(connection=None) -> Config:
    from alembic.config import Config

    # Alembic's own lines ("No new upgrade operations detected.") are not for the user's
    # output; and its default stream is whatever sys.stdout was when alembic was first imported,
    # which may be closed by now (a test's capture, a pipe the caller replaced).
    config = Config(stdout=io.StringIO())
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


# Alembic keeps its migration context in module globals: two databases migrated at once in
# one process (the real one and the training one, from two threads) trip over each other.
_MIGRATING = threading.Lock()


def _scripts() -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config())


def head_revision(scripts: ScriptDirectory | None = None) -> str:
    if scripts is None:
        return known_revisions()[1]
    head = scripts.get_current_head()
    assert head is not None
    return head


def _revision_in(connection: Connection) -> str | None:
    """The schema revision the database holds; None for a database without consult's tables."""
    from sqlalchemy import inspect

    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return _revision_in(connection)


def _check_known(current: str | None) -> None:
    if current is not None and current not in known_revisions()[0]:
        raise NewerSchema(current)


def upgrade(engine: Engine, *, as_owner: bool = False) -> Path | None:
    """Brings the schema to the newest revision. Returns the backup copy made first, if any.

    On a server set up with roles (``consult.store.roles``) only a login that may take the
    owner role migrates, as that role, and the grants and policies are made again after;
    any other login gets SchemaBehind. ``as_owner`` does the same on a database not yet set
    up (``consult admin setup``)."""
    current = current_revision(engine)
    _check_known(current)
    if current == head_revision():
        return None  # the usual start: nothing to migrate, no write transaction, no Alembic
    from alembic import command

    with _MIGRATING:
        backup = _backup_sqlite(engine, current) if current is not None else None
        with writer(engine).begin() as connection:
            if connection.dialect.name == "postgresql":
                # Several consults starting on a fresh server database would each create the
                # tables: the lock makes them take turns, and the later ones find it done.
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK})
            # Read again under the lock (SQLite: the write lock of BEGIN IMMEDIATE).
            now = _revision_in(connection)
            _check_known(now)
            if now != head_revision():
                owned = _as_owner(connection, now, as_owner)
                command.upgrade(alembic_config(connection), "head")
                if owned:
                    from consult.store.roles import apply_security

                    apply_security(connection)
        return backup


def _as_owner(connection: Connection, revision: str | None, asked: bool) -> bool:
    """On a server set up with roles, takes the owner role for the migration (True), or
    refuses a login that may not."""
    if connection.dialect.name != "postgresql":
        return False
    from consult.store.roles import OWNER, acts_as_owner, managed

    if not (asked or managed(connection)):
        return False  # a server used without roles: whoever opens it migrates, as before
    if not acts_as_owner(connection):
        raise SchemaBehind(revision)
    connection.execute(text(f"SET LOCAL ROLE {OWNER}"))
    return True


def _backup_sqlite(engine: Engine, revision: str) -> Path | None:
    """A consistent copy (the SQLite backup API, so a WAL not yet checkpointed is included) next
    to the database, named after the schema it holds, private like the database itself."""
    path = sqlite_file(engine.url)
    if path is None:
        return None  # a server's backups are its administrator's: pg_dump, not a file here
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = path.with_name(f"{path.stem}.schema-{revision}.{stamp}.bak")
    # Copied under a name the clean-up does not match and renamed when complete: a kill during
    # the copy leaves no empty or half .bak that looks like a backup.
    partial = path.with_name(f".{target.name}.partial")
    import sqlite3

    os.close(os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY | NOFOLLOW, PRIVATE_FILE))
    source = engine.raw_connection()
    try:
        copy = sqlite3.connect(partial)
        try:
            source.driver_connection.backup(copy)  # type: ignore[union-attr]
        finally:
            copy.close()
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        source.close()
    return target


def remove_old_backups(url: str, days: int, *, dry_run: bool = False) -> int:
    """Removes the copies made before migrations that are older than ``days``; returns how many."""
    path = sqlite_file(url)
    if path is None:
        return 0
    cutoff = time.time() - days * 86_400
    # A partial copy left by a kill is of no use to anyone: it goes after the same age.
    candidates = [
        *path.parent.glob(f"{path.stem}.schema-*.bak"),
        *path.parent.glob(f".{path.stem}.schema-*.partial*"),
    ]
    old = [b for b in candidates if b.stat().st_mtime < cutoff]
    if not dry_run:
        for backup in old:
            backup.unlink(missing_ok=True)
    return len(old)


def check(engine: Engine) -> None:
    """Raises when the tables and the migrations disagree."""
    from alembic import command

    with _MIGRATING, writer(engine).begin() as connection:
        command.check(alembic_config(connection))
