"""Every test runs on its own data: no test may touch a real user's database."""

from __future__ import annotations

import contextlib
import gc
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from consult.system.settings import Settings
from tests import template
from tests.template import place_database

# CI explores the same examples on every run, so a landing is never decided by the draw; a
# developer's runs keep drawing new ones (and the failures they find become @example lines).
# Neither profile has a deadline or a too-slow check: an example's time says how busy the
# machine is, not whether the code is right. HYPOTHESIS_PROFILE=ci draws CI's examples locally.
_unhurried = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow]}
hypothesis_settings.register_profile("dev", **_unhurried)
hypothesis_settings.register_profile("ci", derandomize=True, database=None, **_unhurried)
hypothesis_settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
)

# The pure core -- the rules, the privacy guard, dates, words, the instrument, agreement: no
# database, no screen, no subprocess. `pytest -m core` runs them alone in seconds.
CORE_TESTS = (
    "scoring/",
    "test_privacy.py",
    "test_privacy_disguises.py",
    "test_dates.py",
    "test_i18n.py",
    "test_instrument.py",
    "test_agreement.py",
)
TESTS = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        where = item.path.relative_to(TESTS).as_posix() if item.path.is_relative_to(TESTS) else ""
        if where.startswith(CORE_TESTS):
            item.add_marker(pytest.mark.core)


POSTGRES_URL = os.environ.get(
    "CONSULT_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONSULT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("CONSULT_DATABASE_URL", raising=False)
    monkeypatch.delenv("CONSULT_LANG", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("CONSULT_CONFIG_DIR", str(tmp_path / "config"))
    for variable in ("CONSULT_AREA", "CONSULT_WORKER_ORG"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))


@pytest.fixture(scope="session")
def migrated_template() -> Path:
    """An empty database at the newest schema (``tests.template``)."""
    return template.migrated_template()


@pytest.fixture
def settings(tmp_path: Path, migrated_template: Path) -> Settings:
    """A worker's settings whose databases already exist at the newest schema (a test of
    creating or upgrading a database makes its own)."""
    data = tmp_path / "data"
    for name in ("consult.db", "training.db"):
        place_database(migrated_template, data / name)
    return Settings(data_dir=data)


def _postgres_reason() -> str | None:
    try:
        import psycopg
        from sqlalchemy.engine import make_url

        url = make_url(POSTGRES_URL)
        with psycopg.connect(
            host=url.host, port=url.port or 5432, user=url.username, dbname=url.database, connect_timeout=3
        ):
            return None
    except Exception as error:
        return f"no PostgreSQL server answers at {POSTGRES_URL} ({error.__class__.__name__})"


@pytest.fixture(scope="session")
def postgres_available() -> None:
    reason = _postgres_reason()
    if reason:
        if os.environ.get("CONSULT_REQUIRE_POSTGRES"):
            pytest.fail(reason + "; CONSULT_REQUIRE_POSTGRES is set")
        pytest.skip(reason)


@contextlib.contextmanager
def postgres_schema() -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a fresh schema, dropped afterwards."""
    from sqlalchemy import create_engine, text

    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    sep = "&" if "?" in POSTGRES_URL else "?"
    try:
        yield f"{POSTGRES_URL}{sep}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture
def postgres_url(postgres_available: None) -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a fresh schema, dropped afterwards."""
    with postgres_schema() as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path, migrated_template: Path) -> str:
    if request.param == "sqlite":
        place_database(migrated_template, tmp_path / "store" / "consult.db")
        return f"sqlite:///{tmp_path / 'store' / 'consult.db'}"
    return request.getfixturevalue("postgres_url")


def pytest_collection_finish(session: pytest.Session) -> None:
    """The collector tuned for a test process (as `consult` keeps its start-up out of it):
    what collection loaded (modules, tests, Textual, SQLAlchemy) stays for the session, so it
    leaves the collector's sight; and the young generation is collected every 5,000
    allocations, not 700, since every key a screen test presses allocates thousands of
    short-lived objects. Together a quarter of the screen tests' CPU time. What a test leaves
    behind is still collected."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(5000, 10, 10)
