"""The review list's columns: a short label per language and a width that fits every value.

Widths come from the words themselves (the longest label or value in the viewer's language),
so a translation that grows never cuts a value to "healt" again; the catalog keeps them short
enough that the whole row fits 80 columns (a test checks every language).
"""

from __future__ import annotations

from consult.core.vocabulary import AREAS, WORKER_ORGS
from consult.i18n import Translator

PRIMARIES = ("tym", "bilateral", "social_services", "own_service")
STATUSES = ("awaiting_team", "referred_directly", "team_decided", "draft")
CODE_WIDTH = 7  # "ACD-EFG"
DATE_WIDTH = 10  # "31.12.2026", "2026-12-31"
FLAGS_WIDTH = 13  # two flags side by side; more are rare and the cell ends the row's meaning
CELL_PADDING = 2  # DataTable's one space either side of every cell
# Which case and where it stands first: at 60 columns the rest scrolls sideways, the key
# columns stay in view.
ORDER = ("code", "date", "status", "primary", "area", "org", "flags")
# The bottleneck list (pending over N days) adds how long each case has waited, beside where it
# stands: the one figure that list is for.
BOTTLENECK_ORDER = ("code", "date", "status", "waiting", "primary", "area", "org", "flags")
WAITING_DAYS_DIGITS = 4  # up to MAX_PENDING_DAYS and a little beyond


def value_words(t: Translator) -> dict[str, list[str]]:
    """Every word a column can show, per column."""
    return {
        "area": [t(f"area.{a}") for a in AREAS],
        "org": [t(f"worker_org_short.{o}") for o in WORKER_ORGS],
        "primary": [t(f"primary_short.{p}") for p in PRIMARIES],
        "status": [t(f"status_short.{s}") for s in STATUSES],
    }


def column_order(waiting: bool = False) -> tuple[str, ...]:
    return BOTTLENECK_ORDER if waiting else ORDER


def review_columns(t: Translator, waiting: bool = False) -> list[tuple[str, str, int]]:
    """(key, label, width) of each column, in order; ``waiting`` adds the days-waiting column of
    the bottleneck list."""
    words = value_words(t)
    fixed = {
        "code": CODE_WIDTH,
        "date": DATE_WIDTH,
        "flags": FLAGS_WIDTH,
        "waiting": len(t("review.waiting_days", days="9" * WAITING_DAYS_DIGITS)),
    }
    columns = []
    for key in column_order(waiting):
        label = t(f"column.{key}")
        width = max([len(label), fixed.get(key, 0), *(len(w) for w in words.get(key, []))])
        columns.append((key, label, width))
    return columns


def row_width(t: Translator) -> int:
    return sum(width + CELL_PADDING for _, _, width in review_columns(t))
