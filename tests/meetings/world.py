"""Random small worlds of cases, meetings, items and actions (fictional, anonymous), written
straight into the tables, and tiny pure-Python oracles of what product.md says the agenda and
the meeting figures are: the store's SQL is checked against these on data it has not seen."""

from __future__ import annotations

import statistics
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from hypothesis import strategies as st
from sqlalchemy import Engine, delete, insert

from consult.core.dates import team_day
from consult.core.meeting import ACTION_STATUSES, ITEM_RESULTS, MEETING_AREAS
from consult.core.model import FLAGS
from consult.store.db import table_of, writer
from consult.store.tables import (
    AuditRow,
    CaseRow,
    MeetingActionRow,
    MeetingItemRow,
    MeetingRow,
    TeamDecisionRow,
)

CASE_AREAS = ("yla-savo", "kuopio", None)  # few, so areas meet; None is "unknown"
START = datetime(2026, 3, 26, 20, 0, tzinfo=UTC)  # across the night summer time begins
# A handful of instants many cases share (ties broken by code), and some near midnight.
INSTANTS = [START + timedelta(hours=h) for h in (0, 1, 2, 3, 21, 22, 26, 45, 46, 70, 100, 150)]
DAYS = [date(2026, 3, 26) + timedelta(days=n) for n in range(9)]
ROUTES = {
    "awaiting_team": ("to_team",),
    "referred_directly": ("direct",),
    "team_decided": ("to_team", "direct"),
}


@dataclass(frozen=True)
class WorldCase:
    id: str
    code: str
    created_at: datetime
    status: str
    route: str | None
    area: str | None
    flags: tuple[str, ...]
    primary: str = "tym"

    @property
    def meeting_area(self) -> str:
        return self.area or "unknown"


@dataclass(frozen=True)
class WorldAction:
    id: str
    case_id: str
    status: str
    due: date | None


@dataclass(frozen=True)
class WorldMeeting:
    id: str
    area: str
    on: date
    status: str
    items: tuple[tuple[str, str | None], ...]  # (case id, result) in position order
    actions: tuple[WorldAction, ...]


@dataclass
class World:
    cases: list[WorldCase] = field(default_factory=list)
    meetings: list[WorldMeeting] = field(default_factory=list)


_made = iter(range(1, 2**31))


def _id(draw) -> str:
    """A UUID unique in the run (its low bits count), in a random order (its high bits)."""
    return str(uuid.UUID(int=(draw(st.integers(0, 2**64 - 1)) << 64) | next(_made), version=4))


@st.composite
def worlds(draw, max_cases: int = 14, max_meetings: int = 5) -> World:
    world = World()
    codes = draw(
        st.lists(st.text("ABK37", min_size=3, max_size=3), min_size=1, max_size=max_cases, unique=True)
    )
    for code in codes:
        status = draw(st.sampled_from(["draft", "awaiting_team", "referred_directly", "team_decided"]))
        world.cases.append(
            WorldCase(
                id=_id(draw),
                code=f"{code}-AAA",
                created_at=draw(st.sampled_from(INSTANTS)),
                status=status,
                route=None if status == "draft" else draw(st.sampled_from(ROUTES[status])),
                area=draw(st.sampled_from(CASE_AREAS)),
                flags=tuple(f for f in FLAGS if draw(st.booleans())) if status != "draft" else (),
            )
        )
    saved = [c for c in world.cases if c.status != "draft"]
    for _ in range(draw(st.integers(0, max_meetings))):
        status = draw(st.sampled_from(["planned", "open", "closed"]))
        area = draw(st.sampled_from(("yla-savo", "kuopio", "unknown")))
        chosen = draw(st.lists(st.sampled_from(saved), unique_by=lambda c: c.id, max_size=5)) if saved else []
        results = ITEM_RESULTS if status == "closed" else (None, "decided", "deferred")
        items = tuple((c.id, draw(st.sampled_from(results))) for c in chosen)
        actions = tuple(
            WorldAction(
                id=_id(draw),
                case_id=draw(st.sampled_from(saved)).id,
                status=draw(st.sampled_from(ACTION_STATUSES)),
                due=draw(st.none() | st.sampled_from(DAYS)),
            )
            for _ in range(draw(st.integers(0, 3) if saved else st.just(0)))
        )
        world.meetings.append(
            WorldMeeting(_id(draw), area, draw(st.sampled_from(DAYS)), status, items, actions)
        )
    return world


def write(engine: Engine, world: World) -> None:
    """The world, and nothing else, in the database's tables."""
    with writer(engine).begin() as connection:
        for model in (MeetingActionRow, MeetingItemRow, TeamDecisionRow, MeetingRow, AuditRow, CaseRow):
            connection.execute(delete(table_of(model)))
        if world.cases:
            connection.execute(
                insert(table_of(CaseRow)),
                [
                    {
                        "id": c.id,
                        "code": c.code,
                        "created_at": c.created_at,
                        "updated_at": c.created_at,
                        "status": c.status,
                        "route": c.route,
                        "step": 0,
                        "area": c.area,
                        "notes": {},
                        "recommended": c.primary if c.status != "draft" else None,
                        **{f"flag_{f}": f in c.flags for f in FLAGS},
                    }
                    for c in world.cases
                ],
            )
        for m in world.meetings:
            connection.execute(
                insert(table_of(MeetingRow)).values(
                    id=m.id,
                    area=m.area,
                    held_on=m.on,
                    status=m.status,
                    convener_org="social",
                    present=[],
                    apologies=[],
                    note="",
                    planned_at=START,
                )
            )
            if m.items:
                connection.execute(
                    insert(table_of(MeetingItemRow)),
                    [
                        {"meeting_id": m.id, "case_id": case_id, "position": n, "result": result}
                        for n, (case_id, result) in enumerate(m.items, start=1)
                    ],
                )
            for a in m.actions:
                connection.execute(
                    insert(table_of(MeetingActionRow)).values(
                        id=a.id,
                        meeting_id=m.id,
                        case_id=a.case_id,
                        owner_org="kela",
                        owner_role="palveluneuvoja",
                        what="ottaa yhteyttä",
                        due=a.due,
                        status=a.status,
                        closed_on=None if a.status == "open" else m.on,
                        added_at=START,
                    )
                )


# --- the oracles --------------------------------------------------------------------------------


def agenda(world: World, area: str, on: date) -> dict:
    """``consult meeting agenda --json`` as product.md words it."""
    closed_before = [m.on for m in world.meetings if m.area == area and m.status == "closed" and m.on < on]
    last = max(closed_before) if closed_before else None
    by_id = {c.id: c for c in world.cases}
    waiting = [
        c
        for c in world.cases
        if c.meeting_area == area and c.status == "awaiting_team" and team_day(c.created_at) <= on
    ]
    waiting.sort(key=lambda c: ("safety" not in c.flags, "urgent" not in c.flags, c.created_at, c.code))
    deferred = {
        c.id: sum(
            1
            for m in world.meetings
            if m.status == "closed" and any(i == (c.id, "deferred") for i in m.items)
        )
        for c in waiting
    }
    actions = [
        (a, by_id[a.case_id])
        for m in world.meetings
        for a in m.actions
        if a.status == "open" and by_id[a.case_id].meeting_area == area
    ]
    actions.sort(key=lambda p: (p[0].due is None, p[0].due or date.min, p[1].code, p[0].id))
    direct = sum(
        1
        for c in world.cases
        if c.meeting_area == area
        and c.route == "direct"
        and (last is None or team_day(c.created_at) > last)
        and team_day(c.created_at) <= on
    )
    return {
        "area": area,
        "on": on.isoformat(),
        "last_meeting": last.isoformat() if last else None,
        "cases": [
            {
                "id": c.id,
                "code": c.code,
                "created_at": c.created_at.isoformat(),
                "primary": c.primary,
                "flags": list(c.flags),
                "waiting_days": (on - team_day(c.created_at)).days,
                "deferred": deferred[c.id],
            }
            for c in waiting
        ],
        "actions": [
            {
                "id": a.id,
                "case_code": c.code,
                "owner_org": "kela",
                "owner_role": "palveluneuvoja",
                "what": "ottaa yhteyttä",
                "due": a.due.isoformat() if a.due else None,
                "overdue": a.due is not None and a.due < on,
            }
            for a, c in actions
        ],
        "direct_since_last": direct,
    }


def meeting_figures(world: World, since: date | None, until: date | None, today: date) -> dict:
    """``consult stats --json``'s meetings block as product.md words it."""

    def in_period(day: date) -> bool:
        return (since is None or day >= since) and (until is None or day <= until)

    held = [m for m in world.meetings if m.status == "closed" and in_period(m.on)]
    results = [r for m in held for _, r in m.items]
    actions = [a for m in held for a in m.actions]
    end = until or today
    firsts = []
    for c in world.cases:
        if c.status == "draft" or not in_period(team_day(c.created_at)):
            continue
        days = [
            m.on
            for m in world.meetings
            if m.status == "closed" and any(i in ((c.id, "decided"), (c.id, "deferred")) for i in m.items)
        ]
        if days:
            firsts.append((min(days) - team_day(c.created_at)).days)
    return {
        "held": len(held),
        "items": len(results),
        "decided": results.count("decided"),
        "deferred": results.count("deferred"),
        "not_discussed": results.count("not_discussed"),
        "median_days_to_first_discussion": float(statistics.median(firsts)) if firsts else None,
        "actions": {
            **{s: sum(1 for a in actions if a.status == s) for s in ACTION_STATUSES},
            "overdue": sum(1 for a in actions if a.status == "open" and a.due is not None and a.due < end),
        },
    }


AREAS = MEETING_AREAS
