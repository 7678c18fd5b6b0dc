"""The route kept apart from the status, outcomes as history, bundle version 2, and the
version-2 figures checked against a reference worked out here in plain Python from the bundle."""

from __future__ import annotations

import io
import json
import statistics
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from consult.core.dates import team_day
from consult.core.model import (
    AREA_BUCKETS,
    NOT_STARTED_REASONS,
    PRIMARIES,
    Case,
    Context,
    Outcome,
    TeamDecision,
    route_for_status,
)
from consult.exchange.bundle import Bundle, BundleError, export_json, import_bundle, parse
from consult.i18n import Translator
from consult.stats import compute, compute_months_and_areas, compute_with_areas
from consult.store import Store, drafts, reads, team
from consult.store.team import OutcomeProblem
from tests.store.fixtures import make_case, march_cases

T = Translator("en")


@pytest.fixture
def store(database_url: str):
    opened = Store.open(database_url)
    yield opened
    opened.close()


def v2(items: list[Case]) -> Bundle:
    return Bundle(format="consult-cases", version=2, cases=items)


def with_route(case: Case, route: str | None = None, outcome: Outcome | None = None) -> Case:
    return case.model_copy(update={"route": route or route_for_status(case.status), "outcome": outcome})


def test_a_decided_direct_case_stays_direct(store: Store) -> None:
    """The convener's report: "1 / 4" became "0 / 4" when the team decided a direct case."""
    draft = drafts.create_draft(store.engine, Context(area="kuopio"))
    recommendation = march_cases()[1].recommendation
    saved = drafts.complete(store.engine, draft.id, "referred_directly", recommendation)
    assert saved.route == "direct"
    before = compute(store.engine).routes
    decided = team.add_team_decision(
        store.engine, draft.id, TeamDecision(path="tym", decided_at=team_day(saved.created_at))
    )
    assert (decided.status, decided.route) == ("team_decided", "direct")
    assert compute(store.engine).routes == before == {"to_team": 0, "direct": 1}
    exported = io.StringIO()
    export_json(store.engine, exported)
    assert json.loads(exported.getvalue())["cases"][0]["route"] == "direct"


def test_outcomes_are_history_and_the_newest_counts(store: Store) -> None:
    case = march_cases()[0]  # saved 2.3.2026
    import_bundle(store.engine, v2([with_route(case)]))
    assert compute(store.engine).outcomes.pending == 1
    first = Outcome(started=False, reason="no_capacity", on=date(2026, 3, 10), note="jono")
    team.add_outcome(store.engine, case.id, first)
    newest = team.add_outcome(store.engine, case.id, Outcome(started=True, path="tym", on=date(2026, 3, 20)))
    assert newest.outcome == Outcome(started=True, path="tym", on=date(2026, 3, 20))
    assert [o.started for o in reads.outcomes(store.engine, case.id)] == [False, True]
    figures = compute(store.engine).outcomes
    assert (figures.pending, figures.started, figures.not_started) == (0, 1, 0)
    assert figures.median_days_to_start == 18.0 and figures.median_days_to_start_by_path["tym"] == 18.0
    assert figures.not_started_reasons["no_capacity"] == 0  # the older record no longer counts
    # A decision afterwards leaves the outcome and the route as they were.
    decided = team.add_team_decision(
        store.engine, case.id, TeamDecision(path="tym", decided_at=date(2026, 3, 5))
    )
    assert decided.outcome == newest.outcome and decided.route == "to_team"


@pytest.mark.parametrize(
    "outcome,field",
    [
        (Outcome(started=True, path="tym", on=date(2026, 3, 1)), "on"),  # the day before saving
        (Outcome(started=True, on=date(2026, 3, 9)), "path"),
        (Outcome(started=False, on=date(2026, 3, 9)), "reason"),
        (Outcome(started=False, path="tym", reason="other", on=date(2026, 3, 9)), "path"),
    ],
)
def test_an_outcome_that_does_not_fit_is_refused(store: Store, outcome: Outcome, field: str) -> None:
    case = march_cases()[0]
    import_bundle(store.engine, v2([with_route(case)]))
    with pytest.raises(OutcomeProblem) as problem:
        team.add_outcome(store.engine, case.id, outcome)
    assert problem.value.field == field
    assert reads.outcomes(store.engine, case.id) == []
    assert compute(store.engine).outcomes.pending == 1


def test_version_2_round_trip_keeps_route_and_outcome(store: Store, tmp_path) -> None:
    direct_decided = with_route(
        march_cases()[3],
        "direct",
        Outcome(started=False, reason="client_declined", on=date(2026, 3, 12), note="ei halunnut"),
    )
    started = with_route(
        march_cases()[0], outcome=Outcome(started=True, path="bilateral", on=date(2026, 3, 2))
    )
    original = [direct_decided, started, with_route(march_cases()[4])]  # the draft: no route
    import_bundle(store.engine, v2(original))
    out = io.StringIO()
    export_json(store.engine, out)
    data = json.loads(out.getvalue())
    assert data["version"] == 3  # version 3 keeps everything of version 2 as it is
    by_code = {c["code"]: c for c in data["cases"]}
    assert by_code["T04-AAA"]["route"] == "direct"
    assert by_code["T04-AAA"]["outcome"] == {
        "started": False,
        "path": None,
        "on": "2026-03-12",
        "reason": "client_declined",
        "note": "ei halunnut",
    }
    assert by_code["T05-AAA"]["route"] is None and by_code["T05-AAA"]["outcome"] is None
    again = parse(out.getvalue(), T)
    other = Store.open(f"sqlite:///{tmp_path / 'other.db'}")
    import_bundle(other.engine, again)
    second = io.StringIO()
    export_json(other.engine, second)
    other.close()
    assert json.loads(second.getvalue()) == data


def test_version_1_infers_the_route_and_has_no_outcome(store: Store) -> None:
    bundle = {
        "format": "consult-cases",
        "version": 1,
        "cases": [json.loads(c.model_dump_json(exclude={"route", "outcome"})) for c in march_cases()],
    }
    import_bundle(store.engine, parse(json.dumps(bundle), T))
    out = io.StringIO()
    export_json(store.engine, out)
    routes = {c["code"]: (c["status"], c["route"], c["outcome"]) for c in json.loads(out.getvalue())["cases"]}
    assert routes["T01-AAA"] == ("awaiting_team", "to_team", None)
    assert routes["T02-AAA"] == ("referred_directly", "direct", None)
    assert routes["T03-AAA"] == ("team_decided", "to_team", None)
    assert routes["T05-AAA"] == ("draft", None, None)


def _case(index: int) -> dict:
    return json.loads(with_route(march_cases()[index]).model_dump_json())


@pytest.mark.parametrize(
    "change,expected",
    [
        (
            lambda c: c.update(outcome={"started": True, "path": "tym", "on": "2026-03-01"}),
            "cases[0] (T01-AAA): outcome.on: the day is before",
        ),
        (
            lambda c: c.update(outcome={"started": True, "on": "2026-03-09"}),
            "cases[0] (T01-AAA): outcome.path: a started service has a path",
        ),
        (
            lambda c: c.update(outcome={"started": False, "on": "2026-03-09"}),
            "cases[0] (T01-AAA): outcome.reason: when nothing started",
        ),
        (
            lambda c: c.update(outcome={"started": False, "reason": "bored", "on": "2026-03-09"}),
            "cases[0] (T01-AAA): outcome.reason",
        ),
        (
            lambda c: c.update(outcome={"started": "yes", "path": "tym", "on": "2026-03-09"}),
            "cases[0] (T01-AAA): outcome.started",
        ),
        (
            lambda c: c.update(route="direct"),
            "cases[0] (T01-AAA): route: with status awaiting_team the route is to_team",
        ),
        (lambda c: c.update(route=None), "cases[0] (T01-AAA): route"),
        (lambda c: c.update(route="sideways"), "cases[0] (T01-AAA): route"),
    ],
)
def test_a_bad_version_2_case_is_one_line_naming_case_and_field(store: Store, change, expected: str) -> None:
    case = _case(0)
    change(case)
    text = json.dumps({"format": "consult-cases", "version": 2, "cases": [case, _case(1)]})
    with pytest.raises(BundleError) as error:
        import_bundle(store.engine, parse(text, T))
    assert str(error.value).startswith(expected) and "\n" not in str(error.value)
    assert reads.count_cases(store.engine, completed_only=False) == 0


def test_a_draft_with_an_outcome_and_version_1_with_one_are_refused() -> None:
    draft = _case(4)
    draft["outcome"] = {"started": True, "path": "tym", "on": "2026-03-09"}
    with pytest.raises(BundleError, match=r"cases\[0\] \(T05-AAA\): outcome: a draft"):
        parse(json.dumps({"format": "consult-cases", "version": 2, "cases": [draft]}), T)
    old = _case(0)
    del old["route"]
    old["outcome"] = {"started": True, "path": "tym", "on": "2026-03-09"}
    with pytest.raises(BundleError, match=r"cases\[0\] \(T01-AAA\): outcome: not part of a version 1"):
        parse(json.dumps({"format": "consult-cases", "version": 1, "cases": [old]}), T)


def test_an_outcome_note_passes_the_privacy_guard() -> None:
    case = _case(0)
    case["outcome"] = {"started": False, "reason": "other", "on": "2026-03-09", "note": "soita 040 123 4567"}
    with pytest.raises(BundleError, match=r"T01-AAA.*outcome\.note"):
        parse(json.dumps({"format": "consult-cases", "version": 2, "cases": [case]}), T)


# --- the figures against a reference computed here, independently of the SQL -------------


def reference(items: list[Case], since: date | None, until: date | None, today: date) -> dict:
    """product.md's rules read literally, over the bundle's cases."""
    chosen = [
        c
        for c in items
        if c.status != "draft"
        and (since is None or team_day(c.created_at) >= since)
        and (until is None or team_day(c.created_at) <= until)
    ]
    end = until or today

    def median(values: list[int]) -> float | None:
        return float(statistics.median(values)) if values else None

    started = [c for c in chosen if c.outcome and c.outcome.started]
    pending = [c for c in chosen if c.outcome is None]
    ages = [(end - team_day(c.created_at)).days for c in pending]
    days = {
        p: [(c.outcome.on - team_day(c.created_at)).days for c in started if c.outcome.path == p]
        for p in PRIMARIES
    }
    # These cases record no services: none is missing anywhere (tests/test_stats_services.py).
    no_reasons = dict.fromkeys(("not_in_area", "no_capacity", "waiting_doctor", "waiting_list", "other"), 0)
    by_area = {
        a: {"cases": 0, "by_primary": dict.fromkeys(PRIMARIES, 0), "missing_by_reason": dict(no_reasons)}
        for a in AREA_BUCKETS
    }
    for c in chosen:
        bucket = by_area[c.context.area or "unknown"]
        bucket["cases"] += 1
        bucket["by_primary"][c.recommendation.primary] += 1
    return {
        "cases": len(chosen),
        "routes": {r: sum(c.route == r for c in chosen) for r in ("to_team", "direct")},
        "outcomes": {
            "pending": len(pending),
            "started": len(started),
            "not_started": sum(1 for c in chosen if c.outcome and not c.outcome.started),
            "started_by_path": {p: len(days[p]) for p in PRIMARIES},
            "not_started_reasons": {
                r: sum(1 for c in chosen if c.outcome and not c.outcome.started and c.outcome.reason == r)
                for r in NOT_STARTED_REASONS
            },
            "median_days_to_start": median([d for v in days.values() for d in v]),
            "median_days_to_start_by_path": {p: median(days[p]) for p in PRIMARIES},
            "pending_by_age": {
                "0_14": sum(a <= 14 for a in ages),
                "15_30": sum(15 <= a <= 30 for a in ages),
                "31_60": sum(31 <= a <= 60 for a in ages),
                "over_60": sum(a > 60 for a in ages),
            },
        },
        "by_area": by_area,
    }


LEVELS = ["3,3,2,4,3,3,2", "1,1,1,2,1,1,1", "2,2,5,2,2,2,2", "1,1,1,3,1,3,1", "4,4,4,4,4,4,4"]
START = datetime(2026, 1, 1, tzinfo=UTC)


@st.composite
def generated_case(draw, number: int) -> Case:
    # Minutes across half a year, so cases fall on both sides of midnight in Helsinki and of
    # the change to summer time.
    created = START + timedelta(minutes=draw(st.integers(0, 180 * 24 * 60)))
    status = draw(st.sampled_from(["awaiting_team", "referred_directly", "team_decided", "draft"]))
    area = draw(st.sampled_from([None, "yla-savo", "keski-savo", "kuopio", "other"]))
    day = team_day(created)
    decision = (
        ("bilateral", (day + timedelta(days=draw(st.integers(0, 20)))).isoformat())
        if status == "team_decided"
        else None
    )
    case = make_case(number, draw(st.sampled_from(LEVELS)), created.isoformat(), status, area, decision)
    route = (
        draw(st.sampled_from(["to_team", "direct"])) if status == "team_decided" else route_for_status(status)
    )
    outcome = None
    if status != "draft" and draw(st.booleans()):
        on = day + timedelta(days=draw(st.integers(0, 90)))
        if draw(st.booleans()):
            outcome = Outcome(started=True, path=draw(st.sampled_from(PRIMARIES)), on=on)
        else:
            outcome = Outcome(started=False, reason=draw(st.sampled_from(NOT_STARTED_REASONS)), on=on)
    return case.model_copy(update={"route": route, "outcome": outcome})


@st.composite
def generated_cases(draw) -> list[Case]:
    count = draw(st.integers(0, 25))
    return [draw(generated_case(n + 1)) for n in range(count)]


periods = st.tuples(
    st.one_of(st.none(), st.dates(date(2025, 12, 20), date(2026, 7, 10))),
    st.one_of(st.none(), st.dates(date(2025, 12, 20), date(2026, 7, 10))),
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(items=generated_cases(), period=periods, today=st.dates(date(2026, 7, 1), date(2026, 12, 31)))
def test_the_figures_equal_the_reference(tmp_path_factory, items, period, today) -> None:
    since, until = period
    store = Store.open(f"sqlite:///{tmp_path_factory.mktemp('ref') / 'consult.db'}")
    try:
        import_bundle(store.engine, v2(items))
        figures = compute(store.engine, since, until, today=today).as_dict()
        # The report's and the follow-up's shortcut: the whole summed from its areas, and
        # each area as if asked for alone.
        whole, areas = compute_with_areas(store.engine, since, until, today)
        assert whole.as_dict() == figures
        for name in ("kuopio", "unknown"):
            alone = compute(store.engine, since, until, area=name, today=today)
            assert areas[name] == alone
        # The report's months and areas from one pass, each as stats over it alone would say.
        also, per_area, per_month = compute_months_and_areas(store.engine, since, until, today)
        assert also == whole and per_area == areas
        for key, month in per_month.items():
            first = date.fromisoformat(f"{key}-01")
            last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
            alone = compute(store.engine, max(first, since or first), min(last, until or last), today=today)
            assert {**month.as_dict(), "period": None} == {**alone.as_dict(), "period": None}, key
    finally:
        store.close()
    expected = reference(items, since, until, today)
    assert {k: figures[k] for k in expected} == expected
    assert sum(figures["routes"].values()) == figures["cases"]
    o = figures["outcomes"]
    assert o["pending"] + o["started"] + o["not_started"] == figures["cases"]
    assert sum(o["pending_by_age"].values()) == o["pending"]


def test_the_figures_equal_the_reference_on_postgresql(postgres_url: str) -> None:
    items = [
        with_route(march_cases()[0], outcome=Outcome(started=True, path="tym", on=date(2026, 3, 30))),
        with_route(
            march_cases()[3], "direct", Outcome(started=False, reason="no_capacity", on=date(2026, 4, 2))
        ),
        with_route(march_cases()[5]),
        with_route(march_cases()[6], outcome=Outcome(started=True, path="own_service", on=date(2026, 4, 1))),
        with_route(march_cases()[2]),
    ]
    store = Store.open(postgres_url)
    try:
        import_bundle(store.engine, v2(items))
        for since, until in [(None, None), (date(2026, 3, 1), date(2026, 3, 31)), (date(2026, 4, 1), None)]:
            figures = compute(store.engine, since, until, today=date(2026, 6, 1)).as_dict()
            expected = reference(items, since, until, date(2026, 6, 1))
            assert {k: figures[k] for k in expected} == expected
            # The grouped passes the report and the follow-up use, on PostgreSQL's SQL.
            whole, areas, months = compute_months_and_areas(store.engine, since, until, date(2026, 6, 1))
            assert whole.as_dict() == figures
            assert areas["unknown"] == compute(
                store.engine, since, until, area="unknown", today=date(2026, 6, 1)
            )
            assert sum(m.cases for m in months.values()) == figures["cases"]
    finally:
        store.close()


def test_an_insert_that_leaves_out_the_finnish_day_gets_it(database_url: str) -> None:
    """Whatever writes cases (a streaming import, a script), the figures' day is filled in."""
    from sqlalchemy import insert, text

    from consult.store.bulk import case_row
    from consult.store.tables import CaseRow

    store = Store.open(database_url)
    try:
        rows = [
            {k: v for k, v in case_row(with_route(c)).items() if k != "created_day"} for c in march_cases()
        ]
        with store.engine.begin() as connection:
            connection.execute(insert(CaseRow.__table__), rows)
            days = dict(connection.execute(text("SELECT code, created_day FROM cases")).all())
    finally:
        store.close()
    # 23:30 on 31 March in Finland, still 31 March in UTC too; 00:30 on 1 April is March in UTC.
    assert str(days["T06-AAA"]) == "2026-03-31" and str(days["T07-AAA"]) == "2026-04-01"


def test_the_demo_shows_outcomes_of_every_kind(tmp_path) -> None:
    from consult.demo.database import demo_settings, seed
    from consult.system.settings import Settings

    settings = demo_settings(Settings(data_dir=tmp_path / "real"), tmp_path / "demo")
    seed(settings)
    store = Store.open(settings.resolved_database_url)
    try:
        o = compute(store.engine).outcomes
    finally:
        store.close()
    assert o.started and o.not_started and o.pending


def test_a_row_written_without_a_route_counts_by_its_status(store: Store) -> None:
    """Code from before 0006 (or a script) may complete a case without setting its route."""
    from sqlalchemy import text

    import_bundle(store.engine, v2([with_route(c) for c in march_cases()]))
    with store.engine.begin() as connection:
        connection.execute(text("UPDATE cases SET route = NULL"))
    assert compute(store.engine).routes == {"to_team": 3, "direct": 3}
    out = io.StringIO()
    export_json(store.engine, out)
    routes = {c.code: c.route for c in parse(out.getvalue(), T).cases}  # still a valid bundle
    assert routes["T02-AAA"] == "direct" and routes["T03-AAA"] == "to_team" and routes["T05-AAA"] is None


def test_the_store_refuses_an_identifier_in_an_outcome_note(store: Store) -> None:
    case = march_cases()[0]
    import_bundle(store.engine, v2([with_route(case)]))
    with pytest.raises(ValueError):
        team.add_outcome(
            store.engine,
            case.id,
            Outcome(started=False, reason="other", on=date(2026, 3, 9), note="131052-308T"),
        )
    assert reads.outcomes(store.engine, case.id) == []
