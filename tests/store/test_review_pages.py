"""The review's pages, read through whichever plan the store picks (the sort's index through a
window, the filter's index, the key held fixed), list exactly the cases a plain sort of the
matching cases lists, page after page, on SQLite and PostgreSQL."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from consult.core.model import AREAS, FLAGS, PRIMARIES
from consult.exchange.bundle import Bundle, import_bundle
from consult.store import Store, review
from consult.store.review import SORTS, CaseFilter, page
from tests.store.fixtures import make_case

LEVELS = [
    "1,1,1,2,1,1,1",
    "3,3,2,4,3,3,2",
    "2,2,5,2,2,2,2",
    "1,1,1,3,1,3,1",
    "4,4,4,4,4,4,4",
    "-,2,-,2,-,2,-",
]


def _cases(n: int) -> list:
    rng = random.Random(5)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    cases = []
    for i in range(n):
        status = rng.choice(["awaiting_team", "referred_directly", "draft"])
        created = start + timedelta(minutes=rng.randrange(0, 50) * 7)  # many share a moment
        case = make_case(i + 1, rng.choice(LEVELS), created.isoformat(), status, rng.choice([*AREAS, None]))
        cases.append(case.model_copy(update={"code": f"{i % 7}{i:03d}-Q{i % 3}"}))
    return cases


FILTERS = [
    CaseFilter(),
    CaseFilter(area="kuopio"),
    CaseFilter(area="unknown"),
    CaseFilter(status="referred_directly"),
    CaseFilter(primary=PRIMARIES[0]),
    CaseFilter(flag=FLAGS[0]),
    CaseFilter(area="kuopio", flag=FLAGS[0]),
    CaseFilter(outcome="pending"),
    CaseFilter(code="3"),
]


@pytest.mark.parametrize("descending", [True, False])
def test_every_page_of_every_filter_and_sort_lists_the_plainly_sorted_matches(
    database_url: str, descending: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Small windows, so that the few cases here go through every plan: a filled window, a
    # window too sparse and the filter's own index.
    monkeypatch.setattr(review, "WINDOWS", (4, 12))
    store = Store.open(database_url)
    try:
        import_bundle(store.engine, Bundle(format="consult-cases", version=2, cases=_cases(160)))
        everything = page(store.engine, CaseFilter(), limit=1000).rows
        for f in FILTERS:
            matching = [r for r in page(store.engine, f, limit=1000).rows]
            for sort in SORTS:
                listed, after = [], None
                for _ in range(100):
                    result = page(store.engine, f, sort, descending, after, limit=7)
                    listed.extend(r.id for r in result.rows)
                    after = result.next
                    if after is None:
                        break
                expected = sorted(matching, key=lambda r, s=sort: (_key(r, s), r.id), reverse=descending)
                assert listed == [r.id for r in expected], (f, sort)
        assert len(everything) > 100
    finally:
        store.close()


def _key(row: review.CaseSummary, sort: str) -> object:
    return {
        "date": row.created_at,
        "code": row.code,
        "area": row.area or "",
        "recommendation": row.primary or "",
        "status": row.status,
    }[sort]


@pytest.mark.parametrize("flag", FLAGS)
def test_a_flag_sorted_by_recommendation_is_read_in_order_from_an_index(flag: str, tmp_path) -> None:
    """The rules set a case's flags and its recommendation together: a flag's cases may all lie
    beyond the first thousands in the recommendation's order, so no window finds them. The
    page is then read from the flag's own index in that order (0013), never by sorting every
    flagged case."""
    from sqlalchemy import event

    store = Store.open(f"sqlite:///{tmp_path / 'consult.db'}")
    statements: list[tuple[str, object]] = []
    event.listen(store.engine, "before_cursor_execute", lambda *a: statements.append((a[2], a[3])))
    try:
        for descending in (True, False):
            statements.clear()
            page(store.engine, CaseFilter(flag=flag), "recommendation", descending)
            selects = [(s, p) for s, p in statements if s.lstrip().upper().startswith("SELECT")]
            assert len(selects) == 1, selects  # no window tried first
            with store.engine.connect() as connection:
                plan = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + selects[0][0], selects[0][1]).all()
            details = " ".join(str(row[-1]) for row in plan)
            assert f"ix_cases_flag_{flag}_recommended" in details and "TEMP B-TREE" not in details, details
    finally:
        store.close()
