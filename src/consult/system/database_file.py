"""The local SQLite file itself, with the standard library only: made private, refused when
empty, and asked which schema it holds. A verb that only reads a current database (``consult
stats``) gets its answer from here without importing SQLAlchemy or Alembic."""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
from functools import cache
from pathlib import Path

from consult.system.files import NOFOLLOW, PRIVATE_FILE, partial_name, private_dir, restrict

MIGRATIONS = Path(__file__).parent.parent / "store" / "migrations"
BUSY_TIMEOUT_MS = 10_000
_HEADER = re.compile(r"^(down_revision|revision)\b[^=]*=\s*(?:[\"'](\w+)[\"']|None)", re.MULTILINE)


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


@cache
def known_revisions() -> tuple[frozenset[str], str]:
    """Every revision this consult knows and the newest, read from the migration files' headers
    (what Alembic reads too, without importing it)."""
    revisions: dict[str, str | None] = {}
    for script in (MIGRATIONS / "versions").glob("*.py"):
        found = dict((name, value or None) for name, value in _HEADER.findall(script.read_text("utf-8")))
        if "revision" in found:
            revisions[found["revision"]] = found.get("down_revision")
    heads = set(revisions) - set(revisions.values())
    if len(heads) != 1:
        raise RuntimeError(f"the migrations have {len(heads)} heads: {sorted(heads)}")
    return frozenset(revisions), heads.pop()


class NewerSchema(RuntimeError):
    """The database was written by a newer consult than this one: it is left untouched."""

    def __init__(self, revision: str) -> None:
        super().__init__(revision)
        self.revision = revision


def open_current(path: Path) -> sqlite3.Connection | None:
    """A read connection to the SQLite file at ``path`` when its schema is the newest; None
    when it must first be created or upgraded (then the store does it). Raises EmptyDatabase,
    NewerSchema, or sqlite3.DatabaseError for a damaged file."""
    if not path.exists():
        return None
    prepare_sqlite_file(path)
    connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        has_table = connection.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
        ).fetchone()
        revision = (
            connection.execute("SELECT version_num FROM alembic_version").fetchone() if has_table else None
        )
        current = revision[0] if revision else None
        known, head = known_revisions()
        if current is not None and current not in known:
            raise NewerSchema(current)
        if current != head:
            connection.close()
            return None
        return connection
    except BaseException:
        connection.close()
        raise
