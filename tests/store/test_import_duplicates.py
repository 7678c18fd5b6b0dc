"""Two cases of one import with the same id or code are refused by name, whichever chunk each
falls in, on SQLite and PostgreSQL alike; cases stored before the import are skipped or, for a
code, named as taken. The store finds them (nothing remembers every id and code given)."""

from __future__ import annotations

import pytest

from consult.core.model import Case, route_for_status
from consult.exchange.bundle import Bundle, BundleError, import_bundle
from consult.i18n import Translator
from consult.store import Store, bulk, reads
from tests.store.fixtures import make_case

T = Translator("en")


def _cases(n: int, start: int = 1) -> list[Case]:
    cases = [
        make_case(number, "1,1,1,2,1,1,1", "2026-03-03T09:00:00+02:00", "referred_directly", "kuopio")
        for number in range(start, start + n)
    ]
    return [
        c.model_copy(update={"code": f"D{c.id[-4:]}-AAA", "route": route_for_status(c.status)}) for c in cases
    ]


def _bundle(cases: list[Case]) -> Bundle:
    return Bundle(format="consult-cases", version=2, cases=cases)


@pytest.fixture
def store(database_url: str, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(bulk, "CHUNK", 3)  # duplicates in one chunk and across chunks
    opened = Store.open(database_url)
    yield opened
    opened.close()


@pytest.mark.parametrize("gap", [1, 2, 5])
def test_the_same_id_twice_is_refused_and_nothing_is_kept(store: Store, gap: int) -> None:
    cases = _cases(8)
    twice = [*cases[:gap], cases[0].model_copy(update={"code": "DUP-AAA"}), *cases[gap:]]
    with pytest.raises(BundleError, match="the same case twice in the bundle: " + cases[0].id):
        import_bundle(store.engine, _bundle(twice), T)
    assert reads.count_cases(store.engine) == 0


@pytest.mark.parametrize("gap", [1, 2, 5])
def test_the_same_code_twice_is_refused(store: Store, gap: int) -> None:
    cases = _cases(8)
    other = cases[0].model_copy(update={"id": "20000000-0000-4000-8000-000000000001"})
    with pytest.raises(BundleError, match="two cases in the bundle have the same code: " + cases[0].code):
        import_bundle(store.engine, _bundle([*cases[:gap], other, *cases[gap:]]), T)
    assert reads.count_cases(store.engine) == 0


def test_cases_stored_before_are_skipped_and_their_codes_taken(store: Store) -> None:
    first = _cases(4)
    assert import_bundle(store.engine, _bundle(first), T) == (4, 0)
    again = [*first, *_cases(4, start=5)]
    assert import_bundle(store.engine, _bundle(again), T) == (4, 4)
    clash = _cases(1, start=20)[0].model_copy(update={"code": first[2].code})
    with pytest.raises(BundleError, match="already"):
        import_bundle(store.engine, _bundle([*_cases(3, start=30), clash]), T)
    assert reads.count_cases(store.engine) == 8
