"""The verbs and their options; an option several verbs share is written once, below."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import TYPE_CHECKING, NoReturn, TypeAlias

from consult.cli.errors import InputError
from consult.cli.inputs import STDIN
from consult.cli.services import add_services
from consult.i18n import Translator


class _Parser(argparse.ArgumentParser):
    """argparse, but a mistake is one line like every other bad input, not usage and error."""

    def error(self, message: str) -> NoReturn:
        raise InputError(f"{message} ({self.prog} --help)")


if TYPE_CHECKING:
    Verbs: TypeAlias = argparse._SubParsersAction[_Parser]


# argparse's own texts (Python 3.11's msgids), by catalog key: usage, headings and errors speak
# the user's language like every other line of the command line.
_ARGPARSE = {
    "usage: ": "argparse.usage",
    "options": "argparse.options",
    "positional arguments": "argparse.positional",
    "show this help message and exit": "argparse.help",
    "the following arguments are required: %s": "argparse.required",
    "unrecognized arguments: %s": "argparse.unrecognized",
    "invalid choice: %(value)r (choose from %(choices)s)": "argparse.invalid_choice",
    "expected one argument": "argparse.expected_one",
    "argument %(argument_name)s: %(message)s": "argparse.argument",
    "ambiguous option: %(option)s could match %(matches)s": "argparse.ambiguous",
    "invalid %(type)s value: %(value)r": "argparse.invalid_value",
    "one of the arguments %s is required": "argparse.one_of",
    "not allowed with argument %s": "argparse.not_allowed",
    "ignored explicit argument %r": "argparse.ignored",
}


def _speak(t: Translator) -> None:
    """argparse looks its texts up through its module's ``_`` when it needs them: this one
    answers from the catalogs (anything not listed stays as argparse wrote it)."""

    def translated(message: str) -> str:
        key = _ARGPARSE.get(message)
        return t(key) if key else message

    setattr(argparse, "_", translated)  # noqa: B010 -- argparse's own lookup, not an attribute of ours


def build_parser(t: Translator) -> argparse.ArgumentParser:
    _speak(t)
    parser = _Parser(prog="consult", description=t("cli.description"))
    verbs = parser.add_subparsers(dest="verb", metavar="VERB")
    _add_score(verbs, t)
    _add_figures(verbs, t)
    _add_export(verbs, t)
    _add_starts(verbs, t)
    _add_import_and_purge(verbs, t)
    _add_rules(verbs, t)
    _add_admin(verbs, t)
    _add_meeting(verbs, t)
    add_services(verbs, t)
    return parser


def _add_score(verbs: Verbs, t: Translator) -> None:
    score = verbs.add_parser("score", help=t("cli.score.help"))
    _add_source(score, t("cli.score.file"), optional=True)
    score.add_argument("--rules", metavar="RULES.toml", help=t("cli.score.rules"))


def _add_figures(verbs: Verbs, t: Translator) -> None:
    stats = verbs.add_parser("stats", help=t("cli.stats.help"))
    _add_period(stats, t)
    _add_json(stats, t)
    report = verbs.add_parser("report", help=t("cli.report.help"))
    _add_period(report, t)
    report.add_argument("--output", metavar="FILE.xlsx|FILE.html", required=True, help=t("cli.report.output"))


def _add_export(verbs: Verbs, t: Translator) -> None:
    export = verbs.add_parser("export", help=t("cli.export.help"))
    _add_format(export, ("json", "csv"), t)
    export.add_argument("--output", metavar="FILE", help=t("cli.output"))
    export.add_argument("--codes", action="store_true", help=t("cli.codes"))
    export.add_argument("--drafts", action="store_true", help=t("cli.export_drafts"))


def _add_starts(verbs: Verbs, t: Translator) -> None:
    demo = verbs.add_parser("demo", help=t("cli.demo.help"))
    demo.add_argument("--list", action="store_true", help=t("cli.demo.list"))
    verbs.add_parser("train", help=t("cli.train.help"))


def _add_import_and_purge(verbs: Verbs, t: Translator) -> None:
    imported = verbs.add_parser("import", help=t("cli.import.help"))
    _add_source(imported, t("cli.score.file"))
    imported.add_argument("--strict", action="store_true", help=t("cli.import.strict"))
    purge = verbs.add_parser("purge", help=t("cli.purge.help"))
    purge.add_argument("--dry-run", action="store_true", help=t("cli.purge.dry_run"))
    purge.add_argument("--draft-days", metavar="DAYS", help=t("cli.purge.draft_days"))
    purge.add_argument("--retention-days", metavar="DAYS", help=t("cli.purge.retention_days"))


def _add_rules(verbs: Verbs, t: Translator) -> None:
    rules = verbs.add_parser("rules", help=t("cli.rules.help"))
    actions = rules.add_subparsers(dest="action", metavar="ACTION", required=True)
    show = actions.add_parser("show", help=t("cli.rules.show"))
    _add_format(show, ("text", "toml"), t)
    reading = {
        name: actions.add_parser(name, help=t(f"cli.rules.{name}"))
        for name in ("check", "activate", "compare")
    }
    for action in reading.values():
        _add_source(action, t("cli.rules.file"))
    suggest = actions.add_parser("suggest", help=t("cli.rules.suggest"))
    for action in (reading["compare"], suggest):
        _add_period(action, t)
        _add_json(action, t)


def _add_admin(verbs: Verbs, t: Translator) -> None:
    verbs.add_parser("whoami", help=t("admin.whoami.help"))
    audit = verbs.add_parser("audit", help=t("admin.audit.help"))
    _add_period(audit, t)
    _add_json(audit, t)
    admin = verbs.add_parser("admin", help=t("admin.help"))
    actions = admin.add_subparsers(dest="action", metavar="ACTION", required=True)
    actions.add_parser("setup", help=t("admin.setup.help"))
    actions.add_parser("migrate", help=t("admin.migrate.help"))
    grant = actions.add_parser("grant", help=t("admin.grant.help"))
    grant.add_argument("login", metavar="LOGIN", help=t("admin.login"))
    grant.add_argument("--role", choices=["worker", "team", "admin"], required=True, help=t("admin.role"))
    grant.add_argument("--area", metavar="AREA", nargs="+", action="extend", help=t("admin.area"))
    revoke = actions.add_parser("revoke", help=t("admin.revoke.help"))
    revoke.add_argument("login", metavar="LOGIN", help=t("admin.login"))


def _add_meeting(verbs: Verbs, t: Translator) -> None:
    # A meeting's areas are the figures' buckets (core.meeting.MEETING_AREAS names the same):
    # read from the vocabulary, as building the meeting's model costs every verb 7 ms at start.
    from consult.core.vocabulary import AREA_BUCKETS

    meeting = verbs.add_parser("meeting", help=t("cli.meeting.help"))
    actions = meeting.add_subparsers(dest="action", metavar="ACTION", required=True)
    areas = ", ".join(AREA_BUCKETS)
    agenda = actions.add_parser("agenda", help=t("cli.meeting.agenda"))
    agenda.add_argument("--area", metavar="AREA", required=True, help=t("cli.meeting.area", allowed=areas))
    agenda.add_argument("--on", metavar="DATE", help=t("cli.meeting.on"))
    _add_json(agenda, t)
    listing = actions.add_parser("list", help=t("cli.meeting.list"))
    listing.add_argument("--area", metavar="AREA", help=t("cli.meeting.area", allowed=areas))
    _add_json(listing, t)
    minutes = actions.add_parser("minutes", help=t("cli.meeting.minutes"))
    minutes.add_argument("meeting_id", metavar="ID", help=t("cli.meeting.id"))
    minutes.add_argument("--output", metavar="FILE.md|FILE.html", help=t("cli.meeting.output"))
    minutes.add_argument("--format", choices=["text", "markdown"], help=t("cli.meeting.format"))


def _add_source(parser: argparse.ArgumentParser, help: str, optional: bool = False) -> None:
    """A file to read, or - for stdin; where it may be left out, stdin is read."""
    if optional:
        parser.add_argument("file", nargs="?", default=STDIN, metavar="FILE|-", help=help)
    else:
        parser.add_argument("file", metavar="FILE|-", help=help)


def _add_period(parser: argparse.ArgumentParser, t: Translator) -> None:
    parser.add_argument("--since", metavar="DATE", help=t("cli.since"))
    parser.add_argument("--until", metavar="DATE", help=t("cli.until"))


def _add_json(parser: argparse.ArgumentParser, t: Translator) -> None:
    parser.add_argument("--json", action="store_true", help=t("cli.json"))


def _add_format(parser: argparse.ArgumentParser, choices: Sequence[str], t: Translator) -> None:
    """--format, the first of ``choices`` when not given."""
    parser.add_argument("--format", choices=list(choices), default=choices[0], help=t("cli.format"))
