"""`consult rules` and `consult score` with the rules in force, on SQLite and PostgreSQL: a file
is checked key by key, activation is recorded as history, and compare's figures are worked out
by hand on the March cases."""

from __future__ import annotations

import getpass
import json
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from consult.cli import main
from consult.exchange.bundle import Bundle, import_bundle
from consult.store import Store
from consult.store.rules import activations
from consult.system.settings import Settings
from tests.store.fixtures import march_cases

TYM = {"affairs": 3, "services": 3, "housing": 2, "employment": 4, "finances": 3, "health": 3, "relations": 2}
# Two challenges, all three organisations: bilateral under ps-2025.1, TYM when two challenges
# already call for multi-professional support.
TWO_CHALLENGES = {
    "affairs": 1,
    "services": 1,
    "housing": 1,
    "employment": 3,
    "finances": 1,
    "health": 3,
    "relations": 1,
}
KUOPIO = 'version = "kuopio-2026.1"\nbased_on = "ps-2025.1"\n[thresholds]\nmulti_support_min_challenges = 2\n'


@pytest.fixture
def database(database_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("CONSULT_DATABASE_URL", database_url)
    monkeypatch.setenv("CONSULT_LANG", "en")
    return database_url


def seed(url: str) -> None:
    store = Store.open(url)
    import_bundle(store.engine, Bundle(format="consult-cases", version=1, cases=march_cases()))
    store.close()


def consult(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def write(tmp_path: Path, text: str, name: str = "rules.toml") -> str:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return str(path)


def test_the_built_in_rules_as_a_file_check_clean_without_creating_a_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = Settings(data_dir=tmp_path / "data")  # the CLI's data dir, with nothing in it
    code, toml, _ = consult(capsys, "rules", "show", "--format", "toml")
    assert code == 0 and 'version = "ps-2025.1"' in toml
    code, out, _ = consult(capsys, "rules", "check", write(tmp_path, toml))
    assert code == 0 and "ps-2025.1" in out
    from consult.store.db import sqlite_file

    database = sqlite_file(settings.resolved_database_url)
    assert database is not None and not database.exists()


@pytest.mark.parametrize(
    "text,named",
    [
        ('version = "x"\n[thresholds]\nmin_assessed = 8\n', "thresholds.min_assessed"),
        ('version = "x"\n[acute]\ndomains = ["garden"]\n', "acute.domains"),
        ('version = "x"\n[levels]\nchallenge = 6\n', "levels.challenge"),
        ('version = "x"\nextra = 1\n', "extra"),
        ("version = \n", "toml"),
    ],
)
def test_a_bad_file_is_one_line_exit_2_and_nothing_activated(
    text: str, named: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], database: str
) -> None:
    path = write(tmp_path, text)
    for verb in ("check", "activate", "compare"):
        code, _, err = consult(capsys, "rules", verb, path)
        assert code == 2, verb
        assert err.count("\n") == 1 and named in err and "Traceback" not in err
    code, _, err = consult(capsys, "score", "--rules", path)
    assert code == 2 and named in err
    store = Store.open(database)
    try:
        assert activations(store.engine) == []
    finally:
        store.close()


def test_activate_puts_rules_in_force_and_keeps_history(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, database: str
) -> None:
    assessment = write(tmp_path, json.dumps({"scores": TWO_CHALLENGES}), "in.json")
    code, out, _ = consult(capsys, "score", assessment)
    assert json.loads(out)["primary"] == "bilateral"

    # Tried without activating: the file scores, the database keeps its rules.
    candidate = write(tmp_path, KUOPIO)
    code, out, _ = consult(capsys, "score", "--rules", candidate, assessment)
    assert code == 0
    assert json.loads(out)["primary"] == "tym" and json.loads(out)["rules_version"] == "kuopio-2026.1"
    assert "ps-2025.1" in consult(capsys, "rules", "show")[1]

    code, out, _ = consult(capsys, "rules", "activate", candidate)
    assert code == 0 and "kuopio-2026.1" in out
    code, out, _ = consult(capsys, "score", assessment)
    assert json.loads(out)["rules_version"] == "kuopio-2026.1" and json.loads(out)["primary"] == "tym"
    assert "kuopio-2026.1" in consult(capsys, "rules", "show")[1]
    shown = consult(capsys, "rules", "show", "--format", "toml")[1]
    assert 'version = "kuopio-2026.1"' in shown and "multi_support_min_challenges = 2" in shown

    # The same name for different rules is refused; a file may build on the active version.
    code, _, err = consult(
        capsys, "rules", "activate", write(tmp_path, KUOPIO.replace("= 2", "= 4"), "b.toml")
    )
    assert code == 2 and err.count("\n") == 1 and "kuopio-2026.1" in err
    child = write(tmp_path, 'version = "kuopio-2026.2"\nbased_on = "kuopio-2026.1"\n', "c.toml")
    assert consult(capsys, "rules", "activate", child)[0] == 0
    # Back to the built-in: a re-activation, recorded like any other.
    builtin = write(
        tmp_path,
        consult(capsys, "rules", "show", "--format", "toml")[1].replace("kuopio-2026.2", "ps-2025.1", 1),
        "d.toml",
    )
    assert consult(capsys, "rules", "activate", builtin)[0] == 2  # ps-2025.1 names other rules
    store = Store.open(database)
    try:
        history = activations(store.engine)
    finally:
        store.close()
    assert [a.version for a in history] == ["kuopio-2026.2", "kuopio-2026.1"]
    # On a server the login (put there by the server), on a SQLite file the OS account.
    server = make_url(database)
    who = server.username if server.get_backend_name() == "postgresql" else getpass.getuser()
    assert {a.activated_by for a in history} == {who}


def test_compare_by_hand_on_the_march_cases(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], database: str
) -> None:
    seed(database)
    candidate = write(tmp_path, KUOPIO)
    code, out, _ = consult(capsys, "rules", "compare", candidate, "--json")
    assert code == 0
    result = json.loads(out)
    zero = {"tym": 0, "bilateral": 0, "social_services": 0, "own_service": 0}
    assert result == {
        "candidate": "kuopio-2026.1",
        "cases": 6,
        "changed_primary": 1,
        "transitions": {
            "tym": {**zero, "tym": 2},
            "bilateral": {**zero, "tym": 1},  # T04: two challenges, three organisations
            "social_services": {**zero, "social_services": 1},
            "own_service": {**zero, "own_service": 2},
        },
        "team": {
            "decided": 2,
            "stored_agree": 1,
            "candidate_agree": 2,
            # stored: po = 1/2, pe = 1/2·1/2 → 1/3; candidate: po = 1, pe = 1/2 → 1
            "stored_kappa": pytest.approx(1 / 3),
            "candidate_kappa": pytest.approx(1.0),
            "candidate_confusion": {
                "tym": {**zero, "tym": 1},
                "bilateral": zero,
                "social_services": {**zero, "social_services": 1},
                "own_service": zero,
            },
        },
    }
    code, out, _ = consult(
        capsys, "rules", "compare", candidate, "--json", "--since", "2026-03-01", "--until", "2026-03-31"
    )
    assert json.loads(out)["cases"] == 5  # T07 is April in Finland
    code, out, _ = consult(capsys, "rules", "compare", candidate)
    assert code == 0 and "T04-AAA" in out and "kuopio-2026.1" in out
    code, _, err = consult(capsys, "rules", "compare", candidate, "--since", "31.3.2026x")
    assert code == 2 and "--since" in err


def test_suggest_warns_with_few_decided_cases_and_applies_nothing(
    capsys: pytest.CaptureFixture[str], database: str
) -> None:
    seed(database)
    code, out, _ = consult(capsys, "rules", "suggest")
    assert code == 0
    assert "⚠" in out and "30" in out
    code, out, _ = consult(capsys, "rules", "suggest", "--json")
    found = json.loads(out)
    assert found["too_few_decided"] is True and found["decided"] == 2
    assert 0 < len(found["candidates"]) <= 5
    store = Store.open(database)
    try:
        assert activations(store.engine) == []
    finally:
        store.close()


UNKNOWN_KEYS = [
    ('version = "x"\nextra = 1\n', "extra", ""),
    ('version = "x"\n[levels]\nchalenge = 3\n', "levels.chalenge", "levels"),
    ('version = "x"\n[acute]\ndomain = ["housing"]\n', "acute.domain", "acute"),
    ('version = "x"\n[needs]\nmoney = ["finances"]\n', "needs.money", "needs"),
    ('version = "x"\n[orgs]\nschool = { finances = 3 }\n', "orgs.school", "orgs"),
    ('version = "x"\n[thresholds]\nmin_asessed = 3\n', "thresholds.min_asessed", "thresholds"),
]
TOML_MISTAKES = [
    'version = "x"\n[thresholds\n',
    "version = \n",
    'version = "x"\nversion = "y"\n',
    'version = "x\n',
    'version = "x" y\n',
    'version "x"\n',
    'version = "x"\nlist = [1, 2\n',
    'version = "x"\nt = { a = 1\n',
    'version = "x"\nd = 2026-13-40\n',
    'version = "a\\q"\n',
    "= 3\n",
    "[[a]\n",
]
# tomllib's English, by the words that open its sentences: none may reach the user.
TOMLLIB_WORDS = (
    "Expected",
    "Invalid",
    "Cannot",
    "Unclosed",
    "Unterminated",
    "Illegal",
    "Found",
    "Duplicate",
    "Unescaped",
)


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_an_unknown_key_lists_the_keys_of_its_table_with_their_meaning(
    lang: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    database: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Issue 18, item 11: the convener learns from the message what each allowed key does."""
    from consult.i18n import catalog
    from consult.scoring.rules_file import SECTION_KEYS, TOP_KEYS

    monkeypatch.setenv("CONSULT_LANG", lang)
    words = catalog(lang)
    for text, key, table in UNKNOWN_KEYS:
        code, _, err = consult(capsys, "rules", "check", write(tmp_path, text))
        assert code == 2 and err.count("\n") == 1 and key in err
        where = table or "file"
        for allowed in SECTION_KEYS[table] if table else TOP_KEYS:
            meaning = words[f"rules.key.{where}.{allowed}"]
            assert f"{allowed} ({meaning})" in err, (lang, key, err)


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_a_toml_mistake_says_where_and_what_in_the_users_language(
    lang: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    database: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Issue 18, item 9: line and column, and a phrase of the user's language, never tomllib's
    sentence."""
    import re

    from consult.i18n import catalog

    monkeypatch.setenv("CONSULT_LANG", lang)
    problems = {v for k, v in catalog(lang).items() if k.startswith("rules.toml.")}
    for text in TOML_MISTAKES:
        code, _, err = consult(capsys, "rules", "check", write(tmp_path, text))
        assert code == 2 and err.count("\n") == 1, err
        assert not any(word in err for word in TOMLLIB_WORDS), (text, err)
        assert (
            re.search(r"\b\d+\b.*\b\d+\b", err) or "lopustaan" in err or "slutet" in err or "its end" in err
        )
        said = [p for p in problems if err.rstrip().endswith(p)]
        assert said and said != [catalog(lang)["rules.toml.other"]], (text, err)
