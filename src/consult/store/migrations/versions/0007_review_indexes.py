"""Indexes for the review's filters: area, recommendation, each flag and the outcome, each
with the saving time after it, so the newest-first page of any filter is an index walk and
its count reads an index, not every case (issue 22: 0.33 s at 300,000 cases, growing with
them).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = (
    ("ix_cases_area_created", "area"),
    ("ix_cases_recommended_created", "recommended"),
    ("ix_cases_flag_safety_created", "flag_safety"),
    ("ix_cases_flag_urgent_created", "flag_urgent"),
    ("ix_cases_flag_insufficient_data_created", "flag_insufficient_data"),
    ("ix_cases_flag_bring_to_team_created", "flag_bring_to_team"),
    ("ix_cases_outcome_started_created", "outcome_started"),
)


def upgrade() -> None:
    for name, column in INDEXES:
        op.create_index(name, "cases", [column, "created_at"], unique=False)


def downgrade() -> None:
    for name, _ in reversed(INDEXES):
        op.drop_index(name, table_name="cases")
