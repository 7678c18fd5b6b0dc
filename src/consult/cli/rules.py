"""The ``rules`` verb: show, check, activate, compare and suggest the scoring rules; and the
rules ``score`` applies."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from consult.cli.database import database_exists, opened
from consult.cli.errors import InputError
from consult.cli.inputs import period, read_text, shown_path
from consult.cli.output import committed, say, write
from consult.i18n import Translator
from consult.system.settings import Settings

# A rules file is a few kilobytes; a larger one is not read whole to find that out.
RULES_FILE_LIMIT = 1 << 20

if TYPE_CHECKING:
    from datetime import date

    from consult.scoring.compare import StoredCase
    from consult.scoring.rules import RulesDefinition
    from consult.scoring.search import Search


def known_rules(settings: Settings) -> dict[str, RulesDefinition]:
    """Every version a rules file may be based on: the built-in and every activated one."""
    from consult.scoring.rules import BUILT_IN

    if not database_exists(settings):
        return dict(BUILT_IN)
    from consult.store.rules import known_rules as stored

    with opened(settings) as store:
        return stored(store.engine)


def rules_in_force(settings: Settings) -> RulesDefinition:
    from consult.scoring.rules import PS_2025_1

    if not database_exists(settings):
        return PS_2025_1
    from consult.scoring.rules_file import RulesError
    from consult.scoring.words import rules_error
    from consult.store.rules import rules_in_force as stored

    with opened(settings) as store:
        try:
            return stored(store.engine)
        except RulesError as error:  # activated by a newer consult with keys this one does not know
            t = Translator(settings.lang)
            raise InputError(f"{t('rules.error.in_force')}: {rules_error(error, t)}") from None


def rules_file(source: str, settings: Settings, t: Translator) -> RulesDefinition:
    """The rules a TOML file describes, or one line naming the file, the key and what is allowed."""
    from consult.privacy.gate import TextRefused, exact, problem_words
    from consult.scoring.rules_file import RulesError, parse_rules, strings
    from consult.scoring.words import rules_error

    text = read_text(source, t, limit=RULES_FILE_LIMIT)
    try:
        rules = parse_rules(text, known_rules(settings))
    except RulesError as error:
        raise InputError(f"{shown_path(source, t)}: {rules_error(error, t)}") from None
    # Its version and reasons land in every case scored with it: the gate every stored text
    # passes (no control character, the field's limit, no identifier), naming the key only.
    for key, value in strings(rules):
        try:
            exact(key, value)
        except TextRefused as refused:
            raise InputError(f"{shown_path(source, t)}: {key}: {problem_words(refused, t)}") from None
    return rules


def run_rules(settings: Settings, t: Translator, args: argparse.Namespace) -> None:
    _ACTIONS[args.action](settings, t, args)


def _show(settings: Settings, t: Translator, args: argparse.Namespace) -> None:
    from consult.scoring.words import describe

    rules = rules_in_force(settings)
    if args.format == "toml":
        from consult.scoring.rules_file import to_toml

        write(to_toml(rules))
        return
    say(t("rules.in_force", version=rules.version))
    say(_last_activation(settings, t))
    for line in describe(rules, t):
        say(f"  {line}")


def _last_activation(settings: Settings, t: Translator) -> str:
    """Who activated the rules in force and when, or that they are the built-in ones."""
    history = []
    if database_exists(settings):
        from consult.store.rules import activations

        with opened(settings) as store:
            history = activations(store.engine)
    if not history:
        return t("rules.screen.built_in")
    from consult.core.dates import team_day
    from consult.i18n.formats import show

    last = history[0]
    return t("rules.screen.activated", day=show(team_day(last.activated_at), t.lang), who=last.activated_by)


def _check(settings: Settings, t: Translator, args: argparse.Namespace) -> None:
    rules = rules_file(args.file, settings, t)
    say(t("rules.checked", path=args.file, version=rules.version))


def _activate(settings: Settings, t: Translator, args: argparse.Namespace) -> None:
    from consult.cli.admin import require
    from consult.store.rules import VersionTaken, activate

    rules = rules_file(args.file, settings, t)
    with opened(settings) as store:
        require(store, "activate_rules", t)
        try:
            done = activate(store.engine, rules)
        except VersionTaken as error:
            raise InputError(
                f"{args.file}: version: {t('rules.error.version_taken', version=error.version)}"
            ) from None
    committed(t("rules.activated", version=done.version, who=done.activated_by), t)


def _compare(settings: Settings, t: Translator, args: argparse.Namespace) -> None:
    from consult.scoring.compare import compare
    from consult.scoring.words import comparison_lines

    first, last = period(args.since, args.until, t, "rules.error.period")
    candidate = rules_file(args.file, settings, t)
    in_force, cases = _stored(settings, first, last)
    comparison = compare(cases, candidate)
    if args.json:
        _print_json(comparison.as_json())
    else:
        say("\n".join(comparison_lines(comparison, in_force.version, t)))


def _suggest(settings: Settings, t: Translator, args: argparse.Namespace) -> None:
    from consult.scoring.search import search
    from consult.scoring.words import search_lines

    first, last = period(args.since, args.until, t, "rules.error.period")
    in_force, cases = _stored(settings, first, last)
    found = search(cases, in_force)
    if args.json:
        _print_json(_search_json(found, in_force.version))
    else:
        say("\n".join(search_lines(found, in_force.version, t)))


def _stored(
    settings: Settings, first: date | None, last: date | None
) -> tuple[RulesDefinition, list[StoredCase]]:
    """The rules in force and the cases stored in the period, read in one opening."""
    from consult.store.rules import rules_in_force as stored_rules
    from consult.store.rules import stored_cases

    with opened(settings) as store:
        return stored_rules(store.engine), stored_cases(store.engine, first, last)


def _search_json(found: Search, in_force: str) -> dict[str, Any]:
    return {
        "in_force": in_force,
        "cases": found.cases,
        "decided": found.decided,
        "too_few_decided": found.too_few,
        "baseline": {"agree": found.baseline.agree, "kappa": found.baseline.kappa},
        "candidates": [
            {
                "changes": dict(c.changes),
                "agree": c.agree,
                "kappa": c.kappa,
                "changed_cases": c.changed_cases,
            }
            for c in found.candidates
        ],
    }


def _print_json(payload: object) -> None:
    say(json.dumps(payload, ensure_ascii=False, indent=2))


_ACTIONS: dict[str, Callable[[Settings, Translator, argparse.Namespace], None]] = {
    "show": _show,
    "check": _check,
    "activate": _activate,
    "compare": _compare,
    "suggest": _suggest,
}
