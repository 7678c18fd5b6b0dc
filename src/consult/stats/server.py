"""The follow-up figures' queries (``consult.stats.queries``) run on a PostgreSQL server through
psycopg itself, when its schema is current.

`consult stats` on a server answers from here without importing SQLAlchemy, SQLModel or
Alembic, which were most of the verb's time (issue 22: ≤ 1.3× a plain psycopg script). The
queries are the same SQL text as on every other path; only their ``:name`` parameters are
spelled as psycopg's. tests/test_stats_fast.py holds this path to the store's figures.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from typing import TYPE_CHECKING

from consult.stats.queries import POSTGRESQL, Dialect
from consult.system.database_file import known_revisions

if TYPE_CHECKING:
    import psycopg

# The URLs of SQLAlchemy's psycopg dialect (and the plain one, psycopg by default there) are
# libpq's own once the driver's name is taken out.
_PSYCOPG_URL = re.compile(r"^(?:postgresql|postgres)(?:\+psycopg)?://", re.IGNORECASE)
_PARAMETER = re.compile(r"(?<![:\w]):(\w+)")


def conninfo(url: str) -> str | None:
    """The libpq URL of a SQLAlchemy URL for psycopg; None for any other database or driver."""
    found = _PSYCOPG_URL.match(url)
    return None if found is None else "postgresql://" + url[found.end() :]


def open_current(url: str) -> psycopg.Connection | None:
    """A connection to the server at the SQLAlchemy ``url`` when its schema is the newest this
    consult knows; None when it is not (the store then migrates it or says why it may not).
    Whatever the server says (refused, unreachable) is raised as psycopg raises it."""
    import psycopg

    info = conninfo(url)
    if info is None:
        return None
    connection = psycopg.connect(info)
    try:
        try:
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        except psycopg.errors.UndefinedTable:  # a new database: the store makes the schema
            row = None
        if row is None or row[0] != known_revisions()[1]:
            connection.close()
            return None
        return connection
    except BaseException:
        connection.close()
        raise


@cache
def _psycopg_sql(sql: str) -> str:
    """``:name`` as ``%(name)s``; a literal ``%`` doubled, as psycopg reads it."""
    return _PARAMETER.sub(r"%(\1)s", sql.replace("%", "%%"))


class Reader:
    """Runs the queries on one open psycopg connection (``open_current``)."""

    dialect: Dialect = POSTGRESQL

    def __init__(self, connection: psycopg.Connection) -> None:
        self.connection = connection

    def __enter__(self) -> Reader:
        return self

    def __exit__(self, *exc: object) -> None:
        """The connection is the caller's: it stays open."""

    def run(self, sql: str, params: dict) -> Iterable[tuple]:
        return self.connection.execute(_psycopg_sql(sql), params).fetchall()
