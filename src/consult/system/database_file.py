"""The local SQLite file itself, with the standard library only: made private, refused when
empty, and asked which schema it holds. A verb that only reads a current database (``consult
stats``) gets its answer from here without importing SQLAlchemy or Alembic."""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import stat
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


class LinkedDatabase(RuntimeError):
    """The database file (or its -wal, -shm or folder) is a symbolic link: a link planted
    there would have the cases written wherever it points, so it is never followed."""

    def __init__(self, path: Path) -> None:
        super().__init__(str(path))
        self.path = path


class ForeignDatabase(RuntimeError):
    """The database file or its folder belongs to another account, which could have planted
    a database of its own or read every case written into it."""

    def __init__(self, path: Path) -> None:
        super().__init__(str(path))
        self.path = path


class DamagedDatabase(sqlite3.DatabaseError):
    """SQLite's own check found the file damaged (``PRAGMA quick_check``): nothing is written
    into it. ``str()`` is SQLite's first finding."""


def _companions(path: Path) -> tuple[Path, ...]:
    return (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm"))


def refuse_unsafe(path: Path) -> None:
    """Raises LinkedDatabase when the database at ``path`` or a file beside it is a symbolic
    link, ForeignDatabase when it or its folder belongs to another account (POSIX only: on
    Windows the profile folder's ACL decides, and there is no owner id to compare)."""
    own = os.getuid() if hasattr(os, "getuid") else None
    if own is not None and path.parent.stat().st_uid != own:
        raise ForeignDatabase(path.parent)
    for companion in _companions(path):
        try:
            info = companion.lstat()
        except FileNotFoundError:
            continue
        if stat.S_ISLNK(info.st_mode):  # a dangling link too: it would create the file elsewhere
            raise LinkedDatabase(companion)
        if own is not None and info.st_uid != own:
            raise ForeignDatabase(companion)


def check_integrity(connection: sqlite3.Connection) -> None:
    """SQLite's quick check of every page (no index comparison): DamagedDatabase when it finds
    anything, before a writer puts new rows among damaged ones."""
    rows = connection.execute("PRAGMA quick_check(1)").fetchall()
    if rows and rows[0][0] != "ok":
        raise DamagedDatabase(f"database disk image is malformed: {str(rows[0][0])[:200]}")


def prepare_sqlite_file(path: Path) -> None:
    """Makes sure ``path`` is a private SQLite database: an existing one is narrowed to 0600
    (with its -wal and -shm), a missing one is created whole under a temporary name and linked
    into place, so that a 0-byte file at ``path`` can only mean something went wrong. A link
    at ``path`` or a file or folder of another account is refused (``refuse_unsafe``)."""
    # The cases are sensitive even when anonymous: only the worker's own account may read them.
    private_dir(path.parent)
    refuse_unsafe(path)
    if path.exists():
        if path.stat().st_size == 0:
            raise EmptyDatabase(path)
        for companion in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            if companion.exists():
                restrict(companion, PRIVATE_FILE)
        return
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
