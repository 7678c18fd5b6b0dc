"""Persistence: SQLModel tables, engine set-up, migrations and the queries screens call."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from consult.store.db import make_engine
from consult.store.migrate import upgrade


@dataclass(frozen=True)
class Store:
    """An open, migrated database."""

    engine: Engine
    url: str
    backup: Path | None = None
    """The copy of a SQLite file made before this start migrated its schema."""

    @classmethod
    def open(cls, url: str) -> Store:
        engine = make_engine(url)
        backup = upgrade(engine)
        return cls(engine=engine, url=url, backup=backup)

    def close(self) -> None:
        self.engine.dispose()
