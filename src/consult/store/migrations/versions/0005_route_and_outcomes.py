"""The route a case was saved by, kept apart from its status, and what happened after the
referral (outcomes), with the newest outcome copied onto the case row for the figures.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("route", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True))
        batch_op.add_column(sa.Column("outcome_started", sa.Boolean(), nullable=True))
        batch_op.add_column(
            sa.Column("outcome_path", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True)
        )
        batch_op.add_column(
            sa.Column("outcome_reason", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True)
        )
        batch_op.add_column(sa.Column("outcome_on", sa.Date(), nullable=True))
    op.create_table(
        "outcomes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("started", sa.Boolean(), nullable=False),
        sa.Column("path", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("outcomes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outcomes_case_id"), ["case_id"], unique=False)
    # Before 0005 the route lived only in the status. A direct case the team has since decided
    # reads "team_decided" like one brought to the team: the old data cannot tell them apart,
    # so it is taken as to_team, the same rule product.md gives for version-1 bundles.
    op.execute(
        """
        UPDATE cases SET route = CASE status
            WHEN 'referred_directly' THEN 'direct'
            WHEN 'awaiting_team' THEN 'to_team'
            WHEN 'team_decided' THEN 'to_team'
          END
        WHERE route IS NULL AND status <> 'draft'
        """
    )


def downgrade() -> None:
    op.drop_table("outcomes")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_column("outcome_on")
        batch_op.drop_column("outcome_reason")
        batch_op.drop_column("outcome_path")
        batch_op.drop_column("outcome_started")
        batch_op.drop_column("route")
