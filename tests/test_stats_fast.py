"""`consult stats` on a current local file takes a path of its own (the standard library's
sqlite3, no SQLAlchemy, Alembic or pydantic): it must give exactly the store's figures, every
key of the version-2 contract, on SQLite and on PostgreSQL."""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.bundles import write_bundle
from consult.core.model import Outcome
from consult.exchange.bundle import import_bundle, import_file
from consult.stats import compute, compute_months_and_areas, compute_with_areas, first_and_last_day, monthly
from consult.store import Store
from consult.store.tables import CaseRow
from consult.system.database_file import open_current
from tests.store.fixtures import make_case, march_cases
from tests.store.test_outcomes import generated_cases, periods, v2, with_route

ROOT = Path(__file__).resolve().parents[1]
TODAY = date(2026, 6, 1)
PERIODS = [
    (None, None),
    (date(2026, 3, 1), date(2026, 3, 31)),
    (date(2025, 1, 1), date(2025, 1, 31)),
    (date(2025, 2, 28), None),
    (None, date(2025, 3, 1)),
    (date(2030, 1, 1), None),
    # Summer time begins (2025-03-30, 2026-03-29) and ends (2025-10-26): days of 23 and 25 hours.
    (date(2025, 3, 30), date(2025, 3, 30)),
    (date(2026, 3, 29), date(2026, 3, 29)),
    (date(2025, 10, 26), date(2025, 10, 26)),
    (date(2025, 3, 31), date(2025, 10, 25)),
]


def both(path: Path, since: date | None, until: date | None, today: date) -> tuple[dict, dict]:
    """The figures through the store and through the standard library, as JSON values."""
    store = Store.open(f"sqlite:///{path}")
    try:
        slow = compute(store.engine, since, until, today=today)
    finally:
        store.close()
    connection = open_current(path)
    assert connection is not None
    with contextlib.closing(connection):
        fast = compute(connection, since, until, today=today)
    assert fast == slow  # the objects too, not only what they print
    return fast.as_dict(), slow.as_dict()


def forget_routes(path: Path) -> None:
    """Rows as code before migration 0006 wrote them: no route, so the status implies it."""
    with contextlib.closing(sqlite3.connect(path)) as db, db:
        db.execute("UPDATE cases SET route = NULL WHERE rowid % 3 = 0")


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """3,000 version-1 cases over 2025, March 2026 by hand with outcomes of every kind, a
    case without an area, and a few rows without a route."""
    folder = tmp_path_factory.mktemp("stats")
    path = folder / "consult.db"
    store = Store.open(f"sqlite:///{path}")
    try:
        with write_bundle(folder / "b.json", 3000).open("rb") as stream:
            import_file(store.engine, stream)
        march = march_cases()
        outcomes = [
            Outcome(started=True, path="tym", on=date(2026, 3, 30)),
            Outcome(started=False, reason="no_capacity", on=date(2026, 4, 2)),
            None,
            Outcome(started=True, path="own_service", on=date(2026, 4, 1)),
            Outcome(started=False, reason="client_declined", on=date(2026, 3, 20)),
        ]
        items = [
            # A decided case referred directly at first: its route is no longer its status's.
            with_route(
                c, "direct" if c.status == "team_decided" else None, o if c.status != "draft" else None
            )
            for c, o in zip(march, outcomes * 3, strict=False)
        ]
        # Saved without an area, half an hour before a Finnish midnight.
        items.append(
            with_route(make_case(99, "3,3,2,4,3,3,2", "2026-03-15T23:30:00+02:00", "awaiting_team", None))
        )
        import_bundle(store.engine, v2(items))
    finally:
        store.close()
    forget_routes(path)
    return path


@pytest.mark.parametrize(("since", "until"), PERIODS)
def test_both_paths_give_the_same_figures(database: Path, since: date | None, until: date | None) -> None:
    fast, slow = both(database, since, until, TODAY)
    assert fast == slow
    assert json.dumps(fast) == json.dumps(slow)  # the same keys in the same order


def test_the_fixed_database_reaches_every_kind_of_figure(database: Path) -> None:
    """The comparison above would prove little on a database without outcomes or unknown areas."""
    figures, _ = both(database, None, None, TODAY)
    outcomes = figures["outcomes"]
    assert outcomes["started"] and outcomes["not_started"] and outcomes["pending"]
    assert figures["by_area"]["unknown"]["cases"] >= 1
    assert figures["routes"]["direct"] and figures["routes"]["to_team"]
    assert figures["median_days_to_decision"] is not None
    assert sum(outcomes["pending_by_age"].values()) == outcomes["pending"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    items=generated_cases(),
    period=periods,
    today=st.dates(date(2026, 1, 1), date(2026, 12, 31)),
    legacy=st.booleans(),
)
def test_both_paths_agree_on_generated_cases(tmp_path_factory, items, period, today, legacy) -> None:
    """Cases across both changes of summer time, drafts, every outcome, no area, decided
    direct cases; periods that may be empty or reversed; rows with and without a route."""
    path = tmp_path_factory.mktemp("generated") / "consult.db"
    store = Store.open(f"sqlite:///{path}")
    try:
        import_bundle(store.engine, v2(items))
    finally:
        store.close()
    if legacy:
        forget_routes(path)
    fast, slow = both(path, *period, today)
    assert fast == slow


def test_a_database_to_create_or_upgrade_is_left_to_the_store(tmp_path: Path) -> None:
    assert open_current(tmp_path / "missing.db") is None
    old = tmp_path / "old.db"
    with contextlib.closing(sqlite3.connect(old)) as db, db:
        db.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
        db.execute("INSERT INTO alembic_version VALUES ('0001')")
    assert open_current(old) is None


PROBE = """
import sys
from consult.cli import main
status = main(["stats", "--json"])
heavy = sorted(m for m in ("sqlalchemy", "alembic", "sqlmodel", "pydantic") if m in sys.modules)
print("HEAVY", heavy, file=sys.stderr)
sys.exit(status)
"""


def test_stats_on_a_current_file_imports_no_database_toolkit(database: Path) -> None:
    env = {**os.environ, "CONSULT_DATA_DIR": str(database.parent), "PYTHONPATH": str(ROOT)}
    env.pop("CONSULT_DATABASE_URL", None)
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "HEAVY []" in done.stderr, done.stderr
    through_store = subprocess.run(
        [sys.executable, "-m", "consult", "stats", "--json"],
        capture_output=True,
        text=True,
        env={**env, "CONSULT_DATABASE_URL": f"sqlite:///{database}"},
        timeout=120,
    )
    assert through_store.returncode == 0, through_store.stderr
    assert done.stdout == through_store.stdout


def grouped(source, since: date | None, until: date | None) -> tuple:
    """Every figure the interface offers besides ``compute``'s, as comparable values."""
    total, areas = compute_with_areas(source, since, until, today=TODAY)
    whole, per_area, per_month = compute_months_and_areas(source, since, until, today=TODAY)
    return (
        total.as_dict(),
        {a: s.as_dict() for a, s in areas.items()},
        whole.as_dict(),
        {a: s.as_dict() for a, s in per_area.items()},
        {m: s.as_dict() for m, s in sorted(per_month.items())},
        monthly(source, since, until),
        first_and_last_day(source, since, until),
    )


@pytest.mark.parametrize(("since", "until"), PERIODS[:4])
def test_both_paths_give_the_same_grouped_figures(
    database: Path, since: date | None, until: date | None
) -> None:
    store = Store.open(f"sqlite:///{database}")
    try:
        slow = grouped(store.engine, since, until)
    finally:
        store.close()
    connection = open_current(database)
    assert connection is not None
    with contextlib.closing(connection):
        fast = grouped(connection, since, until)
    assert fast == slow


def copy_cases(path: Path, url: str) -> Store:
    """The file's cases, row for row, into a new database at ``url``: the same cases whatever
    the database, routes left out included."""
    source = Store.open(f"sqlite:///{path}")
    try:
        with source.engine.connect() as connection:
            rows = [dict(row._mapping) for row in connection.execute(CaseRow.__table__.select())]
    finally:
        source.close()
    for row in rows:  # SQLite gives back UTC wall time; PostgreSQL would read it as local time
        row.pop("created_by", None)  # the server writes who adds a row: its own login
        for key, value in row.items():
            if isinstance(value, datetime) and value.tzinfo is None:
                row[key] = value.replace(tzinfo=UTC)
    target = Store.open(url)
    with target.engine.begin() as connection:
        connection.execute(CaseRow.__table__.insert(), rows)
    return target


@pytest.mark.postgres
def test_postgresql_gives_the_same_figures_as_the_local_file(database: Path, postgres_url: str) -> None:
    """The same SQL text with PostgreSQL's dates, months and booleans: the same figures."""
    server = copy_cases(database, postgres_url)
    try:
        connection = open_current(database)
        assert connection is not None
        with contextlib.closing(connection):
            for since, until in PERIODS:
                fast = compute(connection, since, until, today=TODAY).as_dict()
                assert compute(server.engine, since, until, today=TODAY).as_dict() == fast, (since, until)
            for since, until in PERIODS[:4]:
                assert grouped(server.engine, since, until) == grouped(connection, since, until), (
                    since,
                    until,
                )
    finally:
        server.close()


# --- On a server: psycopg itself, no SQLAlchemy -----------------------------------------------

# `consult stats` with its arguments, saying what it imported (PROBE's line) on stderr.
STATS = PROBE.replace('["stats", "--json"]', "sys.argv[1:]")
# The same through the store, as before psycopg's own path.
THROUGH_STORE = """
import sys
import consult.cli.figures
consult.cli.figures._stats_of_server = lambda *args: None  # the store's path, as before
from consult.cli import main
sys.exit(main(sys.argv[1:]))
"""


def _heavy(stderr: str) -> list[str]:
    """The modules PROBE found imported."""
    line = next(line for line in stderr.splitlines() if line.startswith("HEAVY "))
    return json.loads(line.removeprefix("HEAVY ").replace("'", '"'))


def _stats_process(code: str, url: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "CONSULT_DATA_DIR": str(tmp_path / "data"),
        "CONSULT_DATABASE_URL": url,
        "CONSULT_LANG": "en",
        "PYTHONPATH": str(ROOT),
    }
    return subprocess.run(
        [sys.executable, "-c", code, "stats", *args], capture_output=True, text=True, env=env, timeout=120
    )


@pytest.mark.postgres
def test_postgresql_through_psycopg_gives_the_stores_figures(
    database: Path, postgres_url: str, tmp_path: Path
) -> None:
    """The server's own path (consult.stats.server) runs the same SQL through psycopg: the same
    figures as through SQLAlchemy, and `consult stats` takes it without a database toolkit."""
    from consult.stats.server import open_current as open_server

    server = copy_cases(database, postgres_url)
    try:
        connection = open_server(postgres_url)
        assert connection is not None
        with connection:
            for since, until in PERIODS:
                slow = compute(server.engine, since, until, today=TODAY)
                assert compute(connection, since, until, today=TODAY) == slow, (since, until)
            for since, until in PERIODS[:4]:
                assert grouped(connection, since, until) == grouped(server.engine, since, until)
    finally:
        server.close()
    for args in (["--json"], [], ["--since", "2026-03-01", "--until", "2026-03-31", "--json"]):
        fast = _stats_process(STATS, postgres_url, tmp_path, *args)
        assert fast.returncode == 0, fast.stderr
        # (The text's words are the report's, which import pydantic: on SQLite too.)
        assert not {"sqlalchemy", "alembic", "sqlmodel"} & set(_heavy(fast.stderr)), fast.stderr
        slow = _stats_process(THROUGH_STORE, postgres_url, tmp_path, *args)
        assert slow.returncode == 0, slow.stderr
        assert fast.stdout == slow.stdout and fast.stdout, args


@pytest.mark.postgres
def test_a_server_database_to_create_is_left_to_the_store(postgres_url: str, tmp_path: Path) -> None:
    """A new database has no schema: psycopg's path steps aside and the store makes it."""
    from consult.stats.server import open_current as open_server

    assert open_server(postgres_url) is None
    done = _stats_process(STATS, postgres_url, tmp_path, "--json")
    assert done.returncode == 0 and "alembic" in done.stderr, done.stderr
    assert json.loads(done.stdout)["cases"] == 0
    assert open_server(postgres_url) is not None  # now current


def test_a_server_that_does_not_answer_is_said_as_the_store_says_it(tmp_path: Path) -> None:
    url = "postgresql+psycopg://nobody@127.0.0.1:9/nothing"  # the discard port: nobody listens
    plain = "import sys\nfrom consult.cli import main\nsys.exit(main(sys.argv[1:]))\n"
    fast = _stats_process(plain, url, tmp_path, "--json")
    slow = _stats_process(THROUGH_STORE, url, tmp_path, "--json")
    assert fast.returncode == slow.returncode == 2
    assert fast.stderr == slow.stderr and fast.stderr.count("\n") == 1, (fast.stderr, slow.stderr)
    assert fast.stdout == slow.stdout == ""
