"""What the rules and the services catalogue share as definitions a database keeps in force:
each activation is a row holding the whole file; the newest row is in force and every row names
a version some case may refer to; each file is parsed once per process; and the row says who
activated it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

from pydantic import BaseModel
from sqlalchemy import Engine, select
from sqlmodel import Session, SQLModel

from consult.store.db import aware, table_of, writer
from consult.store.who import os_user

Definition = TypeVar("Definition")


class Activation(BaseModel):
    version: str
    activated_at: datetime
    activated_by: str


class Activations(Generic[Definition]):
    """The activations kept in ``row_type``'s table, whose ``text_column`` holds each file."""

    def __init__(
        self,
        row_type: type[SQLModel],
        text_column: str,
        parse: Callable[[str], Definition],
        unreadable: type[Exception],
    ) -> None:
        self.row_type = row_type
        self.text_column = text_column
        self.unreadable = unreadable  # a file written by a newer consult with keys unknown here
        self._parse = parse
        # The stored file → its definition. Keyed by the text, not the row id, since one process
        # may open several databases (the real one, training, tests).
        self._parsed: dict[str, Definition] = {}

    def parsed(self, text: str) -> Definition:
        found = self._parsed.get(text)
        if found is None:
            found = self._parsed[text] = self._parse(text)
        return found

    def in_force(self, engine: Engine) -> Definition | None:
        """The newest activated definition; None when none was ever activated."""
        table = table_of(self.row_type)
        with engine.connect() as connection:
            text = connection.execute(
                select(table.c[self.text_column]).order_by(table.c.id.desc()).limit(1)
            ).scalar()
        return None if text is None else self.parsed(text)

    def every(self, engine: Engine) -> list[Definition]:
        """Every definition ever activated here, oldest first, but those this consult cannot read."""
        table = table_of(self.row_type)
        found = []
        with engine.connect() as connection:
            for (text,) in connection.execute(select(table.c[self.text_column]).order_by(table.c.id)):
                try:
                    found.append(self.parsed(text))
                except self.unreadable:
                    continue
        return found

    def add(self, engine: Engine, version: str, text: str, who: str | None) -> Activation:
        row = self.row_type(
            version=version,
            activated_at=datetime.now(UTC),
            # On a server the login, put there by the server (a name given here would be
            # refused); on a SQLite file the OS account, or ``who``.
            activated_by=None if engine.dialect.name == "postgresql" else (who or os_user())[:64],
            **{self.text_column: text},
        )
        with Session(writer(engine)) as session:
            session.add(row)
            session.commit()
            session.refresh(row)
            stored: Any = row
            return Activation(
                version=stored.version,
                activated_at=aware(stored.activated_at),
                activated_by=stored.activated_by,
            )

    def history(self, engine: Engine) -> list[Activation]:
        """Every activation, newest first."""
        table = table_of(self.row_type)
        with engine.connect() as connection:
            rows = connection.execute(
                select(table.c.version, table.c.activated_at, table.c.activated_by).order_by(
                    table.c.id.desc()
                )
            ).all()
        return [Activation(version=v, activated_at=aware(at), activated_by=by) for v, at, by in rows]
