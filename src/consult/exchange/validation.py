"""Turns validation failures into one plain line that names the field and what is allowed."""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass

from pydantic import ValidationError

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
    # A message must not carry what the privacy guard refuses: a key or value is shown as "…".
    # A key may also be 200 MB or hold escape sequences: a key not fit to quote is "…".
    loc = tuple("…" if isinstance(p, str) and quotable(p) is None else p for p in loc)
    kind = first["type"]
    value = first.get("input")
    shown = _shown(value)
    section = str(loc[0]) if loc else ""
    key = str(loc[1]) if len(loc) > 1 else ""
    path = one_line(_path(prefix, loc))

    if kind == "extra_forbidden" and section in _SECTION_KEYS:
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
    elif kind in ("model_type", "dict_type", "model_attributes_type"):
        message = t("input.object")
    else:
        message = first["msg"]
    return Problem(path, one_line(message, 1000))
