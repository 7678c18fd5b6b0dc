"""`consult services`: the catalogue in force (the starter until another is activated), shown
filtered as product.md says, a file checked key by key, an activation kept as history so an
older version's ids stay readable; on SQLite and PostgreSQL."""

from __future__ import annotations

import getpass
import json
import re
from pathlib import Path

import pytest

from consult.catalogue.file import starter_text
from consult.cli import main
from consult.core.model import CaseServices, Context, TriedService
from consult.store import Store
from consult.store.services import catalogue_activations

SMALL = """version = "test-2027.1"

[[services]]
id = "uusi-palvelu"
name = { fi = "Uusi palvelu" }
organisation = "third_sector"
areas = ["kuopio"]
domains = ["relations"]
status = "active"
checked_on = 2027-01-15
contact = { role = { fi = "Ohjaaja" }, channel = "https://www.example.fi/palvelu" }

[[services]]
id = "suljettu"
name = { fi = "Suljettu palvelu", en = "A closed service" }
organisation = "social"
areas = ["all"]
domains = ["housing", "relations"]
status = "temporarily_closed"
checked_on = 2027-01-15
"""


@pytest.fixture
def database(database_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("CONSULT_DATABASE_URL", database_url)
    monkeypatch.setenv("CONSULT_LANG", "en")
    return database_url


def consult(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def write(tmp_path: Path, text: str, name: str = "catalogue.toml") -> str:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return str(path)


def shown(capsys: pytest.CaptureFixture[str], *args: str) -> dict:
    code, out, err = consult(capsys, "services", "show", "--json", *args)
    assert code == 0, err
    return json.loads(out)


def test_without_a_database_the_starter_is_in_force(capsys, monkeypatch) -> None:
    monkeypatch.setenv("CONSULT_LANG", "en")
    everything = shown(capsys)
    assert everything["version"] == "pshva-2026.1"
    first = everything["services"][0]
    assert list(first)[:7] == ["id", "name", "organisation", "areas", "domains", "status", "checked_on"]
    assert first["id"] == "kela-ammatillinen-kuntoutus" and first["checked_on"] == "2026-12-04"
    assert first["contact"] == {"role": first["contact"]["role"], "channel": "kela.fi"}
    code, out, _ = consult(capsys, "services", "show", "--format", "toml")
    assert code == 0 and out == starter_text()


def test_show_filters_by_area_and_domain_in_file_order(database, capsys) -> None:
    everything = shown(capsys)["services"]
    health_in_yla_savo = shown(capsys, "--area", "yla-savo", "--domain", "health")["services"]
    expected = [
        s["id"]
        for s in everything
        if ("yla-savo" in s["areas"] or "all" in s["areas"]) and "health" in s["domains"]
    ]
    assert [s["id"] for s in health_in_yla_savo] == expected and expected
    other = shown(capsys, "--area", "other")["services"]
    assert other and all(s["areas"] == ["all"] for s in other)
    code, out, _err = consult(capsys, "services", "show")
    assert code == 0 and "Service catalogue in force: pshva-2026.1" in out and "starter catalogue" in out


@pytest.mark.parametrize(
    ("args", "words"),
    [(("--area", "iisalmi"), 'unknown area "iisalmi"'), (("--domain", "money"), 'unknown domain "money"')],
)
def test_an_unknown_area_or_domain_is_one_line(database, capsys, args, words) -> None:
    code, out, err = consult(capsys, "services", "show", *args)
    assert code == 2 and out == "" and words in err and err.count("\n") == 1


def test_check_reads_a_file_without_activating_it(database, capsys, tmp_path) -> None:
    code, out, _err = consult(capsys, "services", "check", write(tmp_path, SMALL))
    assert code == 0 and "test-2027.1 is valid (2 services; not activated)" in out
    assert shown(capsys)["version"] == "pshva-2026.1"


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (('domains = ["relations"]', 'domains = ["relationships"]'), 'uusi-palvelu: domains: unknown domain "relationships"'),
        (('status = "active"', 'status = "active"\nphone = "x"'), "uusi-palvelu: phone: unknown key"),
        (('channel = "https://www.example.fi/palvelu"', 'channel = "017 123 4567"'), "uusi-palvelu: contact.channel: contains an identifier (phone number)"),
    ],
)  # fmt: skip
def test_a_bad_file_is_refused_in_one_line_naming_the_file_service_and_key(
    database, capsys, tmp_path, change, words
) -> None:
    path = write(tmp_path, SMALL.replace(*change))
    for action in ("check", "activate"):
        code, out, err = consult(capsys, "services", action, path)
        assert code == 2 and out == "" and err == f"consult: {path}: {words}" + err.split(words, 1)[1]
        assert err.count("\n") == 1 and "4567" not in err
    assert shown(capsys)["version"] == "pshva-2026.1"


def test_activate_puts_a_catalogue_in_force_and_older_ids_stay_readable(database, capsys, tmp_path) -> None:
    store = Store.open(database)
    draft = store.create_draft(Context(area="kuopio"))
    store.set_case_services(
        draft.id, CaseServices(tried=(TriedService(service="kela-teak", result="interrupted"),))
    )
    store.close()

    code, out, err = consult(capsys, "services", "activate", write(tmp_path, SMALL))
    assert code == 0, err
    assert "Service catalogue test-2027.1 is now in force" in out
    assert [s["id"] for s in shown(capsys)["services"]] == ["uusi-palvelu"]
    assert [s["id"] for s in shown(capsys, "--all")["services"]] == ["uusi-palvelu", "suljettu"]
    assert shown(capsys, "--area", "yla-savo")["services"] == []
    code, out, _ = consult(capsys, "services", "show")
    assert "Activated" in out and "temporarily closed" not in out
    code, out, _ = consult(capsys, "services", "show", "--format", "toml")
    assert out == SMALL

    store = Store.open(database)
    try:
        assert store.catalogue_in_force().version == "test-2027.1"
        known = store.known_catalogues()
        assert set(known) == {"pshva-2026.1", "test-2027.1"}
        # The starter's id a case named before stays readable, and may still be recorded.
        assert known["pshva-2026.1"].get("kela-teak") is not None
        assert store.get_case(draft.id).services.tried[0].service == "kela-teak"  # type: ignore[union-attr]
        store.set_case_services(
            draft.id, CaseServices(tried=(TriedService(service="uusi-palvelu", result="helped"),))
        )
        history = catalogue_activations(store.engine)
        assert [a.version for a in history] == ["test-2027.1"]
        if not database.startswith("postgresql"):
            assert history[0].activated_by == getpass.getuser()
    finally:
        store.close()


def test_a_version_names_one_file_and_the_same_file_may_go_back_in_force(database, capsys, tmp_path) -> None:
    first = write(tmp_path, SMALL)
    assert consult(capsys, "services", "activate", first)[0] == 0
    changed = write(tmp_path, SMALL.replace('fi = "Ohjaaja"', 'fi = "Palveluohjaaja"'), "changed.toml")
    code, _out, err = consult(capsys, "services", "activate", changed)
    assert code == 2 and "version: " in err and "already names a different service catalogue" in err
    starter = write(tmp_path, starter_text(), "starter.toml")
    assert consult(capsys, "services", "activate", starter)[0] == 0
    assert shown(capsys)["version"] == "pshva-2026.1"
    assert consult(capsys, "services", "activate", first)[0] == 0
    assert shown(capsys)["version"] == "test-2027.1"


def test_a_warning_needs_confirming_before_activation(database, capsys, tmp_path) -> None:
    path = write(tmp_path, SMALL.replace('fi = "Ohjaaja"', 'fi = "Ohjaaja Matti Virtanen"'))
    code, out, err = consult(capsys, "services", "check", path)
    assert "is valid" in out
    assert code == 0 and "uusi-palvelu: contact.role.fi: may hold personal data (possible name)" in err
    assert "Virtanen" not in err
    code, _out, err = consult(capsys, "services", "activate", path)
    assert code == 2 and "1 privacy warning (above)" in err and shown(capsys)["version"] == "pshva-2026.1"
    assert consult(capsys, "services", "activate", "--confirm", path)[0] == 0
    assert shown(capsys)["version"] == "test-2027.1"


def test_an_activation_is_in_the_audit(database, capsys, tmp_path) -> None:
    assert consult(capsys, "services", "activate", write(tmp_path, SMALL))[0] == 0
    _code, out, _ = consult(capsys, "audit", "--json")
    entries = [e for e in json.loads(out) if e["what"] == "catalogue.activated"]
    assert [e["detail"] for e in entries] == ["test-2027.1"] and entries[0]["who"]


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_show_check_and_refusals_speak_the_language(lang, tmp_path, monkeypatch, capsys) -> None:
    from tests.screens.test_languages import leaks

    monkeypatch.setenv("CONSULT_LANG", lang)
    bad = write(tmp_path, SMALL.replace('status = "active"', 'status = "open"', 1), "bad.toml")
    said = []
    for argv in (
        ["services", "show", "--area", "kuopio"],
        ["services", "check", write(tmp_path, SMALL)],
        ["services", "check", bad],
        ["services", "show", "--domain", "money"],
    ):
        main(argv)
        captured = capsys.readouterr()
        said.append(captured.out + captured.err)
    # Codes are the file's and the bundle's in every language: a service's id, a key, a value
    # quoted from the file, each allowed code before its meaning in brackets.
    codes = re.compile(r'^[a-z0-9-]+: |[a-z0-9_-]+ \(|"[^"]*"|(?<=: )[a-z_.]+: ', re.MULTILINE)
    shown = codes.sub(" ", "\n".join(said))
    assert leaks(shown, lang) == [], shown
