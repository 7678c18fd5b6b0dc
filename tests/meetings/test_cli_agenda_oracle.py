"""`consult meeting agenda --json`, the command line as a convener runs it, on cases imported
from a bundle and meetings held through the store's methods as the screens hold them (planned
from the proposed agenda, items chosen, decided or deferred, actions agreed and closed),
against an oracle written from product.md's rules alone ("Team meetings"): which cases, in
which order, how long each has waited and how often it was deferred, the open actions by due
day, and the cases referred directly since the area's last closed meeting. The oracle reads
nothing from the database: it keeps what the test did and works the agenda out from that.
(tests/meetings/test_agenda_oracle.py checks the store's agenda on worlds written directly.)"""

from __future__ import annotations

import contextlib
import io
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st

from consult.cli import main
from consult.core.dates import TEAM_TIME
from consult.core.model import Case, Context, Recommendation, TeamDecision
from consult.core.vocabulary import FLAGS
from consult.exchange.bundle import Bundle, import_bundle
from consult.store import Store
from consult.store.codes import ALPHABET
from tests.conftest import place_database, postgres_schema

AREAS = ("yla-savo", "keski-savo", "kuopio", "other", None)  # None: saved without an area
PRIMARIES = ("tym", "bilateral", "social_services", "own_service")
ORGS = ("employment", "social", "health", "kela", "other")


@dataclass
class Known:
    """What the test did, as the oracle reads it."""

    cases: dict[str, dict] = field(default_factory=dict)  # id -> area, status, route, ...
    meetings: list[dict] = field(default_factory=list)  # area, on, closed, items {case: result}
    actions: dict[str, dict] = field(default_factory=dict)  # id -> case, status, due, ...


def oracle(known: Known, area: str, on: date) -> dict:
    """product.md's agenda, worked out by hand."""

    def of_area(case: dict) -> bool:
        return (case["area"] or "unknown") == area

    def day_of(moment: datetime) -> date:
        return moment.astimezone(TEAM_TIME).date()

    closed_before = [m["on"] for m in known.meetings if m["area"] == area and m["closed"] and m["on"] < on]
    last = max(closed_before, default=None)
    waiting = [
        c
        for c in known.cases.values()
        if of_area(c) and c["status"] == "awaiting_team" and day_of(c["created_at"]) <= on
    ]

    def rank(case: dict) -> tuple:
        # Four keys in turn, as product.md lists them: a case with safety before one without,
        # then one urgent before one not (so among the safety cases too), then the oldest,
        # then the code.
        return (
            "safety" not in case["flags"],
            "urgent" not in case["flags"],
            case["created_at"],
            case["code"],
        )

    def deferred(case_id: str) -> int:
        return sum(1 for m in known.meetings if m["closed"] and m["items"].get(case_id) == "deferred")

    cases = [
        {
            "id": c["id"],
            "code": c["code"],
            "created_at": c["created_at"],
            "primary": c["primary"],
            "flags": [f for f in FLAGS if f in c["flags"]],
            "waiting_days": (on - day_of(c["created_at"])).days,
            "deferred": deferred(c["id"]),
        }
        for c in sorted(waiting, key=rank)
    ]
    open_actions = [
        a for a in known.actions.values() if a["status"] == "open" and of_area(known.cases[a["case_id"]])
    ]
    # product.md: by due, then the case's code; an action without a due day after those with
    # one (the spec is silent; the store says so), the action's id last for a stable order.
    open_actions.sort(
        key=lambda a: (a["due"] is None, a["due"] or date.min, known.cases[a["case_id"]]["code"], a["id"])
    )
    actions = [
        {
            "id": a["id"],
            "case_code": known.cases[a["case_id"]]["code"],
            "owner_org": a["owner_org"],
            "owner_role": a["owner_role"],
            "what": a["what"],
            "due": a["due"].isoformat() if a["due"] else None,
            "overdue": a["due"] is not None and a["due"] < on,
        }
        for a in open_actions
    ]
    direct = sum(
        1
        for c in known.cases.values()
        if of_area(c)
        and c["route"] == "direct"
        and (last is None or day_of(c["created_at"]) > last)
        and day_of(c["created_at"]) <= on
    )
    return {
        "area": area,
        "on": on.isoformat(),
        "last_meeting": last.isoformat() if last else None,
        "cases": cases,
        "actions": actions,
        "direct_since_last": direct,
    }


# --- random cases and meetings ----------------------------------------------------------------

ZONES = (UTC, timezone(timedelta(hours=2)), timezone(timedelta(hours=3)), TEAM_TIME)
codes = st.text(alphabet=ALPHABET, min_size=6, max_size=6).map(lambda c: f"{c[:3]}-{c[3:]}")


@st.composite
def a_case(draw: st.DrawFn, number: int, code: str, on: date, area: str) -> Case:
    """Half of them waiting for the team, half of them of the agenda's area."""
    status = draw(st.sampled_from(["awaiting_team"] * 3 + ["referred_directly", "team_decided", "draft"]))
    route = {
        "awaiting_team": "to_team",
        "referred_directly": "direct",
        "team_decided": draw(st.sampled_from(["to_team", "direct"])),
        "draft": None,
    }[status]
    # Around midnight of the team's days as often as not: which day a case was saved on is
    # the Helsinki day, whatever zone the bundle wrote.
    day = on + timedelta(days=draw(st.integers(-60, 3)))
    minute = draw(
        st.one_of(st.integers(0, 1439), st.sampled_from([0, 1, 59, 60, 119, 120, 179, 180, 1379, 1439]))
    )
    zone = draw(st.sampled_from(ZONES))
    created = datetime.combine(day, time(minute // 60, minute % 60), tzinfo=zone)
    flags = draw(st.lists(st.sampled_from(FLAGS), unique=True, max_size=3))
    recommendation = None
    if status != "draft":
        recommendation = Recommendation(
            primary=draw(st.sampled_from(PRIMARIES)),
            needs=[],
            orgs=[],
            flags=flags,
            suggested_answers={},
            reasons=[],
            rules_version="ps-2025.1",
        )
    decision = None
    if status == "team_decided":
        decision = TeamDecision(path=draw(st.sampled_from(PRIMARIES)), decided_at=day_of(created))
    return Case(
        id=str(uuid.UUID(int=number + 1, version=4)),
        code=code,
        created_at=created,
        status=status,
        route=route,
        context=Context(
            area=draw(st.sampled_from([None if area == "unknown" else area, *AREAS])),
            worker_org="social",
            jobseeker=True,
        ),
        recommendation=recommendation,
        team_decision=decision,
    )


def day_of(moment: datetime) -> date:
    return moment.astimezone(TEAM_TIME).date()


def remember(known: Known, case: Case) -> None:
    known.cases[case.id] = {
        "id": case.id,
        "code": case.code,
        "created_at": case.created_at,
        "area": case.context.area,
        "status": case.status,
        "route": case.route,
        "flags": case.recommendation.flags if case.recommendation else [],
        "primary": case.recommendation.primary if case.recommendation else None,
    }


def hold_meetings(data: st.DataObject, store: Store, known: Known, area: str, on: date) -> None:
    """Meetings of the area (and of one other) before and after ``on``, held through the store
    as a convener would: planned from the proposed agenda, items chosen, decided or deferred
    or left, actions agreed, some closed and some not; actions closed later."""
    count = data.draw(st.sampled_from([0, 1, 2, 2, 3, 3, 4]), label="meetings")
    offsets = sorted(data.draw(st.lists(st.integers(-30, 5), min_size=count, max_size=count), label="days"))
    other_area = data.draw(st.sampled_from([a for a in ("yla-savo", "kuopio", "other") if a != area]))
    places = [data.draw(st.sampled_from([area, area, other_area]), label="area") for _ in offsets]
    for offset, place in zip(offsets, places, strict=True):
        day = on + timedelta(days=offset)
        meeting = store.plan_meeting(place, day, data.draw(st.sampled_from(ORGS), label="convener"))
        proposed = [item.case_id for item in meeting.items]
        chosen = (
            data.draw(st.lists(st.sampled_from(proposed), unique=True, min_size=1), label="items")
            if proposed
            else []
        )
        store.set_items(meeting.id, chosen)
        held = {"area": place, "on": day, "closed": False, "items": dict.fromkeys(chosen)}
        known.meetings.append(held)
        fate = data.draw(st.sampled_from(["planned", "open", "closed", "closed", "closed"]), label="fate")
        if fate == "planned":
            continue
        store.start_meeting(meeting.id)
        for case_id in chosen:
            result = data.draw(st.sampled_from(["decided", "deferred", None]), label="result")
            if result == "decided":
                store.decide_in_meeting(meeting.id, case_id, data.draw(st.sampled_from(PRIMARIES)), "")
                known.cases[case_id]["status"] = "team_decided"
            elif result == "deferred":
                store.defer_item(meeting.id, case_id)
            held["items"][case_id] = result
            for _ in range(data.draw(st.integers(0, 3), label="actions")):
                # Due on the meeting's day or later (the store refuses an earlier one): before
                # ``on`` for a meeting held a while before it, overdue on the agenda.
                due = data.draw(
                    st.one_of(st.none(), st.integers(0, 25).map(lambda d, day=day: day + timedelta(days=d)))
                )
                role = data.draw(
                    st.sampled_from(["palveluneuvoja", "sosiaaliohjaaja", "työkykykoordinaattori"])
                )
                owner = data.draw(st.sampled_from(ORGS), label="owner")
                action = store.add_action(meeting.id, case_id, owner, role, "ottaa yhteyttä", due)
                known.actions[action.id] = {
                    "id": action.id,
                    "case_id": case_id,
                    "owner_org": owner,
                    "owner_role": role,
                    "what": "ottaa yhteyttä",
                    "due": due,
                    "status": "open",
                    "agreed": day,
                }
        if fate == "closed":
            store.close_meeting(meeting.id)
            held["closed"] = True
            held["items"] = {c: r or "not_discussed" for c, r in held["items"].items()}
    for action in known.actions.values():
        status = data.draw(
            st.sampled_from(["open"] * 4 + ["done", "not_possible", "not_done"]), label="closed"
        )
        if status != "open":
            store.close_action(action["id"], status, max(on, action["agreed"]))
            action["status"] = status


@contextlib.contextmanager
def fresh_database(kind: str, tmp_path: Path, template: Path) -> Iterator[str]:
    """An empty database at the newest schema for one example: a copy of the template file,
    or a new schema on the PostgreSQL server, dropped afterwards."""
    if kind == "sqlite":
        path = tmp_path / f"{uuid.uuid4().hex}.db"
        place_database(template, path)
        try:
            yield f"sqlite:///{path}"
        finally:
            path.unlink(missing_ok=True)
        return
    with postgres_schema() as url:
        yield url


def consult(url: str, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CONSULT_DATABASE_URL", url)
        patch.setenv("CONSULT_LANG", "en")
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def as_instants(agenda: dict) -> dict:
    """The agenda with each case's created_at as an instant: the same moment may be written
    in any zone (the store writes UTC, a bundle may have written +02:00)."""
    cases = [
        {
            **c,
            "created_at": c["created_at"]
            if isinstance(c["created_at"], datetime)
            else datetime.fromisoformat(c["created_at"]),
        }
        for c in agenda["cases"]
    ]
    return {**agenda, "cases": cases}


def check_agenda_against_oracle(data: st.DataObject, kind: str, tmp_path: Path, template: Path) -> None:
    on = data.draw(st.dates(min_value=date(2026, 1, 20), max_value=date(2026, 12, 20)), label="on")
    area = data.draw(st.sampled_from(["yla-savo", "keski-savo", "kuopio", "other", "unknown"]), label="area")
    drawn = data.draw(st.lists(codes, unique=True, min_size=1, max_size=20), label="codes")
    cases = [data.draw(a_case(n, code, on, area), label="case") for n, code in enumerate(drawn)]
    known = Known()
    for case in cases:
        remember(known, case)
    with fresh_database(kind, tmp_path, template) as url:
        store = Store.open(url)
        try:
            import_bundle(store.engine, Bundle(format="consult-cases", version=2, cases=cases))
            hold_meetings(data, store, known, area, on)
        finally:
            store.close()
        code, out, err = consult(url, "meeting", "agenda", "--area", area, "--on", on.isoformat(), "--json")
        assert code == 0, err
        said = json.loads(out)
        assert list(said) == ["area", "on", "last_meeting", "cases", "actions", "direct_since_last"]
        assert as_instants(said) == as_instants(oracle(known, area, on))
        event(f"cases on the agenda: {min(len(said['cases']), 3)}+")
        event(f"open actions: {min(len(said['actions']), 2)}+")
        event(f"an earlier closed meeting: {said['last_meeting'] is not None}")
        event(f"a case deferred before: {any(c['deferred'] for c in said['cases'])}")
        # The table a convener reads holds the same cases in the same order.
        code, out, err = consult(url, "meeting", "agenda", "--area", area, "--on", on.isoformat())
        assert code == 0, err
        shown = [c["code"] for c in said["cases"]]
        assert [
            line.split()[1] for line in out.splitlines() if line.split()[1:2] and line.split()[1] in shown
        ] == shown


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_the_agenda_is_what_product_md_says_on_sqlite(
    data: st.DataObject, tmp_path: Path, migrated_template: Path
) -> None:
    check_agenda_against_oracle(data, "sqlite", tmp_path, migrated_template)


# A new schema is migrated for each example: a few examples, and a failure reported as drawn
# rather than shrunk for minutes (the SQLite test above shrinks the same strategies).
@pytest.mark.postgres
@settings(
    max_examples=8,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_the_agenda_is_what_product_md_says_on_postgresql(
    data: st.DataObject, tmp_path: Path, migrated_template: Path, postgres_available: None
) -> None:
    check_agenda_against_oracle(data, "postgresql", tmp_path, migrated_template)


def test_urgency_orders_the_safety_cases_too(tmp_path: Path, migrated_template: Path) -> None:
    """The case hypothesis found where two readings of product.md part: of two safety cases,
    the urgent one comes first even when the other is older or first by code."""

    def waiting(number: int, code: str, created: str, flags: list[str]) -> Case:
        recommendation = Recommendation(
            primary="tym",
            needs=[],
            orgs=[],
            flags=flags,
            suggested_answers={},
            reasons=[],
            rules_version="ps-2025.1",
        )
        return Case(
            id=str(uuid.UUID(int=number, version=4)),
            code=code,
            created_at=datetime.fromisoformat(created),
            status="awaiting_team",
            route="to_team",
            context=Context(area="kuopio"),
            recommendation=recommendation,
        )

    cases = [
        waiting(1, "AAA-333", "2026-03-01T09:00:00+02:00", ["safety"]),
        waiting(2, "AAA-334", "2026-03-02T09:00:00+02:00", ["safety", "urgent"]),
        waiting(3, "AAA-335", "2026-03-01T08:00:00+02:00", ["urgent"]),
        waiting(4, "AAA-336", "2026-02-01T08:00:00+02:00", []),
    ]
    known = Known()
    for case in cases:
        remember(known, case)
    with fresh_database("sqlite", tmp_path, migrated_template) as url:
        store = Store.open(url)
        import_bundle(store.engine, Bundle(format="consult-cases", version=2, cases=cases))
        store.close()
        code, out, err = consult(url, "meeting", "agenda", "--area", "kuopio", "--on", "2026-03-10", "--json")
    assert code == 0, err
    said = json.loads(out)
    assert [c["code"] for c in said["cases"]] == ["AAA-334", "AAA-333", "AAA-335", "AAA-336"]
    assert as_instants(said) == as_instants(oracle(known, "kuopio", date(2026, 3, 10)))
