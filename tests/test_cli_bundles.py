"""`consult stats`, `export` and `import` as a script or the team's evaluation calls them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from consult.exchange.bundle import Bundle
from tests.store.fixtures import march_cases
from tests.template import ensure_database


def consult(
    tmp_path: Path, *args: str, stdin: str = "", data: str = "data"
) -> subprocess.CompletedProcess[str]:
    ensure_database(tmp_path / data / "consult.db")  # the verbs are the subject, not creating
    env = {**os.environ, "CONSULT_DATA_DIR": str(tmp_path / data), "CONSULT_LANG": "en"}
    env.pop("CONSULT_DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "consult", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def write_bundle(path: Path) -> Path:
    path.write_text(Bundle(format="consult-cases", version=1, cases=march_cases()).model_dump_json(), "utf-8")
    return path


def test_import_stats_export_round_trip(tmp_path: Path) -> None:
    bundle = write_bundle(tmp_path / "march.json")
    done = consult(tmp_path, "import", str(bundle))
    assert done.returncode == 0, done.stderr
    assert "Imported 7" in done.stdout
    again = consult(tmp_path, "import", str(bundle))
    assert "Imported 0 cases; already in the database: 7 cases." in again.stdout

    stats = consult(tmp_path, "stats", "--since", "2026-03-01", "--until", "2026-03-31", "--json")
    figures = json.loads(stats.stdout)
    assert figures["cases"] == 5 and figures["routes"] == {"to_team": 3, "direct": 2}
    assert figures["median_days_to_decision"] == 6.0
    assert "Cases: 6" in consult(tmp_path, "stats").stdout

    out = tmp_path / "export.json"
    assert consult(tmp_path, "export", "--format", "json", "--output", str(out)).returncode == 0
    assert consult(tmp_path, "import", str(out), data="other").returncode == 0
    assert json.loads(consult(tmp_path, "stats", "--json", data="other").stdout) == json.loads(
        consult(tmp_path, "stats", "--json").stdout
    )
    codes = consult(tmp_path, "export", "--format", "csv", "--codes")
    assert codes.stdout.startswith("\ufeffid;code;created_at")
    words = consult(tmp_path, "export", "--format", "csv")  # CONSULT_LANG=en: a comma-separated sheet
    assert words.stdout.startswith("\ufeffIdentifier,Code,Created,Status,Employment area")


def test_a_bad_bundle_is_one_line_and_the_database_is_unchanged(tmp_path: Path) -> None:
    bundle = write_bundle(tmp_path / "march.json")
    data = json.loads(bundle.read_text("utf-8"))
    data["cases"][4]["answers"] = {"q_joint_plan": "perhaps"}
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data), "utf-8")
    done = consult(tmp_path, "import", str(bad))
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0 and "Traceback" not in done.stderr
    assert "cases[4] (T05-AAA): answers.q_joint_plan" in done.stderr
    assert json.loads(consult(tmp_path, "stats", "--json").stdout)["cases"] == 0


def test_bad_dates_and_files_are_one_line(tmp_path: Path) -> None:
    for args, field in (
        (("stats", "--since", "31.2.2026"), "--since"),
        (("import", str(tmp_path / "missing.json")), "missing.json"),
        (("import", "-"), "JSON"),
        (("export", "--output", str(tmp_path / "no" / "such" / "dir" / "x.json")), "x.json"),
    ):
        done = consult(tmp_path, *args, stdin="not json")
        assert done.returncode == 2, args
        assert field in done.stderr and done.stderr.strip().count("\n") == 0, done.stderr


def test_exports_count_what_stats_counts_and_drafts_come_labelled_on_request(tmp_path: Path) -> None:
    """Issue 18, item 12: a draft is not a case the team saw; the files agree with ``stats``
    unless the user asks for the drafts, and then each says it is unfinished."""
    import csv
    import io

    assert consult(tmp_path, "import", str(write_bundle(tmp_path / "march.json"))).returncode == 0
    counted = json.loads(consult(tmp_path, "stats", "--json").stdout)["cases"]
    drafts = sum(case.status == "draft" for case in march_cases())
    assert drafts and counted == len(march_cases()) - drafts

    out = tmp_path / "cases.json"
    done = consult(tmp_path, "export", "--format", "json", "--output", str(out))
    assert done.returncode == 0, done.stderr
    cases = json.loads(out.read_text("utf-8"))["cases"]
    assert len(cases) == counted and all(case["status"] != "draft" for case in cases)
    assert f"Exported {counted} " in done.stderr

    codes = list(
        csv.DictReader(
            io.StringIO(consult(tmp_path, "export", "--format", "csv", "--codes").stdout.lstrip("\ufeff")),
            delimiter=";",
        )
    )
    assert len(codes) == counted and {row["status"] for row in codes} & {"draft"} == set()
    words = list(
        csv.DictReader(io.StringIO(consult(tmp_path, "export", "--format", "csv").stdout.lstrip("\ufeff")))
    )
    assert len(words) == counted and "unfinished" not in {row["Status"] for row in words}

    # On request: every case, the drafts labelled in the status column.
    done = consult(tmp_path, "export", "--format", "json", "--drafts", "--output", str(out))
    cases = json.loads(out.read_text("utf-8"))["cases"]
    assert len(cases) == counted + drafts and sum(case["status"] == "draft" for case in cases) == drafts
    # ...and a bundle with drafts still imports them, as before.
    assert consult(tmp_path, "import", str(out), data="other").returncode == 0
    again = json.loads(consult(tmp_path, "export", "--format", "json", "--drafts", data="other").stdout)[
        "cases"
    ]
    assert sum(case["status"] == "draft" for case in again) == drafts
    codes = list(
        csv.DictReader(
            io.StringIO(
                consult(tmp_path, "export", "--format", "csv", "--codes", "--drafts").stdout.lstrip("\ufeff")
            ),
            delimiter=";",
        )
    )
    assert sum(row["status"] == "draft" for row in codes) == drafts and len(codes) == counted + drafts
    for lang, word, delimiter in (
        ("fi", "keskeneräinen", ";"),
        ("sv", "påbörjad", ";"),
        ("en", "unfinished", ","),
    ):
        env_out = subprocess.run(
            [sys.executable, "-m", "consult", "export", "--format", "csv", "--drafts"],
            capture_output=True,
            text=True,
            env={**os.environ, "CONSULT_DATA_DIR": str(tmp_path / "data"), "CONSULT_LANG": lang},
            timeout=120,
        )
        rows = list(csv.reader(io.StringIO(env_out.stdout.lstrip("\ufeff")), delimiter=delimiter))
        status = rows[0].index({"fi": "Tila", "sv": "Status", "en": "Status"}[lang])
        assert sum(row[status] == word for row in rows[1:]) == drafts, (lang, rows[0])
        assert len(rows) - 1 == counted + drafts
