"""The tables. Levels, answers, needs and flags are columns of their own so the team's
follow-up figures can be counted in SQL; the full recommendation is kept as stored JSON."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Column, Date, DateTime, ForeignKey, Index, String, Text, text
from sqlmodel import Field, SQLModel

from consult.core.dates import team_day


def _finnish_day(context) -> date | None:
    created = context.get_current_parameters().get("created_at")
    return team_day(created) if isinstance(created, datetime) else None


def _who(context) -> str | None:
    """Who writes a row that leaves its who-column out (a Core insert, an import's): on
    PostgreSQL nobody but the server says (the column's default and trigger put the login),
    on a SQLite file the OS account."""
    if context.dialect.name == "postgresql":
        return None
    from consult.store.who import os_user

    return os_user()


def who_column() -> Column:
    """The login (PostgreSQL: ``session_user``, filled and checked by the server) or the OS
    account (SQLite) that added the row. Null on rows written before version 0008."""
    return Column(String(64), nullable=True, default=_who)


class DomainLevels(SQLModel):
    """The seven domains' levels (``consult.core.instrument.DOMAIN_KEYS``), a column each, for
    the tables that keep a walk's levels. Inherited fields come first in a table's metadata;
    the databases' column order is the migrations' and stays as it was."""

    affairs: int | None = None
    services: int | None = None
    housing: int | None = None
    employment: int | None = None
    finances: int | None = None
    health: int | None = None
    relations: int | None = None


class CaseRow(DomainLevels, table=True):
    __tablename__ = "cases"
    # The review's filters, each with the newest-first order its list is read in, so a page
    # is an index walk however many cases there are and however few the filter keeps
    # (migration 0007).
    __table_args__ = (
        Index("ix_cases_status_created", "status", "created_at"),
        Index("ix_cases_area_created", "area", "created_at"),
        Index("ix_cases_recommended_created", "recommended", "created_at"),
        Index("ix_cases_flag_safety_created", "flag_safety", "created_at"),
        Index("ix_cases_flag_urgent_created", "flag_urgent", "created_at"),
        Index("ix_cases_flag_insufficient_data_created", "flag_insufficient_data", "created_at"),
        Index("ix_cases_flag_bring_to_team_created", "flag_bring_to_team", "created_at"),
        Index("ix_cases_outcome_started_created", "outcome_started", "created_at"),
        # The review's sorts and its code search, as store/review.py writes them (0008).
        Index("ix_cases_area_sort", text("coalesce(area, '')"), "id"),
        Index("ix_cases_recommended_sort", text("coalesce(recommended, '')"), "id"),
        Index("ix_cases_status_sort", "status", "id"),
        Index("ix_cases_code_search", text("replace(replace(upper(code), '-', ''), ' ', '')"), "id"),
        # The meeting agenda: an area's cases waiting for the team (0011).
        Index("ix_cases_status_area_created", "status", "area", "created_at"),
        # A flag's cases in the recommendation's order: the rules set both, so a flag's cases
        # may lie far down that order (0013); only flagged cases, which is all a flag's page
        # reads (0014).
        *(
            Index(
                f"ix_cases_flag_{flag}_recommended",
                f"flag_{flag}",
                text("coalesce(recommended, '')"),
                "id",
                sqlite_where=text(f"flag_{flag} = 1"),
                postgresql_where=text(f"flag_{flag} = true"),
            )
            for flag in ("safety", "urgent", "insufficient_data", "bring_to_team")
        ),
    )

    id: str = Field(primary_key=True, max_length=36)
    code: str = Field(sa_column=Column(String(16), unique=True, nullable=False))
    created_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False, index=True))
    updated_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    # created_at's calendar day in Finland, kept so the figures count whole Finnish days in
    # SQL on SQLite too, which knows no time zones. An insert that leaves it out (any Core
    # insert through this table) gets it from created_at; it never changes.
    created_day: date | None = Field(
        default=None, sa_column=Column(Date, index=True, nullable=True, default=_finnish_day)
    )
    status: str = Field(max_length=20)
    # How the case was saved (to_team, direct): set on completion, never changed by a decision.
    route: str | None = Field(default=None, max_length=10)
    step: int = 0

    area: str | None = Field(default=None, max_length=20)
    worker_org: str | None = Field(default=None, max_length=20)
    age_band: str | None = Field(default=None, max_length=20)
    jobseeker: bool | None = None

    q_bilateral: str | None = Field(default=None, max_length=8)
    q_other_first: str | None = Field(default=None, max_length=8)
    q_multi_support: str | None = Field(default=None, max_length=8)
    q_coordination: str | None = Field(default=None, max_length=8)
    q_joint_plan: str | None = Field(default=None, max_length=8)

    notes: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # A draft's notes whose privacy warning the worker has not confirmed, by note key: never
    # part of ``notes`` (so never exported or in a record note) and never on a saved case.
    unconfirmed_notes: dict | None = Field(default=None, sa_column=Column(JSON, nullable=True))

    # "primary" is an SQL keyword; the column says what it holds instead.
    recommended: str | None = Field(default=None, max_length=20, index=True)
    need_social: bool | None = None
    need_health: bool | None = None
    flag_safety: bool | None = None
    flag_urgent: bool | None = None
    flag_insufficient_data: bool | None = None
    flag_bring_to_team: bool | None = None
    recommendation: dict | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    rules_version: str | None = Field(default=None, max_length=20)

    # The newest team decision, copied here so the follow-up counts need no join; the full
    # history stays in team_decisions.
    decision_path: str | None = Field(default=None, max_length=20)
    decided_at: date | None = None

    # The newest outcome, copied here like the decision so the follow-up counts need no join;
    # the history stays in outcomes. All null while the outcome is pending.
    outcome_started: bool | None = None
    outcome_path: str | None = Field(default=None, max_length=20)
    outcome_reason: str | None = Field(default=None, max_length=20)
    outcome_on: date | None = None

    created_by: str | None = Field(default=None, sa_column=who_column())


class TeamDecisionRow(SQLModel, table=True):
    """The team's decisions on a case: added, never overwritten; the newest one holds."""

    __tablename__ = "team_decisions"

    id: int | None = Field(default=None, primary_key=True)
    case_id: str = Field(sa_column=Column(String(36), ForeignKey("cases.id"), nullable=False, index=True))
    path: str = Field(max_length=20)
    note: str = ""
    decided_at: date
    recorded_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    created_by: str | None = Field(default=None, sa_column=who_column())
    # The meeting in which the team decided, None outside one (migration 0011). Checked at
    # commit: an import writes a case's decision before the bundle's meetings, which follow it.
    meeting_id: str | None = Field(
        default=None,
        sa_column=Column(
            String(36),
            ForeignKey("meetings.id", deferrable=True, initially="DEFERRED"),
            nullable=True,
            index=True,
        ),
    )


class OutcomeRow(SQLModel, table=True):
    """What happened after the referral, as recorded: added, never overwritten; the newest holds."""

    __tablename__ = "outcomes"

    id: int | None = Field(default=None, primary_key=True)
    case_id: str = Field(sa_column=Column(String(36), ForeignKey("cases.id"), nullable=False, index=True))
    started: bool
    path: str | None = Field(default=None, max_length=20)
    reason: str | None = Field(default=None, max_length=20)
    # "on" is an SQL keyword: the column says what the day is.
    started_on: date
    note: str = ""
    recorded_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    created_by: str | None = Field(default=None, sa_column=who_column())


class TraineeResultRow(DomainLevels, table=True):
    """A trainee's walk of a demo case. Only ever written to the training database."""

    __tablename__ = "trainee_results"

    id: int | None = Field(default=None, primary_key=True)
    pseudonym: str = Field(max_length=40, index=True)
    case_id: str = Field(max_length=20, index=True)
    created_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    answers: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    recommended: str = Field(max_length=20)


class CaseEditRow(SQLModel, table=True):
    """A change to a saved case: the old and the new value, added, never overwritten."""

    __tablename__ = "case_edits"

    id: int | None = Field(default=None, primary_key=True)
    case_id: str = Field(sa_column=Column(String(36), ForeignKey("cases.id"), nullable=False, index=True))
    field: str = Field(max_length=40)
    old_value: str | None = None
    new_value: str | None = None
    edited_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    created_by: str | None = Field(default=None, sa_column=who_column())


class PurgeRunRow(SQLModel, table=True):
    """When old drafts and cases were last removed, and how many: shown on the home screen."""

    __tablename__ = "purge_runs"

    id: int | None = Field(default=None, primary_key=True)
    ran_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    draft_days: int
    retention_days: int
    drafts_removed: int
    cases_removed: int
    created_by: str | None = Field(default=None, sa_column=who_column())


class RulesActivationRow(SQLModel, table=True):
    """A rules version put in force: the complete TOML file, when, and by whom (the database
    login on a server, filled by the server; the OS account on a SQLite file). Added, never
    overwritten; the newest one holds."""

    __tablename__ = "rules_activations"

    id: int | None = Field(default=None, primary_key=True)
    version: str = Field(max_length=20, index=True)
    definition: str = Field(sa_column=Column(Text, nullable=False))
    activated_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    # None only on its way to a server, whose default and trigger put the login there.
    activated_by: str | None = Field(default=None, sa_column=Column(String(64), nullable=False))


class AuditRow(SQLModel, table=True):
    """What was done, when, by whom, to which case: never the text of a note. Written by
    triggers (migration 0008) from the rows the who-columns sign; added, never changed.
    ``area`` is the case's, so a team member reads the audit of their areas."""

    __tablename__ = "audit"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False, index=True))
    who: str | None = Field(default=None, max_length=64)
    what: str = Field(max_length=40)
    case_id: str | None = Field(default=None, max_length=36)
    area: str | None = Field(default=None, max_length=20)
    # A field's name, a rules version, a purge's counts: never the text of a note.
    detail: str | None = Field(default=None, max_length=200)


class LoginAreaRow(SQLModel, table=True):
    """The areas a team member's login works for, kept by the server (``consult admin
    grant``); a login reads its own rows."""

    __tablename__ = "login_area"

    login: str = Field(primary_key=True, max_length=63)
    area: str = Field(primary_key=True, max_length=20)


class MeetingRow(SQLModel, table=True):
    """A meeting of the consultation team for one area (product.md, "Team meetings"):
    planned, open while being held, closed. Organisations, never persons' names."""

    __tablename__ = "meetings"
    # The agenda's "last closed meeting of the area before the day", and the list by area,
    # newest first (migration 0011).
    __table_args__ = (Index("ix_meetings_area_status_held_on", "area", "status", "held_on"),)

    id: str = Field(primary_key=True, max_length=36)
    area: str = Field(max_length=20)
    # "on" is an SQL keyword: the column says what the day is.
    held_on: date = Field(sa_column=Column(Date, nullable=False, index=True))
    status: str = Field(max_length=10)
    convener_org: str = Field(max_length=20)
    present: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    apologies: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    note: str = Field(default="", sa_column=Column(Text, nullable=False))
    planned_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    # When an import brought the meeting (None when planned here): the audit says which.
    imported_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    created_by: str | None = Field(default=None, sa_column=who_column())
    # Who closed it: on PostgreSQL the server fills it (never the app), on SQLite the OS account.
    closed_by: str | None = Field(default=None, max_length=64)


class MeetingItemRow(SQLModel, table=True):
    """A case on a meeting's agenda, at its position. ``result`` is kept as it happens; a
    purged case takes its items with it."""

    __tablename__ = "meeting_items"
    # A case's meetings, and how often it was deferred (the agenda's count).
    __table_args__ = (Index("ix_meeting_items_case_result", "case_id", "result"),)

    meeting_id: str = Field(
        sa_column=Column(String(36), ForeignKey("meetings.id"), primary_key=True, nullable=False)
    )
    case_id: str = Field(
        sa_column=Column(
            String(36), ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True, nullable=False
        )
    )
    position: int
    result: str | None = Field(default=None, max_length=16)


class MeetingActionRow(SQLModel, table=True):
    """What the team agreed that an organisation does for a case: open until closed as done,
    not possible or not done, then reviewed (``closed_in``) at a meeting of the area."""

    __tablename__ = "meeting_actions"
    # The agenda's open actions by due day.
    __table_args__ = (Index("ix_meeting_actions_status_due", "status", "due"),)

    id: str = Field(primary_key=True, max_length=36)
    meeting_id: str = Field(
        sa_column=Column(String(36), ForeignKey("meetings.id"), nullable=False, index=True)
    )
    case_id: str = Field(
        sa_column=Column(String(36), ForeignKey("cases.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    owner_org: str = Field(max_length=20)
    owner_role: str = Field(max_length=80)
    what: str = Field(sa_column=Column(Text, nullable=False))
    due: date | None = None
    status: str = Field(max_length=16)
    closed_on: date | None = None
    closed_in: str | None = Field(
        default=None, sa_column=Column(String(36), ForeignKey("meetings.id"), nullable=True, index=True)
    )
    added_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    created_by: str | None = Field(default=None, sa_column=who_column())
    closed_by: str | None = Field(default=None, max_length=64)
    # The "by" a bundle gave (for information: who added the row here is created_by, the
    # importing login); the audit keeps it beside the import.
    bundle_by: str | None = Field(default=None, max_length=64)


class CatalogueActivationRow(SQLModel, table=True):
    """A service catalogue put in force: its TOML file as read, when, and by whom (the login
    on a server, filled by the server; the OS account on a SQLite file). Added, never
    overwritten; the newest holds, and every version's ids stay readable (migration 0012)."""

    __tablename__ = "catalogue_activations"

    id: int | None = Field(default=None, primary_key=True)
    version: str = Field(max_length=20, index=True)
    text: str = Field(sa_column=Column(Text, nullable=False))
    activated_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    # None only on its way to a server, whose default and trigger put the login there.
    activated_by: str | None = Field(default=None, sa_column=Column(String(64), nullable=False))


def _case_column() -> Column:
    # A case's services go with it: a discarded draft's, a purged case's.
    return Column(String(36), ForeignKey("cases.id", ondelete="CASCADE"), nullable=False, index=True)


class TriedServiceRow(SQLModel, table=True):
    """A service the client tried before and how it ended, in the order the worker listed
    them. ``service`` is a catalogue id, or null with the worker's ``text``."""

    __tablename__ = "case_tried_services"

    id: int | None = Field(default=None, primary_key=True)
    case_id: str = Field(sa_column=_case_column())
    position: int
    service: str | None = Field(default=None, max_length=40)
    text: str | None = Field(default=None, max_length=200)
    result: str = Field(max_length=20)
    created_by: str | None = Field(default=None, sa_column=who_column())


class MissingServiceRow(SQLModel, table=True):
    """A service the client needs that is missing or out of reach, for which domain and why;
    counted by the follow-up figures in SQL (``stats/queries.py``)."""

    __tablename__ = "case_missing_services"

    id: int | None = Field(default=None, primary_key=True)
    case_id: str = Field(sa_column=_case_column())
    position: int
    service: str | None = Field(default=None, max_length=40)
    text: str | None = Field(default=None, max_length=200)
    domain: str = Field(max_length=20)
    reason: str = Field(max_length=20)
    created_by: str | None = Field(default=None, sa_column=who_column())
