"""Who did it: a who-column on every row a person adds (cases, decisions, outcomes, edits,
purge runs; rules activations had one), and the append-only ``audit`` written by triggers;
``login_area``, the areas of a team member's login.

On PostgreSQL the who-columns default to ``session_user`` and a trigger refuses any other
name, so identity is the database login, never what the app says; on SQLite the app records
the OS account and the same triggers copy it into the audit. Self-contained: it touches no
table or index another revision adds, so it may sit after any of them.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The tables whose rows a person adds, and the column that says who.
WHO = {
    "cases": "created_by",
    "team_decisions": "created_by",
    "outcomes": "created_by",
    "case_edits": "created_by",
    "purge_runs": "created_by",
    "rules_activations": "activated_by",
    "audit": "who",
}

# (trigger, table, event, condition, what, the column whose value is the detail)
AUDITED = [
    ("audit_case_imported", "cases", "INSERT", "NEW.status <> 'draft'", "case.imported", None),
    (
        "audit_case_saved",
        "cases",
        "UPDATE OF status",
        "OLD.status = 'draft' AND NEW.status <> 'draft'",
        "case.saved",
        None,
    ),
    ("audit_decision", "team_decisions", "INSERT", None, "decision", "path"),
    ("audit_outcome", "outcomes", "INSERT", None, "outcome", "path"),
    ("audit_case_edited", "case_edits", "INSERT", None, "case.edited", "field"),
    ("audit_rules_activated", "rules_activations", "INSERT", None, "rules.activated", "version"),
    ("audit_purge", "purge_runs", "INSERT", None, "purge", None),
]

# Raised with SQLSTATE 42501 (insufficient privilege), as the server's own refusals are.
_WHO_FUNCTION = """
CREATE OR REPLACE FUNCTION consult_who() RETURNS trigger LANGUAGE plpgsql
SET search_path FROM CURRENT AS $$
DECLARE
  given text := to_jsonb(NEW) ->> TG_ARGV[0];
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF given IS NULL THEN
      NEW := jsonb_populate_record(NEW, jsonb_build_object(TG_ARGV[0], session_user::text));
    ELSIF given <> session_user::text THEN
      RAISE EXCEPTION 'consult: %.% is the login that writes the row (%), not %',
        TG_TABLE_NAME, TG_ARGV[0], session_user, given USING ERRCODE = '42501';
    END IF;
  ELSIF given IS DISTINCT FROM to_jsonb(OLD) ->> TG_ARGV[0] THEN
    RAISE EXCEPTION 'consult: %.% never changes', TG_TABLE_NAME, TG_ARGV[0] USING ERRCODE = '42501';
  END IF;
  RETURN NEW;
END $$
"""

# SECURITY DEFINER: the audit row is written with its owner's rights, so no login needs (or
# has) the right to write the audit itself.
_AUDIT_FUNCTION = """
CREATE OR REPLACE FUNCTION consult_audit() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path FROM CURRENT AS $$
DECLARE
  r jsonb := to_jsonb(NEW);
  c text := CASE WHEN TG_TABLE_NAME = 'cases' THEN r ->> 'id' ELSE r ->> 'case_id' END;
  a text := CASE WHEN TG_TABLE_NAME = 'cases' THEN r ->> 'area' END;
  d text := CASE WHEN TG_NARGS > 1 THEN r ->> TG_ARGV[1] END;
BEGIN
  IF TG_TABLE_NAME = 'purge_runs' THEN
    d := format('drafts=%s cases=%s', r ->> 'drafts_removed', r ->> 'cases_removed');
  ELSIF c IS NOT NULL AND a IS NULL THEN
    SELECT area INTO a FROM cases WHERE id = c;
  END IF;
  INSERT INTO audit (at, who, what, case_id, area, detail)
  VALUES (clock_timestamp(), session_user, TG_ARGV[0], c, a, left(d, 200));
  RETURN NULL;
END $$
"""

# SQLite has neither logins nor functions: the row's who-column, which the app filled with
# the OS account, is copied. Stored as SQLAlchemy stores a datetime there (six decimals).
_SQLITE_NOW = "strftime('%Y-%m-%d %H:%M:%f000', 'now')"


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    who_default = sa.text("session_user") if postgres else None
    for table, column in WHO.items():
        if table in ("audit", "rules_activations"):
            continue
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column(column, sa.String(length=64), nullable=True, server_default=who_default)
            )
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "who", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True, server_default=who_default
        ),
        sa.Column("what", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("case_id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=True),
        sa.Column("area", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
        sa.Column("detail", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("audit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_at"), ["at"], unique=False)
    op.create_table(
        "login_area",
        sa.Column("login", sqlmodel.sql.sqltypes.AutoString(length=63), nullable=False),
        sa.Column("area", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.PrimaryKeyConstraint("login", "area"),
    )
    if postgres:
        _postgres_triggers()
    else:
        _sqlite_triggers()


def _postgres_triggers() -> None:
    op.execute("ALTER TABLE rules_activations ALTER COLUMN activated_by SET DEFAULT session_user")
    op.execute(_WHO_FUNCTION)
    op.execute(_AUDIT_FUNCTION)
    for table, column in WHO.items():
        op.execute(
            f"CREATE TRIGGER who_{table} BEFORE INSERT OR UPDATE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION consult_who('{column}')"
        )
    for name, table, event, condition, what, detail in AUDITED:
        when = f"WHEN ({condition}) " if condition else ""
        arguments = f"'{what}'" + (f", '{detail}'" if detail else "")
        op.execute(
            f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW {when}"
            f"EXECUTE FUNCTION consult_audit({arguments})"
        )


def _sqlite_triggers() -> None:
    for name, table, event, condition, what, detail in AUDITED:
        when = f"WHEN {condition} " if condition else ""
        who = f"NEW.{WHO[table]}"
        case_id = "NEW.id" if table == "cases" else "NEW.case_id" if table not in _NO_CASE else "NULL"
        area = (
            "NEW.area"
            if table == "cases"
            else "(SELECT area FROM cases WHERE id = NEW.case_id)"
            if table not in _NO_CASE
            else "NULL"
        )
        shown = (
            f"NEW.{detail}"
            if detail
            else "'drafts=' || NEW.drafts_removed || ' cases=' || NEW.cases_removed"
            if table == "purge_runs"
            else "NULL"
        )
        op.execute(
            f"CREATE TRIGGER {name} AFTER {event} ON {table} {when}BEGIN "
            f"INSERT INTO audit (at, who, what, case_id, area, detail) "
            f"VALUES ({_SQLITE_NOW}, {who}, '{what}', {case_id}, {area}, substr({shown}, 1, 200)); END"
        )


_NO_CASE = ("rules_activations", "purge_runs")


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for name, table, *_ in AUDITED:
        op.execute(f"DROP TRIGGER IF EXISTS {name}" + (f" ON {table}" if postgres else ""))
    if postgres:
        for table in WHO:
            if table != "audit":
                op.execute(f"DROP TRIGGER IF EXISTS who_{table} ON {table}")
        op.execute("ALTER TABLE rules_activations ALTER COLUMN activated_by DROP DEFAULT")
    op.drop_table("login_area")
    op.drop_table("audit")
    if postgres:
        op.execute("DROP FUNCTION IF EXISTS consult_audit()")
        op.execute("DROP FUNCTION IF EXISTS consult_who()")
    for table, column in WHO.items():
        if table in ("audit", "rules_activations"):
            continue
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column(column)
