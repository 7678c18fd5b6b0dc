"""What the verbs print on stdout: text only (no escape sequence a stored text might hold
reaches the terminal), and a stdout that is closed (``consult stats >&-``) or full
(``> /dev/full``) said in one line with the truth, never a traceback.

``main`` calls ``guard_standard_streams`` first: a closed descriptor 0, 1 or 2 is taken by the
null device, so the database or an export never gets it by chance (and a later write to
"stdout" into the database), and a closed stdout raises an OSError on the first write.
"""

from __future__ import annotations

import errno
import os
import sys
from typing import TextIO

from consult.i18n import Translator


class _Closed:
    """sys.stdout when the command was started with stdout closed: Python leaves it None, and
    print() to None does nothing at all, so a verb would end "successfully" having said nothing."""

    encoding = "utf-8"

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, os.strerror(errno.EBADF))

    def flush(self) -> None:  # nothing is ever buffered
        pass

    def fileno(self) -> int:
        raise OSError(errno.EBADF, os.strerror(errno.EBADF))


def guard_standard_streams() -> None:
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            # The lowest free descriptor is the closed one: the null device takes its place.
            taken = os.open(os.devnull, os.O_RDWR)
            if taken != fd:  # pragma: no cover - only when a lower one was closed meanwhile
                os.close(taken)
    if sys.stdout is None:
        sys.stdout = _Closed()  # type: ignore[assignment,unused-ignore]


def stdout() -> TextIO:
    return sys.stdout


def say(text: str) -> None:
    """One line (or several) on stdout, fit for a terminal."""
    from consult.privacy.gate import for_terminal

    sys.stdout.write(for_terminal(text) + "\n")


def write(text: str) -> None:
    from consult.privacy.gate import for_terminal

    sys.stdout.write(for_terminal(text))


def committed(line: str, t: Translator) -> None:
    """The summary of work already committed (an import, a purge, an activation), written and
    flushed here: a closed or full stdout cannot make committed work look failed. Then the
    line goes to stderr with what happened, and the command still ends with status 0."""
    from consult.cli.errors import silence_stdout
    from consult.system.failures import os_reason

    try:
        say(line)
        sys.stdout.flush()
    except OSError as error:
        silence_stdout()
        reason = os_reason(error, t)
        try:
            print(f"consult: {t('failure.committed_unsaid', reason=reason)}", file=sys.stderr)
            print(f"consult: {line}", file=sys.stderr)
        except OSError:
            pass  # stderr is gone too: the status still says the work was done
