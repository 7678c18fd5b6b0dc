"""Identity codes and phone numbers written into a case id, whose shape is fixed (a UUID): a
code as it is written, with its sign; a phone number only where a random id does not make one
by chance.
"""

from __future__ import annotations

import re
from datetime import date

from consult.privacy.findings import Finding, valid_date
from consult.privacy.identity_codes import CENTURIES, check_character
from consult.privacy.normalise import normalise
from consult.privacy.phones import library_phones, phone_library
from consult.privacy.structured_codes import canonical_view

# A code written into an identifier whose shape is fixed (a case's UUID): as it is written,
# with its sign, no spaces. A wrong check character or a missing sign is not enough here: a
# random UUID has those by chance about once in a hundred.
_WRITTEN_CODE = re.compile(r"(?=(\d{6})([-+A-FU-Y])(\d{3})([0-9A-Y]))", re.IGNORECASE)
# A random (version 4, RFC 4122) UUID as generators write it.
_RANDOM_UUID = re.compile(
    r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", re.IGNORECASE
)


# What every code written out begins with: most ids have no six digits in a row.
_SIX_DIGITS = re.compile(r"\d{6}")


def identity_codes_written(text: str, today: date | None = None) -> list[Finding]:
    """Identity codes with a correct check character and the birth date of someone who could
    be a client (15 to 100 years old), written out as in a UUID."""
    if not _SIX_DIGITS.search(text):
        return []
    today = today or date.today()
    found = []
    for match in _WRITTEN_CODE.finditer(text):
        digits, sign, individual, check_char = match[1], match[2].upper(), match[3], match[4].upper()
        year = CENTURIES[sign] + int(digits[4:6])
        if (
            valid_date(int(digits[:2]), int(digits[2:4]), year)
            and today.year - 100 <= year <= today.year - 15
            and int(individual) >= 2
            and check_char == check_character(digits, individual)
        ):
            found.append(Finding("identity_code", text[match.start() : match.start() + 11]))
    return found


def identity_codes_in_identifier(text: str, today: date | None = None) -> list[Finding]:
    """The identity codes written into a case id: a UUID's A–F are century signs, so a code can
    hide in one. In an id of the random (version 4) shape, a code across the UUID's own dashes
    is not judged (one such id in 40,000 reads so by chance, and a bundle of exported cases
    must not be refused for codes nobody wrote); a code with an A–F sign inside one group is
    (by chance about one id in 330,000, and the app never makes such an id). Any other id is
    judged whole."""
    if not _SIX_DIGITS.search(text):
        return []
    if not _RANDOM_UUID.fullmatch(text):
        return identity_codes_written(text, today)
    return [
        finding
        for group in text.split("-")
        for finding in identity_codes_written(group, today)
        if finding.text[6].upper() in "ABCDEF"
    ]


def phones_in_identifier(text: str) -> list[Finding]:
    """Phone numbers written into a case id. In an id of the random (version 4) shape only a
    last group of twelve digits dialled as a mobile number (358 40 1234567) is judged: a run
    of digits anywhere in it, or a landline, would be refused in about one random id in
    five hundred. Any other
    id is judged as text."""
    if not _RANDOM_UUID.fullmatch(text):
        view = canonical_view(normalise(text))
        return [Finding("phone", text[slice(*view.original_span(s, e))]) for s, e in library_phones(view)]
    library = phone_library()
    last = text.rsplit("-", 1)[1]
    if not last.isdigit() or not last.startswith(("04", "050", "3584", "35850")):
        return []
    try:
        number = library.parse(last if last.startswith("0") else f"+{last}", "FI")
    except library.NumberParseException:
        return []
    return [Finding("phone", last)] if library.is_valid_number(number) else []
