"""Trainee results for training mode (used in the training database only).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "trainee_results",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pseudonym", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("case_id", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        *(
            sa.Column(d, sa.Integer(), nullable=True)
            for d in ("affairs", "services", "housing", "employment", "finances", "health", "relations")
        ),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("recommended", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("trainee_results", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_trainee_results_pseudonym"), ["pseudonym"], unique=False)
        batch_op.create_index(batch_op.f("ix_trainee_results_case_id"), ["case_id"], unique=False)


def downgrade() -> None:
    op.drop_table("trainee_results")
