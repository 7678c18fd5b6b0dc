"""Indexes for the review's sorts and its code search: area and recommendation sort as
``coalesce(column, '')`` (an empty value never meets NULL in the keyset comparison), status
sorts with the id after it, and the code is searched without its separators. Without them a
sort by area, recommendation or status read and sorted every case, and a code search read
every code (issue 22: up to 0.5 s at 100,000 cases).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The expressions exactly as store/review.py writes them, literals inlined: a database uses an
# index on an expression only for the same expression.
INDEXES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ix_cases_area_sort", ("coalesce(area, '')", "id")),
    ("ix_cases_recommended_sort", ("coalesce(recommended, '')", "id")),
    ("ix_cases_status_sort", ("status", "id")),
    ("ix_cases_code_search", ("replace(replace(upper(code), '-', ''), ' ', '')", "id")),
)


def upgrade() -> None:
    for name, parts in INDEXES:
        op.create_index(name, "cases", [sa.text(p) if "(" in p else p for p in parts], unique=False)


def downgrade() -> None:
    for name, _ in reversed(INDEXES):
        op.drop_index(name, table_name="cases")
