"""The privacy guard: text normalised to a canonical form, identifiers refused, likely names,
addresses and birth dates pointed out, and the limits of free text.

Each module imports only modules listed after it, so there is no circle:

- ``guard``: the public API (``check``, ``refusals``, ``refuse_identifiers``, ``check_case``,
  ``refuse_case_identifiers``, ``warm_up``…), which combines the detectors below.
- ``case_ids``: identity codes and phone numbers written into a case id.
- ``structured_codes``: identity codes by structure and checksum in the canonical form.
- ``identity_codes``: identity codes as people write them; the century signs, the check
  character and the parts of a text worth looking at.
- ``phones``: phone numbers by pattern and by ``phonenumbers``, less times, dates and IDs.
- ``emails``: e-mail addresses around a written ``@``.
- ``places``: street addresses and birth dates.
- ``morphology``: names by Finnish morphology (Voikko).
- ``names``: names by the name lists and their inflected forms; the word lists.
- ``findings``: what the detectors share (kinds, ``Finding``, the spans already taken).
- ``normalise``: text as the guard reads it (and the canonical form), with the way back to
  the text as written.
- ``free_text``: control characters removed, and each field's length limit.

May import: consult.core, consult.i18n and the data files. No UI, no database.
"""
