"""Turns validation failures into one plain line that names the field and what is allowed."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from typing import Any, get_args

from pydantic import BaseModel, ValidationError

from consult.core import model as models
from consult.core.instrument import ANSWERS, DOMAIN_KEYS, QUESTION_KEYS
from consult.core.model import AGE_BANDS, AREAS, WORKER_ORGS
from consult.i18n import Translator
from consult.privacy.gate import SHOWN
from consult.privacy.gate import shown as quotable

_ALLOWED_VALUES: dict[tuple[str, str], tuple[str, ...]] = {
    ("context", "area"): AREAS,
    ("context", "worker_org"): WORKER_ORGS,
    ("context", "age_band"): AGE_BANDS,
}
_SECTION_KEYS: dict[str, tuple[str, ...]] = {
    "scores": DOMAIN_KEYS,
    "answers": QUESTION_KEYS,
    "context": ("area", "worker_org", "age_band", "jobseeker"),
}


# Line and paragraph breaks, other control characters and lone surrogates (JSON "\ud800").
_ESCAPED_CATEGORIES = frozenset({"Cc", "Cs", "Zl", "Zp"})


def one_line(text: str, limit: int = 200) -> str:
    """``text`` with what could break a line or the terminal's encoding escaped (``\\n``,
    ``\\u2028``, ``\\ud800``) and cut at ``limit`` characters: a message that quotes the
    input stays one short printable line."""
    cut = len(text) > limit
    text = text[:limit]
    if not text.isprintable():
        text = "".join(
            char.encode("unicode_escape").decode("ascii")
            if unicodedata.category(char) in _ESCAPED_CATEGORIES
            else char
            for char in text
        )
    return text + "…" if cut else text


def _shown(value: object) -> str:
    """A value of the input as a message may quote it: short, clean and without anything the
    guard points out, or only its type."""
    if isinstance(value, dict | list):
        return type(value).__name__
    if isinstance(value, str):
        return "…" if quotable(value) is None else json.dumps(value, ensure_ascii=False)
    try:
        text = json.dumps(value, ensure_ascii=False)
    except ValueError:  # an integer longer than Python prints (4,300 digits)
        return type(value).__name__
    return text if len(text) <= SHOWN else type(value).__name__


@dataclass(frozen=True, slots=True)
class Problem:
    """One input problem: where it is and what is allowed there."""

    field: str
    message: str

    def line(self) -> str:
        return f"{self.field}: {self.message}"


def _path(prefix: str, loc: tuple[int | str, ...]) -> str:
    out = prefix
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(input)"


def describe(error: ValidationError, t: Translator, prefix: str = "") -> Problem:
    """The first problem in ``error``, in the user's language."""
    first = error.errors(include_url=False)[0]
    loc = tuple(p for p in first["loc"] if not (isinstance(p, str) and p.startswith("function-")))
    # Union members (``int | None``) add their type names to the location; they mean nothing
    # to a caseworker.
    loc = tuple(p for p in loc if p not in ("constrained-int", "int", "none", "literal['yes','no','unsure']"))
    # A dict's key that is not allowed ("notes.bogus.[key]"): the key is the field, unknown.
    bad_key = bool(loc) and loc[-1] == "[key]"
    loc = tuple(p for p in loc if p != "[key]")
    # A message must not carry what the privacy guard refuses: a key or value is shown as "…".
    # A key may also be 200 MB or hold escape sequences: a key not fit to quote is "…".
    loc = tuple("…" if isinstance(p, str) and quotable(p) is None else p for p in loc)
    kind = first["type"]
    value = first.get("input")
    shown = _shown(value)
    section = str(loc[0]) if loc else ""
    key = str(loc[1]) if len(loc) > 1 else ""
    path = one_line(_path(prefix, loc))

    if kind == "extra_forbidden" and section in _SECTION_KEYS and len(loc) == 2:
        message = t(f"input.unknown_key.{section}", allowed=", ".join(_SECTION_KEYS[section]))
    elif kind == "missing":
        message = t("input.missing")
    elif section == "scores" and key:
        message = t("input.level", value=shown)
    elif section == "answers" and key:
        message = t("input.answer", value=shown, allowed=", ".join(ANSWERS))
    elif section == "context" and key == "jobseeker":
        message = t("input.jobseeker", value=shown)
    elif (section, key) in _ALLOWED_VALUES:
        message = t("input.choice", value=shown, allowed=", ".join(_ALLOWED_VALUES[(section, key)]))
    elif section == "services" and kind == "value_error":  # neither an id nor a text
        message = t("catalogue.error.service_or_text")
    elif bad_key:
        allowed = _QUOTED.findall(str((first.get("ctx") or {}).get("expected", "")))
        message = t("input.unknown_field", allowed=", ".join(allowed) or "–")
    else:
        message = _in_words(kind, first.get("ctx") or {}, shown, error.title, loc, t)
    return Problem(path, one_line(message, 1000))


_QUOTED = re.compile(r"'([^']*)'")


def _in_words(
    kind: str, ctx: dict[str, Any], shown: str, title: str, loc: tuple[int | str, ...], t: Translator
) -> str:
    """Every other kind of problem pydantic reports, in the user's language with what is allowed:
    its own English sentence never reaches a caseworker."""
    if kind in ("literal_error", "enum"):
        # ``expected`` lists the allowed values quoted ("'a', 'b' or 'c'"): the values are
        # consult's own codes, the joining words pydantic's English.
        allowed = _QUOTED.findall(str(ctx.get("expected", "")))
        return t("input.one_of", value=shown, allowed=", ".join(allowed) or "–")
    if kind == "extra_forbidden":
        return t("input.unknown_field", allowed=", ".join(_fields_at(title, loc)) or "–")
    if kind in ("model_type", "dict_type", "model_attributes_type", "typed_dict_type"):
        return t("input.object")
    if kind in ("list_type", "tuple_type", "set_type"):
        return t("input.list")
    if kind in ("int_type", "int_parsing", "int_from_float", "int_parsing_size"):
        return t("input.integer", value=shown)
    if kind in ("bool_type", "bool_parsing"):
        return t("input.boolean", value=shown)
    if kind in ("string_type", "string_unicode", "string_sub_type"):
        return t("input.text")
    if kind in ("string_too_long", "too_long"):
        return t("input.too_long", limit=ctx.get("max_length", "–"))
    if kind == "string_pattern_mismatch":
        return t("input.case_id" if loc == ("id",) else "input.pattern", value=shown)
    if kind.startswith("date_"):
        return t("input.day", value=shown)
    if kind.startswith("datetime_") or kind.startswith("timezone_"):
        return t("input.moment", value=shown)
    if kind in ("greater_than_equal", "greater_than"):
        return t("input.at_least", value=shown, limit=ctx.get("ge", ctx.get("gt", "–")))
    if kind in ("less_than_equal", "less_than"):
        return t("input.at_most", value=shown, limit=ctx.get("le", ctx.get("lt", "–")))
    return t("input.invalid", value=shown)


def _model_in(annotation: object) -> type[BaseModel] | None:
    """The model an annotation holds (``Outcome | None``, ``list[Reason]``), if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        if (found := _model_in(arg)) is not None:
            return found
    return None


def _fields_at(title: str, loc: tuple[int | str, ...]) -> tuple[str, ...]:
    """The fields allowed where an unknown one was found: the model named ``title`` (``Case``,
    ``Assessment``) walked along the location."""
    found = getattr(models, title, None)
    current = found if isinstance(found, type) and issubclass(found, BaseModel) else None
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        if current is None or part not in current.model_fields:
            return ()
        current = _model_in(current.model_fields[part].annotation)
    return tuple(current.model_fields) if current is not None else ()


# The json module's English sentences (and jsonstream's, which repeat them), by their opening
# words, to the codes the catalogs phrase (``input.json_problem.<code>``).
JSON_PROBLEMS: tuple[tuple[str, str], ...] = (
    ("Expecting value", "value"),
    ("Expecting property name", "name"),
    ("Expecting ':'", "colon"),
    ("Expecting ','", "comma"),
    ("Extra data", "extra"),
    ("Unterminated string", "string"),
    ("Invalid control character", "control"),
    ("Invalid \\uXXXX", "escape"),
    ("Invalid \\escape", "escape"),
    ("NaN ", "constant"),  # jsonstream refuses the constants Python's json would read
    ("Infinity ", "constant"),
    ("-Infinity ", "constant"),
)


def json_problem(msg: str, t: Translator) -> str:
    """What a JSON parser found wrong, in the user's language."""
    code = next((code for start, code in JSON_PROBLEMS if msg.startswith(start)), "other")
    return t(f"input.json_problem.{code}")
