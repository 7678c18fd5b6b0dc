"""Schema migrations, run on start: a database from an older version opens without loss, and
a SQLite file is copied aside before its schema changes."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from consult.store.db import prepare_sqlite_file, sqlite_file

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config(connection=None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


# Alembic keeps its migration context in module globals: two databases migrated at once in
# one process (the real one and the training one, from two threads) trip over each other.
_MIGRATING = threading.Lock()


def _scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head_revision(scripts: ScriptDirectory | None = None) -> str:
    head = (scripts or _scripts()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


class NewerSchema(RuntimeError):
    """The database was written by a newer consult than this one: it is left untouched."""

    def __init__(self, revision: str) -> None:
        super().__init__(revision)
        self.revision = revision


def upgrade(engine: Engine) -> Path | None:
    """Brings the schema to the newest revision. Returns the backup copy made first, if any."""
    with _MIGRATING:
        scripts, current = _scripts(), current_revision(engine)
        if current is not None and current not in {r.revision for r in scripts.walk_revisions()}:
            raise NewerSchema(current)
        if current == head_revision(scripts):
            return None  # the usual start: nothing to migrate, no write transaction
        backup = _backup_sqlite(engine, current) if current is not None else None
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), "head")
        return backup


def _backup_sqlite(engine: Engine, revision: str) -> Path | None:
    """A consistent copy (the SQLite backup API, so a WAL not yet checkpointed is included) next
    to the database, named after the schema it holds, private like the database itself."""
    path = sqlite_file(engine.url)
    if path is None:
        return None  # a server's backups are its administrator's: pg_dump, not a file here
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.stem}.schema-{revision}.{stamp}.bak")
    prepare_sqlite_file(target)
    import sqlite3

    source = engine.raw_connection()
    try:
        with sqlite3.connect(target) as copy:
            source.driver_connection.backup(copy)  # type: ignore[union-attr]
        copy.close()
    finally:
        source.close()
    return target


def remove_old_backups(url: str, days: int, *, dry_run: bool = False) -> int:
    """Removes the copies made before migrations that are older than ``days``; returns how many."""
    path = sqlite_file(url)
    if path is None:
        return 0
    cutoff = time.time() - days * 86_400
    old = [b for b in path.parent.glob(f"{path.stem}.schema-*.bak") if b.stat().st_mtime < cutoff]
    if not dry_run:
        for backup in old:
            backup.unlink(missing_ok=True)
    return len(old)


def check(engine: Engine) -> None:
    """Raises when the tables and the migrations disagree."""
    with _MIGRATING, engine.begin() as connection:
        command.check(alembic_config(connection))
