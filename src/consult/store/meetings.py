"""The consultation team's meetings (product.md, "Team meetings"): the agenda proposed for an
area and a day, the meeting planned, held and closed, the decisions and deferrals made in it,
and the actions agreed and later reviewed.

Every text a person writes here (an action's owner role and what is to be done, a meeting's
note, a decision's note) passes the privacy gate as notes do; a refusal names the field in one
line. Results are kept as they happen; a bundle shows them once the meeting is closed.
On a server the rows of a login's own areas only are there to read and write (``roles``).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Connection, Engine, and_, false, func, not_, select, text, update
from sqlalchemy import delete as sql_delete
from sqlalchemy import insert as sql_insert

from consult.core.dates import day_start, team_day
from consult.core.meeting import (
    ACTION_STATUSES,
    MEETING_AREAS,
    NOTE_LENGTH,
    ORGS,
    OWNER_ROLE_LENGTH,
    PENDING,
    WHAT_LENGTH,
    Action,
    ActionStatus,
    Agenda,
    AgendaAction,
    AgendaCase,
    Meeting,
    MeetingItem,
    MeetingSummary,
    empty_action_counts,
    empty_item_counts,
)
from consult.core.model import FLAGS, PRIMARIES
from consult.privacy import gate
from consult.privacy.guard import refuse_identifiers, refuse_split_identifiers
from consult.store.case_rows import new_case_id, now, refuse_across_fields
from consult.store.db import aware, table_of, writer
from consult.store.tables import CaseRow, MeetingActionRow, MeetingItemRow, MeetingRow, TeamDecisionRow
from consult.store.who import written_by


class MeetingProblem(ValueError):
    """A meeting, item or action that cannot be recorded: ``field`` and ``kind`` say what is
    wrong; ``str()`` is one line, never the text."""

    def __init__(self, field: str, kind: str) -> None:
        super().__init__(f"{field}: {kind}")
        self.field, self.kind = field, kind


MEETINGS = table_of(MeetingRow)
ITEMS = table_of(MeetingItemRow)
ACTIONS = table_of(MeetingActionRow)
CASES = table_of(CaseRow)
DECISIONS = table_of(TeamDecisionRow)

# --- the agenda: SQL written once, run by the store and by the bench's plain sqlite3 ---------


def area_condition(area: str, column: str = "area") -> str:
    """The cases of a meeting's area: ``unknown`` gathers the cases saved without one."""
    return f"{column} IS NULL" if area == "unknown" else f"{column} = :area"


# The area's cases waiting for the team, saved on or before the meeting's day.
WAITING = "c.status = 'awaiting_team' AND {cases} AND c.created_at < :until"


def agenda_sql(area: str) -> dict[str, str]:
    """The agenda's queries for ``area`` (parameters :area, :on, :until, :since as
    ``agenda_params`` gives them). The order is Python's (``order_agenda``): exactly the
    documented one whatever a database's collation does with codes."""
    cases = area_condition(area, "c.area")
    return {
        "last_meeting": (
            "SELECT max(held_on) FROM meetings "
            "WHERE area = :meeting_area AND status = 'closed' AND held_on < :on"
        ),
        "cases": (
            "SELECT c.id, c.code, c.created_at, c.created_day, c.recommended, "
            + ", ".join(f"c.flag_{flag}" for flag in FLAGS)
            + f" FROM cases c WHERE {WAITING.format(cases=cases)}"
        ),
        # How often each waiting case was deferred by a closed meeting: one grouped query, not
        # a count per case (at 6,500 waiting cases a third of the agenda's time).
        "deferred": (
            "SELECT i.case_id, count(*) FROM cases c JOIN meeting_items i ON i.case_id = c.id"
            " JOIN meetings m ON m.id = i.meeting_id"
            f" WHERE {WAITING.format(cases=cases)} AND i.result = 'deferred' AND m.status = 'closed'"
            " GROUP BY i.case_id"
        ),
        "actions": (
            "SELECT a.id, a.case_id, c.code, a.owner_org, a.owner_role, a.what, a.due"
            f" FROM meeting_actions a JOIN cases c ON c.id = a.case_id WHERE a.status = 'open' AND {cases}"
        ),
        "direct": (
            f"SELECT count(*) FROM cases c WHERE {cases} AND c.route = 'direct'"
            " AND c.created_at >= :since AND c.created_at < :until"
        ),
    }


def instant(dialect: str, moment: datetime) -> datetime | str:
    """An instant to compare with created_at: PostgreSQL takes the aware datetime; SQLite
    compares text, spelled as SQLAlchemy's DateTime stores it (UTC, six decimals)."""
    if dialect == "postgresql":
        return moment
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def day_param(dialect: str, day: date) -> date | str:
    return day if dialect == "postgresql" else day.isoformat()


def agenda_params(dialect: str, area: str, on: date, last: date | None = None) -> dict[str, object]:
    """The parameters of ``agenda_sql``; ``last`` (the area's last closed meeting) for "direct"."""
    # Cases of the area saved after the last meeting's day (all of them without one), up to ``on``.
    since = day_start(last + timedelta(days=1)) if last else datetime(1, 1, 2, tzinfo=UTC)
    return {
        "area": area,
        "meeting_area": area,
        "on": day_param(dialect, on),
        "until": instant(dialect, day_start(on + timedelta(days=1))),
        "since": instant(dialect, since),
    }


def read_day(value: date | str | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


def read_instant(value: datetime | str) -> datetime:
    """created_at as a driver gives it: an aware datetime, or SQLite's text in UTC."""
    if isinstance(value, datetime):
        return aware(value)
    return datetime.fromisoformat(value).replace(tzinfo=UTC)


# A case's flags as the agenda lists them, by its FLAGS columns as a driver returns them
# (None, or 0 and 1 on SQLite, False and True on PostgreSQL: equal keys).
FLAG_SETS: dict[tuple[bool | None, ...], tuple[str, ...]] = {
    values: tuple(f for f, v in zip(FLAGS, values, strict=True) if v)
    for values in itertools.product((None, False, True), repeat=len(FLAGS))
}


def order_agenda(cases: Iterable[AgendaCase]) -> tuple[AgendaCase, ...]:
    """Safety first, then urgent, then the oldest, then by code (product.md)."""
    return tuple(
        sorted(cases, key=lambda c: ("safety" not in c.flags, "urgent" not in c.flags, c.created_at, c.code))
    )


def order_actions(actions: Iterable[AgendaAction]) -> tuple[AgendaAction, ...]:
    """By due day (an action without one last), then the case's code, then the action's id."""
    return tuple(sorted(actions, key=lambda a: (a.due is None, a.due or date.min, a.case_code, a.id)))


def propose_agenda(engine: Engine, area: str, on: date) -> Agenda:
    """The agenda product.md describes for ``area`` on ``on``; writes nothing."""
    _check_area(area)
    with engine.connect() as connection:
        return _agenda(connection, area, on)


def _agenda(connection: Connection, area: str, on: date) -> Agenda:
    dialect = connection.dialect.name
    sql = agenda_sql(area)
    params = agenda_params(dialect, area, on)
    last = read_day(connection.execute(text(sql["last_meeting"]), params).scalar())
    deferred: dict[str, int] = dict(connection.execute(text(sql["deferred"]), params).all())
    cases = []
    for case_id, code, created, day, primary, *flags in connection.execute(text(sql["cases"]), params).all():
        created_at = read_instant(created)
        saved_on = read_day(day) or team_day(created_at)
        cases.append(
            AgendaCase(
                id=case_id,
                code=code,
                created_at=created_at,
                primary=primary,
                flags=FLAG_SETS[tuple(flags)],
                waiting_days=(on - saved_on).days,
                deferred=int(deferred.get(case_id, 0)),
            )
        )
    actions = []
    for action_id, case_id, code, owner_org, owner_role, what, due in connection.execute(
        text(sql["actions"]), params
    ).all():
        due_day = read_day(due)
        actions.append(
            AgendaAction(
                id=action_id,
                case_id=case_id,
                case_code=code,
                owner_org=owner_org,
                owner_role=owner_role,
                what=what,
                due=due_day,
                overdue=due_day is not None and due_day < on,
            )
        )
    direct = connection.execute(text(sql["direct"]), agenda_params(dialect, area, on, last)).scalar_one()
    return Agenda(
        area=area,
        on=on,
        last_meeting=last,
        cases=order_agenda(cases),
        actions=order_actions(actions),
        direct_since_last=int(direct),
    )


# --- checks ------------------------------------------------------------------------------------


def _check_area(area: str) -> None:
    if area not in MEETING_AREAS:
        raise MeetingProblem("area", "unknown")


def _check_org(field: str, org: str) -> None:
    if org not in ORGS:
        raise MeetingProblem(field, "unknown")


def _text(field: str, value: str, limit: int, *, required: bool = False) -> str:
    """A text as it is kept (cleaned, within its limit, no identifier): TextRefused otherwise,
    which names the field and never the text."""
    if not isinstance(value, str):
        raise MeetingProblem(field, "not_text")
    kept = gate.admit(field, value, limit).strip()
    if required and not kept:
        raise MeetingProblem(field, "missing")
    refuse_identifiers(field, kept)
    return kept


def _case_area(row: Mapping) -> str:
    return row["area"] or "unknown"


# --- reading meetings -------------------------------------------------------------------------


def _action_of(row: Mapping) -> Action:
    return Action(
        id=row["id"],
        case_id=row["case_id"],
        meeting_id=row["meeting_id"],
        owner_org=row["owner_org"],
        owner_role=row["owner_role"],
        what=row["what"],
        due=row["due"],
        status=row["status"],
        closed_on=row["closed_on"],
        closed_in=row["closed_in"],
    )


def _actions_where(connection: Connection, *conditions) -> list[Action]:
    query = select(ACTIONS).where(*conditions).order_by(ACTIONS.c.added_at, ACTIONS.c.id)
    return [_action_of(row) for row in connection.execute(query).mappings()]


def _meetings(connection: Connection, rows: Sequence[Mapping]) -> list[Meeting]:
    """The meetings of ``rows`` with their items and the actions agreed in them."""
    ids = [row["id"] for row in rows]
    items: dict[str, list[MeetingItem]] = {i: [] for i in ids}
    actions: dict[str, list[Action]] = {i: [] for i in ids}
    for start in range(0, len(ids), 500):
        part = ids[start : start + 500]
        for item in connection.execute(
            select(ITEMS).where(ITEMS.c.meeting_id.in_(part)).order_by(ITEMS.c.meeting_id, ITEMS.c.position)
        ).mappings():
            items[item["meeting_id"]].append(MeetingItem(item["case_id"], item["position"], item["result"]))
        for action in _actions_where(connection, ACTIONS.c.meeting_id.in_(part)):
            actions[action.meeting_id].append(action)
    return [
        Meeting(
            id=row["id"],
            area=row["area"],
            on=row["held_on"],
            status=row["status"],
            convener_org=row["convener_org"],
            present=tuple(row["present"] or ()),
            apologies=tuple(row["apologies"] or ()),
            note=row["note"],
            items=tuple(items[row["id"]]),
            actions=tuple(actions[row["id"]]),
        )
        for row in rows
    ]


def _meeting(connection: Connection, meeting_id: str) -> Meeting | None:
    row = connection.execute(select(MEETINGS).where(MEETINGS.c.id == meeting_id)).mappings().first()
    return _meetings(connection, [row])[0] if row is not None else None


def get_meeting(engine: Engine, meeting_id: str) -> Meeting | None:
    with engine.connect() as connection:
        return _meeting(connection, meeting_id)


def list_meetings(engine: Engine, area: str | None = None) -> list[MeetingSummary]:
    """Every meeting (of ``area``), newest first, with its items counted by result (``pending``:
    none yet) and its actions by status."""
    if area is not None:
        _check_area(area)
    where = [MEETINGS.c.area == area] if area is not None else []
    with engine.connect() as connection:
        rows = connection.execute(
            select(MEETINGS.c.id, MEETINGS.c.area, MEETINGS.c.held_on, MEETINGS.c.status)
            .where(*where)
            .order_by(MEETINGS.c.held_on.desc(), MEETINGS.c.planned_at.desc(), MEETINGS.c.id)
        ).all()
        items: dict[str, dict[str, int]] = {}
        for meeting_id, result, count in connection.execute(
            select(ITEMS.c.meeting_id, ITEMS.c.result, func.count())
            .select_from(ITEMS.join(MEETINGS, MEETINGS.c.id == ITEMS.c.meeting_id))
            .where(*where)
            .group_by(ITEMS.c.meeting_id, ITEMS.c.result)
        ):
            counts = items.setdefault(meeting_id, empty_item_counts())
            counts[result or PENDING] = counts.get(result or PENDING, 0) + count
        actions: dict[str, dict[str, int]] = {}
        for meeting_id, status, count in connection.execute(
            select(ACTIONS.c.meeting_id, ACTIONS.c.status, func.count())
            .select_from(ACTIONS.join(MEETINGS, MEETINGS.c.id == ACTIONS.c.meeting_id))
            .where(*where)
            .group_by(ACTIONS.c.meeting_id, ACTIONS.c.status)
        ):
            counts = actions.setdefault(meeting_id, empty_action_counts())
            counts[status] = counts.get(status, 0) + count
    return [
        MeetingSummary(
            id=meeting_id,
            area=place,
            on=held_on,
            status=status,
            items=items.get(meeting_id, empty_item_counts()),
            actions=actions.get(meeting_id, empty_action_counts()),
        )
        for meeting_id, place, held_on, status in rows
    ]


def case_meetings(engine: Engine, case_id: str) -> list[tuple[Meeting, MeetingItem]]:
    """The meetings in which the case was an item, oldest first, each with its item."""
    with engine.connect() as connection:
        rows = (
            connection.execute(
                select(MEETINGS)
                .join(ITEMS, ITEMS.c.meeting_id == MEETINGS.c.id)
                .where(ITEMS.c.case_id == case_id)
                .order_by(MEETINGS.c.held_on, MEETINGS.c.planned_at, MEETINGS.c.id)
            )
            .mappings()
            .all()
        )
        meetings = _meetings(connection, rows)
    return [(m, next(i for i in m.items if i.case_id == case_id)) for m in meetings]


def case_actions(engine: Engine, case_id: str) -> list[Action]:
    """The actions agreed on the case, in the order they were agreed."""
    with engine.connect() as connection:
        return _actions_where(connection, ACTIONS.c.case_id == case_id)


def reviewed_actions(engine: Engine, meeting_id: str) -> list[Action]:
    """The actions closed in (reviewed at) the meeting, in the order they were agreed."""
    with engine.connect() as connection:
        return _actions_where(connection, ACTIONS.c.closed_in == meeting_id)


def open_actions(engine: Engine, area: str) -> list[Action]:
    """The open actions of the area's cases, by due day (none last), the case's code, the id."""
    _check_area(area)
    case_area = CASES.c.area.is_(None) if area == "unknown" else CASES.c.area == area
    with engine.connect() as connection:
        rows = connection.execute(
            select(ACTIONS, CASES.c.code.label("case_code"))
            .join(CASES, CASES.c.id == ACTIONS.c.case_id)
            .where(ACTIONS.c.status == "open", case_area)
        ).mappings()
        found = [(row["case_code"], _action_of(row)) for row in rows]
    found.sort(key=lambda p: (p[1].due is None, p[1].due or date.min, p[0], p[1].id))
    return [action for _, action in found]


# --- planning and holding ----------------------------------------------------------------------


def _writable(connection: Connection, meeting_id: str, *statuses: str) -> Mapping:
    """The meeting's row, locked for the change, when its status is one of ``statuses``."""
    query = select(MEETINGS).where(MEETINGS.c.id == meeting_id)
    if connection.dialect.name == "postgresql":
        query = query.with_for_update()
    row = connection.execute(query).mappings().first()
    if row is None:
        raise MeetingProblem("meeting_id", "unknown")
    if row["status"] not in statuses:
        raise MeetingProblem("status", row["status"])
    return row


def _saved_cases(connection: Connection, case_ids: Sequence[str]) -> dict[str, Mapping]:
    found: dict[str, Mapping] = {}
    for start in range(0, len(case_ids), 500):
        part = list(case_ids[start : start + 500])
        for row in connection.execute(
            select(CASES.c.id, CASES.c.status, CASES.c.area, CASES.c.notes).where(CASES.c.id.in_(part))
        ).mappings():
            found[row["id"]] = row
    return found


def _item(connection: Connection, meeting_id: str, case_id: str) -> Mapping:
    row = (
        connection.execute(select(ITEMS).where(ITEMS.c.meeting_id == meeting_id, ITEMS.c.case_id == case_id))
        .mappings()
        .first()
    )
    if row is None:
        raise MeetingProblem("case_id", "not_an_item")
    return row


def _done(connection: Connection, meeting_id: str) -> Meeting:
    found = _meeting(connection, meeting_id)
    assert found is not None
    return found


def plan_meeting(engine: Engine, area: str, on: date, convener_org: str) -> Meeting:
    """A planned meeting of ``area`` on ``on`` whose items are the proposed agenda's cases, in
    its order."""
    _check_area(area)
    _check_org("convener_org", convener_org)
    if not isinstance(on, date) or isinstance(on, datetime):
        raise MeetingProblem("on", "not_a_day")
    meeting_id = new_case_id()
    with writer(engine).begin() as connection:
        agenda = _agenda(connection, area, on)
        connection.execute(
            sql_insert(MEETINGS).values(
                id=meeting_id,
                area=area,
                held_on=on,
                status="planned",
                convener_org=convener_org,
                present=[],
                apologies=[],
                note="",
                planned_at=now(),
                created_by=written_by(engine),
            )
        )
        if agenda.cases:
            connection.execute(
                sql_insert(ITEMS),
                [
                    {"meeting_id": meeting_id, "case_id": c.id, "position": n, "result": None}
                    for n, c in enumerate(agenda.cases, start=1)
                ],
            )
        return _done(connection, meeting_id)


def set_items(engine: Engine, meeting_id: str, case_ids: Sequence[str]) -> Meeting:
    """The meeting's items become ``case_ids`` in this order (positions 1…n): added, removed
    and reordered at once while the meeting is planned or open. An item with a result keeps
    it and cannot be removed."""
    case_ids = list(case_ids)
    if len(set(case_ids)) != len(case_ids):
        raise MeetingProblem("case_ids", "duplicate")
    with writer(engine).begin() as connection:
        meeting = _writable(connection, meeting_id, "planned", "open")
        cases = _saved_cases(connection, case_ids)
        for case_id in case_ids:
            row = cases.get(case_id)
            if row is None:
                raise MeetingProblem("case_ids", "unknown_case")
            if row["status"] == "draft":
                raise MeetingProblem("case_ids", "draft")
            if _case_area(row) != meeting["area"]:
                raise MeetingProblem("case_ids", "other_area")
        old = {
            row["case_id"]: row["result"]
            for row in connection.execute(select(ITEMS).where(ITEMS.c.meeting_id == meeting_id)).mappings()
        }
        if any(result is not None and case_id not in case_ids for case_id, result in old.items()):
            raise MeetingProblem("case_ids", "has_result")
        connection.execute(sql_delete(ITEMS).where(ITEMS.c.meeting_id == meeting_id))
        if case_ids:
            connection.execute(
                sql_insert(ITEMS),
                [
                    {"meeting_id": meeting_id, "case_id": case_id, "position": n, "result": old.get(case_id)}
                    for n, case_id in enumerate(case_ids, start=1)
                ],
            )
        return _done(connection, meeting_id)


def _orgs(field: str, orgs: Sequence[str]) -> list[str]:
    listed = list(orgs)
    for org in listed:
        _check_org(field, org)
    if len(set(listed)) != len(listed):
        raise MeetingProblem(field, "duplicate")
    return [org for org in ORGS if org in listed]  # the vocabulary's order, however given


def set_attendance(
    engine: Engine,
    meeting_id: str,
    present: Sequence[str],
    apologies: Sequence[str],
    convener_org: str | None = None,
) -> Meeting:
    """Which organisations are present and which sent apologies (none in both); the
    convener's organisation too when given."""
    here, away = _orgs("present", present), _orgs("apologies", apologies)
    if set(here) & set(away):
        raise MeetingProblem("apologies", "also_present")
    values: dict[str, object] = {"present": here, "apologies": away}
    if convener_org is not None:
        _check_org("convener_org", convener_org)
        values["convener_org"] = convener_org
    with writer(engine).begin() as connection:
        _writable(connection, meeting_id, "planned", "open")
        connection.execute(update(MEETINGS).where(MEETINGS.c.id == meeting_id).values(**values))
        return _done(connection, meeting_id)


def set_note(engine: Engine, meeting_id: str, note: str) -> Meeting:
    """The meeting's own note (through the privacy gate), while it is planned or open."""
    kept = _text("note", note, NOTE_LENGTH)
    with writer(engine).begin() as connection:
        _writable(connection, meeting_id, "planned", "open")
        connection.execute(update(MEETINGS).where(MEETINGS.c.id == meeting_id).values(note=kept))
        return _done(connection, meeting_id)


def start_meeting(engine: Engine, meeting_id: str) -> Meeting:
    with writer(engine).begin() as connection:
        _writable(connection, meeting_id, "planned")
        connection.execute(update(MEETINGS).where(MEETINGS.c.id == meeting_id).values(status="open"))
        return _done(connection, meeting_id)


def decide_in_meeting(engine: Engine, meeting_id: str, case_id: str, path: str, note: str) -> Meeting:
    """Records the team's decision on an item of the open meeting (decided on the meeting's
    day, naming the meeting) and the item's result ``decided``."""
    if path not in PRIMARIES:
        raise MeetingProblem("path", "unknown")
    kept = _text("team_decision.note", note, gate.limit_of("team_decision.note"))
    with writer(engine).begin() as connection:
        meeting = _writable(connection, meeting_id, "open")
        _item(connection, meeting_id, case_id)
        case = _saved_cases(connection, [case_id]).get(case_id)
        if case is None:
            raise MeetingProblem("case_id", "unknown_case")
        if case["status"] == "draft":
            raise MeetingProblem("case_id", "draft")
        refuse_across_fields(case["notes"], {"team_decision.note": kept})
        connection.execute(
            sql_insert(DECISIONS).values(
                case_id=case_id,
                path=path,
                note=kept,
                decided_at=meeting["held_on"],
                recorded_at=now(),
                meeting_id=meeting_id,
                created_by=written_by(engine),
            )
        )
        connection.execute(
            update(CASES)
            .where(CASES.c.id == case_id)
            .values(
                status="team_decided", decision_path=path, decided_at=meeting["held_on"], updated_at=now()
            )
        )
        _set_result(connection, meeting_id, case_id, "decided")
        return _done(connection, meeting_id)


def _set_result(connection: Connection, meeting_id: str, case_id: str, result: str) -> None:
    connection.execute(
        update(ITEMS)
        .where(ITEMS.c.meeting_id == meeting_id, ITEMS.c.case_id == case_id)
        .values(result=result)
    )


def defer_item(engine: Engine, meeting_id: str, case_id: str) -> Meeting:
    """The item's case goes to the next meeting (result ``deferred``); a decided one stays decided."""
    with writer(engine).begin() as connection:
        _writable(connection, meeting_id, "open")
        if _item(connection, meeting_id, case_id)["result"] == "decided":
            raise MeetingProblem("case_id", "decided")
        _set_result(connection, meeting_id, case_id, "deferred")
        return _done(connection, meeting_id)


def add_action(
    engine: Engine,
    meeting_id: str,
    case_id: str,
    owner_org: str,
    owner_role: str,
    what: str,
    due: date | None,
) -> Action:
    """An action agreed in the open meeting on one of its items' cases."""
    _check_org("owner_org", owner_org)
    role = _text("owner_role", owner_role, OWNER_ROLE_LENGTH)
    task = _text("what", what, WHAT_LENGTH, required=True)
    if role and task:
        refuse_split_identifiers({"owner_role": role, "what": task})
    with writer(engine).begin() as connection:
        meeting = _writable(connection, meeting_id, "open")
        _item(connection, meeting_id, case_id)
        if due is not None and due < meeting["held_on"]:
            raise MeetingProblem("due", "before_meeting")
        action_id = new_case_id()
        connection.execute(
            sql_insert(ACTIONS).values(
                id=action_id,
                meeting_id=meeting_id,
                case_id=case_id,
                owner_org=owner_org,
                owner_role=role,
                what=task,
                due=due,
                status="open",
                added_at=now(),
                created_by=written_by(engine),
            )
        )
        return _actions_where(connection, ACTIONS.c.id == action_id)[0]


def close_action(
    engine: Engine, action_id: str, status: ActionStatus, on: date, meeting_id: str | None = None
) -> Action:
    """Closes an open action as done, not possible (circumstances changed) or not done (the
    owner did not act) on ``on``; ``meeting_id`` the open meeting that reviewed it, if any."""
    if status not in ACTION_STATUSES or status == "open":
        raise MeetingProblem("status", "unknown")
    with writer(engine).begin() as connection:
        query = select(ACTIONS).where(ACTIONS.c.id == action_id)
        if connection.dialect.name == "postgresql":
            query = query.with_for_update()
        row = connection.execute(query).mappings().first()
        if row is None:
            raise MeetingProblem("action_id", "unknown")
        if row["status"] != "open":
            raise MeetingProblem("status", "closed")
        agreed = connection.execute(
            select(MEETINGS.c.held_on).where(MEETINGS.c.id == row["meeting_id"])
        ).scalar_one()
        if on < agreed:
            raise MeetingProblem("on", "before_agreed")
        if meeting_id is not None:
            _writable(connection, meeting_id, "open")
        connection.execute(
            update(ACTIONS)
            .where(ACTIONS.c.id == action_id)
            .values(status=status, closed_on=on, closed_in=meeting_id, closed_by=written_by(engine))
        )
        return _actions_where(connection, ACTIONS.c.id == action_id)[0]


def close_meeting(engine: Engine, meeting_id: str) -> Meeting:
    """Closes the meeting: an item whose case was decided in it is ``decided``, any other item
    without a result ``not_discussed``. Nothing of it changes afterwards."""
    with writer(engine).begin() as connection:
        _writable(connection, meeting_id, "planned", "open")
        decided_here = select(DECISIONS.c.case_id).where(DECISIONS.c.meeting_id == meeting_id)
        connection.execute(
            update(ITEMS)
            .where(
                ITEMS.c.meeting_id == meeting_id, ITEMS.c.result.is_(None), ITEMS.c.case_id.in_(decided_here)
            )
            .values(result="decided")
        )
        connection.execute(
            update(ITEMS)
            .where(ITEMS.c.meeting_id == meeting_id, ITEMS.c.result.is_(None))
            .values(result="not_discussed")
        )
        connection.execute(
            update(MEETINGS)
            .where(MEETINGS.c.id == meeting_id)
            .values(status="closed", closed_by=written_by(engine))
        )
        return _done(connection, meeting_id)


# --- bundles -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ImportedMeeting:
    """A bundle's meeting, validated, with the ``by`` each of its actions carried."""

    index: int
    meeting: Meeting
    by: Mapping[str, str | None]


class MeetingRefersNowhere(ValueError):
    """A bundle's meeting (``index``) names a case or a meeting (``kind``) that is neither in
    the bundle nor in the database; nothing of the import was kept."""

    def __init__(self, index: int, kind: str, missing: str, meeting_id: str = "") -> None:
        super().__init__(index, kind, missing)
        self.index, self.kind, self.missing, self.meeting_id = index, kind, missing, meeting_id


class DecisionMeetingMissing(ValueError):
    """A case's decision names a meeting neither in the bundle nor in the database."""

    def __init__(self, case_id: str, meeting_id: str) -> None:
        super().__init__(case_id, meeting_id)
        self.case_id, self.meeting_id = case_id, meeting_id


def _present_ids(connection: Connection, column, values: Iterable[str]) -> set[str]:
    wanted = sorted(set(values))
    found: set[str] = set()
    for start in range(0, len(wanted), 500):
        found.update(
            connection.execute(select(column).where(column.in_(wanted[start : start + 500]))).scalars()
        )
    return found


def add_meetings(connection: Connection, meetings: Sequence[ImportedMeeting]) -> tuple[int, int]:
    """Adds a bundle's meetings not yet in the database, inside the import's transaction (the
    bundle's cases are written by then); returns (added, skipped). A meeting referring to a case
    or a reviewing meeting that is nowhere raises MeetingRefersNowhere; a case's decision naming
    a meeting that is nowhere, DecisionMeetingMissing."""
    given = {m.meeting.id for m in meetings}
    present = _present_ids(connection, MEETINGS.c.id, given)
    new = [m for m in meetings if m.meeting.id not in present]
    cases = _present_ids(
        connection,
        CASES.c.id,
        (
            c
            for m in new
            for c in (*(i.case_id for i in m.meeting.items), *(a.case_id for a in m.meeting.actions))
        ),
    )
    for m in new:
        for case_id in (*(i.case_id for i in m.meeting.items), *(a.case_id for a in m.meeting.actions)):
            if case_id not in cases:
                raise MeetingRefersNowhere(m.index, "case", case_id, m.meeting.id)
    # A meeting that reviewed an action: in the bundle or in the database.
    reviewers = {a.closed_in: m for m in new for a in m.meeting.actions if a.closed_in is not None}
    elsewhere = {meeting_id for meeting_id in reviewers if meeting_id not in given}
    for meeting_id in sorted(elsewhere - _present_ids(connection, MEETINGS.c.id, elsewhere)):
        m = reviewers[meeting_id]
        raise MeetingRefersNowhere(m.index, "meeting", meeting_id, m.meeting.id)
    moment = now()
    importer = written_by(connection.engine)
    # Meetings first (an action may be reviewed in a later one of the bundle), then items and actions.
    if new:
        connection.execute(
            sql_insert(MEETINGS),
            [
                {
                    "id": m.meeting.id,
                    "area": m.meeting.area,
                    "held_on": m.meeting.on,
                    "status": m.meeting.status,
                    "convener_org": m.meeting.convener_org,
                    "present": list(m.meeting.present),
                    "apologies": list(m.meeting.apologies),
                    "note": m.meeting.note,
                    "planned_at": moment,
                    "imported_at": moment,
                    "created_by": importer,
                    "closed_by": None,
                }
                for m in new
            ],
        )
    items = [
        {"meeting_id": m.meeting.id, "case_id": i.case_id, "position": i.position, "result": i.result}
        for m in new
        for i in m.meeting.items
    ]
    if items:
        connection.execute(sql_insert(ITEMS), items)
    # The bundle's order of actions is kept: each is "added" a microsecond after the one before.
    actions = [
        {
            "id": a.id,
            "meeting_id": m.meeting.id,
            "case_id": a.case_id,
            "owner_org": a.owner_org,
            "owner_role": a.owner_role,
            "what": a.what,
            "due": a.due,
            "status": a.status,
            "closed_on": a.closed_on,
            "closed_in": a.closed_in,
            "added_at": moment + timedelta(microseconds=n),
            "created_by": importer,
            "closed_by": None,
            "bundle_by": m.by.get(a.id),
        }
        for n, (m, a) in enumerate((m, a) for m in new for a in m.meeting.actions)
    ]
    if actions:
        taken = _present_ids(connection, ACTIONS.c.id, (a.id for m in new for a in m.meeting.actions))
        if taken:
            m, a = next((m, a) for m in new for a in m.meeting.actions if a.id in taken)
            raise MeetingRefersNowhere(m.index, "action", a.id, m.meeting.id)
        connection.execute(sql_insert(ACTIONS), actions)
    dangling = connection.execute(
        select(DECISIONS.c.case_id, DECISIONS.c.meeting_id)
        .select_from(DECISIONS.outerjoin(MEETINGS, MEETINGS.c.id == DECISIONS.c.meeting_id))
        .where(DECISIONS.c.meeting_id.is_not(None), MEETINGS.c.id.is_(None))
        .limit(1)
    ).first()
    if dangling is not None:
        raise DecisionMeetingMissing(dangling[0], dangling[1])
    return len(new), len(meetings) - len(new)


def bundle_meeting_ids(engine: Engine, case_conditions: Sequence | None = None) -> list[str]:
    """The meetings an export writes, oldest first: every one, or with a filter those whose
    items and actions all refer to cases the filter keeps (so the bundle reads back whole)."""
    query = select(MEETINGS.c.id).order_by(MEETINGS.c.held_on, MEETINGS.c.id)
    if case_conditions:
        # A condition that is NULL for a case (an area filter, a case without one) keeps it out.
        keeps = func.coalesce(and_(*case_conditions), false())
        for child in (ITEMS, ACTIONS):
            outside = (
                select(child.c.case_id)
                .join(CASES, CASES.c.id == child.c.case_id)
                .where(child.c.meeting_id == MEETINGS.c.id, not_(keeps))
            )
            query = query.where(~outside.exists())
    with engine.connect() as connection:
        return list(connection.execute(query).scalars())


def iter_meeting_dicts(engine: Engine, meeting_ids: Sequence[str]) -> Iterator[dict]:
    """The meetings in the bundle's shape (product.md, version 3), a page at a time: an item's
    result is null while its meeting is not closed; each action says ``by`` whom it was added."""
    travelling = set(meeting_ids)
    for start in range(0, len(meeting_ids), 200):
        part = list(meeting_ids[start : start + 200])
        with engine.connect() as connection:
            rows = {
                row["id"]: row
                for row in connection.execute(select(MEETINGS).where(MEETINGS.c.id.in_(part))).mappings()
            }
            by = dict(
                connection.execute(
                    select(ACTIONS.c.id, ACTIONS.c.created_by).where(ACTIONS.c.meeting_id.in_(part))
                ).all()
            )
            meetings = {m.id: m for m in _meetings(connection, [rows[i] for i in part if i in rows])}
        for meeting_id in part:
            if (m := meetings.get(meeting_id)) is None:
                continue
            closed = m.status == "closed"
            yield {
                "id": m.id,
                "area": m.area,
                "on": m.on.isoformat(),
                "status": m.status,
                "convener_org": m.convener_org,
                "present": list(m.present),
                "apologies": list(m.apologies),
                "note": m.note,
                # Numbered as read: a login shown part of a meeting (a worker, their own cases'
                # items on a server) writes a meeting whose positions still run 1, 2, 3…
                "items": [
                    {"case_id": i.case_id, "position": n, "result": i.result if closed else None}
                    for n, i in enumerate(m.items, start=1)
                ],
                "actions": [
                    {
                        "id": a.id,
                        "case_id": a.case_id,
                        "owner_org": a.owner_org,
                        "owner_role": a.owner_role,
                        "what": a.what,
                        "due": a.due.isoformat() if a.due else None,
                        "status": a.status,
                        "closed_on": a.closed_on.isoformat() if a.closed_on else None,
                        # Reviewed in a meeting that does not travel with this one: said as unknown.
                        "closed_in": a.closed_in if a.closed_in in travelling else None,
                        "by": by.get(a.id),
                    }
                    for a in m.actions
                ],
            }
