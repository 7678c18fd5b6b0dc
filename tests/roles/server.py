"""A fresh PostgreSQL database set up with roles, and logins made for one test: every name is
unique, and the database and the logins are dropped afterwards. The group roles
(consult_worker, …) are the server's, shared by every consult database on it: they stay."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from tests.conftest import POSTGRES_URL


@dataclass
class Server:
    """One database: its owner's URL and the logins made for the test."""

    name: str
    owner_url: str
    logins: list[str] = field(default_factory=list)
    _engines: list[Engine] = field(default_factory=list)

    def url(self, login: str | None = None) -> str:
        parsed = make_url(self.owner_url)
        return parsed.set(username=login or parsed.username).render_as_string(hide_password=False)

    def login(self, role: str, *areas: str) -> str:
        """A new login holding ``role`` (and ``areas``), granted as the administrator does."""
        from consult.store.roles import grant

        name = f"t_{role}_{uuid.uuid4().hex[:10]}"
        self.logins.append(name)
        grant(self.engine(), name, role, areas)  # type: ignore[arg-type]
        return name

    def engine(self, login: str | None = None) -> Engine:
        engine = create_engine(self.url(login))
        self._engines.append(engine)
        return engine

    def sql(self, login: str | None, statement: str, **values: object) -> list:
        """Plain SQL as ``login``, in a transaction of its own; the rows it returns."""
        with self.engine(login).begin() as connection:
            result = connection.execute(text(statement), values)
            return result.all() if result.returns_rows else []


@contextmanager
def fresh_server(set_up: bool = True) -> Iterator[Server]:
    name = f"consult_roles_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name}"))
    server = Server(name, make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False))
    try:
        if set_up:
            from consult.store.server_setup import setup

            setup(server.engine())
        yield server
    finally:
        for engine in server._engines:
            engine.dispose()
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            for login in server.logins:
                connection.execute(text(f'DROP ROLE IF EXISTS "{login}"'))
        admin.dispose()
