"""Files the app writes (databases, record notes, exports) are readable by the worker's account
only, and writing never follows a link someone planted where a file is about to appear."""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from pathlib import Path
from typing import IO

# Windows has neither flag nor meaningful POSIX modes: there the profile folder's ACL protects
# the files, and 0 leaves the open as it was.
NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_POSIX = os.name == "posix"
PRIVATE_FILE, PRIVATE_DIR = 0o600, 0o700


def restrict(path: Path, mode: int) -> None:
    """Takes group and other permissions away from a file or folder this account owns, whatever
    mode it was created with (an old version, a copy, a careless ``chmod``)."""
    if not _POSIX:
        return
    info = path.lstat()
    if stat.S_ISLNK(info.st_mode) or info.st_uid != os.getuid():
        return  # someone else's: not ours to change, and chmod would follow a link
    if stat.S_IMODE(info.st_mode) & 0o077:
        os.chmod(path, stat.S_IMODE(info.st_mode) & mode)


def private_dir(path: Path) -> Path:
    """Creates ``path`` and its missing parents as 0700 whatever the umask (``mkdir``'s mode
    only applies to the last one), and narrows an existing folder to 0700."""
    missing = []
    parent = path
    while not parent.exists():
        missing.append(parent)
        if parent.parent == parent:
            break
        parent = parent.parent
    for folder in reversed(missing):
        with contextlib.suppress(FileExistsError):  # another process made it first
            folder.mkdir(mode=PRIVATE_DIR)
        if _POSIX:
            os.chmod(folder, PRIVATE_DIR)
    restrict(path, PRIVATE_DIR)
    return path


def open_private(path: Path, encoding: str | None = "utf-8") -> IO:
    """Creates ``path`` anew as 0600 for writing (``encoding=None``: bytes, for a spreadsheet).
    It must not exist: a file or a link already there raises FileExistsError rather than being
    overwritten or followed."""
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY | NOFOLLOW, PRIVATE_FILE)
    if encoding is None:
        return os.fdopen(fd, "wb")
    return os.fdopen(fd, "w", encoding=encoding, newline="")


def partial_name(target: Path) -> Path:
    """A fresh, unguessable name beside ``target`` to write to before renaming over it."""
    return target.with_name(f".{target.name}.{secrets.token_hex(6)}.partial")


def create_unique(folder: Path, stem: str, suffix: str, encoding: str | None = "utf-8") -> tuple[Path, IO]:
    """A new private file ``stem{suffix}`` in ``folder``, or ``stem-2{suffix}``, ``stem-3``… when
    that name is taken (two saves in the same second, or a planted link): never overwrites."""
    for number in range(1, 10_000):
        path = folder / (f"{stem}{suffix}" if number == 1 else f"{stem}-{number}{suffix}")
        try:
            return path, open_private(path, encoding)
        except FileExistsError:
            continue
    raise FileExistsError(folder / f"{stem}{suffix}")


def write_replacing(target: Path, write, encoding: str | None = "utf-8") -> object:
    """Calls ``write(file)`` on a fresh private file beside ``target`` and renames it over
    ``target`` only when all of it was written: a failure leaves no half file and no stray
    partial. Returns what ``write`` returned."""
    partial = partial_name(target)
    try:
        with open_private(partial, encoding) as out:
            result = write(out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return result
