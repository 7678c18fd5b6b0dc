"""The consultation team's meeting (product.md, "Team meetings"): the meeting, its items (one
case each, in the agenda's order) and the actions agreed in it, and the agenda the app
proposes. Plain frozen dataclasses: the store builds them, screens, minutes and the command
line read them, and nothing here needs a database or pydantic.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal, get_args

MeetingStatus = Literal["planned", "open", "closed"]
ItemResult = Literal["decided", "deferred", "not_discussed"]
ActionStatus = Literal["open", "done", "not_possible", "not_done"]
Org = Literal["employment", "social", "health", "kela", "other"]
MeetingArea = Literal["yla-savo", "keski-savo", "kuopio", "other", "unknown"]

MEETING_STATUSES: tuple[MeetingStatus, ...] = ("planned", "open", "closed")
ITEM_RESULTS: tuple[ItemResult, ...] = ("decided", "deferred", "not_discussed")
ACTION_STATUSES: tuple[ActionStatus, ...] = ("open", "done", "not_possible", "not_done")
# The organisations a meeting records (present, apologies, the convener's, an action's owner):
# organisations and roles, never persons' names.
ORGS: tuple[str, ...] = get_args(Org)
# The employment areas a meeting is held for; "unknown" gathers the cases saved without one.
MEETING_AREAS: tuple[str, ...] = get_args(MeetingArea)
# An item whose meeting has not closed has no result yet: counted as pending in a summary.
PENDING = "pending"

# The texts' limits, the columns' lengths: PostgreSQL enforces them, a form and a bundle say so.
OWNER_ROLE_LENGTH = 80
WHAT_LENGTH = 1000
NOTE_LENGTH = 1000


@dataclass(frozen=True, slots=True)
class MeetingItem:
    """One case on a meeting's agenda. ``result`` is kept as it happens (decided, deferred)
    and becomes ``not_discussed`` for the items not reached when the meeting closes."""

    case_id: str
    position: int
    result: ItemResult | None


@dataclass(frozen=True, slots=True)
class Action:
    """What the team agreed that an organisation does for a case. ``closed_on`` is the day it
    was closed, ``closed_in`` the meeting in which it was reviewed (either may be None)."""

    id: str
    case_id: str
    meeting_id: str
    owner_org: str
    owner_role: str
    what: str
    due: date | None
    status: ActionStatus
    closed_on: date | None
    closed_in: str | None


@dataclass(frozen=True, slots=True)
class Meeting:
    id: str
    area: str
    on: date
    status: MeetingStatus
    convener_org: str
    present: tuple[str, ...]
    apologies: tuple[str, ...]
    note: str
    items: tuple[MeetingItem, ...]
    actions: tuple[Action, ...]
    """The actions agreed in this meeting (not those reviewed in it)."""


@dataclass(frozen=True, slots=True)
class MeetingSummary:
    """One row of ``consult meeting list``."""

    id: str
    area: str
    on: date
    status: MeetingStatus
    items: dict[str, int]
    """By result: decided, deferred, not_discussed, and pending (no result yet)."""
    actions: dict[str, int]
    """By status: open, done, not_possible, not_done."""


@dataclass(frozen=True, slots=True)
class AgendaCase:
    id: str
    code: str
    created_at: datetime
    primary: str
    flags: tuple[str, ...]
    waiting_days: int
    """Whole days from the day the case was saved (Helsinki) to the meeting's day."""
    deferred: int
    """In how many closed meetings the case was an item deferred."""


@dataclass(frozen=True, slots=True)
class AgendaAction:
    id: str
    case_id: str
    case_code: str
    owner_org: str
    owner_role: str
    what: str
    due: date | None
    overdue: bool


@dataclass(frozen=True, slots=True)
class Agenda:
    area: str
    on: date
    last_meeting: date | None
    """The day of the area's latest closed meeting before ``on``."""
    cases: tuple[AgendaCase, ...]
    actions: tuple[AgendaAction, ...]
    direct_since_last: int
    """The area's cases referred directly after ``last_meeting``'s day, up to ``on``."""


def empty_item_counts() -> dict[str, int]:
    return dict.fromkeys((*ITEM_RESULTS, PENDING), 0)


def empty_action_counts() -> dict[str, int]:
    return dict.fromkeys(ACTION_STATUSES, 0)


def agenda_json(agenda: Agenda) -> dict:
    """The agenda as ``consult meeting agenda --json`` prints it (product.md), keys in its order."""
    return {
        "area": agenda.area,
        "on": agenda.on.isoformat(),
        "last_meeting": agenda.last_meeting.isoformat() if agenda.last_meeting else None,
        "cases": [
            {
                "id": c.id,
                "code": c.code,
                "created_at": c.created_at.isoformat(),
                "primary": c.primary,
                "flags": list(c.flags),
                "waiting_days": c.waiting_days,
                "deferred": c.deferred,
            }
            for c in agenda.cases
        ],
        "actions": [
            {
                "id": a.id,
                "case_code": a.case_code,
                "owner_org": a.owner_org,
                "owner_role": a.owner_role,
                "what": a.what,
                "due": a.due.isoformat() if a.due else None,
                "overdue": a.overdue,
            }
            for a in agenda.actions
        ],
        "direct_since_last": agenda.direct_since_last,
    }


def summary_json(summary: MeetingSummary) -> dict:
    """One meeting of ``consult meeting list --json``: id, area, on, status and the counts."""
    return {
        "id": summary.id,
        "area": summary.area,
        "on": summary.on.isoformat(),
        "status": summary.status,
        "items": dict(summary.items),
        "actions": dict(summary.actions),
    }


def action_json(action: Action) -> dict:
    """An action as a bundle's meeting carries it (without ``by``, which the store adds)."""
    return {
        "id": action.id,
        "case_id": action.case_id,
        "owner_org": action.owner_org,
        "owner_role": action.owner_role,
        "what": action.what,
        "due": action.due.isoformat() if action.due else None,
        "status": action.status,
        "closed_on": action.closed_on.isoformat() if action.closed_on else None,
        "closed_in": action.closed_in,
    }
