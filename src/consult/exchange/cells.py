"""A cell of a CSV file as a spreadsheet may safely read it, the same for the machine's CSV
(``bundle.export_csv``) and the reader's (``spreadsheet``).

A spreadsheet runs a cell that starts like a formula (``=``, ``+``, ``-``, ``@``), and some
also after leading space, a no-break space or the fullwidth forms (``＝``); a control
character or escape sequence in a cell acts on the terminal the CSV is printed to. So the
text is cleaned as every text is kept (``consult.privacy.free_text``: escapes and controls
out, line breaks as spaces), and a cell that still starts with space or a formula character
is written as text, behind a ``'``.
"""

from __future__ import annotations

import unicodedata

from consult.privacy.free_text import clean, has_controls

FORMULA_START = frozenset("=+-@＝＋－＠﹦﹢﹣﹫")


def safe_cell(text: str) -> str:
    if not text:
        return text
    if text.isprintable() and text[0].isalnum():  # the usual cell, in one look: nothing to do
        return text  # (every control above is unprintable; an alphanumeric starts no formula)
    if has_controls(text):
        text = clean(text) or "'"  # nothing left but controls: an empty-looking text cell
    first = text[0]
    if first in FORMULA_START or first.isspace() or unicodedata.category(first) in ("Zs", "Cf"):
        return "'" + text
    return text
