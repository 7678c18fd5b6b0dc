"""Bundles of version 3 with the team's meetings (product.md): written after the cases, read
back unchanged between SQLite and PostgreSQL, versions 1 and 2 still read, a meeting already
present skipped, and every bad meeting refused in one line naming it, nothing kept."""

from __future__ import annotations

import copy
import io
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from consult.exchange.bundle import Bundle, BundleError, export_json, import_bundle, import_file
from consult.i18n import Translator
from consult.store import Store, reads
from consult.store.review import CaseFilter
from tests.store.fixtures import make_case, march_cases
from tests.test_cli_bundles import consult

T = Translator("en")
IDENTITY_CODE = "131052-308T"  # fictional, of the guard's own tests' kind
ON, LATER = date(2026, 4, 2), date(2026, 4, 16)


def case_id(n: int) -> str:
    return f"00000000-0000-4000-8000-{n:012d}"


def cases() -> list:
    return [
        *march_cases(),
        make_case(11, "3,3,2,4,3,3,5", "2026-03-20T10:15:00+02:00", "awaiting_team", "kuopio"),
        make_case(12, "2,2,5,2,2,2,2", "2026-03-10T10:15:00+02:00", "awaiting_team", "kuopio"),
    ]


def hold_meetings(store: Store) -> None:
    """Two meetings of kuopio: the first closed (a decision, a deferral, an item not reached,
    actions), the second open, reviewing one of the first's actions, with a result so far."""
    import_bundle(store.engine, Bundle(format="consult-cases", version=1, cases=cases()))
    first = store.plan_meeting("kuopio", ON, "social")
    assert [i.case_id for i in first.items] == [case_id(11), case_id(12), case_id(1)]
    store.set_attendance(first.id, ["social", "kela", "employment"], ["health"])
    store.set_meeting_note(first.id, "Etäkokous, kolme tapausta.")
    store.start_meeting(first.id)
    store.decide_in_meeting(first.id, case_id(11), "tym", "tiimi sopi yhteisestä suunnitelmasta")
    store.defer_item(first.id, case_id(12))
    reviewed = store.add_action(
        first.id, case_id(11), "kela", "palveluneuvoja", "ottaa yhteyttä", date(2026, 4, 9)
    )
    store.add_action(first.id, case_id(11), "health", "lääkäri", "lausunto pyydetty", None)
    store.add_action(first.id, case_id(12), "employment", "", "työkyvyn arvio", date(2026, 4, 30))
    store.close_meeting(first.id)
    second = store.start_meeting(store.plan_meeting("kuopio", LATER, "employment").id)
    store.defer_item(second.id, case_id(12))
    store.close_action(reviewed.id, "done", LATER, second.id)


def export(store: Store, case_filter: CaseFilter | None = None) -> str:
    out = io.StringIO()
    export_json(store.engine, out, case_filter)
    return out.getvalue()


def imported(store: Store, text: str) -> tuple[int, int]:
    return import_file(store.engine, io.BytesIO(text.encode("utf-8")), T)


def without_by(text: str) -> dict:
    """The bundle without the actions' ``by``: identity on a server is its login, never a file's."""
    data = json.loads(text)
    for meeting in data["meetings"]:
        for action in meeting["actions"]:
            action.pop("by")
    return data


@pytest.fixture
def local(tmp_path: Path, migrated_template: Path) -> Store:
    from tests.conftest import place_database

    place_database(migrated_template, tmp_path / "a" / "consult.db")
    return Store.open(f"sqlite:///{tmp_path / 'a' / 'consult.db'}")


def test_a_bundle_with_meetings_round_trips_sqlite_postgresql_sqlite_unchanged(
    local: Store, postgres_url: str, tmp_path: Path, migrated_template: Path
) -> None:
    from tests.conftest import place_database

    hold_meetings(local)
    first = export(local)
    data = json.loads(first)
    assert data["version"] == 3 and list(data) == ["format", "version", "cases", "meetings"]
    closed, open_ = data["meetings"]
    assert [i["result"] for i in closed["items"]] == ["decided", "deferred", "not_discussed"]
    assert [i["result"] for i in open_["items"]] == [None, None]  # results show once closed
    assert closed["actions"][0]["closed_in"] == open_["id"] and closed["actions"][0]["by"]
    decided = next(c for c in data["cases"] if c["id"] == case_id(11))
    assert decided["team_decision"]["meeting_id"] == closed["id"]

    server = Store.open(postgres_url)
    try:
        assert imported(server, first) == (len(cases()), 0)
        middle = export(server)
    finally:
        server.close()
    assert without_by(middle) == without_by(first)

    place_database(migrated_template, tmp_path / "b" / "consult.db")
    back = Store.open(f"sqlite:///{tmp_path / 'b' / 'consult.db'}")
    try:
        assert imported(back, middle) == (len(cases()), 0)
        assert export(back) == first
        # Again: every case and meeting present, nothing added, nothing changed.
        assert imported(back, middle) == (0, len(cases()))
        assert export(back) == first
        assert len(back.list_meetings()) == 2
        whats = [e.what for e in back.audit() if e.what.startswith(("meeting.", "action."))]
        assert whats == ["meeting.imported"] * 2 + ["action.added"] * 3
        # The login the bundle said added each action is kept beside the importer in the audit.
        details = [e.detail for e in back.audit() if e.what == "action.added"]
        assert all(" by=" in (d or "") for d in details)
    finally:
        back.close()
        local.close()


def test_bundles_of_versions_1_and_2_still_read(
    local: Store, tmp_path: Path, migrated_template: Path
) -> None:
    from tests.conftest import place_database

    v1 = Bundle(format="consult-cases", version=1, cases=march_cases()).model_dump_json()
    assert imported(local, v1) == (7, 0)
    data = json.loads(export(local))
    local.close()
    # The same cases as version 2 wrote them: no meetings, no meeting_id on a decision.
    data["version"] = 2
    data.pop("meetings")
    for case in data["cases"]:
        if case["team_decision"]:
            case["team_decision"].pop("meeting_id")
    place_database(migrated_template, tmp_path / "b" / "consult.db")
    again = Store.open(f"sqlite:///{tmp_path / 'b' / 'consult.db'}")
    try:
        assert imported(again, json.dumps(data)) == (7, 0)
        written = json.loads(export(again))
        assert written["meetings"] == []
        assert [c["team_decision"] for c in written["cases"] if c["team_decision"]] == [
            {**c["team_decision"], "meeting_id": None} for c in data["cases"] if c["team_decision"]
        ]
    finally:
        again.close()


def _meeting(data: dict) -> dict:
    return data["meetings"][0]


BAD: list[tuple[str, Callable[[dict], object], str]] = [
    ("a case nowhere", lambda d: _meeting(d)["items"][0].__setitem__("case_id", case_id(99)), case_id(99)),
    (
        "an action's case nowhere",
        lambda d: _meeting(d)["actions"][1].__setitem__("case_id", case_id(98)),
        case_id(98),
    ),
    (
        "positions with a gap",
        lambda d: _meeting(d)["items"][2].__setitem__("position", 4),
        "items: the positions",
    ),
    (
        "a position twice",
        lambda d: _meeting(d)["items"][2].__setitem__("position", 1),
        "items: the positions",
    ),
    (
        "a case twice",
        lambda d: _meeting(d)["items"][2].__setitem__("case_id", case_id(11)),
        "items: the same case",
    ),
    (
        "present and apologies",
        lambda d: _meeting(d)["apologies"].append("kela"),
        "apologies: an organisation",
    ),
    (
        "an organisation twice",
        lambda d: _meeting(d)["present"].append("kela"),
        "present: the same organisation",
    ),
    ("an unknown organisation", lambda d: _meeting(d)["present"].append("welfare"), "present[3]"),
    ("an unknown area", lambda d: _meeting(d).__setitem__("area", "savo"), "area"),
    (
        "a result while open",
        lambda d: d["meetings"][1]["items"][0].__setitem__("result", "deferred"),
        "items[0].result",
    ),
    (
        "no result once closed",
        lambda d: _meeting(d)["items"][0].__setitem__("result", None),
        "items[0].result",
    ),
    (
        "an unknown result",
        lambda d: _meeting(d)["items"][0].__setitem__("result", "postponed"),
        "items[0].result",
    ),
    ("an unknown status", lambda d: _meeting(d).__setitem__("status", "held"), "status"),
    (
        "an open action closed",
        lambda d: _meeting(d)["actions"][1].__setitem__("closed_on", "2026-04-20"),
        "actions[1].status",
    ),
    (
        "an action closed before",
        lambda d: _meeting(d)["actions"][0].__setitem__("closed_on", "2026-03-01"),
        "actions[0].closed_on",
    ),
    ("an unknown key", lambda d: _meeting(d).__setitem__("chair", "x"), "chair"),
    (
        "an identifier in what",
        lambda d: _meeting(d)["actions"][0].__setitem__("what", f"hetu {IDENTITY_CODE}"),
        "actions[0].what",
    ),
    (
        "an identifier in owner_role",
        lambda d: _meeting(d)["actions"][0].__setitem__("owner_role", IDENTITY_CODE),
        "actions[0].owner_role",
    ),
    ("an identifier in the note", lambda d: _meeting(d).__setitem__("note", IDENTITY_CODE), "note"),
    ("a meeting twice", lambda d: d["meetings"].append(copy.deepcopy(_meeting(d))), "meetings[2]"),
    ("a reviewing meeting nowhere", lambda d: d["meetings"].pop(1), "the meeting"),
    ("a bad day", lambda d: _meeting(d).__setitem__("on", "2.4.2026"), "on"),
    ("a year out of range", lambda d: _meeting(d).__setitem__("on", "1999-04-02"), "on"),
    ("not a list", lambda d: d.__setitem__("meetings", {}), "meetings"),
    ("meetings in version 2", lambda d: d.__setitem__("version", 2), "version 2"),
    (
        "a decision's meeting nowhere",
        lambda d: next(c for c in d["cases"] if c["id"] == case_id(11))["team_decision"].__setitem__(
            "meeting_id", case_id(97)
        ),
        case_id(97),
    ),
]


@pytest.mark.parametrize("why,mutate,expected", BAD, ids=[b[0] for b in BAD])
def test_a_bad_meeting_is_refused_in_one_line_and_nothing_is_kept(
    local: Store, tmp_path: Path, migrated_template: Path, why: str, mutate, expected: str
) -> None:
    from tests.conftest import place_database

    hold_meetings(local)
    data = json.loads(export(local))
    local.close()
    mutate(data)
    place_database(migrated_template, tmp_path / "b" / "consult.db")
    fresh = Store.open(f"sqlite:///{tmp_path / 'b' / 'consult.db'}")
    try:
        with pytest.raises(BundleError) as error:
            imported(fresh, json.dumps(data))
        line = str(error.value)
        assert expected in line and "\n" not in line and IDENTITY_CODE not in line, line
        if why not in ("not a list", "meetings in version 2", "a decision's meeting nowhere"):
            assert "meetings[" in line, line
        assert reads.count_cases(fresh.engine, completed_only=False) == 0
        assert fresh.list_meetings() == []
    finally:
        fresh.close()


def test_a_meeting_already_present_is_skipped(local: Store) -> None:
    hold_meetings(local)
    text = export(local)
    data = json.loads(text)
    data["meetings"][0]["note"] = "toinen muistiinpano"  # the same id: the stored one stays
    assert imported(local, json.dumps(data)) == (0, len(cases()))
    assert export(local) == text
    local.close()


def test_a_filtered_export_carries_the_meetings_whose_cases_all_travel(local: Store) -> None:
    hold_meetings(local)
    by_area = json.loads(export(local, CaseFilter(area="kuopio")))
    assert len(by_area["meetings"]) == 2
    # Without case 12 (urgent housing) neither meeting travels, and the decision keeps no meeting.
    others = json.loads(export(local, CaseFilter(flag="safety")))
    assert [c["id"] for c in others["cases"]] == [case_id(11)]
    assert others["meetings"] == []
    assert others["cases"][0]["team_decision"]["meeting_id"] is None
    local.close()


def test_the_command_line_refuses_a_bad_meeting_in_one_line(local: Store, tmp_path: Path) -> None:
    hold_meetings(local)
    data = json.loads(export(local))
    local.close()
    _meeting(data)["items"][0]["case_id"] = case_id(99)
    source = tmp_path / "bad.json"
    source.write_text(json.dumps(data), "utf-8")
    done = consult(tmp_path, "import", str(source))
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and case_id(99) in lines[0], done.stderr
    assert f"meetings[0] ({data['meetings'][0]['id']})" in lines[0], done.stderr


def test_an_action_already_kept_under_another_meeting_is_refused(local: Store) -> None:
    hold_meetings(local)
    data = json.loads(export(local))
    renamed = "00000000-0000-4000-8000-00000000a001"
    data["meetings"][0]["id"] = renamed  # a new meeting, yet its actions are kept already
    for case in data["cases"]:
        if case["team_decision"]:
            case["team_decision"]["meeting_id"] = None
    with pytest.raises(BundleError) as error:
        imported(local, json.dumps(data))
    line = str(error.value)
    assert f"meetings[0] ({renamed})" in line and data["meetings"][0]["actions"][0]["id"] in line, line
    assert len(local.list_meetings()) == 2
    local.close()
