"""A service catalogue file is read key by key: the starter parses cleanly, every problem is one
line naming the service and the key, an identifier anywhere is refused and a person's name is
warned about, never echoed."""

from __future__ import annotations

import re
import tomllib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consult.catalogue.file import CatalogueError, parse_catalogue, starter_catalogue, starter_text
from consult.catalogue.model import ORGANISATIONS, SERVICE_AREAS, SERVICE_STATUSES
from consult.core.instrument import DOMAIN_KEYS
from consult.i18n import Translator

T = Translator("en")
ONE = """version = "test-1"

[[services]]
id = "kela-teak"
name = { fi = "Työllistymistä edistävä ammatillinen kuntoutus", sv = "Yrkesinriktad rehabilitering", en = "Vocational rehabilitation" }
organisation = "kela"
areas = ["all"]
domains = ["employment", "health"]
status = "active"
checked_on = 2026-11-01
for_whom = { fi = "Pitkään työttömänä olleelle." }
how_to_reach = { fi = "Hakemus Kelaan." }
contact = { role = { fi = "Kelan työkykyneuvoja" }, channel = "kela.fi" }
national_id = "0b0c7d3e-2f1a-4c5b-9d8e-7f6a5b4c3d2e"
"""


def refusal(text: str, lang: str = "en") -> str:
    with pytest.raises(CatalogueError) as error:
        parse_catalogue(text, Translator(lang))
    line = str(error.value)
    assert "\n" not in line and line.strip() == line
    return line


def test_the_starter_parses_without_a_warning_and_names_each_organisation() -> None:
    catalogue, warnings = parse_catalogue(starter_text(), T)
    assert warnings == []
    assert catalogue.version == "pshva-2026.1"
    assert catalogue is not starter_catalogue()  # parsed again, yet the same
    assert catalogue.services == starter_catalogue().services
    assert {s.organisation for s in catalogue.services} == set(ORGANISATIONS)
    # Every organisation of the consultation model has a consultation point in every area.
    for org in ("employment", "social", "health", "kela"):
        for area in ("yla-savo", "keski-savo", "kuopio"):
            assert any(
                s.consultation and s.organisation == org and s.serves(area) for s in catalogue.services
            )
    for service in catalogue.services:
        assert service.contact_role.get("fi") and service.channel  # a role and a public channel
        assert set(service.name) == {"fi", "sv", "en"}


def test_the_starter_says_it_is_for_the_region_to_check() -> None:
    head = starter_text().split("version =")[0]
    assert "ALOITUSVERSIO" in head and "FOR THE REGION TO CHECK" in head


def test_a_service_reads_as_written() -> None:
    catalogue, warnings = parse_catalogue(ONE, T)
    assert warnings == []
    (service,) = catalogue.services
    assert service.id == "kela-teak" and service.organisation == "kela"
    assert service.areas == ("all",) and service.domains == ("employment", "health")
    assert service.name_in("sv") == "Yrkesinriktad rehabilitering"
    assert service.role_in("en") == "Kelan työkykyneuvoja"  # English falls back to Finnish
    assert service.channel == "kela.fi" and service.consultation is False
    assert catalogue.get("kela-teak") is service and catalogue.get("nothing") is None
    assert service.serves("yla-savo") and service.serves(None)


def _with(old: str, new: str) -> str:
    assert old in ONE
    return ONE.replace(old, new, 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (_with("status", "colour = 1\nstatus"), r"^kela-teak: colour: unknown key; allowed here: id, name"),
        (_with('organisation = "kela"', 'organisation = "kelaa"'), r'^kela-teak: organisation: unknown organisation "kelaa"; allowed: employment \('),
        (_with('areas = ["all"]', 'areas = ["iisalmi"]'), r'^kela-teak: areas: unknown area "iisalmi"; allowed: all \('),
        (_with('areas = ["all"]', 'areas = ["all", "kuopio"]'), r'^kela-teak: areas: "all" covers every area'),
        (_with('domains = ["employment", "health"]', 'domains = ["work"]'), r'^kela-teak: domains: unknown domain "work"; allowed: affairs \('),
        (_with('domains = ["employment", "health"]', "domains = []"), r"^kela-teak: domains: must be a non-empty list"),
        (_with('domains = ["employment", "health"]', 'domains = ["health", "health"]'), r"^kela-teak: domains: a name appears twice"),
        (_with('status = "active"', 'status = "open"'), r'^kela-teak: status: unknown status "open"; allowed: active \('),
        (_with('id = "kela-teak"', 'id = "Kela TEAK"'), r"^#1: id: id: lower-case letters, digits and dashes"),
        (ONE + ONE.split("\n", 1)[1], r"^kela-teak: id: another service already has this id$"),
        (_with('status = "active"\n', ""), r"^kela-teak: status: a required field is missing$"),
        (_with("name = {", "title = {"), r"^kela-teak: title: unknown key"),
        (_with("checked_on = 2026-11-01", 'checked_on = "1.11.2026"'), r"^kela-teak: checked_on: must be a date"),
        (_with("checked_on = 2026-11-01", "checked_on = 2026-11-01T10:00:00"), r"^kela-teak: checked_on: must be a date"),
        (_with("checked_on = 2026-11-01", "checked_on = 2026-02-30"), r"^toml: not a valid TOML file at line 10, column \d+: the date is not valid"),
        (_with('for_whom = { fi = "Pitkään työttömänä olleelle." }', 'for_whom = { sv = "För långtidsarbetslösa." }'), r"^kela-teak: for_whom.fi: a required field is missing$"),
        (_with('for_whom = { fi = "', 'for_whom = { de = "'), r"^kela-teak: for_whom.de: unknown language; allowed: fi, sv, en$"),
        (_with('channel = "kela.fi"', 'channel = "Kelan toimisto"'), r"^kela-teak: contact.channel: must be a public web address"),
        (_with('contact = { role', 'contact = { person = "x", role'), r"^kela-teak: contact.person: unknown key; allowed here: role, channel$"),
        (_with('version = "test-1"', 'version = "a b"'), r"^version: required: 1–20 characters"),
        (_with('version = "test-1"', 'version = "test-1"\nregion = "x"'), r"^region: unknown key; allowed here: version, services$"),
        ('version = "x"\n', r"^services: the catalogue needs at least one \[\[services\]\] table$"),
        (_with("national_id", "consultation = 1\nnational_id"), r"^kela-teak: consultation: must be true or false$"),
        (_with('national_id = "0b0c', 'national_id = "0b 0c'), r"^kela-teak: national_id: the national service catalogue's id"),
        ("[[services]\n", r"^toml: not a valid TOML file at line 1, column \d+: \] is missing from the table's heading$"),
    ],
)  # fmt: skip
def test_each_problem_is_one_line_naming_the_service_and_the_key(text: str, expected: str) -> None:
    assert re.search(expected, refusal(text)), refusal(text)


@pytest.mark.parametrize(
    ("where", "identifier", "kind"),
    [
        ('channel = "kela.fi"', 'channel = "040 123 4567"', "phone number"),
        ('channel = "kela.fi"', 'channel = "+358 40 123 4567"', "phone number"),
        ('channel = "kela.fi"', 'channel = "liisa.virtanen@kela.fi"', "e-mail address"),
        ('{ fi = "Hakemus Kelaan." }', '{ fi = "Soita neuvojalle 044 765 4321." }', "phone number"),
        (
            '{ fi = "Kelan työkykyneuvoja" }',
            '{ fi = "Kelan työkykyneuvoja, p. 050 987 6543" }',
            "phone number",
        ),
        (
            '{ fi = "Pitkään työttömänä olleelle." }',
            '{ fi = "Esimerkiksi 131052-308T." }',
            "personal identity code",
        ),
        ('en = "Vocational rehabilitation"', 'en = "Write to neuvoja at kela dot fi"', "e-mail address"),
    ],
)
def test_an_identifier_anywhere_is_refused_and_never_echoed(where: str, identifier: str, kind: str) -> None:
    line = refusal(_with(where, identifier))
    assert kind in line and "contains an identifier" in line
    for digits in re.findall(r"\d{3,}", identifier):
        assert digits not in line
    assert "virtanen" not in line.lower()


def test_a_persons_name_is_a_warning_that_names_the_key_never_the_name() -> None:
    catalogue, warnings = parse_catalogue(
        _with('{ fi = "Kelan työkykyneuvoja" }', '{ fi = "Kelan työkykyneuvoja Matti Virtanen" }'), T
    )
    assert len(catalogue.services) == 1
    assert warnings == [
        "kela-teak: contact.role.fi: may hold personal data (possible name); a catalogue names roles, never persons"
    ]


def test_a_capital_at_a_sentences_start_is_not_taken_for_a_name() -> None:
    text = _with('{ fi = "Hakemus Kelaan." }', '{ fi = "Hakemus Kelaan.", en = "For anyone. Apply online." }')
    assert parse_catalogue(text, T)[1] == []
    # ... but a listed name is a name wherever it stands.
    named = _with('{ fi = "Hakemus Kelaan." }', '{ fi = "Hakemus Kelaan.", en = "Matti helps." }')
    assert parse_catalogue(named, T)[1] == [
        "kela-teak: how_to_reach.en: may hold personal data (possible name); a catalogue names roles, never persons"
    ]


def test_a_number_split_across_two_texts_is_still_refused() -> None:
    text = _with(
        'how_to_reach = { fi = "Hakemus Kelaan." }',
        'how_to_reach = { fi = "Soitto numeroon 040 123", sv = "45 67 och ansökan." }',
    )
    assert "phone number" in refusal(text)


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_refusals_speak_the_readers_language(lang: str) -> None:
    line = refusal(_with('organisation = "kela"', 'organisation = "kelaa"'), lang)
    words = {"fi": "tuntematon organisaatio", "sv": "okänd organisation", "en": "unknown organisation"}
    assert line.startswith("kela-teak: organisation: ") and words[lang] in line


# --- mutations of the starter ---------------------------------------------------------------

_STARTER = tomllib.loads(starter_text())
_KEYS = ("organisation", "areas", "domains", "status", "checked_on", "id", "name")


def _toml(data: dict) -> str:
    """The catalogue written back as TOML (inline tables, one service a table)."""

    def value(v: object) -> str:
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, str):
            return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
        if isinstance(v, list):
            return "[" + ", ".join(value(x) for x in v) + "]"
        if isinstance(v, dict):
            return "{ " + ", ".join(f'"{k}" = {value(x)}' for k, x in v.items()) + " }"
        return str(v)  # int, date

    lines = [f"version = {value(data['version'])}"]
    for service in data["services"]:
        lines.append("[[services]]")
        lines += [f'"{k}" = {value(v)}' for k, v in service.items()]
    return "\n".join(lines) + "\n"


_GOOD = {
    "organisation": st.sampled_from(ORGANISATIONS),
    "areas": st.sampled_from([["all"], ["kuopio"], ["yla-savo", "other"]]),
    "domains": st.lists(st.sampled_from(DOMAIN_KEYS), min_size=1, max_size=3, unique=True),
    "status": st.sampled_from(SERVICE_STATUSES),
}
_BAD = {
    "organisation": st.text(min_size=1, max_size=12).filter(lambda v: v not in ORGANISATIONS),
    "areas": st.lists(st.text(max_size=10), max_size=2).filter(lambda v: not v or not set(v) <= set(SERVICE_AREAS) or len(set(v)) < len(v) or ("all" in v and len(v) > 1)),
    "domains": st.lists(st.text(max_size=10), max_size=2).filter(lambda v: not v or not set(v) <= set(DOMAIN_KEYS) or len(set(v)) < len(v)),
    "status": st.text(max_size=12).filter(lambda v: v not in SERVICE_STATUSES),
    "checked_on": st.one_of(st.text(max_size=10), st.integers()),
    "id": st.text(max_size=45).filter(lambda v: not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", v) or len(v) > 40),
    "name": st.one_of(st.just({}), st.just({"sv": "x"}), st.text(max_size=5)),
}  # fmt: skip


@settings(max_examples=60)
@given(
    index=st.integers(0, len(_STARTER["services"]) - 1),
    key=st.sampled_from(_KEYS),
    good=st.booleans(),
    data=st.data(),
)
def test_a_mutated_starter_is_read_or_refused_in_one_line_naming_the_service_and_key(
    index: int, key: str, good: bool, data: st.DataObject
) -> None:
    services = [dict(s) for s in _STARTER["services"]]
    service = services[index]
    strategies = _GOOD if good and key in _GOOD else _BAD
    value = data.draw(strategies.get(key, _BAD[key]))
    service[key] = value
    text = _toml({"version": _STARTER["version"], "services": services})
    try:
        catalogue, _ = parse_catalogue(text, T)
    except CatalogueError as error:
        line = str(error)
        assert "\n" not in line
        where = service["id"] if key != "id" else f"#{index + 1}"
        # Named by its id (or its place, when the id is the problem) and the key; a clash of
        # ids names the later service.
        assert (
            line.startswith((f"{where}: {key}", "toml:")) or "another service already has this id" in line
        ), line
        if isinstance(value, str) and len(value) > 3 and not re.fullmatch(r"[a-z_][a-z0-9_\-]{0,39}", value):
            assert value not in line  # the file's own words are repeated only when plainly a name
    else:
        assert strategies is _GOOD or key == "checked_on"
        assert catalogue.services[index].__getattribute__(key) in (
            value,
            tuple(value) if isinstance(value, list) else value,
        )
