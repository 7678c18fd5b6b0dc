"""`consult stats --json` as a process beside a plain script doing the same aggregates (version
2's and version 3's services block) and printing JSON: on SQLite (plain ``sqlite3``) and on PostgreSQL (plain
``psycopg``, in a database of its own that the bench creates and drops). Interleaved and
repeated, wall and CPU time; two thirds of the cases are given an outcome and a third a missing
service (half a tried one), so every query has rows to count.

Targets: on SQLite ≤ 1.5× the plain script (issue 11); on PostgreSQL ≤ 1.3× (issue 22).

Run: ``python -m bench.stats`` (20,000 cases) or ``--full`` (100,000 and 300,000);
``--cases N`` for one size; ``--postgres URL`` for another server (default
postgresql://postgres@127.0.0.1:5432/test, CONSULT_BENCH_POSTGRES).
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.bundles import write_bundle
from bench.common import Process, child_env, interleave, load, ratio, repeats, report, sizes

TARGETS = {"sqlite": 1.5, "postgresql": 1.3}
POSTGRES = os.environ.get("CONSULT_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")

# The version-3 services block (product.md, "Services"), as plainly as it can be written: the
# missing entries by area, reason and domain, the tried by result, the cases with any missing,
# and the ten services named missing by the most cases (typed ones trimmed and case-folded).
SERVICES = """
joined = " FROM {} s JOIN cases ON cases.id = s.case_id WHERE " + where
missing = db.execute("SELECT coalesce(area, 'unknown'), s.reason, s.domain, count(*)"
                     + joined.format("case_missing_services") + " GROUP BY 1, 2, 3").fetchall()
tried = db.execute("SELECT s.result, count(*)" + joined.format("case_tried_services") + " GROUP BY 1").fetchall()
with_missing = db.execute("SELECT count(DISTINCT s.case_id)" + joined.format("case_missing_services")).fetchone()[0]
ids = db.execute("SELECT s.service, count(DISTINCT s.case_id)" + joined.format("case_missing_services")
                 + " AND s.service IS NOT NULL GROUP BY 1").fetchall()
typed = {}
for text, case_id in db.execute("SELECT DISTINCT s.text, s.case_id" + joined.format("case_missing_services")
                                + " AND s.service IS NULL AND s.text IS NOT NULL"):
    typed.setdefault(text.strip().casefold(), set()).add(case_id)
top = sorted([(n, i) for i, n in ids] + [(len(c), t) for t, c in typed.items()], key=lambda e: (-e[0], e[1]))[:10]
services = {"missing": missing, "tried": tried, "cases_with_missing": with_missing, "top_missing": top}
"""

# One plain script for both databases (argv: "sqlite" and a file, or "postgresql" and a URL):
# what differs between them is said where it differs, as consult.stats.queries' Dialect does.
RAW = """
import json, sys
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo
kind, where_to = sys.argv[1], sys.argv[2]
if kind == "postgresql":
    import psycopg
    db = psycopg.connect(where_to, autocommit=True)
    true, false, days = "TRUE", "FALSE", "({} - created_day)"
else:
    import sqlite3
    db = sqlite3.connect(where_to)
    true, false, days = "1", "0", "CAST(julianday({}) - julianday(created_day) AS INTEGER)"
where = "status != 'draft'"
route = ("coalesce(route, CASE WHEN status = 'referred_directly' THEN 'direct' "
         "WHEN status IN ('awaiting_team', 'team_decided') THEN 'to_team' END)")
primaries = ["tym", "bilateral", "social_services", "own_service"]
reasons = ["client_declined", "no_capacity", "not_eligible", "other"]
counts = [f"recommended = '{p}'" for p in primaries] + [
    f"need_social IS {true} AND need_health IS NOT {true}", f"need_health IS {true} AND need_social IS NOT {true}",
    f"need_social IS {true} AND need_health IS {true}", f"need_social IS NOT {true} AND need_health IS NOT {true}",
    f"flag_safety IS {true}", f"flag_urgent IS {true}", f"flag_insufficient_data IS {true}", f"flag_bring_to_team IS {true}",
    "status = 'awaiting_team'", "status = 'team_decided'",
    "status = 'team_decided' AND decision_path != recommended",
    f"{route} = 'to_team'", f"{route} = 'direct'",
    "outcome_started IS NULL", f"outcome_started IS {true}", f"outcome_started IS {false}",
] + [f"outcome_started IS {true} AND outcome_path = '{p}'" for p in primaries] + [
    f"outcome_started IS {false} AND outcome_reason = '{r}'" for r in reasons]
row = db.execute("SELECT count(*), " + ", ".join(f"coalesce(sum(CASE WHEN {c} THEN 1 ELSE 0 END), 0)" for c in counts)
                 + f" FROM cases WHERE {where}").fetchone()
areas = db.execute(f"SELECT coalesce(area, 'unknown'), recommended, count(*) FROM cases WHERE {where} GROUP BY 1, 2").fetchall()
def median(histogram):
    values = sorted(v for v, n in histogram for _ in range(n))
    if not values:
        return None
    half = len(values) // 2
    return float(values[half]) if len(values) % 2 else (values[half - 1] + values[half]) / 2
decided = db.execute(f"SELECT {days.format('decided_at')}, count(*) FROM cases WHERE {where}"
                     " AND status = 'team_decided' AND decided_at IS NOT NULL GROUP BY 1").fetchall()
started = db.execute(f"SELECT outcome_path, {days.format('outcome_on')}, count(*) FROM cases WHERE {where}"
                     f" AND outcome_started IS {true} GROUP BY 1, 2").fetchall()
today = datetime.now(timezone.utc).astimezone(ZoneInfo("Europe/Helsinki")).date()
ages = {"0_14": 0, "15_30": 0, "31_60": 0, "over_60": 0}
for day, n in db.execute(f"SELECT created_day, count(*) FROM cases WHERE {where} AND outcome_started IS NULL GROUP BY 1"):
    waited = (today - (day if isinstance(day, date) else date.fromisoformat(day))).days
    ages["0_14" if waited <= 14 else "15_30" if waited <= 30 else "31_60" if waited <= 60 else "over_60"] += n
SERVICES
print(json.dumps({
    "totals": row, "areas": areas, "median_days_to_decision": median(decided),
    "median_days_to_start": median([(v, n) for _, v, n in started]),
    "median_days_to_start_by_path": {p: median([(v, n) for q, v, n in started if q == p]) for p in primaries},
    "pending_by_age": ages, "services": services,
}, indent=2))
"""


RAW = RAW.replace("SERVICES", SERVICES)


def _case(number: str, values: tuple[str, ...]) -> str:
    """SQL choosing one of ``values`` by a number."""
    n = len(values)
    return f"CASE ({number}) % {n} " + " ".join(f"WHEN {i} THEN '{v}'" for i, v in enumerate(values)) + " END"


_IDS = ("kela-teak", "kuntouttava-tyotoiminta", "paihdekuntoutus", "asumisneuvonta", "tyokyvyn-arviointi")
_DOMAINS = ("affairs", "services", "housing", "employment", "finances", "health", "relations")
_REASONS = ("not_in_area", "no_capacity", "waiting_doctor", "waiting_list", "other")
_RESULTS = ("helped", "did_not_help", "interrupted", "not_timely")


def _services_sql(number: str, table_of_cases: str) -> list[str]:
    """A third of the cases with a missing service (a sixth with two; every fourth typed, in
    seven spellings), half with a tried one: rows for every services query to count."""
    typed = f"CASE WHEN ({number}) % 4 = 0 THEN ' Päihdekuntoutus alueella ' || (({number}) % 7) END"
    named = f"CASE WHEN ({number}) % 4 = 0 THEN NULL ELSE {_case(number, _IDS)} END"
    return [
        "INSERT INTO case_missing_services (case_id, position, service, text, domain, reason) "
        f"SELECT id, 1, {named}, {typed}, {_case(number, _DOMAINS)}, {_case(number, _REASONS)} "
        f"FROM {table_of_cases} WHERE ({number}) % 3 = 0",
        "INSERT INTO case_missing_services (case_id, position, service, text, domain, reason) "
        f"SELECT id, 2, {_case(number + ' + 1', _IDS)}, NULL, 'health', 'waiting_doctor' "
        f"FROM {table_of_cases} WHERE ({number}) % 6 = 0",
        "INSERT INTO case_tried_services (case_id, position, service, text, result) "
        f"SELECT id, 1, {_case(number, _IDS)}, NULL, {_case(number, _RESULTS)} "
        f"FROM {table_of_cases} WHERE ({number}) % 2 = 0",
    ]


def _give_services(path: Path) -> None:
    """The services the figures count, straight into their tables as _give_outcomes does."""
    import sqlite3

    with contextlib.closing(sqlite3.connect(path)) as db, db:
        for statement in _services_sql("rowid", "cases"):
            db.execute(statement)


def _give_services_pg(url: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as db:
        for statement in _services_sql("abs(hashtext(id))", "cases"):
            db.execute(statement)
        db.execute("VACUUM ANALYZE case_missing_services")
        db.execute("VACUUM ANALYZE case_tried_services")


def _give_outcomes(path: Path) -> None:
    """A third of the cases started and a third not, days after their saving: the benchmark's
    bundle is version 1 (no outcomes), which would leave the outcome queries nothing to count.
    Straight into the columns the figures read; the outcome history is not what is measured."""
    import sqlite3

    with contextlib.closing(sqlite3.connect(path)) as db, db:
        db.execute(
            "UPDATE cases SET outcome_started = 1, outcome_path = recommended,"
            " outcome_on = date(created_day, '+' || (rowid % 40) || ' days') WHERE rowid % 3 = 0"
        )
        db.execute(
            "UPDATE cases SET outcome_started = 0, outcome_reason = 'no_capacity',"
            " outcome_on = date(created_day, '+' || (rowid % 30) || ' days') WHERE rowid % 3 = 1"
        )


def _give_outcomes_pg(url: str) -> None:
    """The same outcomes on PostgreSQL."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as db:
        db.execute(
            "UPDATE cases SET outcome_started = TRUE, outcome_path = recommended,"
            " outcome_on = created_day + (abs(hashtext(id)) % 40) WHERE abs(hashtext(id)) % 3 = 0"
        )
        db.execute(
            "UPDATE cases SET outcome_started = FALSE, outcome_reason = 'no_capacity',"
            " outcome_on = created_day + (abs(hashtext(id)) % 30) WHERE abs(hashtext(id)) % 3 = 1"
        )
        db.execute("VACUUM ANALYZE cases")


def _import(bundle: Path, env: dict[str, str]) -> None:
    subprocess.run(
        [sys.executable, "-m", "consult", "import", str(bundle)],
        env=child_env(env),
        check=True,
        timeout=3600,
        capture_output=True,
    )


def _compare(consult: Process, baseline: Process, repeat: int) -> dict[str, object]:
    figures, cut = interleave({"consult_stats": consult, "plain_script": baseline}, repeat, 300, warmup=1)
    return {
        **{name: figure.summary() for name, figure in figures.items()},
        "ratio": ratio(figures["consult_stats"].median, figures["plain_script"].median),
        "cpu_ratio": ratio(figures["consult_stats"].cpu_median, figures["plain_script"].cpu_median),
        "deadline_cut": cut,
    }


@contextlib.contextmanager
def _postgres_database(server: str):
    """A database of the bench's own on the server, dropped afterwards whatever happens."""
    import psycopg

    name = f"consult_bench_stats_{os.getpid()}"
    base, _, _ = server.rpartition("/")
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def main(argv: list[str]) -> None:
    started = load()
    ns = sizes(argv, [20_000], [100_000, 300_000])
    repeat = repeats(argv, 5, 9)
    server = argv[argv.index("--postgres") + 1] if "--postgres" in argv else POSTGRES
    body: dict[str, object] = {}
    checks: dict[str, bool] = {}
    for n in ns:
        with tempfile.TemporaryDirectory(prefix="consult-bench-stats-") as tmp:
            folder = Path(tmp)
            bundle = write_bundle(folder / "bundle.json", n)
            data = folder / "data"
            _import(bundle, {"CONSULT_DATA_DIR": str(data)})
            _give_outcomes(data / "consult.db")
            _give_services(data / "consult.db")
            lite = _compare(
                Process(["-m", "consult", "stats", "--json"], {"CONSULT_DATA_DIR": str(data)}),
                Process(["-c", RAW, "sqlite", str(data / "consult.db")]),
                repeat,
            )
            with _postgres_database(server) as url:
                sqlalchemy_url = url.replace("postgresql://", "postgresql+psycopg://", 1)
                env = {"CONSULT_DATA_DIR": str(data), "CONSULT_DATABASE_URL": sqlalchemy_url}
                _import(bundle, env)
                _give_outcomes_pg(url)
                _give_services_pg(url)
                pg = _compare(
                    Process(["-m", "consult", "stats", "--json"], env),
                    Process(["-c", RAW, "postgresql", url]),
                    repeat,
                )
        body[str(n)] = {"sqlite": lite, "postgresql": pg}
        for name, figures in (("sqlite", lite), ("postgresql", pg)):
            r = figures["ratio"]
            checks[f"{name}_{n}"] = isinstance(r, float) and r <= TARGETS[name]
    body["target_ratio"] = TARGETS
    report("stats", body, checks, started)


if __name__ == "__main__":
    main(sys.argv[1:])
