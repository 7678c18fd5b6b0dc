"""The agenda (``consult meeting agenda --json``) and the meetings block of ``consult stats
--json`` on random small worlds, against pure-Python oracles of product.md's words: the order
(safety, urgent, oldest, code), Helsinki days across the night summer time begins, deferred
counts over closed meetings only, open actions by due day then code, direct referrals since the
area's last closed meeting. SQLite draws many worlds; PostgreSQL, where a server answers, fewer."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from consult.core.meeting import agenda_json
from consult.stats import compute
from consult.store import Store
from consult.store.db import sqlite_file
from tests.meetings.world import DAYS, World, agenda, meeting_figures, worlds, write

AREAS = st.sampled_from(("yla-savo", "kuopio", "unknown", "keski-savo"))
TODAY = date(2026, 4, 2)
PERIODS = st.sampled_from(
    [(None, None), (DAYS[1], DAYS[4]), (DAYS[3], None), (None, DAYS[2]), (DAYS[8], DAYS[8])]
)


@pytest.fixture
def store(database_url: str):
    opened = Store.open(database_url)
    yield opened
    opened.close()


def _examples(store: Store) -> int:
    return 60 if store.engine.dialect.name == "sqlite" else 12


def test_the_agenda_orders_and_counts_as_product_md_says(store: Store) -> None:
    @settings(max_examples=_examples(store), suppress_health_check=[HealthCheck.too_slow])
    @given(world=worlds(), area=AREAS, on=st.sampled_from(DAYS))
    def check(world: World, area: str, on: date) -> None:
        write(store.engine, world)
        assert agenda_json(store.propose_agenda(area, on)) == agenda(world, area, on)

    check()


def test_the_meetings_figures_count_as_product_md_says(store: Store) -> None:
    file = sqlite_file(store.engine.url)

    @settings(max_examples=_examples(store), suppress_health_check=[HealthCheck.too_slow])
    @given(world=worlds(), period=PERIODS)
    def check(world: World, period: tuple[date | None, date | None]) -> None:
        write(store.engine, world)
        since, until = period
        expected = meeting_figures(world, since, until, TODAY)
        assert compute(store.engine, since, until, today=TODAY).as_dict()["meetings"] == expected
        if file is not None:  # `consult stats`' own path on a local file: plain sqlite3
            connection = sqlite3.connect(file)
            try:
                assert compute(connection, since, until, today=TODAY).as_dict()["meetings"] == expected
            finally:
                connection.close()

    check()


def test_an_area_and_its_meetings_only(store: Store) -> None:
    """The figures narrowed to one area count its meetings (``unknown``: its own) and the
    first discussion of its cases."""

    @settings(max_examples=30 if sqlite_file(store.engine.url) else 8)
    @given(world=worlds(), area=AREAS)
    def check(world: World, area: str) -> None:
        write(store.engine, world)
        cases = [c for c in world.cases if c.meeting_area == area]
        expected = meeting_figures(
            World(cases=cases, meetings=[m for m in world.meetings if m.area == area]), None, None, TODAY
        )
        # A case of the area is first discussed wherever it was: in any area's meeting.
        expected["median_days_to_first_discussion"] = meeting_figures(
            World(cases=cases, meetings=world.meetings), None, None, TODAY
        )["median_days_to_first_discussion"]
        assert compute(store.engine, area=area, today=TODAY).as_dict()["meetings"] == expected

    check()
