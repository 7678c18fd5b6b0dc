"""An empty database at the newest schema, made once in each test process: copying it costs a
test ~20 ms where migrating a new file costs ~170 ms (twice, with the training database). The
tests of creating or upgrading a database make their own."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from functools import cache
from pathlib import Path


@cache
def migrated_template() -> Path:
    from consult.store import Store

    folder = Path(tempfile.mkdtemp(prefix="consult-template-"))
    atexit.register(shutil.rmtree, folder, True)
    path = folder / "consult.db"
    Store.open(f"sqlite:///{path}").close()
    return path


def place_database(template: Path, target: Path) -> None:
    """The template where a test's app will look for its database, private as the app makes it."""
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    shutil.copyfile(template, target)
    if os.name == "posix":
        os.chmod(target, 0o600)


def ensure_database(target: Path) -> None:
    """The template at ``target`` unless a database is already there: for the tests whose
    subject is not creating one."""
    if not target.exists():
        place_database(migrated_template(), target)
