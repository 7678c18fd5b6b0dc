"""The minutes as text, Markdown and HTML, built from meetings drawn at random: whatever the team
typed (a name kept on the worker's word, an identifier, markup, anything), the minutes hold
nothing the privacy guard refuses or warns about, name no case but their meeting's, and escape
what they quote; in fi, sv and en."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consult.core.meeting import ORGS, Action, Meeting, MeetingItem
from consult.core.model import Case, TeamDecision
from consult.i18n import Translator
from consult.privacy.guard import check, warm_up
from consult.report.minutes import FORMATS, minutes_text
from consult.store.codes import ALPHABET
from tests.store.fixtures import make_case
from tests.test_privacy import NOTES, identity_codes

warm_up()

LANGS = ("fi", "sv", "en")
MEETING = "10000000-0000-4000-8000-000000000001"
DAY = date(2026, 3, 10)
# What a team types that the guard points out: names (kept on the worker's word), an address,
# a birth date, and what the store would refuse but the minutes must never print anyway.
DIRTY = [
    "Matti Virtanen soittaa asiakkaalle",
    "Soita Riikalle huomenna",
    "asiakas Mäkisen kanssa sovittu",
    "Asuu Kauppakatu 12 B 4",
    "syntynyt 3.4.1985",
    "puh 040 123 4567",
    "matti.virtanen@example.fi",
    "Ahmed Warsame ja Leena Korhonen",
]
texts = st.one_of(
    st.sampled_from(NOTES),
    st.sampled_from(DIRTY),
    identity_codes(),
    st.lists(st.sampled_from([*NOTES, *DIRTY]), min_size=2, max_size=3).map(" ".join),
    st.text(max_size=60),
)
codes = st.text(alphabet=ALPHABET, min_size=6, max_size=6).map(lambda c: f"{c[:3]}-{c[3:]}")


def a_case(number: int, code: str, decision: TeamDecision | None = None) -> Case:
    made = make_case(number, "3,3,2,4,3,3,2", "2026-03-02T10:15:00+02:00", "awaiting_team", "kuopio")
    return made.model_copy(update={"code": code, "team_decision": decision})


@st.composite
def meetings(draw: st.DrawFn) -> tuple[Meeting, dict[str, Case], list[Action]]:
    """A closed meeting of some of the cases, the actions it reviewed (of other cases too),
    and, among the cases handed over, some that are no part of it."""
    drawn = draw(st.lists(codes, unique=True, min_size=1, max_size=8))
    ids = [str(uuid.UUID(int=n + 1, version=4)) for n in range(len(drawn))]
    in_meeting = draw(st.lists(st.sampled_from(ids), unique=True, min_size=1))
    items, actions, cases = [], [], {}
    for position, case_id in enumerate(in_meeting, start=1):
        result = draw(st.sampled_from(["decided", "deferred", "not_discussed"]))
        items.append(MeetingItem(case_id, position, result))
        for _ in range(draw(st.integers(0, 2))):
            actions.append(action(draw, case_id, MEETING, "open", None))
    reviewed = [
        action(draw, case_id, "10000000-0000-4000-8000-000000000000", status, MEETING)
        for case_id in draw(st.lists(st.sampled_from(ids), max_size=3))
        for status in [draw(st.sampled_from(["done", "not_possible", "not_done"]))]
    ]
    for number, (case_id, code) in enumerate(zip(ids, drawn, strict=True)):
        decided = any(i.case_id == case_id and i.result == "decided" for i in items)
        decision = TeamDecision(
            path=draw(st.sampled_from(["tym", "bilateral", "social_services", "own_service"])),
            note=draw(texts),
            decided_at=DAY,
            meeting_id=MEETING,
        )
        cases[case_id] = a_case(number, code, decision if decided else None)
    present = draw(st.lists(st.sampled_from(ORGS), unique=True))
    meeting = Meeting(
        id=MEETING,
        area=draw(st.sampled_from(["yla-savo", "keski-savo", "kuopio", "other", "unknown"])),
        on=DAY,
        status="closed",
        convener_org=draw(st.sampled_from(ORGS)),
        present=tuple(present),
        apologies=tuple(o for o in ORGS if o not in present and draw(st.booleans())),
        note=draw(st.one_of(st.just(""), texts)),
        items=tuple(items),
        actions=tuple(actions),
    )
    return meeting, cases, reviewed


# An identifier cut in two, one half in the owner's role and the other in what: each clean
# alone, a phone or an identity code when the minutes write them one after the other.
SPLIT = [("040", "123 4567"), ("131052", "-308T"), ("0401", "234567 soittaa")]


def action(draw: st.DrawFn, case_id: str, meeting_id: str, status: str, closed_in: str | None) -> Action:
    role = draw(st.one_of(st.sampled_from(["palveluneuvoja", "sosiaaliohjaaja", "lääkäri"]), texts))
    what = draw(texts)
    if draw(st.integers(0, 5)) == 0:
        role, what = draw(st.sampled_from(SPLIT))
    return Action(
        id=str(uuid.uuid4()),
        case_id=case_id,
        meeting_id=meeting_id,
        owner_org=draw(st.sampled_from(ORGS)),
        owner_role=role,
        what=what,
        due=draw(st.one_of(st.none(), st.integers(0, 60).map(lambda d: DAY + timedelta(days=d)))),
        status=status,  # type: ignore[arg-type]
        closed_on=DAY if closed_in else None,
        closed_in=closed_in,
    )


@settings(max_examples=150)
@given(drawn=meetings(), lang=st.sampled_from(LANGS))
def test_minutes_hold_nothing_the_guard_finds_and_no_other_case(
    drawn: tuple[Meeting, dict[str, Case], list[Action]], lang: str
) -> None:
    meeting, cases, reviewed = drawn
    own = {i.case_id for i in meeting.items} | {a.case_id for a in reviewed}
    for fmt in FORMATS:
        text = minutes_text(meeting, cases, reviewed, Translator(lang), fmt)
        assert check(text) == [], (fmt, text)
        for case_id, case in cases.items():
            if case_id in own:
                assert case.code in text
            elif all(case.code not in t for t in _typed(meeting, cases, reviewed)):
                assert case.code not in text, (fmt, case.code)


def _typed(meeting: Meeting, cases: dict[str, Case], reviewed: list[Action]) -> list[str]:
    """What the team typed: a code a worker wrote into a note is theirs to show."""
    notes = [c.team_decision.note for c in cases.values() if c.team_decision]
    return [meeting.note, *notes, *(t for a in [*meeting.actions, *reviewed] for t in (a.owner_role, a.what))]


@pytest.mark.parametrize("lang", LANGS)
def test_every_path_status_area_and_organisation_in_words_is_clean(lang: str) -> None:
    """The minutes' own words in every combination a meeting can have: nothing for the guard,
    so a removed text in minutes is always the team's."""
    t = Translator(lang)
    cases = {}
    items = []
    reviewed = []
    for n, path in enumerate(["tym", "bilateral", "social_services", "own_service"]):
        case = a_case(n, f"K7F-{n}QX", TeamDecision(path=path, decided_at=DAY, meeting_id=MEETING))
        cases[case.id] = case
        items.append(MeetingItem(case.id, n + 1, ["decided", "deferred", "not_discussed", "decided"][n]))
    for n, status in enumerate(["open", "done", "not_possible", "not_done"]):
        reviewed.append(
            Action(
                str(n),
                items[n].case_id,
                "m0",
                ORGS[n],
                "palveluneuvoja",
                "ottaa yhteyttä",
                DAY,
                status,
                DAY,
                MEETING,
            )  # type: ignore[arg-type]
        )
    for area in ("yla-savo", "keski-savo", "kuopio", "other", "unknown"):
        meeting = Meeting(MEETING, area, DAY, "closed", "other", ORGS[:3], ORGS[3:], "", tuple(items), ())
        for fmt in FORMATS:
            text = minutes_text(meeting, cases, reviewed, t, fmt)
            assert check(text) == [], text
            assert "[" not in text.replace("\\[", "")  # nothing removed: none of it is the team's


def test_a_kept_name_is_removed_and_said_so() -> None:
    case = a_case(
        1,
        "K7F-3QX",
        TeamDecision(path="tym", note="Matti Virtanen soittaa.", decided_at=DAY, meeting_id=MEETING),
    )
    meeting = Meeting(
        MEETING,
        "kuopio",
        DAY,
        "closed",
        "social",
        ("social",),
        (),
        "",
        (MeetingItem(case.id, 1, "decided"),),
        (),
    )
    text = minutes_text(meeting, {case.id: case}, [], Translator("fi"), "text")
    assert "Päätöksen perustelu: [poistettu] [poistettu] soittaa." in text
    assert "on merkitty [poistettu]" in text and "Matti" not in text


def test_a_decision_made_elsewhere_is_not_this_meetings() -> None:
    """An item decided here whose case was decided again later: the minutes say "decided"
    rather than a decision another meeting made."""
    later = TeamDecision(path="own_service", note="myöhemmin", decided_at=DAY, meeting_id="another")
    case = a_case(1, "K7F-3QX", later)
    meeting = Meeting(
        MEETING, "kuopio", DAY, "closed", "social", (), (), "", (MeetingItem(case.id, 1, "decided"),), ()
    )
    text = minutes_text(meeting, {case.id: case}, [], Translator("en"), "text")
    assert "Team's decision: decided" in text and "myöhemmin" not in text and "Own service" not in text


def test_markup_in_what_the_team_typed_is_quoted_not_run() -> None:
    what = "<script>alert(1)</script> *tärkeä* [linkki](http://x) `koodi` & | ~~"
    case = a_case(1, "K7F-3QX")
    act = Action("a", case.id, MEETING, "kela", "palveluneuvoja", what, None, "open", None, None)
    meeting = Meeting(
        MEETING, "kuopio", DAY, "closed", "social", (), (), "", (MeetingItem(case.id, 1, "deferred"),), (act,)
    )
    html = minutes_text(meeting, {case.id: case}, [], Translator("fi"), "html")
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&amp; |" in html
    markdown = minutes_text(meeting, {case.id: case}, [], Translator("fi"), "markdown")
    assert r"\<script\>alert(1)\</script\> \*tärkeä\* \[linkki\](http://x) \`koodi\` \& \| \~\~" in markdown
    text = minutes_text(meeting, {case.id: case}, [], Translator("fi"), "text")
    assert what in text  # plain text for Teams: as typed


@pytest.mark.parametrize(("role", "what"), SPLIT)
def test_an_identifier_cut_between_two_fields_is_removed_whole(role: str, what: str) -> None:
    case = a_case(1, "K7F-3QX")
    act = Action("a", case.id, MEETING, "kela", role, what, None, "open", None, None)
    meeting = Meeting(
        MEETING, "kuopio", DAY, "closed", "social", (), (), "", (MeetingItem(case.id, 1, "deferred"),), (act,)
    )
    for fmt in FORMATS:
        text = minutes_text(meeting, {case.id: case}, [], Translator("fi"), fmt)
        assert check(text) == [], text
        assert role not in text.replace("10.3.2026", "") and what.split()[0] not in text
    assert "- Kela, [poistettu]: [poistettu] (ei määräaikaa)" in minutes_text(
        meeting, {case.id: case}, [], Translator("fi"), "text"
    )
