"""Engine set-up: SQLite done right (pragmas, BEGIN IMMEDIATE for writers only), any SQLAlchemy
URL otherwise."""

from __future__ import annotations

import contextlib
import os
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url

from consult.files import NOFOLLOW, PRIVATE_FILE, partial_name, private_dir, restrict

BUSY_TIMEOUT_MS = 10_000
WRITE = "consult_write"
"""Execution option that marks a connection as a writer (see ``writer``)."""


def writer(engine: Engine) -> Engine:
    """The same engine (same pool) whose transactions take SQLite's write lock as they begin.

    Every function that writes opens its connection or Session through this. Readers do not:
    in WAL mode they read a snapshot and never wait for a writer, however long it writes."""
    return engine.execution_options(**{WRITE: True})


def sqlite_file(url: str | URL) -> Path | None:
    """The file of a SQLite URL; None for a server or an in-memory database."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    if parsed.query.get("uri") == "true" and parsed.database.startswith("file:"):
        # SQLite's URI form (file:…?mode=ro): the path without the scheme.
        return Path(parsed.database.removeprefix("file:"))
    return Path(parsed.database)


def aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything is stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class EmptyDatabase(RuntimeError):
    """The database file exists but holds nothing: it was cut short, never a new database.
    Opening it would silently start an empty one where the cases used to be."""

    def __init__(self, path: Path) -> None:
        super().__init__(str(path))
        self.path = path


def prepare_sqlite_file(path: Path) -> None:
    """Makes sure ``path`` is a private SQLite database: an existing one is narrowed to 0600
    (with its -wal and -shm), a missing one is created whole under a temporary name and linked
    into place, so that a 0-byte file at ``path`` can only mean something went wrong."""
    # The cases are sensitive even when anonymous: only the worker's own account may read them.
    private_dir(path.parent)
    if path.exists():
        if path.stat().st_size == 0:
            raise EmptyDatabase(path)
        for companion in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            if companion.exists():
                restrict(companion, PRIVATE_FILE)
        return
    import sqlite3

    partial = partial_name(path)
    os.close(os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY | NOFOLLOW, PRIVATE_FILE))
    try:
        with contextlib.closing(sqlite3.connect(partial)) as new:
            new.execute("PRAGMA journal_mode=WAL")  # writes the first page: the file is never empty
        try:
            os.link(partial, path)  # never replaces: a database another process just made wins
        except FileExistsError:
            pass
        except OSError:  # a file system without hard links
            if not path.exists():
                os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)

    if (path := sqlite_file(parsed)) is not None:
        prepare_sqlite_file(path)
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        # Let SQLAlchemy, not the driver, decide when transactions begin (see "begin" below).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        # Deleted and overwritten rows are zeroed, not left readable in free pages: a purged
        # case must not be recoverable from the file.
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:
        # A writer takes the write lock up front: a deferred BEGIN that later upgrades to a
        # writer fails with "database is locked" at once instead of waiting its turn. A reader
        # must not take it: it would queue behind a long import and fail after the timeout.
        if connection.get_execution_options().get(WRITE):
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            connection.exec_driver_sql("BEGIN")

    return engine
