"""The guard for free text: nothing that identifies a client may reach a case.

Refused: Finnish personal identity codes (every century sign, any case, with or without a
correct check character: a mistyped code still points at a person), e-mail addresses and
phone numbers. Warned (the worker may confirm): likely personal names, street addresses and
birth dates. Pure: no UI, no database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Literal

from stdnum.exceptions import InvalidChecksum, ValidationError
from stdnum.fi import hetu

Kind = Literal["identity_code", "identity_code_mistyped", "email", "phone", "name", "address", "birth_date"]
REFUSED: frozenset[str] = frozenset({"identity_code", "identity_code_mistyped", "email", "phone"})

_CENTURIES = {"+": 1800, "-": 1900, "Y": 1900, "X": 1900, "W": 1900, "V": 1900, "U": 1900,
              "A": 2000, "B": 2000, "C": 2000, "D": 2000, "E": 2000, "F": 2000}  # fmt: skip
# No boundary is required after the check character: "131052-308T4kk" must not slip through.
_IDENTITY_CODE = re.compile(r"(?<!\d)(\d{2})(\d{2})(\d{2})([-+A-FU-Y])(\d{3})([0-9A-Y])", re.I)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# A phone number: international (+358 40 123 4567) or Finnish with a leading 0 (040-123 4567,
# (09) 1234 567), digits in groups. Dates (1.3.2026), sums (1 200 €) and law numbers (381/2023)
# do not start with + or 0 followed by a digit group of this length.
_PHONE = re.compile(
    r"(?<![\w+])(?:\+\d{1,3}[\s-]?\(?\d{1,4}\)?|\(?0\d{1,3}\)?)(?:[\s-]?\d{2,4}){2,4}(?![\w])"
)
_ADDRESS = re.compile(
    r"\b[A-ZÅÄÖ][a-zåäö-]*(?:katu|tie|kuja|polku|raitti|väylä|ranta|kaari|rinne|mäki|tori|puistikko|gatan|vägen)\s+\d+[a-zA-Z]?\b"
)
_DATE = re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d{4})(?![\d])")
_WORD = re.compile(r"[A-ZÅÄÖ][a-zåäö]+(?:-[A-ZÅÄÖ][a-zåäö]+)?")


@dataclass(frozen=True, slots=True)
class Finding:
    kind: Kind
    text: str

    @property
    def refused(self) -> bool:
        return self.kind in REFUSED


@cache
def common_names() -> frozenset[str]:
    """Common Finnish first names and surnames (public name statistics), shipped as data."""
    text = resources.files("consult.data").joinpath("names_fi.txt").read_text("utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def _identity_codes(text: str) -> list[Finding]:
    found = []
    for match in _IDENTITY_CODE.finditer(text):
        day, month, year, sign = int(match[1]), int(match[2]), int(match[3]), match[4].upper()
        try:
            date(_CENTURIES[sign] + year, month, day)
        except ValueError:
            continue  # not a date: an order number or the like
        candidate = match[0].upper()
        try:
            hetu.validate(candidate, allow_temporary=True)
            kind: Kind = "identity_code"
        except InvalidChecksum:
            kind = "identity_code_mistyped"
        except ValidationError:
            kind = "identity_code"  # a real date and shape: refuse it all the same
        found.append(Finding(kind, match[0]))
    return found


def _phones(text: str) -> list[Finding]:
    found = []
    for match in _PHONE.finditer(text):
        digits = re.sub(r"\D", "", match[0])
        if 7 <= len(digits) <= 15:
            found.append(Finding("phone", match[0].strip()))
    return found


def _birth_dates(text: str, today: date) -> list[Finding]:
    found = []
    for match in _DATE.finditer(text):
        try:
            day = date(int(match[3]), int(match[2]), int(match[1]))
        except ValueError:
            continue
        # A date more than 15 years back is more likely someone's birthday than a meeting.
        if day.year <= today.year - 15:
            found.append(Finding("birth_date", match[0]))
    return found


_ENDINGS = ("lta", "ltä", "lle", "lla", "llä", "sta", "stä", "ssa", "ssä", "kin", "n", "a", "ä")


def _base_forms(word: str) -> set[str]:
    """The word and what it may inflect from: Juhan → Juha, Virtasen → Virtanen."""
    forms = {word}
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) > len(ending) + 2:
            stem = word[: -len(ending)]
            forms.add(stem)
            if stem.endswith("se"):  # -nen names: Virtanen → Virtase-n
                forms.add(stem[:-2] + "nen")
    return forms


def _names(text: str) -> list[Finding]:
    # The list holds no everyday words, so a capitalised match warns even at a sentence start.
    names = common_names()
    return [Finding("name", m[0]) for m in _WORD.finditer(text) if _base_forms(m[0]) & names]


def check(text: str, today: date | None = None) -> list[Finding]:
    """Everything in ``text`` that could identify a person, refusals first."""
    if not text:
        return []
    codes = _identity_codes(text)
    # A code's digits must not also be reported as a phone number.
    masked = text
    for finding in codes:
        masked = masked.replace(finding.text, " " * len(finding.text))
    refused = (
        codes + [Finding("email", m[0]) for m in _EMAIL.finditer(masked)] + _phones(_EMAIL.sub(" ", masked))
    )
    warned = [Finding("address", m[0]) for m in _ADDRESS.finditer(text)]
    warned += _birth_dates(masked, today or date.today()) + _names(text)
    return refused + warned


def refusals(text: str) -> list[Finding]:
    return [f for f in check(text) if f.refused]
