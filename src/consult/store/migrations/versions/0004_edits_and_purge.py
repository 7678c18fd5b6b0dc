"""Edits of saved cases kept as history, a log of purges, and the newest team decision filled
in on cases decided before 0002 added its columns.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "case_edits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("field", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("old_value", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("new_value", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("edited_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("case_edits", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_edits_case_id"), ["case_id"], unique=False)
    op.create_table(
        "purge_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ran_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("draft_days", sa.Integer(), nullable=False),
        sa.Column("retention_days", sa.Integer(), nullable=False),
        sa.Column("drafts_removed", sa.Integer(), nullable=False),
        sa.Column("cases_removed", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    # 0002 added decision_path/decided_at empty: a database decided under 0001 would have
    # dropped out of the follow-up's decision figures. Fill them from the newest decision.
    op.execute(
        """
        UPDATE cases SET
          decision_path = (SELECT d.path FROM team_decisions d WHERE d.case_id = cases.id
                           ORDER BY d.id DESC LIMIT 1),
          decided_at = (SELECT d.decided_at FROM team_decisions d WHERE d.case_id = cases.id
                        ORDER BY d.id DESC LIMIT 1)
        WHERE status = 'team_decided' AND decision_path IS NULL
        """
    )


def downgrade() -> None:
    op.drop_table("purge_runs")
    op.drop_table("case_edits")
