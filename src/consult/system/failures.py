"""What went wrong with a file, a disk or a database, said in one line that names the thing and
what to do, never an exception's class name. Used by the command line and the app's start."""

from __future__ import annotations

import errno

from consult.i18n import Translator

# errno → catalog key: what is wrong, and in the same sentence what the worker can do about it.
_OS_REASONS = {
    errno.ENOSPC: "failure.disk_full",
    errno.EDQUOT: "failure.disk_full",
    errno.EACCES: "failure.permission",
    errno.EPERM: "failure.permission",
    errno.EROFS: "failure.read_only",
    errno.ENOENT: "failure.no_folder",
    errno.ENOTDIR: "failure.no_folder",
    errno.EISDIR: "failure.is_folder",
    errno.EEXIST: "failure.exists",
    errno.ELOOP: "failure.link",
    errno.EIO: "failure.io",
    errno.EBADF: "failure.closed",
    errno.EPIPE: "failure.closed",
    errno.EFBIG: "failure.too_large",
}


def os_reason(error: OSError, t: Translator) -> str:
    key = _OS_REASONS.get(error.errno or 0)
    if key is not None:
        return t(key)
    return error.strerror or error.__class__.__name__


def cannot_write(path: str, error: OSError, t: Translator) -> str:
    return t("failure.write", path=path, reason=os_reason(error, t))


def cannot_read(path: str, error: OSError, t: Translator) -> str:
    return t("failure.read", path=path, reason=os_reason(error, t))


# SQLite says what happened in its message; the class (OperationalError, DatabaseError) says little.
_SQLITE_REASONS = (
    ("malformed", "failure.db_corrupt"),
    ("not a database", "failure.db_corrupt"),
    ("disk i/o error", "failure.db_corrupt"),
    ("database or disk is full", "failure.disk_full"),
    ("readonly", "failure.db_read_only"),
    ("read-only", "failure.db_read_only"),
    ("unable to open", "failure.db_cannot_open"),
    ("locked", "failure.db_busy"),
    ("busy", "failure.db_busy"),
)


def database_reason(error: BaseException, where: str, t: Translator) -> str:
    """One line for an error raised while opening or using the database at ``where``."""
    from consult.system.database_file import EmptyDatabase, NewerSchema

    if isinstance(error, NewerSchema):
        return t("home.store_failed", error=t("store.newer_schema", revision=error.revision))
    if isinstance(error, EmptyDatabase):
        return t("failure.db_empty", path=where)
    return t("failure.db", where=where, reason=database_cause(error, t))


def database_cause(error: BaseException, t: Translator) -> str:
    """What is wrong with the database and what to do, without saying which database."""
    from consult.system.database_file import (
        DamagedDatabase,
        EmptyDatabase,
        ForeignDatabase,
        LinkedDatabase,
        NewerSchema,
    )

    if isinstance(error, NewerSchema):
        return t("store.newer_schema", revision=error.revision)
    if isinstance(error, EmptyDatabase):
        return t("failure.db_empty", path=error.path)
    if isinstance(error, LinkedDatabase):
        return t("failure.db_link")
    if isinstance(error, ForeignDatabase):
        return t("failure.db_foreign")
    if isinstance(error, DamagedDatabase):
        return t("failure.db_corrupt")
    if isinstance(error, OSError):
        return os_reason(error, t)
    original = getattr(error, "orig", None) or error
    message = str(original).lower()
    module = type(original).__module__
    if module.startswith("sqlite3") or "sqlite" in module:
        for needle, key in _SQLITE_REASONS:
            if needle in message:
                return t(key)
    if module.startswith("psycopg"):
        name = type(original).__name__
        if name in ("OperationalError", "ConnectionTimeout") or "connect" in message:
            return t("failure.server_unreachable")
        if name == "InsufficientPrivilege":
            return t("failure.server_permission")
        if name == "DiskFull":
            return t("failure.disk_full")
    return t("failure.db_other", error=type(original).__name__)
