"""Files the app writes (record notes, exports) are readable by the worker's account only."""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO


def private_dir(path: Path) -> Path:
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def open_private(path: Path, encoding: str = "utf-8", *, exclusive: bool = False) -> IO[str]:
    """Opens ``path`` for writing as 0600, whatever the umask says. ``exclusive``: only a new
    file (FileExistsError otherwise), so nothing already there is overwritten or followed."""
    flags = os.O_CREAT | os.O_WRONLY | (os.O_EXCL if exclusive else os.O_TRUNC)
    fd = os.open(path, flags, 0o600)
    return os.fdopen(fd, "w", encoding=encoding, newline="")
