"""Engine set-up: SQLite done right (pragmas, BEGIN IMMEDIATE for writers only), any SQLAlchemy
URL otherwise."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, Table, create_engine, event, inspect
from sqlalchemy.engine import URL, make_url
from sqlmodel import SQLModel

from consult.system import database_file
from consult.system.database_file import BUSY_TIMEOUT_MS, EmptyDatabase, prepare_sqlite_file

__all__ = [
    "EmptyDatabase",
    "aware",
    "check_integrity",
    "make_engine",
    "prepare_sqlite_file",
    "sqlite_file",
    "writer",
]


WRITE = "consult_write"
"""Execution option that marks a connection as a writer (see ``writer``)."""


# The advisory lock every migration and server set-up takes on PostgreSQL, so they take turns.
SCHEMA_LOCK = 0x636F6E73756C74  # "consult"


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


def check_integrity(engine: Engine) -> None:
    """Raises DamagedDatabase when SQLite's quick check finds a damaged page; a server checks
    its own pages. A writer that adds many rows (an import) asks first: rows written among
    damaged pages may be lost with them, and the worker would believe them safe."""
    if engine.dialect.name != "sqlite":
        return
    with engine.connect() as connection:
        raw = connection.connection.dbapi_connection
        assert raw is not None
        database_file.check_integrity(raw)  # type: ignore[arg-type]


def table_of(model: type[SQLModel]) -> Table:
    """The Core table of a SQLModel class, typed (SQLModel does not declare ``__table__``)."""
    table = inspect(model).local_table
    assert isinstance(table, Table)
    return table
