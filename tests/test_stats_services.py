"""`consult stats`' services block and each area's missing_by_reason, against an oracle that
counts the cases in Python: on the standard library's path and SQLAlchemy's, whole and grouped
by area and month, on SQLite and (one set) on PostgreSQL."""

from __future__ import annotations

import contextlib
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from consult.core.dates import team_day
from consult.core.instrument import DOMAIN_KEYS
from consult.core.model import Case, CaseServices, MissingService, TriedService
from consult.core.vocabulary import AREA_BUCKETS, MISSING_REASONS, TRIED_RESULTS
from consult.exchange.bundle import Bundle, import_bundle
from consult.stats import compute, compute_months_and_areas, compute_with_areas
from consult.store import Store
from consult.system.database_file import open_current
from tests.store.fixtures import make_case

IDS = ("kela-teak", "kuntouttava-tyotoiminta", "paihdekuntoutus", "asumisneuvonta")
TEXTS = (
    "Päihdekuntoutus",
    " päihdekuntoutus ",
    "PÄIHDEKUNTOUTUS",
    "työpaja",
    "Työpaja ",
    "ß-palvelu",
    "SS-palvelu",
)
TODAY = date(2026, 6, 1)

named = st.one_of(
    st.tuples(st.sampled_from(IDS), st.none()),
    st.tuples(st.none(), st.sampled_from(TEXTS)),
    st.tuples(st.sampled_from(IDS), st.sampled_from(TEXTS)),
)
tried = st.builds(
    lambda n, result: TriedService(service=n[0], text=n[1], result=result),
    named,
    st.sampled_from(TRIED_RESULTS),
)
missing = st.builds(
    lambda n, domain, reason: MissingService(service=n[0], text=n[1], domain=domain, reason=reason),
    named,
    st.sampled_from(DOMAIN_KEYS),
    st.sampled_from(MISSING_REASONS),
)
services = st.builds(
    CaseServices,
    tried=st.lists(tried, max_size=3).map(tuple),
    missing=st.lists(missing, max_size=4).map(tuple),
)
one_case = st.tuples(
    st.sampled_from(["yla-savo", "keski-savo", "kuopio", "other", None]),
    st.sampled_from(["awaiting_team", "referred_directly", "draft"]),
    st.integers(1, 28),  # the day: February and March 2026
    st.sampled_from(["02", "03"]),
    services,
)


def cases_of(drawn: list) -> list[Case]:
    made = []
    for number, (area, status, day, month, recorded) in enumerate(drawn, start=1):
        case = make_case(number, "3,3,2,4,3,3,2", f"2026-{month}-{day:02d}T10:00:00+02:00", status, area)
        route = {"awaiting_team": "to_team", "referred_directly": "direct"}.get(status)
        made.append(case.model_copy(update={"services": recorded, "route": route}))
    return made


def oracle(cases: list[Case], since: date | None, until: date | None) -> tuple[dict, dict]:
    counted = [
        c
        for c in cases
        if c.status != "draft"
        and (since is None or team_day(c.created_at) >= since)
        and (until is None or team_day(c.created_at) <= until)
    ]
    reasons, domains, results = Counter(), Counter(), Counter()
    by_area = {a: Counter() for a in AREA_BUCKETS}
    naming: Counter = Counter()
    spelling: dict[str, str] = {}
    for case in counted:
        keys = set()
        for m in case.services.missing:
            reasons[m.reason] += 1
            domains[m.domain] += 1
            by_area[case.context.area or "unknown"][m.reason] += 1
            if m.service is not None:
                keys.add(("id", m.service))
            else:
                assert m.text is not None
                folded = m.text.strip().casefold()
                keys.add(("text", folded))
                spelling[folded] = min(spelling.get(folded, m.text.strip()), m.text.strip())
        for key in keys:
            naming[key] += 1
        for t in case.services.tried:
            results[t.result] += 1
    top = sorted(
        (
            (cases, service if kind == "id" else None, spelling[service] if kind == "text" else None)
            for (kind, service), cases in naming.items()
        ),
        key=lambda e: (-e[0], e[1] or e[2]),
    )[:10]
    block = {
        "cases_with_missing": sum(1 for c in counted if c.services.missing),
        "missing_by_reason": {r: reasons[r] for r in MISSING_REASONS},
        "missing_by_domain": {d: domains[d] for d in DOMAIN_KEYS},
        "tried_by_result": {r: results[r] for r in TRIED_RESULTS},
        "top_missing": [{"service": s, "text": t, "cases": n} for n, s, t in top],
    }
    return block, {a: {r: by_area[a][r] for r in MISSING_REASONS} for a in AREA_BUCKETS}


def figures_of(source, since, until) -> tuple[dict, dict]:
    whole = compute(source, since, until, today=TODAY).as_dict()
    return whole["services"], {a: f["missing_by_reason"] for a, f in whole["by_area"].items()}


def check_all(path_or_url: str, sqlite_path: Path | None, cases: list[Case]) -> None:
    for since, until in ((None, None), (date(2026, 3, 1), date(2026, 3, 31))):
        expected = oracle(cases, since, until)
        store = Store.open(path_or_url)
        try:
            assert figures_of(store.engine, since, until) == expected
            total, areas = compute_with_areas(store.engine, since, until, today=TODAY)
            assert total.as_dict()["services"] == expected[0]
            assert {a: f.as_dict()["by_area"][a]["missing_by_reason"] for a, f in areas.items()} == expected[
                1
            ]
            grand, per_area, per_month = compute_months_and_areas(store.engine, since, until, today=TODAY)
            assert grand.as_dict()["services"] == expected[0]
            assert {
                a: f.as_dict()["by_area"][a]["missing_by_reason"] for a, f in per_area.items()
            } == expected[1]
            months = sum((Counter(m.services.missing_by_reason) for m in per_month.values()), Counter())
            assert {r: months[r] for r in MISSING_REASONS} == expected[0]["missing_by_reason"]
        finally:
            store.close()
        if sqlite_path is not None:
            connection = open_current(sqlite_path)
            assert connection is not None
            with contextlib.closing(connection):
                assert figures_of(connection, since, until) == expected


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(drawn=st.lists(one_case, max_size=10))
def test_the_services_block_counts_as_product_md_says(tmp_path_factory, drawn) -> None:
    path = tmp_path_factory.mktemp("stats") / "consult.db"
    cases = cases_of(drawn)
    store = Store.open(f"sqlite:///{path}")
    import_bundle(store.engine, Bundle(format="consult-cases", version=3, cases=cases))
    store.close()
    check_all(f"sqlite:///{path}", path, cases)


def test_the_ten_most_missing_break_ties_by_id_or_text(tmp_path: Path) -> None:
    drawn = [
        ("kuopio", "awaiting_team", day, "03", CaseServices(missing=tuple(
            MissingService(service=s, text=t, domain="health", reason="no_capacity") for s, t in names
        )))
        for day, names in enumerate(
            [
                [(i, None) for i in IDS] + [(None, "työpaja")] + [(None, f"palvelu {n}") for n in range(8)],
                [("kela-teak", None), (None, "Työpaja"), (None, "TYÖPAJA ")],
                [(None, " työpaja")],
            ],
            start=1,
        )
    ]  # fmt: skip
    block, _ = oracle(cases_of(drawn), None, None)
    assert block["top_missing"][:3] == [
        {"service": None, "text": "TYÖPAJA", "cases": 3},
        {"service": "kela-teak", "text": None, "cases": 2},
        {"service": "asumisneuvonta", "text": None, "cases": 1},
    ]
    assert len(block["top_missing"]) == 10 and block["cases_with_missing"] == 3
    path = tmp_path / "consult.db"
    store = Store.open(f"sqlite:///{path}")
    import_bundle(store.engine, Bundle(format="consult-cases", version=3, cases=cases_of(drawn)))
    store.close()
    check_all(f"sqlite:///{path}", path, cases_of(drawn))


@pytest.mark.postgres
def test_postgresql_counts_the_same(postgres_url: str) -> None:
    drawn = [
        (area, "awaiting_team", day, "03", CaseServices(
            tried=(TriedService(service="kela-teak", result="interrupted"),),
            missing=(
                MissingService(text=TEXTS[day % len(TEXTS)], domain="health", reason="waiting_doctor"),
                MissingService(service=IDS[day % 4], domain="housing", reason="not_in_area"),
            ),
        ))
        for day, area in enumerate(["yla-savo", "kuopio", None, "keski-savo", "yla-savo", "other"], start=1)
    ]  # fmt: skip
    cases = cases_of(drawn)
    store = Store.open(postgres_url)
    import_bundle(store.engine, Bundle(format="consult-cases", version=3, cases=cases))
    store.close()
    check_all(postgres_url, None, cases)
