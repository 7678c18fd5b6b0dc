"""Indexes for the review sorted by recommendation while a flag filters it: each flag with the
recommendation's sort key and the id after it.

The flags and the recommendation come from the same rules, so they go together: among the
first thousands of cases in the recommendation's order there may be no case with a flag at
all, and the page was read from every flagged case, sorted (0.13 s at 300,000 cases, with a
flag on 40 % of them). With these the page is an index walk (under a millisecond).

Revision ID: 0013
Revises: 0010 (re-chained after 0011 and 0012 at merge)
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | Sequence[str] | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FLAGS = ("safety", "urgent", "insufficient_data", "bring_to_team")
# The sort key exactly as store/review.py writes it: an expression's index serves only the same
# expression.
INDEXES = tuple(
    (f"ix_cases_flag_{flag}_recommended", (f"flag_{flag}", "coalesce(recommended, '')", "id"))
    for flag in FLAGS
)


def upgrade() -> None:
    for name, parts in INDEXES:
        op.create_index(name, "cases", [sa.text(p) if "(" in p else p for p in parts], unique=False)


def downgrade() -> None:
    for name, _ in reversed(INDEXES):
        op.drop_index(name, table_name="cases")
