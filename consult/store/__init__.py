"""Persistence: SQLModel tables, engine set-up, migrations and the queries screens call."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from consult.store.db import make_engine
from consult.store.migrate import upgrade


@dataclass(frozen=True)
class Store:
    """An open, migrated database."""

    engine: Engine
    url: str

    @classmethod
    def open(cls, url: str) -> Store:
        engine = make_engine(url)
        upgrade(engine)
        return cls(engine=engine, url=url)

    def close(self) -> None:
        self.engine.dispose()
