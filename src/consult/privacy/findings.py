"""What every detector of the guard shares: the kinds of finding and which of them are
refused, a finding as reported, the spans of the text already reported, and whether a day is
in the calendar.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from datetime import date
from typing import Literal

Kind = Literal["identity_code", "identity_code_mistyped", "email", "phone", "name", "address", "birth_date"]
REFUSED: frozenset[str] = frozenset({"identity_code", "identity_code_mistyped", "email", "phone"})


@dataclass(frozen=True, slots=True)
class Finding:
    kind: Kind
    text: str

    @property
    def refused(self) -> bool:
        return self.kind in REFUSED


def valid_date(day: int, month: int, year: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


class Taken:
    """Spans of the original text already reported; overlap is found by bisection, so a text
    with a hundred thousand findings is not compared pairwise."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        spans = sorted(spans) if len(spans) > 1 else spans
        self.starts = [start for start, _ in spans]
        self.reach: list[int] = []  # the furthest end among the spans up to here
        for _, end in spans:
            self.reach.append(max(end, self.reach[-1]) if self.reach else end)

    def overlaps(self, start: int, end: int) -> bool:
        before = bisect_left(self.starts, end)
        return before > 0 and self.reach[before - 1] > start
