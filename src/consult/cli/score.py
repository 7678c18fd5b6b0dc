"""The ``score`` verb: assessments in, their results out, as JSON."""

from __future__ import annotations

import argparse
import gc
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
    from consult.core.plain_assessment import assessment_values
    from consult.scoring.engine import recommend
    from consult.scoring.rules import PS_2025_1

    data = _json_of(read_text(source, t, json=True), t)
    listed = isinstance(data, list)
    rules = rules or PS_2025_1
    lang = t.lang
    write = _Writer(1 if listed else 0).result
    texts: list[str] = []
    # The results are dicts without cycles, freed as soon as they are written: the collector's
    # passes over everything the loop allocates found nothing and cost a tenth of the run.
    collecting = gc.isenabled()
    gc.disable()
    try:
        for index, item in enumerate(data if listed else [data]):
            # Plainly valid input is scored on its plain values; anything else goes through the
            # model, whose error is the line the user is told.
            values = assessment_values(item)
            if values is None:
                texts.append(write(_result(item, f"[{index}]" if listed else "", t, rules)))
            else:
                texts.append(write(recommend(*values, lang, rules)))
    finally:
        if collecting:
            gc.enable()
    # Written once all are scored: bad input at the last assessment leaves stdout empty. One
    # result at a time: a single string of them all would be copied whole twice more.
    if not listed:
        out.write(texts[0])
    elif texts:
        out.write("[\n  ")
        out.write(texts[0])
        for text in texts[1:]:
            out.write(",\n  ")
            out.write(text)
        out.write("\n]")
    else:
        out.write("[]")
    out.write("\n")


_FIELDS = ["primary", "needs", "orgs", "flags", "suggested_answers", "reasons", "rules_version"]
_HEAD = _FIELDS[:5]


class _Writer:
    """``json.dumps(result, ensure_ascii=False, indent=2)`` of one result, character for
    character, at a depth (1: an item of the list written). The pure-Python encoder that
    ``indent`` falls back to took 60 % of scoring 10,000 assessments, yet the results repeat
    their parts: four primaries, a dozen sets of flags, a couple of hundred reasons. So each
    distinct part is written once by json and kept, already indented to its place: the fields
    before the reasons together, each reason, and the tail.

    A result is a Recommendation's fields, in their order, holding only text (a reason is
    ``{"rule", "text"}``), so the parts are keyed by their texts; a result of another shape is
    written by json whole."""

    def __init__(self, depth: int) -> None:
        self.outer = "\n" + "  " * depth
        self.inner = "\n" + "  " * (depth + 1)
        self.item = "\n" + "  " * (depth + 2)
        self.heads: dict[tuple[object, ...], str] = {}
        self.reasons: dict[tuple[str, str], str] = {}
        self.tails: dict[str, str] = {}
        self.opening = "[" + self.item
        self.between = "," + self.item
        self.closing = self.inner + "]"

    def _json(self, value: object, newline: str) -> str:
        """``value`` as ``json.dumps(indent=2)`` writes it, each line break followed by
        ``newline``'s indentation. A container of texts (the parts of a result) is laid out
        here around json's C encoder; anything else goes through json's own (pure-Python)
        indenting encoder."""
        if isinstance(value, list | dict) and all(
            type(v) is str for v in (value.values() if isinstance(value, dict) else value)
        ):
            return _flat(value, newline)
        if isinstance(value, dict) and value and all(type(k) is str for k in value):
            inner = newline + "  "
            parts = [_text(k) + ": " + self._json(v, inner) for k, v in value.items()]
            return "{" + inner + ("," + inner).join(parts) + newline + "}"
        return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", newline)

    def result(self, result: dict[str, Any]) -> str:
        if list(result) != _FIELDS:
            return self._json(result, self.outer)
        needs, orgs, flags, suggested = (
            result["needs"],
            result["orgs"],
            result["flags"],
            result["suggested_answers"],
        )
        key = (result["primary"], *needs, "", *orgs, "", *flags, "", *suggested.items())
        head = self.heads.get(key)
        if head is None:
            # Everything up to the reasons' list, as json writes it, up to the reasons' name.
            head = self._json({k: result[k] for k in _HEAD}, self.outer)[: -len(self.outer) - 1]
            head = self._keep(self.heads, key, head + "," + self.inner + '"reasons": ')
        found = self.reasons
        texts = []
        for reason in result["reasons"]:
            pair = (reason["rule"], reason["text"])
            text = found.get(pair)
            if text is None:
                text = self._keep(found, pair, self._json(reason, self.item))
            texts.append(text)
        version = result["rules_version"]
        tail = self.tails.get(version)
        if tail is None:
            tail = self._keep(
                self.tails,
                version,
                ","
                + self.inner
                + '"rules_version": '
                + json.dumps(version, ensure_ascii=False)
                + self.outer
                + "}",
            )
        if not texts:
            return head + "[]" + tail
        return "".join((head, self.opening, self.between.join(texts), self.closing, tail))

    @staticmethod
    def _keep(parts: dict[Any, str], key: object, text: str) -> str:
        if len(parts) < 65536:  # bounded however many distinct texts a file holds
            parts[key] = text
        return text


def _text(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # the C encoder: a string needs no indenting


def _flat(value: list[str] | dict[str, str], newline: str) -> str:
    """A list or dict of texts as ``json.dumps(indent=2)`` writes it (``[]`` and ``{}`` when
    empty; one item a line, ``": "`` after a key)."""
    if not value:
        return "{}" if isinstance(value, dict) else "[]"
    inner = newline + "  "
    if isinstance(value, dict):
        items = [_text(k) + ": " + _text(v) for k, v in value.items()]
        return "{" + inner + ("," + inner).join(items) + newline + "}"
    return "[" + inner + ("," + inner).join(map(_text, value)) + newline + "]"


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
