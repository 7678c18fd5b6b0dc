"""Services: the service catalogues activated on the database (each version's file kept, so
an older version's ids stay readable), and per case the services tried before and the ones
needed but missing (product.md, "Services").

Who did it as in 0008: on PostgreSQL the who-columns default to ``session_user`` and the
trigger refuses any other name; an activation is audited (``catalogue.activated``). A case's
services are audited through its edit history (``case.edited``, field ``services``).
Self-contained: it touches no table another revision after 0010 adds, so it may sit after any
of them.

Revision ID: 0012
Revises: 0010
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0012"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WHO = {
    "catalogue_activations": "activated_by",
    "case_tried_services": "created_by",
    "case_missing_services": "created_by",
}
_SQLITE_NOW = "strftime('%Y-%m-%d %H:%M:%f000', 'now')"


def _who(postgres: bool, nullable: bool = True) -> sa.Column:
    return sa.Column(
        "created_by",
        sqlmodel.sql.sqltypes.AutoString(length=64),
        nullable=nullable,
        server_default=sa.text("session_user") if postgres else None,
    )


def _case_id() -> sa.Column:
    return sa.Column("case_id", sa.String(length=36), nullable=False)


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    op.create_table(
        "catalogue_activations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("activated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "activated_by",
            sqlmodel.sql.sqltypes.AutoString(length=64),
            nullable=False,
            server_default=sa.text("session_user") if postgres else None,
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("catalogue_activations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_catalogue_activations_version"), ["version"], unique=False)
    op.create_table(
        "case_tried_services",
        sa.Column("id", sa.Integer(), nullable=False),
        _case_id(),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("service", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("result", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        _who(postgres),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "case_missing_services",
        sa.Column("id", sa.Integer(), nullable=False),
        _case_id(),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("service", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("domain", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        _who(postgres),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    for table in ("case_tried_services", "case_missing_services"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(batch_op.f(f"ix_{table}_case_id"), ["case_id"], unique=False)
    if postgres:
        # consult_who() and consult_audit() are 0008's.
        for table, column in WHO.items():
            op.execute(
                f"CREATE TRIGGER who_{table} BEFORE INSERT OR UPDATE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION consult_who('{column}')"
            )
        op.execute(
            "CREATE TRIGGER audit_catalogue_activated AFTER INSERT ON catalogue_activations "
            "FOR EACH ROW EXECUTE FUNCTION consult_audit('catalogue.activated', 'version')"
        )
    else:
        op.execute(
            "CREATE TRIGGER audit_catalogue_activated AFTER INSERT ON catalogue_activations BEGIN "
            "INSERT INTO audit (at, who, what, case_id, area, detail) "
            f"VALUES ({_SQLITE_NOW}, NEW.activated_by, 'catalogue.activated', NULL, NULL, "
            "substr(NEW.version, 1, 200)); END"
        )


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    op.execute(
        "DROP TRIGGER IF EXISTS audit_catalogue_activated" + (" ON catalogue_activations" if postgres else "")
    )
    op.drop_table("case_missing_services")
    op.drop_table("case_tried_services")
    op.drop_table("catalogue_activations")
