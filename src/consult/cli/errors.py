"""What the command line says when a verb cannot go on: one line on stderr, exit status 2."""

from __future__ import annotations

import contextlib
import sys

from consult.i18n import Translator
from consult.system.settings import Settings, SettingsError

EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130


class InputError(Exception):
    """Bad input from the user: the message is one line, shown as is."""


class DatabaseProblem(Exception):
    """The database could not be opened or used; ``main`` says what and where in one line."""

    def __init__(self, error: BaseException) -> None:
        super().__init__(str(error))
        self.error = error


def exit_status(error: BaseException, t: Translator) -> int | None:
    """The status a failure ends the command with, its line said on stderr; None for a bug,
    whose traceback is what a developer needs."""
    if isinstance(error, InputError):
        return refuse(str(error))
    if isinstance(error, DatabaseProblem):
        return _database_refused(error.error, t)
    if isinstance(error, BrokenPipeError):
        # The reader went away (``| head``): stop quietly as Unix tools do; the status says the
        # output was not all delivered.
        silence_stdout()
        return EXIT_BAD_INPUT
    if isinstance(error, OSError):  # the verbs turn their own files' errors into InputError
        from consult.system.failures import cannot_write

        silence_stdout()
        return refuse(cannot_write(t("failure.stdout"), error, t))
    if isinstance(error, KeyboardInterrupt):
        return EXIT_INTERRUPTED
    if is_database_error(error):
        return _database_refused(error, t)
    return None


def is_database_error(error: BaseException) -> bool:
    module = type(error).__module__
    return module.startswith(("sqlalchemy", "sqlite3", "psycopg", "alembic"))


def _database_refused(error: BaseException, t: Translator) -> int:
    from consult.system.failures import database_reason

    return refuse(database_reason(error, settings_where(), t))


def settings_where() -> str:
    try:
        return Settings.from_env().where()
    except SettingsError:
        return "?"


def refuse(line: str) -> int:
    with contextlib.suppress(OSError):
        print(f"consult: {line}", file=sys.stderr)
    return EXIT_BAD_INPUT


def silence_stdout() -> None:
    """Points stdout at the null device, so that the flush at exit cannot fail a second time."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # a test's StringIO has no file descriptor
        pass
