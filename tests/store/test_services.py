"""A case's tried and missing services on SQLite and PostgreSQL: stored and read back as given
(drafts and saved cases, every read that returns a case), texts through the guard naming the
field, ids known to a catalogue activated here, a saved case's change kept in its history and
audit, and bundles of version 3 carrying them unchanged from SQLite to PostgreSQL."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from consult.catalogue.file import starter_text
from consult.core.model import CaseServices, Context, MissingService, TriedService
from consult.exchange.bundle import Bundle, BundleError, export_json, import_bundle, import_file, parse
from consult.i18n import Translator
from consult.privacy.guard import IdentifierRefused
from consult.store import Store
from consult.store.purge import purge
from consult.store.services import UnknownService
from tests.store.fixtures import march_cases

T = Translator("en")
SERVICES = CaseServices(
    tried=(
        TriedService(service="kuntouttava-tyotoiminta", result="interrupted"),
        TriedService(text="Kaupungin työpaja", result="did_not_help"),
    ),
    missing=(
        MissingService(text="päihdekuntoutus Ylä-Savossa", domain="health", reason="not_in_area"),
        MissingService(service="kela-teak", domain="employment", reason="waiting_doctor"),
    ),
)


@pytest.fixture
def store(database_url: str):
    opened = Store.open(database_url)
    yield opened
    opened.close()


def saved(store: Store) -> str:
    import_bundle(store.engine, Bundle(format="consult-cases", version=1, cases=march_cases()))
    return march_cases()[0].id


def test_a_drafts_services_are_kept_read_back_and_go_with_the_draft(store: Store) -> None:
    draft = store.create_draft(Context(area="yla-savo"))
    assert draft.services == CaseServices() and not draft.services
    back = store.set_case_services(draft.id, SERVICES)
    assert back.services == SERVICES
    assert store.get_case(draft.id).services == SERVICES  # type: ignore[union-attr]
    assert store.latest_draft().case.services == SERVICES  # type: ignore[union-attr]
    assert [d.case.services for d in store.list_drafts()] == [SERVICES]
    # The walk's own saving leaves the services as they are.
    store.update_draft(draft.id, step=3, notes={"general": "Sovittu tapaaminen."})
    assert store.get_case(draft.id).services == SERVICES  # type: ignore[union-attr]
    assert store.case_edits(draft.id) == []  # a draft's changes are its walk's, not history
    assert store.discard_draft(draft.id)
    assert store.get_case(draft.id) is None


def test_a_saved_cases_services_change_like_a_note_with_history(store: Store) -> None:
    case_id = saved(store)
    assert store.get_case(case_id).services == CaseServices()  # type: ignore[union-attr]
    store.set_case_services(case_id, SERVICES)
    fewer = CaseServices(missing=SERVICES.missing[:1])
    after = store.set_case_services(case_id, fewer)
    assert after.services == fewer and after.recommendation is not None
    assert store.set_case_services(case_id, fewer).services == fewer  # the same again: no edit
    edits = store.case_edits(case_id)
    assert [e.field for e in edits] == ["services", "services"]
    assert json.loads(edits[1].old_value or "")["tried"][0]["service"] == "kuntouttava-tyotoiminta"
    assert json.loads(edits[1].new_value or "")["missing"][0]["text"] == "päihdekuntoutus Ylä-Savossa"
    audit = [e for e in store.audit() if e.case_id == case_id and e.what == "case.edited"]
    assert [e.detail for e in audit] == ["services", "services"] and all(e.who for e in audit)
    # The team's decision, an outcome, a note edit: each read carries the services.
    note = store.edit_note(case_id, "general", "Uusi muistiinpano.")
    assert note.services == fewer


@pytest.mark.parametrize(
    ("services", "field"),
    [
        (
            CaseServices(tried=(TriedService(text="Soitettu 040 123 4567", result="helped"),)),
            "services.tried[0].text",
        ),
        (
            CaseServices(
                missing=(
                    MissingService(service="kela-teak", domain="health", reason="other"),
                    MissingService(text="hetu 131052-308T", domain="health", reason="other"),
                )
            ),
            "services.missing[1].text",
        ),
    ],
)
def test_an_identifier_in_a_typed_service_is_refused_naming_the_field(
    store: Store, services: CaseServices, field: str
) -> None:
    case_id = saved(store)
    with pytest.raises(IdentifierRefused) as refused:
        store.set_case_services(case_id, services)
    assert str(refused.value).startswith(field) and "4567" not in str(refused.value)
    assert store.get_case(case_id).services == CaseServices()  # type: ignore[union-attr]


def test_an_unknown_id_is_refused_naming_the_field(store: Store) -> None:
    case_id = saved(store)
    services = CaseServices(
        tried=(TriedService(service="kela-teak", result="helped"),) * 2
        + (TriedService(service="ei-ole", result="helped"),)
    )
    with pytest.raises(UnknownService) as unknown:
        store.set_case_services(case_id, services)
    assert unknown.value.field == "services.tried[2].service"


def test_a_service_is_named_by_an_id_or_words() -> None:
    with pytest.raises(ValidationError):
        TriedService(result="helped")  # type: ignore[call-arg]
    with pytest.raises(ValidationError):
        MissingService(text="  ", domain="health", reason="other")
    with pytest.raises(ValidationError):
        MissingService(service="Kela TEAK", domain="health", reason="other")


def test_purge_takes_a_cases_services_with_it(store: Store) -> None:
    case_id = saved(store)
    store.set_case_services(case_id, SERVICES)
    purge(store.engine, draft_days=1, retention_days=1)
    assert store.get_case(case_id) is None


# --- bundles of version 3 ------------------------------------------------------------------


def _exported(store: Store) -> str:
    out = io.StringIO()
    export_json(store.engine, out)
    return out.getvalue()


@pytest.mark.postgres
def test_a_bundle_carries_services_from_sqlite_to_postgresql_unchanged(
    tmp_path: Path, postgres_url: str
) -> None:
    local = Store.open(f"sqlite:///{tmp_path / 'local.db'}")
    case_id = saved(local)
    local.set_case_services(case_id, SERVICES)
    draft = local.create_draft(Context(area="kuopio"))
    local.set_case_services(draft.id, CaseServices(missing=SERVICES.missing[1:]))
    first = _exported(local)
    local.close()
    bundle = json.loads(first)
    assert bundle["version"] == 3
    by_id = {c["id"]: c for c in bundle["cases"]}
    assert by_id[case_id]["services"] == {
        "tried": [
            {"service": "kuntouttava-tyotoiminta", "text": None, "result": "interrupted"},
            {"service": None, "text": "Kaupungin työpaja", "result": "did_not_help"},
        ],
        "missing": [
            {
                "service": None,
                "text": "päihdekuntoutus Ylä-Savossa",
                "domain": "health",
                "reason": "not_in_area",
            },
            {"service": "kela-teak", "text": None, "domain": "employment", "reason": "waiting_doctor"},
        ],
    }
    assert by_id[march_cases()[1].id]["services"] == {"tried": [], "missing": []}

    server = Store.open(postgres_url)
    try:
        assert import_file(server.engine, io.BytesIO(first.encode()), T) == (len(bundle["cases"]), 0)
        assert server.get_case(case_id).services == SERVICES  # type: ignore[union-attr]
        assert json.loads(_exported(server)) == bundle
        assert import_file(server.engine, io.BytesIO(first.encode()), T) == (0, len(bundle["cases"]))
    finally:
        server.close()


def _bundle_with(services: dict) -> str:
    case = json.loads(march_cases()[0].model_dump_json())
    case["route"] = "to_team"
    case["services"] = services
    return json.dumps({"format": "consult-cases", "version": 3, "cases": [case]})


def test_a_bundle_naming_a_service_no_catalogue_here_has_is_refused_and_changes_nothing(store: Store) -> None:
    text = _bundle_with(
        {"tried": [], "missing": [{"service": "ei-ole", "text": None, "domain": "health", "reason": "other"}]}
    )
    with pytest.raises(BundleError) as error:
        import_file(store.engine, io.BytesIO(text.encode()), T)
    assert str(error.value) == (
        "cases[0] (T01-AAA): services.missing[0].service: "
        "not a service id of any service catalogue activated on this database"
    )
    assert store.count_cases() == 0


def test_a_bundle_may_name_an_id_of_an_older_catalogue(store: Store) -> None:
    store.activate_catalogue(
        starter_text()
        .replace('version = "pshva-2026.1"', 'version = "pshva-2027.1"')
        .replace('id = "kela-teak"', 'id = "kela-teak-2027"')
    )
    assert store.catalogue_in_force().get("kela-teak") is None
    text = _bundle_with(
        {"tried": [{"service": "kela-teak", "text": None, "result": "helped"}], "missing": []}
    )
    assert import_file(store.engine, io.BytesIO(text.encode()), T) == (1, 0)


@pytest.mark.parametrize(
    ("services", "words"),
    [
        ({"tried": [{"service": None, "text": "soita 040 123 4567", "result": "helped"}], "missing": []}, "services.tried[0].text: phone number"),
        ({"tried": [{"service": None, "text": None, "result": "helped"}], "missing": []}, "services.tried[0]: a service is named by a catalogue id"),
        ({"tried": [], "missing": [{"service": "kela-teak", "text": None, "domain": "money", "reason": "other"}]}, "services.missing[0].domain: "),
        ({"tried": [{"service": "kela-teak", "text": None, "result": "fine"}], "missing": []}, "services.tried[0].result: "),
    ],
)  # fmt: skip
def test_a_bad_service_in_a_bundle_is_one_line_naming_the_case_and_field(
    store: Store, services: dict, words: str
) -> None:
    with pytest.raises(BundleError) as error:
        import_file(store.engine, io.BytesIO(_bundle_with(services).encode()), T)
    line = str(error.value)
    assert "\n" not in line and line.startswith("cases[0]") and words.split(": ")[0] in line, line
    if "phone" in words:
        assert "phone number" in line and "4567" not in line
    if "named by" in words:
        assert words.split(": ", 1)[1] in line
    assert store.count_cases() == 0


def test_older_bundles_still_import_without_services(store: Store) -> None:
    for version in (1, 2):
        cases = [json.loads(c.model_dump_json(exclude={"services"})) for c in march_cases()]
        if version == 2:
            for case in cases:
                case["route"] = {"awaiting_team": "to_team", "referred_directly": "direct"}.get(
                    case["status"], "to_team" if case["status"] == "team_decided" else None
                )
        text = json.dumps({"format": "consult-cases", "version": version, "cases": cases})
        parsed = parse(text, T)
        assert all(c.services == CaseServices() for c in parsed.cases)
    import_bundle(store.engine, parsed)
    assert store.get_case(march_cases()[0].id).services == CaseServices()  # type: ignore[union-attr]


@pytest.mark.parametrize("header_first", [True, False])
@pytest.mark.parametrize("version", [1, 2])
def test_an_older_bundle_with_services_is_refused(version: int, header_first: bool) -> None:
    case = json.loads(march_cases()[0].model_dump_json())
    case["route"] = "to_team" if version == 2 else None
    case["services"] = {"tried": [{"service": "kela-teak", "text": None, "result": "helped"}], "missing": []}
    header = f'"format": "consult-cases", "version": {version}'
    cases = f'"cases": [{json.dumps(case)}]'
    text = "{" + (f"{header}, {cases}" if header_first else f"{cases}, {header}") + "}"
    with pytest.raises(BundleError) as error:
        parse(text, T)
    assert str(error.value) == (
        "cases[0]: services: services travel in version 3 of the bundle (this file has an older version)"
    )
