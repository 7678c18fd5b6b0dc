"""The database for the verbs that need one; the store, and with it SQLAlchemy, is imported
only when a verb opens it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from consult.cli.errors import DatabaseProblem, InputError
from consult.system.settings import DATABASE_FILE, Settings

if TYPE_CHECKING:
    from consult.store import Store


def open_store(settings: Settings, *, check: bool = False) -> Store:
    from consult.store import Store
    from consult.store.migrate import SchemaBehind

    try:
        return Store.open(settings.resolved_database_url, check=check)
    except SchemaBehind:
        from consult.i18n import Translator

        raise InputError(Translator(settings.lang)("admin.error.schema_behind")) from None
    except Exception as error:
        raise DatabaseProblem(error) from None


@contextmanager
def opened(settings: Settings, *, check: bool = False) -> Iterator[Store]:
    """The store, closed when the block ends however it ends; ``check``: SQLite's quick check
    of every page first, for a verb about to write many rows."""
    store = open_store(settings, check=check)
    try:
        yield store
    finally:
        store.close()


def database_exists(settings: Settings) -> bool:
    """False only for a SQLite file not yet created: its rules in force are the built-in ones,
    and reading them need not create a database."""
    local = settings.data_dir / DATABASE_FILE
    if settings.database_url is None and "?" not in str(local):
        # The usual file, found without SQLAlchemy: ``consult score`` before the first case is
        # stored imports none of it. (A "?" would start the query of the URL the store opens.)
        return local.exists()
    from consult.store.db import sqlite_file

    path = sqlite_file(settings.resolved_database_url)
    return path is None or path.exists()
