"""The consultation team's meetings (issue 20): the meeting of an area and a day, its items
(one case each, at a position, with the result as it happened) and the actions agreed in it;
the team decisions made in a meeting name it. Who planned and closed each meeting and who
added and closed each action is recorded and audited like everything else (0008); an index
serves the agenda's "cases of the area waiting for the team".

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-08
"""

import warnings
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The tables whose rows a person adds (who added: created_by, filled as in 0008) and closes
# (who closed: closed_by, filled by the server on PostgreSQL).
WHO = ("meetings", "meeting_actions")

# (trigger, table, event, condition, what, who on SQLite)
AUDITED = [
    (
        "audit_meeting_planned",
        "meetings",
        "INSERT",
        "NEW.imported_at IS NULL",
        "meeting.planned",
        "created_by",
    ),
    (
        "audit_meeting_imported",
        "meetings",
        "INSERT",
        "NEW.imported_at IS NOT NULL",
        "meeting.imported",
        "created_by",
    ),
    (
        "audit_meeting_closed",
        "meetings",
        "UPDATE OF status",
        "OLD.status <> 'closed' AND NEW.status = 'closed'",
        "meeting.closed",
        "closed_by",
    ),
    ("audit_action_added", "meeting_actions", "INSERT", None, "action.added", "created_by"),
    (
        "audit_action_closed",
        "meeting_actions",
        "UPDATE OF status",
        "OLD.status = 'open' AND NEW.status <> 'open'",
        "action.closed",
        "closed_by",
    ),
]

# The audit's detail: the meeting's day, the action's owner organisation (and the login a
# bundle said added it, beside the importing login the audit's who holds), the action's new
# status. Never the text of a note or an action.
_POSTGRES_AUDIT = """
CREATE OR REPLACE FUNCTION consult_meeting_audit() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path FROM CURRENT AS $$
DECLARE
  r jsonb := to_jsonb(NEW);
  c text;
  a text;
  d text;
BEGIN
  IF TG_TABLE_NAME = 'meetings' THEN
    a := r ->> 'area';
    d := r ->> 'held_on';
  ELSE
    c := r ->> 'case_id';
    SELECT area INTO a FROM cases WHERE id = c;
    IF TG_OP = 'INSERT' THEN
      d := (r ->> 'owner_org') || coalesce(' by=' || (r ->> 'bundle_by'), '');
    ELSE
      d := r ->> 'status';
    END IF;
  END IF;
  INSERT INTO audit (at, who, what, case_id, area, detail)
  VALUES (clock_timestamp(), session_user, TG_ARGV[0], c, a, left(d, 200));
  RETURN NULL;
END $$
"""

# Who closed a meeting or an action is the login that closes it, filled by the server and never
# said by the app: a row is added unclosed by anyone here (an import's closed rows were closed
# elsewhere), and the column never changes once set.
_POSTGRES_CLOSER = """
CREATE OR REPLACE FUNCTION consult_closer() RETURNS trigger LANGUAGE plpgsql
SET search_path FROM CURRENT AS $$
DECLARE
  given text := to_jsonb(NEW) ->> 'closed_by';
  closing boolean;
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF given IS NOT NULL THEN
      RAISE EXCEPTION 'consult: %.closed_by is filled when the row is closed', TG_TABLE_NAME
        USING ERRCODE = '42501';
    END IF;
    RETURN NEW;
  END IF;
  IF TG_TABLE_NAME = 'meetings' THEN
    closing := (to_jsonb(OLD) ->> 'status') <> 'closed' AND (to_jsonb(NEW) ->> 'status') = 'closed';
  ELSE
    closing := (to_jsonb(OLD) ->> 'status') = 'open' AND (to_jsonb(NEW) ->> 'status') <> 'open';
  END IF;
  IF closing AND (to_jsonb(OLD) ->> 'closed_by') IS NULL THEN
    IF given IS NOT NULL AND given <> session_user::text THEN
      RAISE EXCEPTION 'consult: %.closed_by is the login that closes the row (%), not %',
        TG_TABLE_NAME, session_user, given USING ERRCODE = '42501';
    END IF;
    NEW := jsonb_populate_record(NEW, jsonb_build_object('closed_by', session_user::text));
  ELSIF given IS DISTINCT FROM to_jsonb(OLD) ->> 'closed_by' THEN
    RAISE EXCEPTION 'consult: %.closed_by never changes', TG_TABLE_NAME USING ERRCODE = '42501';
  END IF;
  RETURN NEW;
END $$
"""

_SQLITE_NOW = "strftime('%Y-%m-%d %H:%M:%f000', 'now')"


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    who_default = sa.text("session_user") if postgres else None
    op.create_table(
        "meetings",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("area", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("convener_org", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("present", sa.JSON(), nullable=False),
        sa.Column("apologies", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("planned_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.String(length=64), nullable=True, server_default=who_default),
        sa.Column("closed_by", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_meetings_held_on"), ["held_on"], unique=False)
        batch_op.create_index("ix_meetings_area_status_held_on", ["area", "status", "held_on"], unique=False)
    op.create_table(
        "meeting_items",
        sa.Column("meeting_id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("result", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["meeting_id"], ["meetings.id"]),
        sa.PrimaryKeyConstraint("meeting_id", "case_id"),
    )
    with op.batch_alter_table("meeting_items", schema=None) as batch_op:
        batch_op.create_index("ix_meeting_items_case_result", ["case_id", "result"], unique=False)
    op.create_table(
        "meeting_actions",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("meeting_id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("owner_org", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("owner_role", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("what", sa.Text(), nullable=False),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("closed_in", sa.String(length=36), nullable=True),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=True, server_default=who_default),
        sa.Column("closed_by", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("bundle_by", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["closed_in"], ["meetings.id"]),
        sa.ForeignKeyConstraint(["meeting_id"], ["meetings.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("meeting_actions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_meeting_actions_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_meeting_actions_closed_in"), ["closed_in"], unique=False)
        batch_op.create_index(batch_op.f("ix_meeting_actions_meeting_id"), ["meeting_id"], unique=False)
        batch_op.create_index("ix_meeting_actions_status_due", ["status", "due"], unique=False)
    # Checked at commit: an import writes a case's decision before the bundle's meetings. On
    # SQLite the table is copied (a constraint cannot be added otherwise), which drops the
    # trigger 0008 put on it: it is made again.
    # Copying reflects the tables it refers to, cases too, whose expression indexes SQLAlchemy
    # cannot reflect and says so on stderr: they are the copy's concern neither way.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Skipped unsupported reflection", sa.exc.SAWarning)
        with op.batch_alter_table("team_decisions", schema=None, recreate="auto") as batch_op:
            batch_op.add_column(sa.Column("meeting_id", sa.String(length=36), nullable=True))
            batch_op.create_foreign_key(
                "fk_team_decisions_meeting_id",
                "meetings",
                ["meeting_id"],
                ["id"],
                deferrable=True,
                initially="DEFERRED",
            )
    if not postgres:
        _decision_audit()
    op.create_index("ix_team_decisions_meeting_id", "team_decisions", ["meeting_id"], unique=False)
    op.create_index("ix_cases_status_area_created", "cases", ["status", "area", "created_at"], unique=False)
    if postgres:
        _postgres_triggers()
    else:
        _sqlite_triggers()


def _postgres_triggers() -> None:
    op.execute(_POSTGRES_AUDIT)
    op.execute(_POSTGRES_CLOSER)
    for table in WHO:
        op.execute(
            f"CREATE TRIGGER who_{table} BEFORE INSERT OR UPDATE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION consult_who('created_by')"
        )
        op.execute(
            f"CREATE TRIGGER closer_{table} BEFORE INSERT OR UPDATE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION consult_closer()"
        )
    for name, table, event, condition, what, _ in AUDITED:
        when = f"WHEN ({condition}) " if condition else ""
        op.execute(
            f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW {when}"
            f"EXECUTE FUNCTION consult_meeting_audit('{what}')"
        )


def _sqlite_triggers() -> None:
    for name, table, event, condition, what, who in AUDITED:
        when = f"WHEN {condition} " if condition else ""
        if table == "meetings":
            case_id, area, detail = "NULL", "NEW.area", "NEW.held_on"
        else:
            case_id = "NEW.case_id"
            area = "(SELECT area FROM cases WHERE id = NEW.case_id)"
            detail = (
                "NEW.owner_org || coalesce(' by=' || NEW.bundle_by, '')"
                if event == "INSERT"
                else "NEW.status"
            )
        op.execute(
            f"CREATE TRIGGER {name} AFTER {event} ON {table} {when}BEGIN "
            f"INSERT INTO audit (at, who, what, case_id, area, detail) "
            f"VALUES ({_SQLITE_NOW}, NEW.{who}, '{what}', {case_id}, {area}, substr({detail}, 1, 200)); END"
        )


def _decision_audit() -> None:
    """0008's audit of a decision on SQLite, as it made it."""
    op.execute(
        "CREATE TRIGGER IF NOT EXISTS audit_decision AFTER INSERT ON team_decisions BEGIN "
        "INSERT INTO audit (at, who, what, case_id, area, detail) "
        f"VALUES ({_SQLITE_NOW}, NEW.created_by, 'decision', NEW.case_id, "
        "(SELECT area FROM cases WHERE id = NEW.case_id), substr(NEW.path, 1, 200)); END"
    )


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for name, table, *_ in AUDITED:
        op.execute(f"DROP TRIGGER IF EXISTS {name}" + (f" ON {table}" if postgres else ""))
    if postgres:
        for table in WHO:
            op.execute(f"DROP TRIGGER IF EXISTS who_{table} ON {table}")
            op.execute(f"DROP TRIGGER IF EXISTS closer_{table} ON {table}")
    op.drop_index("ix_cases_status_area_created", table_name="cases")
    op.drop_index("ix_team_decisions_meeting_id", table_name="team_decisions")
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Skipped unsupported reflection", sa.exc.SAWarning)
        with op.batch_alter_table("team_decisions", schema=None) as batch_op:
            if postgres:
                batch_op.drop_constraint("fk_team_decisions_meeting_id", type_="foreignkey")
            batch_op.drop_column("meeting_id")
    if not postgres:
        _decision_audit()
    op.drop_table("meeting_actions")
    op.drop_table("meeting_items")
    op.drop_table("meetings")
    if postgres:
        op.execute("DROP FUNCTION IF EXISTS consult_meeting_audit()")
        op.execute("DROP FUNCTION IF EXISTS consult_closer()")
