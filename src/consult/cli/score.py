"""The ``score`` verb: assessments in, their results out, as JSON."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable
from json.encoder import encode_basestring
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
    out.write(indented(payload))
    out.write("\n")


def indented(value: object, depth: int = 0) -> str:
    """``json.dumps(value, ensure_ascii=False, indent=2)``, character for character (see
    ``_indented``), each distinct result and each distinct value of a result written once: the
    rules give many assessments the same flags, answers and reasons."""
    if depth > 2 or not isinstance(value, dict | list) or (depth == 0 and isinstance(value, list)):
        return _indented(value, depth)
    compact = "".join(_encoder(0)(value, 0))  # what the C encoder writes, one line: a key
    known = _WRITTEN.get((depth, compact))
    if known is None:
        known = _indented(value, depth)
        if len(_WRITTEN) < 8192:  # memory stays bounded however many distinct results
            _WRITTEN[(depth, compact)] = known
    return known


_WRITTEN: dict[tuple[int, str], str] = {}


def _indented(value: object, depth: int) -> str:
    """``json.dumps(value, ensure_ascii=False, indent=2)``, but fast:
    with ``indent`` set, json falls back to its pure-Python encoder, which took 60 % of scoring
    10,000 assessments. A container holding only scalars is written by the C encoder in one
    call, its item separator carrying the line break and the indentation of its depth; only
    the containers around them are walked here."""
    if isinstance(value, dict):
        if not value:
            return "{}"
        inner = "\n" + "  " * (depth + 1)
        if not any(isinstance(v, dict | list | tuple) for v in value.values()):
            return _flat(value, depth)
        parts = []
        encode = _encoder(depth)
        for k, v in value.items():
            key = "".join(encode(k, 0)) if isinstance(k, str) else _key(k)
            parts.append(key + ": " + indented(v, depth + 1))
        return "{" + inner + ("," + inner).join(parts) + "\n" + "  " * depth + "}"
    if isinstance(value, list | tuple):
        if not value:
            return "[]"
        for v in value:
            if isinstance(v, dict | list | tuple):
                inner = "\n" + "  " * (depth + 1)
                return (
                    "["
                    + inner
                    + ("," + inner).join([indented(v, depth + 1) for v in value])
                    + "\n"
                    + "  " * depth
                    + "]"
                )
        return _flat(value, depth)
    return "".join(_encoder(depth)(value, 0))


def _key(key: object) -> str:
    """A dict key that is not text, quoted as json writes it ("true", "1.5", "null")."""
    return json.dumps({key: 0})[1:-4]


def _flat(value: dict | list | tuple, depth: int) -> str:
    """A non-empty container of scalars: ``[`` or ``{``, then its items one a line."""
    text = "".join(_encoder(depth + 1)(value, 0))
    return text[0] + "\n" + "  " * (depth + 1) + text[1:-1] + "\n" + "  " * depth + text[-1]


# The C half of json, where this Python has it (typeshed does not describe it).
_C_ENCODER: Any = getattr(json.encoder, "c_make_encoder", None)
_ENCODERS: dict[int, Callable[[object, int], Iterable[str]]] = {}


def _encoder(depth: int) -> Callable[[object, int], Iterable[str]]:
    """json's C encoder (as ``json.dumps`` without ``indent`` uses it) whose item separator
    starts a new line indented to ``depth``; its pure-Python twin where there is no C."""
    encoder = _ENCODERS.get(depth)
    if encoder is None:
        separator = ",\n" + "  " * depth
        if _C_ENCODER is not None:
            encoder = _C_ENCODER(
                None, _not_json, encode_basestring, None, ": ", separator, False, False, True
            )
        else:
            python = json.JSONEncoder(ensure_ascii=False, separators=(separator, ": "))
            encoder = lambda value, _level: python.iterencode(value)  # noqa: E731
        _ENCODERS[depth] = encoder
    return encoder


def _not_json(value: object) -> object:
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _json_of(text: str, t: Translator) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        from consult.exchange.validation import json_problem

        message = json_problem(error.msg, t)
        raise InputError(t("input.json", line=error.lineno, column=error.colno, msg=message)) from None
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
