"""E-mail addresses: with a domain around each ``@`` (spelled-out ones already unmasked), and
whatever stands on either side of any written ``@``.
"""

from __future__ import annotations

import re

from consult.privacy.normalise import Normalised

# Top-level domains that may follow a comma or a dot and a space ("example,fi", "example. fi"):
# only these, since a sentence goes on after a comma.
_COMMON_TLDS = r"(?:fi|com|net|org|se|eu|info|io|ax|ee|de|nu|no|dk|uk)"
_EMAIL_LOCAL = re.compile(r"[\w.+\-]+")
# The last label, the top-level domain, is letters: "hinta @ 5.50" is not an address.
_EMAIL_DOMAIN = re.compile(
    r"[\w\-]{1,63}(?:\.[\w\-]{1,63}){0,7}(?:\.[^\W\d_]{2,24}|(?:\. |, ?)" + _COMMON_TLDS + r"\b)"
)


def domain_emails(view: Normalised) -> list[tuple[int, int]]:
    """Finds each ``@`` and looks a bounded way either side: no pattern runs over the text."""
    text = view.text
    found: list[tuple[int, int]] = []
    if "@" not in text:
        return found
    # Where the run of address characters that ends at each position starts: one pass.
    run_starts = {run.end(): run.start() for run in _EMAIL_LOCAL.finditer(text)}
    position = text.find("@")
    while position != -1:
        local_start = run_starts.get(position)
        domain = _EMAIL_DOMAIN.match(text, position + 1)
        if local_start is not None and domain is not None:
            found.append(view.original_span(max(local_start, position - 64), domain.end()))
        position = text.find("@", position + 1)
    return found


# --- E-mail addresses around a written "@" ---------------------------------------------------
#
# Whatever is on either side of a written "@" (＠, &#64; and &amp;#64; are one already): a
# local part, perhaps quoted, and a host with or without a top-level domain (nimi@alue,
# x@localhost), spaces or another "@" between. A host starts with a letter: "hinta @ 5.50".
_LOCAL_BEFORE = re.compile(r"(?:\"[^\"\n]{1,64}\"|[\w.+\-']{1,64})[ \t]{0,2}@{1,3}$")
_HOST_AFTER = re.compile(r"@{0,2}[ \t]{0,2}[^\W\d_][\w\-]{0,62}(?:(?:[.,。]|\. )[\w\-]{1,63}){0,7}")


def written_at_emails(view: Normalised, spelled: bool = False) -> list[tuple[int, int]]:
    """Spans in ``view.text``. Where the @ was spelled out (``spelled``) the host needs a dot:
    "tavattiin at Kela" is no address."""
    text, found = view.text, []
    position = text.find("@")
    while position != -1:
        local = _LOCAL_BEFORE.search(text, max(0, position - 70), position + 1)
        host = _HOST_AFTER.match(text, position + 1)
        dotted = host is not None and any(c in host[0] for c in ".,。")
        if (
            local is not None
            and host is not None
            and any(c.isalnum() for c in local[0])
            and (dotted or not spelled)
        ):
            found.append((local.start(), host.end()))
            position = text.find("@", host.end())
            continue
        position = text.find("@", position + 1)
    return found
