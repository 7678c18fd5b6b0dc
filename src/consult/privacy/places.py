"""Street addresses and birth dates: warned, not refused, since a worker may mean an office or
a meeting.
"""

from __future__ import annotations

import re
from datetime import date

from consult.privacy.findings import Taken, valid_date
from consult.privacy.normalise import Normalised

_ADDRESS = re.compile(
    r"[A-ZÅÄÖ](?<![\w-][A-ZÅÄÖ])[a-zåäö-]{0,40}(?:katu|tie|kuja|polku|raitti|väylä|ranta|kaari|rinne|mäki|tori|"
    r"puistikko|gatan|vägen|gränd|stigen) {1,3}\d{1,4}(?: ?[A-Za-z]\b)?(?: ?(?:as\.?|bst\.?) ?\d{1,3})?"
)
_DATE = re.compile(r"(\d{1,2})\. ?(\d{1,2})\. ?(\d{4})(?!\d)")


def street_addresses(view: Normalised) -> list[tuple[int, int]]:
    """Original spans of the street addresses in the view."""
    return [view.original_span(*m.span()) for m in _ADDRESS.finditer(view.text)]


def birth_dates(view: Normalised, today: date, taken: Taken) -> list[tuple[int, int]]:
    found = []
    text = view.text
    for match in _DATE.finditer(text):
        if match.start() and (text[match.start() - 1].isdigit() or text[match.start() - 1] == "."):
            continue  # the end of a longer number: 2024.12.1990
        # A date more than 15 years back is more likely someone's birthday than a meeting.
        if int(match[3]) > today.year - 15 or not valid_date(int(match[1]), int(match[2]), int(match[3])):
            continue
        span = view.original_span(*match.span())
        if not taken.overlaps(*span):
            found.append(span)
    return found
