"""The follow-up figures' queries (``consult.stats.queries``) run on a current local SQLite
file through the standard library's sqlite3.

`consult stats` answers from here without importing SQLAlchemy, Alembic or pydantic, which
were most of the verb's time (issue 11: ≤ 1.5× a raw sqlite3 script). tests/test_stats_fast.py
holds this path and the SQLAlchemy one (``consult.stats.orm``) to identical figures.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from consult.stats.queries import SQLITE, Dialect

if TYPE_CHECKING:
    import sqlite3


class Reader:
    """Runs the queries on one open sqlite3 connection (``consult.system.database_file.open_current``)."""

    dialect: Dialect = SQLITE

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    def __enter__(self) -> Reader:
        return self

    def __exit__(self, *exc: object) -> None:
        """The connection is the caller's: it stays open."""

    def run(self, sql: str, params: dict) -> Iterable[tuple]:
        return self.connection.execute(sql, params)
