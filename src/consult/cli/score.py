"""The ``score`` verb: assessments in, their results out, as JSON."""

from __future__ import annotations

import argparse
import gc
import json
import sys
from typing import TYPE_CHECKING, Any, TextIO, TypeVar

from consult.cli.errors import InputError
from consult.cli.inputs import read_text
from consult.cli.rules import rules_file, rules_in_force
from consult.i18n import Translator
from consult.system.settings import Settings

if TYPE_CHECKING:
    from consult.core.plain_assessment import Values
    from consult.scoring.engine import Decision, Shape
    from consult.scoring.rules import RulesDefinition


T = TypeVar("T")


def score(settings: Settings, t: Translator, args: argparse.Namespace) -> None:
    # A file tried without activating it, or the rules in force on this database.
    rules = rules_file(args.rules, settings, t) if args.rules else rules_in_force(settings)
    run_score(args.file, t, sys.stdout, rules)


def run_score(source: str, t: Translator, out: TextIO, rules: RulesDefinition | None = None) -> None:
    from consult.core.plain_assessment import assessment_values
    from consult.scoring.engine import decide
    from consult.scoring.rules import PS_2025_1

    data = _json_of(read_text(source, t, json=True), t)
    listed = isinstance(data, list)
    rules = rules or PS_2025_1
    lang = t.lang
    write = _Writer(1 if listed else 0, rules.version).result
    texts: list[str] = []
    # The results are texts and shared parts without cycles: the collector's passes over
    # everything the loop allocates found nothing and cost a tenth of the run.
    collecting = gc.isenabled()
    gc.disable()
    try:
        for index, item in enumerate(data if listed else [data]):
            # Plainly valid input is scored on its plain values; anything else goes through the
            # model, whose error is the line the user is told.
            values = assessment_values(item) or _model_values(item, f"[{index}]" if listed else "", t)
            texts.append(write(decide(*values, lang, rules)))
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


class _Writer:
    """``json.dumps(result, ensure_ascii=False, indent=2)`` of one Recommendation's fields, in
    their order, character for character, at a depth (1: an item of the list written). The
    pure-Python encoder that ``indent`` falls back to took 60 % of scoring 10,000 assessments,
    yet the results repeat their parts: four primaries, a dozen sets of flags, a couple of
    hundred reasons. So each distinct part is written once by json's C encoder and kept,
    already indented to its place: the fields before the reasons (one text for each shape,
    primary and flags, which are all they depend on), each reason, and the tail."""

    def __init__(self, depth: int, version: str) -> None:
        outer = "\n" + "  " * depth
        self.inner = "\n" + "  " * (depth + 1)
        self.item = "\n" + "  " * (depth + 2)
        self.field = self.item + "  "
        self.heads: dict[tuple[object, str, tuple[str, ...]], str] = {}
        self.shaped: dict[object, tuple[str, str, str]] = {}
        self.flags: dict[tuple[str, ...], str] = {}
        self.reasons: dict[tuple[str, str], str] = {}
        self.opening = "[" + self.item
        self.between = "," + self.item
        self.closing = self.inner + "]"
        self.tail = "," + self.inner + '"rules_version": ' + _text(version) + outer + "}"

    def result(self, decision: Decision) -> str:
        shape, primary, flags, reasons = decision
        key = (shape, primary, flags)
        head = self.heads.get(key)
        if head is None:
            head = self._keep(self.heads, key, self._head(shape, primary, flags))
        found = self.reasons
        texts = []
        for pair in reasons:
            text = found.get(pair)
            if text is None:
                rule, words = pair
                text = self._keep(
                    found,
                    pair,
                    "{"
                    + self.field
                    + '"rule": '
                    + _text(rule)
                    + ","
                    + self.field
                    + '"text": '
                    + _text(words)
                    + self.item
                    + "}",
                )
            texts.append(text)
        if not texts:
            return head + "[]" + self.tail
        return "".join((head, self.opening, self.between.join(texts), self.closing, self.tail))

    def _head(self, shape: Shape, primary: str, flags: tuple[str, ...]) -> str:
        """Everything up to the reasons' list, as json writes it, up to the reasons' name."""
        inner = self.inner
        parts = self.shaped.get(shape)
        if parts is None:
            # What the shape decides, shared by its heads (and the same text for many shapes).
            needs, orgs = _flat(list(shape.needs), inner), _flat(list(shape.orgs), inner)
            suggested = _flat(dict(shape.suggested), inner)
            parts = self._keep(self.shaped, shape, (needs, orgs, suggested))
        flagged = self.flags.get(flags)
        if flagged is None:
            flagged = self._keep(self.flags, flags, _flat(list(flags), inner))
        needs, orgs, suggested = parts
        return (
            f'{{{inner}"primary": {_text(primary)},{inner}"needs": {needs},{inner}"orgs": {orgs},'
            f'{inner}"flags": {flagged},{inner}"suggested_answers": {suggested},{inner}"reasons": '
        )

    @staticmethod
    def _keep(parts: dict[Any, T], key: Any, value: T) -> T:
        if len(parts) < 65536:  # bounded however many distinct texts a file holds
            parts[key] = value
        return value


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


def _model_values(item: object, prefix: str, t: Translator) -> Values:
    """The levels, answers and jobseeker of an assessment the model accepts; otherwise the
    model's error as one line, ``prefix`` naming its place in a list."""
    from pydantic import ValidationError

    from consult.core.model import Assessment
    from consult.exchange.validation import describe

    if not isinstance(item, dict):
        raise InputError(f"{prefix or '(input)'}: {t('input.assessment_object')}")
    try:
        assessment = Assessment.model_validate(item)
    except ValidationError as error:
        raise InputError(describe(error, t, prefix).line()) from None
    return (
        tuple(assessment.scores.__dict__.values()),
        tuple(assessment.answers.__dict__.values()),
        assessment.context.jobseeker,
    )
