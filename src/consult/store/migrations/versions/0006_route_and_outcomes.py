"""The route a case was saved by, kept apart from its status, and what happened after the
referral (outcomes), with the newest outcome copied onto the case row for the figures; and
each case's Finnish calendar day, so the figures count whole days in SQL.

Revision ID: 0006
Revises: 0005r
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0006"
# After the rules in force (0005r), made on a branch of its own at the same time.
down_revision: str | Sequence[str] | None = "0005r"
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
        batch_op.add_column(sa.Column("created_day", sa.Date(), nullable=True))
        batch_op.create_index(batch_op.f("ix_cases_created_day"), ["created_day"], unique=False)
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
    # Before 0006 the route lived only in the status. A direct case the team has since decided
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
    _fill_created_day()


def _fill_created_day() -> None:
    connection = op.get_bind()
    if connection.dialect.name == "postgresql":
        op.execute("UPDATE cases SET created_day = (created_at AT TIME ZONE 'Europe/Helsinki')::date")
        return
    # SQLite has no time zones: the day is worked out here, a page of cases at a time.
    from consult.core.dates import team_day
    from consult.store.db import aware

    cases = sa.table(
        "cases",
        sa.column("id", sa.String),
        sa.column("created_at", sa.DateTime(timezone=True)),
        sa.column("created_day", sa.Date),
    )
    rows = connection.execute(sa.select(cases.c.id, cases.c.created_at)).all()
    update = (
        sa.update(cases).where(cases.c.id == sa.bindparam("case_id")).values(created_day=sa.bindparam("day"))
    )
    for start in range(0, len(rows), 2000):
        chunk = rows[start : start + 2000]
        connection.execute(update, [{"case_id": i, "day": team_day(aware(c))} for i, c in chunk])


def downgrade() -> None:
    op.drop_table("outcomes")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cases_created_day"))
        batch_op.drop_column("created_day")
        batch_op.drop_column("outcome_on")
        batch_op.drop_column("outcome_reason")
        batch_op.drop_column("outcome_path")
        batch_op.drop_column("outcome_started")
        batch_op.drop_column("route")
