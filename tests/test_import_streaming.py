"""`consult import` reads a bundle as a stream: strict where JSON is ambiguous, flat in memory,
one transaction, and safe when two imports or a reader and an import meet.

Real processes of `python -m consult`, real files, real SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from bench.bundles import write_bundle
from consult.exchange.bundle import Bundle
from tests.store.fixtures import march_cases
from tests.template import ensure_database

ROOT = Path(__file__).resolve().parents[1]


def env_for(data: Path, url: str | None = None) -> dict[str, str]:
    env = {**os.environ, "CONSULT_DATA_DIR": str(data), "CONSULT_LANG": "en", "PYTHONPATH": str(ROOT)}
    env.pop("CONSULT_DATABASE_URL", None)
    if url is not None:
        env["CONSULT_DATABASE_URL"] = url
    return env


def consult(data: Path, *args: str, url: str | None = None) -> subprocess.CompletedProcess[str]:
    if url is None:  # importing is the subject, not creating
        ensure_database(data / "consult.db")
    return subprocess.run(
        [sys.executable, "-m", "consult", *args],
        capture_output=True,
        text=True,
        env=env_for(data, url),
        timeout=300,
        stdin=subprocess.DEVNULL,
    )


def refused(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr
    return done.stderr.strip()


def march(tmp_path: Path) -> dict:
    return json.loads(Bundle(format="consult-cases", version=1, cases=march_cases()).model_dump_json())


def stored_count(data: Path) -> int:
    with sqlite3.connect(data / "consult.db") as db:
        (count,) = db.execute("SELECT count(*) FROM cases").fetchone()
    db.close()
    return count


# --- What JSON leaves ambiguous is refused --------------------------------------------------


def _raw_bundle(cases_text: str, header: str = '"format": "consult-cases", "version": 1') -> str:
    return "{" + header + ', "cases": [' + cases_text + "]}"


def test_a_time_without_a_zone_is_refused(tmp_path: Path) -> None:
    bundle = march(tmp_path)
    bundle["cases"][2]["created_at"] = "2026-03-04T09:00:00"
    source = tmp_path / "b.json"
    source.write_text(json.dumps(bundle), "utf-8")
    line = refused(consult(tmp_path / "data", "import", str(source)))
    assert "cases[2]" in line and "created_at" in line and "time zone" in line, line


@pytest.mark.parametrize("version", ["true", "1.0", '"1"', "null", "4", "false"])
def test_the_version_must_be_the_number_one_or_two(tmp_path: Path, version: str) -> None:
    case = json.dumps(march(tmp_path)["cases"][0])
    source = tmp_path / "b.json"
    source.write_text(_raw_bundle(case, f'"format": "consult-cases", "version": {version}'), "utf-8")
    line = refused(consult(tmp_path / "data", "import", str(source)))
    assert '"version": 3' in line, line
    assert not (tmp_path / "data" / "consult.db").exists() or stored_count(tmp_path / "data") == 0


@pytest.mark.parametrize(
    "where",
    ["top", "case", "nested", "cases twice"],
)
def test_a_key_twice_is_refused(tmp_path: Path, where: str) -> None:
    case = march(tmp_path)["cases"][1]
    text = json.dumps(case)
    header = '"format": "consult-cases", "version": 1'
    key = "status"
    if where == "top":
        header += ', "version": 1'
        key = "version"
    elif where == "case":
        text = text[:-1] + ', "status": "draft"}'
    elif where == "nested":
        text = text.replace('"scores": {', '"scores": {"housing": 1, ', 1)
        key = "housing"
    source = tmp_path / "b.json"
    body = _raw_bundle(text, header)
    if where == "cases twice":
        body = body[:-1] + ', "cases": []}'
        key = "cases"
    source.write_text(body, "utf-8")
    line = refused(consult(tmp_path / "data", "import", str(source)))
    assert f'"{key}" appears twice' in line, line


def test_nan_and_infinity_are_not_json(tmp_path: Path) -> None:
    for constant in ("NaN", "Infinity", "-Infinity"):
        case = march(tmp_path)["cases"][0]
        case["scores"]["housing"] = "@"
        source = tmp_path / "b.json"
        source.write_text(_raw_bundle(json.dumps(case).replace('"@"', constant)), "utf-8")
        line = refused(consult(tmp_path / "data", "import", str(source)))
        assert "line 1, column" in line and "NaN and Infinity are not numbers in JSON" in line, line


def test_a_bad_case_after_many_good_chunks_rolls_everything_back(tmp_path: Path) -> None:
    """Chunks are written as they are read: the last case's problem must undo all of them."""
    source = write_bundle(tmp_path / "big.json", 5000)
    text = source.read_text("utf-8")
    cut = text.rstrip().rfind('"status": "')
    source.write_text(text[:cut] + '"status": "unknown' + text[cut + len('"status": "') + 0 :], "utf-8")
    data = tmp_path / "data"
    line = refused(consult(data, "import", str(source)))
    assert "cases[4999]" in line and "status" in line, line
    assert stored_count(data) == 0


def test_format_after_the_cases_is_checked_too(tmp_path: Path) -> None:
    cases = json.dumps(march(tmp_path)["cases"])
    source = tmp_path / "b.json"
    source.write_text('{"cases": ' + cases + ', "format": "other", "version": 1}', "utf-8")
    data = tmp_path / "data"
    refused(consult(data, "import", str(source)))
    assert stored_count(data) == 0
    source.write_text('{"cases": ' + cases + ', "format": "consult-cases", "version": 1}', "utf-8")
    done = consult(data, "import", str(source))
    assert done.returncode == 0 and "Imported 7" in done.stdout, done.stderr


def test_a_bundle_from_stdin_streams_too(tmp_path: Path) -> None:
    source = write_bundle(tmp_path / "b.json", 3000)
    with source.open("rb") as stdin:
        done = subprocess.run(
            [sys.executable, "-m", "consult", "import", "-"],
            stdin=stdin,
            capture_output=True,
            text=True,
            env=env_for(tmp_path / "data"),
            timeout=300,
        )
    assert done.returncode == 0 and "Imported 3,000" in done.stdout, done.stderr


# --- Memory stays flat ----------------------------------------------------------------------

PEAK_LINE = 'import sys; print(int(open("/proc/self/status").read().split("VmHWM:")[1].split()[0]) // 1024, file=sys.stderr)'
PEAK = f"""
import sys
from consult.cli import main
status = main(["import", sys.argv[1]])
{PEAK_LINE}
sys.exit(status)
"""


def _peak_of(code: str, data: Path, *args: str) -> int:
    """The peak memory (MB) of a process running ``code``, which prints it last on stderr."""
    done = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, env=env_for(data), timeout=600
    )
    assert done.returncode == 0, done.stderr
    return int(done.stderr.strip().splitlines()[-1])


def _peak_mb(bundle: Path, data: Path) -> int:
    return _peak_of(PEAK, data, str(bundle))


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="peak memory is read from /proc")
def test_import_memory_stays_flat_as_the_bundle_grows(tmp_path: Path) -> None:
    """Ten times the cases, about the same peak: the bundle is never held whole (the old import
    needed about 10 kB a case, 90 MB more for the larger bundle here). What grows is SQLite's
    page cache, up to its 32 MiB for the import (the larger file here fills 18 of it)."""
    small = _peak_mb(write_bundle(tmp_path / "small.json", 1_000), tmp_path / "small")
    large = _peak_mb(write_bundle(tmp_path / "large.json", 10_000, seed=5), tmp_path / "large")
    assert large - small < 40, (small, large)
    # The guard's lexicon and phone numbers are a fixed cost, whatever the size: the whole
    # import stays within the 150 MiB (bench/import.py holds it at 1,000,000 cases).
    assert large < 150, large


# --- Readers and writers at once ------------------------------------------------------------


def test_a_reader_does_not_wait_for_a_writer(tmp_path: Path) -> None:
    """A long import holds SQLite's write lock; `consult stats` reads beside it at once."""
    data = tmp_path / "data"
    source = tmp_path / "b.json"
    source.write_text(json.dumps(march(tmp_path)), "utf-8")
    assert consult(data, "import", str(source)).returncode == 0
    writer = sqlite3.connect(data / "consult.db", isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE cases SET step = step + 1")
    try:
        start = time.monotonic()
        done = consult(data, "stats", "--json")
        elapsed = time.monotonic() - start
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["cases"] == 6
    assert elapsed < 8, elapsed  # the busy timeout is 10 s: a reader queueing would take it


def test_a_writer_waits_its_turn_and_then_writes(tmp_path: Path) -> None:
    data = tmp_path / "data"
    source = tmp_path / "b.json"
    source.write_text(json.dumps(march(tmp_path)), "utf-8")
    assert consult(data, "stats").returncode == 0
    holder = sqlite3.connect(data / "consult.db", isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    release = threading.Timer(2.0, lambda: holder.execute("COMMIT"))
    release.start()
    try:
        done = consult(data, "import", str(source))
    finally:
        release.join()
        holder.close()
    assert done.returncode == 0 and "Imported 7" in done.stdout, done.stderr


def _imports_at_once(data: Path, source: Path, url: str | None, count: int = 2) -> list[str]:
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "consult", "import", str(source)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env_for(data, url),
        )
        for _ in range(count)
    ]
    outputs = []
    for process in processes:
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
        outputs.append(out)
    return outputs


def test_two_identical_imports_at_once_both_succeed_once_on_sqlite(tmp_path: Path) -> None:
    data = tmp_path / "data"
    source = write_bundle(tmp_path / "b.json", 4000)
    assert consult(data, "stats").returncode == 0
    outputs = _imports_at_once(data, source, None)
    assert sorted(outputs) == [
        "Imported 0 cases; already in the database: 4,000 cases.\n",
        "Imported 4,000 cases; already in the database: 0 cases.\n",
    ]
    assert stored_count(data) == 4000


@pytest.mark.postgres
def test_two_identical_imports_at_once_both_succeed_once_on_postgresql(
    tmp_path: Path, postgres_url: str
) -> None:
    source = write_bundle(tmp_path / "b.json", 3000)
    for round_ in range(2):
        outputs = _imports_at_once(tmp_path / "data", source, postgres_url)
        if round_ == 0:
            assert sorted(outputs) == [
                "Imported 0 cases; already in the database: 3,000 cases.\n",
                "Imported 3,000 cases; already in the database: 0 cases.\n",
            ]
        else:
            assert outputs == ["Imported 0 cases; already in the database: 3,000 cases.\n"] * 2


@pytest.mark.postgres
def test_consults_starting_at_once_on_a_fresh_server_database_all_start(
    tmp_path: Path, postgres_available: None
) -> None:
    """Three processes, each a fresh schema, four times: every one creates or finds the tables."""
    from tests.conftest import postgres_schema

    for _ in range(4):
        with postgres_schema() as url:
            processes = [
                subprocess.Popen(
                    [sys.executable, "-m", "consult", "stats", "--json"],
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                    env=env_for(tmp_path / "data", url),
                )
                for _ in range(3)
            ]
            for process in processes:
                out, err = process.communicate(timeout=120)
                assert process.returncode == 0, err
                assert json.loads(out)["cases"] == 0


# (where in the second March case, the bad value or MISSING, what the message must name)
MISSING = object()
BAD_VALUES: list[tuple[tuple[str, ...], object, str]] = [
    (("status",), "done", "draft, awaiting_team, referred_directly, team_decided"),
    (("route",), "x", "to_team, direct"),
    (("created_at",), "yesterday", "2026-12-01T09:30:00+02:00"),
    (("id",), "abc", "UUID"),
    (("id",), MISSING, "id"),
    (("code",), "x" * 40, "16"),
    (("code",), 5, "code"),
    (("extra",), 1, "id, code, created_at, status, route"),
    (("outcome", "reason"), "client_refused", "client_declined, no_capacity, not_eligible, other"),
    (("outcome", "started"), "yes", "true"),
    (("outcome", "on"), "2026-03-04T10:00:00", "2026-12-01"),
    (("outcome", "on"), "4.3.2026", "2026-12-01"),
    (("outcome", "extra"), 1, "started, path, on, reason, note"),
    (("outcome", "path"), "x", "tym, bilateral, social_services, own_service"),
    (("outcome", "note"), 5, "outcome.note"),
    (("notes", "bogus"), "x", "notes.bogus: "),
    (("notes", "affairs_"), "x", "general, affairs, services"),
    (("notes",), [1], "notes"),
    (("scores", "housing"), 9, "1–5"),
    (("scores", "housing"), "3", "1–5"),
    (("scores", "extra"), 1, "affairs, services, housing"),
    (("context", "area"), "helsinki", "yla-savo"),
    (("context", "jobseeker"), "yes", "true"),
    (("recommendation", "primary"), "x", "tym, bilateral, social_services, own_service"),
    (("recommendation", "needs"), ["x"], "health, social"),
    (("recommendation", "needs"), "x", "recommendation.needs"),
    (("recommendation", "flags"), ["x"], "safety, urgent, insufficient_data, bring_to_team"),
    (("recommendation", "suggested_answers", "q_x"), "yes", "q_bilateral, q_other_first"),
    (("recommendation", "suggested_answers", "q_bilateral"), "maybe", "yes, no, unsure"),
    (("recommendation", "reasons"), [{"rule": "x"}], "text"),
    (("recommendation", "reasons"), [5], "reasons"),
    (("recommendation", "rules_version"), "x" * 30, "20"),
    (("recommendation", "extra"), 1, "primary, needs, orgs, flags"),
    (("team_decision",), {"path": "tym", "decided_at": "2026-13-01"}, "2026-12-01"),
]
# Pydantic's English, as its messages word it: none of it may reach the user.
PYDANTIC_WORDS = (
    "Input should",
    "should be",
    "should have",
    "should match",
    "Field required",
    "Extra inputs",
    "a valid",
    "Datetimes provided",
    "less than or equal",
    "input is too short",
    "expected range",
    "not permitted",
)


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_every_kind_of_bad_value_is_refused_in_the_users_words(
    lang: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 18, item 9: an import names the case and field and says what is allowed there in
    the user's language; pydantic's English sentences never reach the user, and nothing is
    stored."""
    import copy
    import re

    from consult.cli import main

    monkeypatch.setenv("CONSULT_LANG", lang)
    monkeypatch.setenv("CONSULT_DATA_DIR", str(tmp_path / "data"))
    original = march(tmp_path)
    for number, (where, value, named) in enumerate(BAD_VALUES):
        bundle = copy.deepcopy(original)
        target = bundle["cases"][1]
        target["outcome"] = {"started": False, "on": "2026-03-20", "reason": "other", "note": ""}
        for part in where[:-1]:
            if target.get(part) is None:
                target[part] = {}
            target = target[part]
        if value is MISSING:
            del target[where[-1]]
        else:
            target[where[-1]] = value
        path = tmp_path / f"bad-{number}.json"
        path.write_text(json.dumps(bundle), "utf-8")
        assert main(["import", str(path)]) == 2, where
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "Traceback" not in err, err
        assert not [w for w in PYDANTIC_WORDS if w in err], (lang, where, err)
        assert named in err, (lang, where, named, err)
        if lang != "en":  # no English word of a sentence between the codes
            assert not re.search(r"\b(should|required|allowed|valid|Input|Field|is not|must)\b", err), err
    assert not (tmp_path / "data" / "consult.db").exists() or stored_count(tmp_path / "data") == 0


JSON_MISTAKES = [
    '{"format": "consult-cases", "version": 1, "cases": [{"id": 1,, }]}',
    '{"format": "consult-cases" "version": 1}',
    '{"format": "consult-cases", "version" 1}',
    '{"format": "consult-cases", "version": }',
    '{"format": "consult-cases", "version": 1} x',
    '{"format": "consult-cases", "cases": [{"id": "a\nb"}]}',
    '{"format": "consult-cases", "cases": [{"id": "a\\qb"}]}',
    '{"format": "consult-cases", "cases": [{"id": "ab',
]
JSON_WORDS = (
    "Expecting",
    "Extra data",
    "Unterminated",
    "Invalid",
    "delimiter",
    "enclosed",
    "line ",
    "column ",
)


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_a_json_mistake_says_where_and_what_in_the_users_words(
    lang: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 18, item 9: the json module's English never reaches the user, for import or score."""
    from consult.cli import main
    from consult.i18n import catalog

    monkeypatch.setenv("CONSULT_LANG", lang)
    monkeypatch.setenv("CONSULT_DATA_DIR", str(tmp_path / "data"))
    phrases = {v for k, v in catalog(lang).items() if k.startswith("input.json_problem.")}
    other = catalog(lang)["input.json_problem.other"]
    for number, text in enumerate(JSON_MISTAKES):
        path = tmp_path / f"bad-{number}.json"
        path.write_text(text, "utf-8")
        for args in (["import", str(path)], ["score", str(path)]):
            assert main(args) == 2
            err = capsys.readouterr().err
            english = [w for w in JSON_WORDS if w in err and (lang != "en" or w not in ("line ", "column "))]
            assert err.count("\n") == 1 and not english, (lang, args, err)
            if "JSON" in err and args[0] == "import":  # a syntax problem, not a field's
                assert [p for p in phrases if p in err and p != other], (text, err)
