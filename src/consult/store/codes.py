"""Short random case codes that a worker can read out in a team meeting."""

from __future__ import annotations

import secrets
import unicodedata

# No 0/O, 1/I/L, 5/S, 2/Z, 8/B: codes are read aloud and typed from a shared screen.
ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"


def new_code() -> str:
    chars = "".join(secrets.choice(ALPHABET) for _ in range(6))
    return f"{chars[:3]}-{chars[3:]}"


def search_key(typed: str) -> str:
    """A code as typed or read aloud, reduced to what identifies it: "pa6 dc6", "PA6DC6" and
    "ＰＡ６－ＤＣ６" all become "PA6DC6"."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", typed).upper() if ch.isascii() and ch.isalnum())
