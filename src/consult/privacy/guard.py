"""The guard for free text: nothing that identifies a client may reach a case.

Refused: Finnish personal identity codes (every century sign, any case; with a written century
sign also a wrong check character, since a mistyped code still points at a person), e-mail
addresses and phone numbers. Warned (the worker may confirm): likely personal names, street
addresses and birth dates. Pure: no UI, no database.

The text is normalised before it is looked at (see ``consult.privacy.normalise``), so the ways people
actually write and paste identifiers (fullwidth digits, a zero-width space or soft hyphen
inside, an en dash as the century sign, percent-encoding, ``x at example dot fi``) are caught.
Every pattern has bounded repetition and every pass is one walk over the text: a pasted
megabyte is checked in well under a second. A finding reports the original substring.

This module keeps what combines the detectors, each in a module of its own:
``identity_codes`` (codes as written), ``structured_codes`` (codes by structure and checksum),
``phones``, ``emails``, ``places`` (addresses, birth dates), ``names`` (the name lists) and
``morphology`` (Voikko), ``case_ids`` (a case's id), over what they share in ``findings``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from itertools import pairwise

from consult.privacy.case_ids import (
    identity_codes_in_identifier,
    identity_codes_written,
    phones_in_identifier,
)
from consult.privacy.emails import domain_emails, written_at_emails
from consult.privacy.findings import REFUSED, Finding, Kind, Taken
from consult.privacy.identity_codes import codes_as_written
from consult.privacy.morphology import morphology_names, voikko
from consult.privacy.names import common_names, listed_names
from consult.privacy.normalise import Normalised, may_hold_email, normalise, unmask_email
from consult.privacy.phones import library_phones, pattern_phones, phone_library
from consult.privacy.places import birth_dates, street_addresses
from consult.privacy.structured_codes import canonical_view, codes_by_structure

__all__ = [
    "REFUSED",
    "CaseFinding",
    "Finding",
    "IdentifierRefused",
    "Kind",
    "case_refusals",
    "check",
    "check_case",
    "common_names",
    "identity_codes_in_identifier",
    "identity_codes_written",
    "phones_in_identifier",
    "refusals",
    "refuse_case_identifiers",
    "refuse_identifiers",
    "refuse_split_identifiers",
    "split_identifiers",
    "warm_up",
]


_ANY_DIGIT = re.compile(r"\d")


def _overlapping_dropped(
    spans: list[tuple[int, int]], kind: Kind, found: list[tuple[tuple[int, int], Kind]]
) -> list[tuple[tuple[int, int], Kind]]:
    taken = Taken([span for span, _ in found])
    return [(span, kind) for span in sorted(set(spans)) if not taken.overlaps(*span)]


# Characters that make text display in another order than it is stored: behind a right-to-left
# override "T803-250131" shows as a code.
_REORDERING = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def _recall_refusals(
    text: str,
    view: Normalised,
    numbers: bool,
    today: date,
    found: list[tuple[tuple[int, int], Kind]],
    at: bool = True,
) -> list[tuple[tuple[int, int], Kind]]:
    """What the canonical form adds to the spellings ``check`` knows: codes by structure and
    checksum, phones by ``phonenumbers``, addresses around any written @ (``at``: the text may
    hold one, see ``may_hold_email``)."""
    added: list[tuple[tuple[int, int], Kind]] = []
    if at:
        addresses = [view.original_span(s, e) for s, e in written_at_emails(view)]
        for unmasked in (unmask_email(view), unmask_email(view, name_first=False)):
            if unmasked is not view:
                addresses += [
                    unmasked.original_span(s, e) for s, e in written_at_emails(unmasked, spelled=True)
                ]
        added = _overlapping_dropped(addresses, "email", found)
    if not numbers:
        return added
    canonical = canonical_view(view)
    codes = codes_by_structure(canonical, today)
    if _REORDERING.search(text):
        backwards = canonical_view(normalise(text[::-1]))
        codes += [(len(text) - e, len(text) - s) for s, e in codes_by_structure(backwards, today)]
    added += _overlapping_dropped(codes, "identity_code", found + added)
    phones = [canonical.original_span(s, e) for s, e in library_phones(canonical)]
    added += _overlapping_dropped(phones, "phone", found + added)
    return added


def check(text: str, today: date | None = None) -> list[Finding]:
    """Everything in ``text`` that could identify a person, each once: refusals first, then
    warnings, each group in the order written. ``Finding.text`` is the text as written."""
    if not text:
        return []
    today = today or date.today()
    view = normalise(text)
    # Codes, phones, addresses and dates all hold a digit; most notes' sentences hold none.
    numbers = _ANY_DIGIT.search(view.text) is not None
    codes = (
        [(view.original_span(s, e), kind, signed) for s, e, kind, signed in codes_as_written(view)]
        if numbers
        else []
    )
    signed = [(span, kind) for span, kind, with_sign in codes if with_sign]
    # Most texts hold no "@", written or spelled out: the address detectors are not asked.
    at = may_hold_email(view)
    emails = domain_emails(unmask_email(view)) if at else []
    refused: list[tuple[tuple[int, int], Kind]] = signed + [(span, "email") for span in emails]
    if numbers:
        phones = pattern_phones(view, Taken([span for span, _ in refused]))
        refused += [(span, "phone") for span in phones]
        # Ten digits without a sign that are also phone-shaped (040 377 1944) are a phone number.
        taken = Taken([span for span, _ in refused])
        refused += [
            (span, kind) for span, kind, with_sign in codes if not with_sign and not taken.overlaps(*span)
        ]
    refused += _recall_refusals(text, view, numbers, today, refused, at)
    refused.sort()
    addresses = street_addresses(view) if numbers else []
    warned: list[tuple[tuple[int, int], Kind]] = [(span, "address") for span in addresses]
    if numbers:
        taken = Taken([span for span, _ in refused])
        warned += [(span, "birth_date") for span in birth_dates(view, today, taken)]
    taken = Taken([span for span, _ in refused] + addresses)
    names = listed_names(view, taken)
    morphology = [view.original_span(s, e) for s, e in morphology_names(view)]
    names += [span for span in morphology if not taken.overlaps(*span) and span not in names]
    warned += [(span, "name") for span in names]
    warned.sort()
    return [Finding(kind, text[start:end]) for (start, end), kind in refused + warned]


def refusals(text: str) -> list[Finding]:
    return [f for f in check(text) if f.refused]


class IdentifierRefused(ValueError):
    """Text with an identifier offered for storage; ``str()`` names the field and the kinds
    found, never the text."""


def refuse_identifiers(field: str, text: str) -> None:
    """The store's last line: the screens and the import check first and say it in words, so
    this only fires on a path that forgot to (raises IdentifierRefused)."""
    if text and (found := refusals(text)):
        kinds = ", ".join(dict.fromkeys(f.kind for f in found))
        raise IdentifierRefused(f"{field}: {kinds}")


@dataclass(frozen=True, slots=True)
class CaseFinding:
    """A finding in a case's texts: the fields it is in (two when it is split across them) and
    its kind; never the text."""

    fields: tuple[str, ...]
    kind: Kind

    @property
    def refused(self) -> bool:
        return self.kind in REFUSED


# How much of the end of one field is read together with the next: a code split across two
# fields has its parts near the end of one and the start of the other.
_JOINED_TAIL = 200
# Words that say what follows is the end of an identity code; after them a bare "3085" is
# read as the individual number and check character.
_CODE_END_CUE = re.compile(r"loppuosa|loppu|tarkiste|hetu|henkilötunnu|tunnuks|personbeteckning|slutet", re.I)
_BARE_CODE_END = re.compile(r"(?<![\w.,/+-])\d{3}[0-9A-Y](?!\w)", re.IGNORECASE)
# Past this many fields only neighbours are read together (a bundle row has a dozen).
_ALL_PAIRS_UP_TO = 40


# The code-like end of one text and the first code-like piece of the other (past a few words
# that hold no digit: "loppuosa", "jatkuu"): a code cut anywhere, "131052-3" | "08T", is
# whole again when the two pieces are written one after the other.
_CODE_PIECE_END = re.compile(r"[0-9A-Za-z+\-]{1,11}\W*$")
_CODE_PIECE_START = re.compile(r"^\W*(?:[^\W\d]+\W+){0,3}?((?=[A-Za-z+\-]*\d)[0-9A-Za-z+\-]{1,11})")


def _split_inside(head: str, tail: str, today: date) -> bool:
    end = _CODE_PIECE_END.search(head)
    start = _CODE_PIECE_START.search(tail)
    if end is None or start is None:
        return False
    before, after = end.group().rstrip(" .,;:!?\n\t"), start.group(1)
    if not any(c.isdigit() for c in before + after):
        return False
    joined = before + after
    if not 10 <= len(joined) <= 14:
        return False
    view = canonical_view(normalise(joined))
    return any(s < len(before) < e for s, e in codes_by_structure(view, today))


_DIGITS_END = re.compile(r"\+?[\d][\d \-/]{1,14}\W*$")
_DIGITS_START = re.compile(r"^\W*(?:[^\W\d]+\W+){0,3}?(\d[\d \-/]{1,14})")


def _phone_split(head: str, tail: str) -> bool:
    """A phone number cut in two, "soitto 040 123" | "jatko 45 67": the two runs of digits
    written one after the other are a valid number, and neither was one alone."""
    end, start = _DIGITS_END.search(head), _DIGITS_START.search(tail)
    if end is None or start is None:
        return False
    before, after = end.group().rstrip(" .,;:!?-/\n\t"), start.group(1).rstrip(" -/")
    joined = f"{before} {after}"
    view = canonical_view(normalise(joined))
    return any(s < len(before) < e for s, e in library_phones(view))


def split_identifiers(texts: Mapping[str, str], today: date | None = None) -> list[CaseFinding]:
    """Identifiers that two texts form only together (each named by both fields): the texts
    on their own are not read again here, so a caller that has checked them pays only this."""
    today = today or date.today()
    found: dict[tuple[tuple[str, str], Kind], None] = {}
    numbered = [(field, text) for field, text in texts.items() if text and _ANY_DIGIT.search(text)]
    if len(numbered) <= _ALL_PAIRS_UP_TO:
        pairs = [(a, b) for a in numbered for b in numbered if a[0] != b[0]]
    else:
        pairs = list(pairwise(numbered)) + [(b, a) for a, b in pairwise(numbered)]
    for (first, first_text), (second, second_text) in pairs:
        head = first_text[-_JOINED_TAIL:]
        tail = second_text[:_JOINED_TAIL]
        if _CODE_END_CUE.search(tail):  # "loppuosa 3085": the four digits are the code's end
            tail = _BARE_CODE_END.sub(r"-\g<0>", tail)
        joined = f"{head}\n{tail}"
        boundary = len(head)
        canonical = canonical_view(normalise(joined))
        for start, end in codes_by_structure(canonical, today):
            if start < boundary < end:
                found[((first, second), "identity_code")] = None
        if _split_inside(head, tail, today):
            found[((first, second), "identity_code")] = None
        if _phone_split(head, tail):
            found[((first, second), "phone")] = None
    return [CaseFinding(fields, kind) for fields, kind in found]


def check_case(
    texts: Mapping[str, str], case_id: str | None = None, today: date | None = None
) -> list[CaseFinding]:
    """Everything in a case's texts (field name → text) that could identify a person: each
    text on its own, then every two texts read together, so that "syntymäaika 131052" in one
    field and "loppuosa -308T" in another is found (named by both fields); and the case id,
    for identity codes and phone numbers. Refusals first."""
    today = today or date.today()
    found: dict[tuple[tuple[str, ...], Kind], None] = {}
    for field, text in texts.items():
        for finding in check(text, today):
            found[((field,), finding.kind)] = None
    for split in split_identifiers(texts, today):
        found[(split.fields, split.kind)] = None
    if case_id:
        for finding in identity_codes_in_identifier(case_id, today) + phones_in_identifier(case_id):
            found[(("id",), finding.kind)] = None
    ordered = sorted(found, key=lambda key: (key[1] not in REFUSED, key[0]))
    return [CaseFinding(fields, kind) for fields, kind in ordered]


def case_refusals(texts: Mapping[str, str], case_id: str | None = None) -> list[CaseFinding]:
    return [finding for finding in check_case(texts, case_id) if finding.refused]


def refuse_case_identifiers(texts: Mapping[str, str], case_id: str | None = None) -> None:
    """The store's last line for a whole case (raises IdentifierRefused naming the fields and
    kinds, never the text)."""
    _refuse(case_refusals(texts, case_id))


def refuse_split_identifiers(texts: Mapping[str, str]) -> None:
    """The same for what two texts form together, where each text was checked on its own."""
    _refuse([f for f in split_identifiers(texts) if f.refused])


def _refuse(found: list[CaseFinding]) -> None:
    if found:
        named = "; ".join(f"{' + '.join(f.fields)}: {f.kind}" for f in found)
        raise IdentifierRefused(named[:500])


def warm_up() -> None:
    """Imports the morphology (seconds); for a worker thread, so the first note needs not wait."""
    voikko()
    phone_library()
