"""The follow-up figures' queries (``consult.stats.queries``) run through SQLAlchemy on any
database the store opens, PostgreSQL included: the same SQL text as the sqlite3 path, through
``text()``, on one connection for all of a computation's queries.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, Engine, text

from consult.stats.queries import POSTGRESQL, SQLITE, Dialect


class Reader:
    """Runs the queries on one connection of ``engine``, held from ``with`` to its end."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.dialect: Dialect = POSTGRESQL if engine.dialect.name == "postgresql" else SQLITE
        self._connection: Connection | None = None

    def __enter__(self) -> Reader:
        self._connection = self.engine.connect()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def run(self, sql: str, params: dict) -> Iterable[tuple]:
        assert self._connection is not None, "run inside `with reader:`"
        return [tuple(row) for row in self._connection.execute(text(sql), params)]
