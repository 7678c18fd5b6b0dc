"""Free text as it is kept: control characters and terminal escape sequences removed, and one
length limit per field, the same for the screens, the store and bundles.

A pasted BEL or colour code is not something a worker meant to write, and a note longer than
its field is refused with the text kept for editing, never cut without a word.
"""

from __future__ import annotations

import re

LIMITS: dict[str, int] = {
    "note": 300,  # a domain's short note
    "general": 500,  # the case's general note
    "decision": 500,  # the team's decision note
    "outcome": 500,  # the note on what happened after the referral
    "pseudonym": 30,  # a trainee's pseudonym
}

# An escape sequence (CSI and OSC, as terminals and copied log lines carry them), then any
# other C0 or C1 control character. A tab or line break becomes a space: notes are one line.
_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x9b[0-?]*[ -/]*[@-~]")
_BREAKS = re.compile(r"[\t\n\r\v\f\u2028\u2029]+")
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def clean(text: str) -> str:
    """The text as it may be stored: no control characters, surrounding space trimmed."""
    text = _ESCAPES.sub("", text)
    text = _BREAKS.sub(" ", text)
    return _CONTROLS.sub("", text).strip()


def too_long(field: str, cleaned: str) -> int | None:
    """The field's limit when ``cleaned`` (text as ``clean`` returns it) exceeds it, else None."""
    limit = LIMITS[field]
    return limit if len(cleaned) > limit else None
