"""The flag indexes of 0013 kept to the flagged cases only.

A review filtered by a flag reads only flagged cases, so an index holding every case (most
of them unflagged) was written on every import for rows no page reads: the four indexes cost
the import a third of its time at 100,000 cases. Holding only the flagged cases they cost a
few percent, and the page is still an index walk (the review writes "flag = true", which is
the indexes' own condition, so both databases use them).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | Sequence[str] | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FLAGS = ("safety", "urgent", "insufficient_data", "bring_to_team")
# The sort key exactly as store/review.py writes it: an expression's index serves only the same
# expression.
KEY = "coalesce(recommended, '')"


def _name(flag: str) -> str:
    return f"ix_cases_flag_{flag}_recommended"


def upgrade() -> None:
    for flag in FLAGS:
        op.drop_index(_name(flag), table_name="cases")
        op.create_index(
            _name(flag),
            "cases",
            # The flag leads although it is the same in every row: the planner then sees the
            # review's "flag = true" answered by this index, in order, and does not sort.
            [f"flag_{flag}", sa.text(KEY), "id"],
            unique=False,
            # As each database renders the review's "flag = true": SQLite keeps booleans as 1.
            sqlite_where=sa.text(f"flag_{flag} = 1"),
            postgresql_where=sa.text(f"flag_{flag} = true"),
        )


def downgrade() -> None:
    for flag in reversed(FLAGS):
        op.drop_index(_name(flag), table_name="cases")
        op.create_index(_name(flag), "cases", [f"flag_{flag}", sa.text(KEY), "id"], unique=False)
