"""The ``score`` verb: assessments in, their results out, as JSON."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any, TextIO

from consult.cli.errors import InputError
from consult.cli.inputs import read_text
from consult.cli.rules import rules_file, rules_in_force
from consult.i18n import Translator
from consult.system.settings import Settings

if TYPE_CHECKING:
    from consult.scoring.rules import RulesDefinition


def score(settings: Settings, t: Translator, args: argparse.Namespace) -> None:
    # A file tried without activating it, or the rules in force on this database.
    rules = rules_file(args.rules, settings, t) if args.rules else rules_in_force(settings)
    run_score(args.file, t, sys.stdout, rules)


def run_score(source: str, t: Translator, out: TextIO, rules: RulesDefinition | None = None) -> None:
    from consult.scoring.rules import PS_2025_1

    data = _json_of(read_text(source, t, json=True), t)
    items = data if isinstance(data, list) else [data]
    results = [
        _result(item, f"[{index}]" if isinstance(data, list) else "", t, rules or PS_2025_1)
        for index, item in enumerate(items)
    ]
    payload = results if isinstance(data, list) else results[0]
    json.dump(payload, out, ensure_ascii=False, indent=2)
    out.write("\n")


def _json_of(text: str, t: Translator) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(t("input.json", line=error.lineno, column=error.colno, msg=error.msg)) from None
    except (ValueError, RecursionError):  # a number over 4,300 digits, nesting too deep
        raise InputError(t("input.json_limits")) from None


def _result(item: object, prefix: str, t: Translator, rules: RulesDefinition) -> Any:
    """One assessment's result as JSON values; ``prefix`` names its place in a list."""
    from pydantic import ValidationError

    from consult.core.model import Assessment
    from consult.exchange.validation import describe
    from consult.scoring import evaluate

    if not isinstance(item, dict):
        raise InputError(f"{prefix or '(input)'}: {t('input.assessment_object')}")
    try:
        assessment = Assessment.model_validate(item)
    except ValidationError as error:
        raise InputError(describe(error, t, prefix).line()) from None
    return evaluate(assessment, t.lang, rules).model_dump(mode="json")
