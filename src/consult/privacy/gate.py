"""One gate for all text that is stored or printed: the same cleaning, the same limits, the
same guard, wherever the text comes from (a screen, a bundle, a rules file, the settings).

- ``admit(field, text)``: the text as it may be stored, or TextRefused naming the field and
  the kind of problem (a NUL, too long, an identifier), never the text;
- ``exact(field, text)``: the same, but a text that cleaning would change is refused too, for
  input read from a file (an import stores what the file holds or nothing);
- ``shown(text)``: a piece of the input fit to quote in a message: short, one line, no
  escape sequence, nothing the guard finds; ``None`` when it must not be quoted at all;
- ``for_terminal(text)``: what may be printed to a terminal: no escape sequence or control
  character but the line breaks.

Measured: the guard is linear, but a 54 MB note is still a minute of it, so the length is
judged first and an over-long text never reaches the guard.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from consult.i18n import Translator
from consult.privacy.free_text import LIMITS, clean, has_controls

if TYPE_CHECKING:
    from consult.privacy.guard import Finding


Problem = Literal["nul", "controls", "too_long", "identifier"]
SHOWN = 40  # characters of the input a message may quote


def _check(text: str) -> list[Finding]:
    # The guard's detectors are imported when a text is first judged, not with the gate: what
    # only prints (``for_terminal``: every verb's output) starts without them.
    from consult.privacy.guard import check

    return check(text)


class TextRefused(ValueError):
    """A text that may not be stored. ``str()`` names the field and the problem, never the text."""

    def __init__(
        self,
        field: str,
        problem: Problem,
        *,
        limit: int | None = None,
        length: int | None = None,
        kinds: tuple[str, ...] = (),
    ) -> None:
        self.field, self.problem = field, problem
        self.limit, self.length = limit, length  # too_long: the field's limit, the text's length
        self.kinds = kinds  # identifier: the kinds the guard found
        detail = ", ".join(kinds) if kinds else (f"{length} > {limit}" if limit is not None else "")
        super().__init__(f"{field}: {problem}" + (f" ({detail})" if detail else ""))


def limit_of(field: str) -> int:
    """The limit of a field named as the store names it (``notes.general``, ``team_decision.note``,
    ``recommendation.reasons[0].text``); 1,000 characters for a field with none of its own."""
    if field in LIMITS:
        return LIMITS[field]
    if field.startswith("notes."):
        return LIMITS["general" if field == "notes.general" else "note"]
    for suffix, kind in _FIELD_KINDS:
        if field.endswith(suffix):
            return LIMITS[kind]
    return LIMITS["reason"]


_FIELD_KINDS = (
    ("team_decision.note", "decision"),
    ("outcome.note", "outcome"),
    ("rules_version", "rules_version"),
    (".rule", "rule"),
    ("code", "code"),
    ("pseudonym", "pseudonym"),
)


def admit(field: str, text: str, limit: int | None = None) -> str:
    """``text`` cleaned as every text is kept; TextRefused for a NUL (no database stores it),
    a text over the field's limit or an identifier the guard refuses."""
    if "\x00" in text:
        raise TextRefused(field, "nul")
    cleaned = clean(text)
    _judge(field, cleaned, limit)
    return cleaned


def exact(field: str, text: str, limit: int | None = None) -> str:
    """As ``admit``, but a text holding what cleaning takes out (a control character, an escape
    sequence, a line break) is refused rather than changed: what a file holds is stored as it
    is, or not at all. Surrounding space is kept as written."""
    form(field, text, limit)
    _guard(field, text)
    return text


def form(field: str, text: str, limit: int | None = None) -> None:
    """``exact`` without the guard, for a reader that runs the guard itself (the import checks
    a case's texts together and remembers the texts it has seen)."""
    if "\x00" in text:
        raise TextRefused(field, "nul")
    if has_controls(text):
        raise TextRefused(field, "controls")
    _limit(field, text, limit)


def _judge(field: str, text: str, limit: int | None) -> None:
    _limit(field, text, limit)
    _guard(field, text)


def _limit(field: str, text: str, limit: int | None) -> None:
    limit = limit_of(field) if limit is None else limit
    if len(text) > limit:  # before the guard: an over-long text is never read whole
        raise TextRefused(field, "too_long", limit=limit, length=len(text))


def _guard(field: str, text: str) -> None:
    if text and (found := [f for f in _check(text) if f.refused]):
        raise TextRefused(field, "identifier", kinds=tuple(dict.fromkeys(f.kind for f in found)))


def problem_words(error: TextRefused, t: Translator) -> str:
    """What is wrong with the text, in the user's language, without the field or the text."""
    if error.problem == "identifier":
        return t("gate.identifier", found=", ".join(t(f"privacy.kind.{kind}") for kind in error.kinds))
    if error.problem == "too_long":
        return t("gate.too_long", length=error.length, limit=error.limit)
    return t(f"gate.{error.problem}")


def for_terminal(text: str) -> str:
    """``text`` with every escape sequence and control character taken out, line by line (tabs
    become spaces), so nothing printed can move the cursor, retitle the window or ring."""
    if text.isprintable() or all(line.isprintable() for line in text.split("\n")):
        return text
    return "\n".join(_line_for_terminal(line) for line in text.split("\n"))


def _line_for_terminal(line: str) -> str:
    if line.isprintable():
        return line
    kept = clean(line)
    # clean trims; the line's own leading space is layout (an indented list) and is kept.
    indent = len(line) - len(line.lstrip(" "))
    return " " * indent + kept if kept else ""


def shown(text: str, limit: int = SHOWN, *, checked: bool = False) -> str | None:
    """``text`` fit to quote in a one-line message, or None when it is not: longer than
    ``limit``, holding a control character, or anything the guard points out (an identifier,
    a likely name). A message then names where the input is instead of what it says.
    ``checked``: the caller has found nothing in it with the guard already."""
    if len(text) > limit or not text.isprintable() or not text.strip():
        return None
    if not checked and _check(text):
        return None
    return text
