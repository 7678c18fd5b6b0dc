"""The command line: starts the app or runs a verb. Bad input: one line, exit status 2.

The top layer: it may import every package of consult. What a verb needs beyond the settings
and the translations (the store and SQLAlchemy, the scoring, Textual) it imports when it runs,
so that ``consult score`` and ``consult stats`` start quickly.

- ``parser``: the verbs and their options;
- ``errors``: what a failure says, and the exit status;
- ``inputs`` and ``database``: files, dates and the store, shared by the verbs;
- ``score``, ``figures`` (stats, report), ``cases`` (export, import, purge), ``rules``,
  ``services`` (the service catalogue: show, check, activate),
  ``demo`` (the app, train, demo), ``admin`` (admin, whoami, audit; and the refusal of a
  role that may not do what it asked) and ``meeting`` (the team meeting's agenda, list and
  minutes): the verbs themselves.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence

from consult.cli.errors import exit_status
from consult.cli.inputs import load_settings
from consult.cli.output import guard_standard_streams
from consult.cli.parser import build_parser
from consult.i18n import Translator
from consult.system.settings import Settings

__all__ = ["load_settings", "main"]

Verb = Callable[[Settings, Translator, argparse.Namespace], None]

# Each verb's module and function, imported when that verb runs: importing them all cost
# `consult score` a fifth of its start-up.
VERBS: dict[str | None, tuple[str, str]] = {
    "score": ("score", "score"),
    "rules": ("rules", "run_rules"),
    "services": ("services", "run_services"),
    "stats": ("figures", "stats"),
    "report": ("figures", "report"),
    "export": ("cases", "export"),
    "import": ("cases", "import_"),
    "purge": ("cases", "purge"),
    "demo": ("demo", "demo"),
    "train": ("demo", "train"),
    "admin": ("admin", "admin"),
    "whoami": ("admin", "whoami"),
    "audit": ("admin", "audit"),
    "meeting": ("meeting", "meeting"),
    None: ("demo", "start"),
}


def verb(name: str | None) -> Verb:
    module, function = VERBS[name]
    found: Verb = getattr(importlib.import_module(f"consult.cli.{module}"), function)
    return found


def main(argv: Sequence[str] | None = None) -> int:
    t = Translator()
    guard_standard_streams()
    try:
        settings = load_settings()
        t = Translator(settings.lang)
        args = build_parser(t).parse_args(argv)
        verb(args.verb)(settings, t, args)
        # What is still buffered for a pipe or a file goes out now, where a failure is caught.
        sys.stdout.flush()
    except (Exception, KeyboardInterrupt) as error:
        status = exit_status(error, t)
        if status is None:
            raise  # a bug: its traceback is what a developer needs
        return status
    return 0
