"""Free text as it is kept: control characters and terminal escape sequences removed, and one
length limit per field, the same for the screens, the store, bundles and rules files.

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
    "code": 16,  # a case's code (the column's length)
    "rules_version": 20,  # a rules version's name (the column's length)
    "reason": 1000,  # one reason of a recommendation, or its wording in a rules file
    "rule": 64,  # the name of the rule a reason comes from
    # A meeting's action (core.meeting's OWNER_ROLE_LENGTH and WHAT_LENGTH, the columns').
    "owner_role": 80,  # the owning organisation's role, never a person
    "what": 1000,  # what the team agreed the owner does
}

# Terminal escape sequences, 7-bit (ESC …) and 8-bit (C1) forms, whole, so no payload is left:
# CSI (colours, cursor moves), the string sequences OSC, DCS, SOS, PM and APC (window titles,
# hyperlinks, clipboard writes) up to their terminator (BEL or ST) or, cut short, the end;
# then two-character escapes (ESC 7, ESC c, ESC ( B). Any C0 or C1 control left goes after.
_ESCAPES = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[ -/]*[0-~]?"
)
# A tab or line break becomes a space: notes are one line.
_BREAKS = re.compile(r"[\t\n\r\v\f\x85\u2028\u2029]+")
# What is left of C0 and C1 (and DEL), and the bidirectional embeddings, overrides and
# isolates, which make a text display as something other than what it holds.
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def clean(text: str) -> str:
    """The text as it may be stored: no control characters, surrounding space trimmed."""
    if text.isprintable() and text.isascii():  # the usual note: nothing to take out
        return text.strip()
    text = _ESCAPES.sub("", text)
    text = _BREAKS.sub(" ", text)
    return _CONTROLS.sub("", text).strip()


def has_controls(text: str) -> bool:
    """Whether ``clean`` would take anything out of ``text`` besides surrounding space."""
    return _CONTROLS.search(text) is not None


def too_long(field: str, cleaned: str, limit: int | None = None) -> int | None:
    """The field's limit when ``cleaned`` (text as ``clean`` returns it) exceeds it, else None."""
    limit = LIMITS[field] if limit is None else limit
    return limit if len(cleaned) > limit else None
