"""A service catalogue as a TOML file (``product.md``, "Services"): read and checked key by key.

The first problem is raised as a :class:`CatalogueError` whose message is one line naming the
service (its id, or its place in the file when the id itself is the problem) and the key, in
the reader's language. What the file wrote is repeated only when it is plainly a name (an
unknown organisation, a misspelt area); a text may hold anything.

Contacts are roles and public channels, never persons. Every text passes the privacy gate: an
identifier anywhere (an identity code, an e-mail address, a phone number) refuses the file; a
likely person's name or a street address is a warning the file's author reads. A phone number
is refused even where it is an office's switchboard: a number does not say whether it rings at
a desk or a switchboard (a government office's direct lines and its switchboard share one
prefix), so a catalogue's channel is a public web address, where the service keeps its own
numbers up to date. An e-mail address is refused the same way.

The shipped starter catalogue is a file of the same format beside this module, read by the
same parser.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from datetime import date, datetime
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Any

from consult.catalogue.model import (
    ALL_AREAS,
    ORGANISATIONS,
    SERVICE_AREAS,
    SERVICE_STATUSES,
    Catalogue,
    Service,
)
from consult.core.instrument import DEFAULT_LANGUAGE, DOMAIN_KEYS, LANGUAGES
from consult.i18n import Translator
from consult.privacy.gate import TextRefused, form, problem_words
from consult.privacy.guard import (
    check,
    identity_codes_in_identifier,
    phones_in_identifier,
    split_identifiers,
)
from consult.privacy.names import is_name
from consult.scoring.rules_file import SYNTAX_PROBLEMS

STARTER_FILE = "pohjois-savo-2026.1.toml"

VERSION_PATTERN = re.compile(r"^[A-Za-z0-9._-]{1,20}$")
# Lower-case letters, digits and single dashes: a key a caseworker can type, that travels in a
# bundle and names the service in every catalogue version after this one.
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ID_LENGTH = 40
# A public web address: a host name with a top-level domain, optionally https:// and a path.
CHANNEL_PATTERN = re.compile(
    r"^(?:https?://)?(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}(?:/[A-Za-z0-9._~%/?#=&+-]*)?$"
)
CHANNEL_LENGTH = 200
# The national service catalogue's (Suomi.fi) ids are UUIDs; letters, digits and dashes.
NATIONAL_ID_PATTERN = re.compile(r"^[A-Za-z0-9-]{1,64}$")
TEXT_LIMIT = 500

TOP_KEYS = ("version", "services")
REQUIRED = ("id", "name", "organisation", "areas", "domains", "status", "checked_on")
SERVICE_KEYS = (*REQUIRED, "for_whom", "how_to_reach", "contact", "national_id", "consultation")
CONTACT_KEYS = ("role", "channel")
LOCALISED = ("name", "for_whom", "how_to_reach")


class CatalogueError(ValueError):
    """One problem in a catalogue file. ``str()`` is the line to show: where (the service and
    the key) and what is wrong, in the reader's language."""

    def __init__(self, line: str, where: str, key: str, code: str) -> None:
        super().__init__(line)
        self.where, self.key, self.code = where, key, code


class _Problem(Exception):
    """A problem found, not yet worded: the service, the key, a catalog code and its values."""

    def __init__(self, where: str, key: str, code: str, **params: object) -> None:
        super().__init__(where, key, code)
        self.where, self.key, self.code, self.params = where, key, code, params


# What a message may repeat of the file: a lower-case name, few digits, short. Every key and
# every name a catalogue may hold is one; an identity code, a phone number, an e-mail address,
# a capitalised name or a control character is not.
_PLAIN_NAME = re.compile(r"[a-z_][a-z0-9_\-]{0,39}")
_MANY_DIGITS = re.compile(r"(?:\D*\d){5}")


def _named(value: object) -> str:
    if isinstance(value, str) and _PLAIN_NAME.fullmatch(value) and not _MANY_DIGITS.match(value):
        return value
    return "…"


def _words(problem: _Problem, t: Translator) -> str:
    params = dict(problem.params)
    if "problem" in params:  # a TOML syntax problem, phrased as the rules file's are
        params["problem"] = t(f"rules.toml.{params['problem']}")
    if problem.code == "unknown_domain":
        from consult.core.instrument import load_instrument, localized

        instrument = load_instrument()
        params["allowed"] = "; ".join(
            f"{k} ({localized(instrument.domain(k).title, t.lang)})" for k in DOMAIN_KEYS
        )
    elif problem.code == "unknown_organisation":
        params["allowed"] = "; ".join(f"{k} ({t(f'catalogue.organisation.{k}')})" for k in ORGANISATIONS)
    elif problem.code == "unknown_area":
        params["allowed"] = "; ".join(f"{k} ({t(f'catalogue.area.{k}')})" for k in SERVICE_AREAS)
    elif problem.code == "unknown_status":
        params["allowed"] = "; ".join(f"{k} ({t(f'catalogue.status.{k}')})" for k in SERVICE_STATUSES)
    text = params.pop("text", None) or t(f"catalogue.error.{problem.code}", **params)
    place = ": ".join(part for part in (problem.where, problem.key) if part)
    return f"{place}: {text}" if place else str(text)


_WHERE = re.compile(r"\(at (?:line (\d+), column (\d+)|end of document)\)$")


def _syntax(message: str) -> _Problem:
    """Where tomllib stopped and what kind of problem it met: never its English sentence, nor
    what the file holds there."""
    problem = next((code for start, code in SYNTAX_PROBLEMS if message.startswith(start)), "other")
    where = _WHERE.search(message)
    if where is None or where[1] is None:
        return _Problem("", "toml", "syntax_end", problem=problem)
    return _Problem("", "toml", "syntax", line=int(where[1]), column=int(where[2]), problem=problem)


class _Reader:
    """Reads one service's table, naming it in every problem."""

    def __init__(self, where: str, t: Translator) -> None:
        self.where, self.t = where, t
        self.texts: dict[str, str] = {}  # key → text, for the privacy gate
        self.warnings: list[tuple[str, str]] = []  # (key, kind) the guard warns about

    def problem(self, key: str, code: str, **params: object) -> _Problem:
        return _Problem(self.where, key, code, **params)

    def unknown(self, table: Mapping[str, object], allowed: tuple[str, ...], prefix: str = "") -> None:
        for name in table:
            if name not in allowed:
                raise self.problem(f"{prefix}{_named(name)}", "unknown_key", allowed=", ".join(allowed))

    def names(
        self, table: Mapping[str, Any], key: str, allowed: tuple[str, ...], what: str
    ) -> tuple[str, ...]:
        value = table[key]
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            raise self.problem(key, "not_list", allowed=", ".join(allowed))
        for item in value:
            if item not in allowed:
                raise self.problem(key, f"unknown_{what}", value=_named(item), allowed=", ".join(allowed))
        if len(set(value)) != len(value):
            raise self.problem(key, "repeated")
        return tuple(value)

    def one_of(self, table: Mapping[str, Any], key: str, allowed: tuple[str, ...], what: str) -> str:
        value = table[key]
        if not isinstance(value, str) or value not in allowed:
            raise self.problem(key, f"unknown_{what}", value=_named(value), allowed=", ".join(allowed))
        return value

    def localised(self, value: object, key: str) -> Mapping[str, str]:
        """``{ fi = "…", sv = "…", en = "…" }``: Finnish required, the others fall back to it."""
        if not isinstance(value, dict):
            raise self.problem(key, "not_localised")
        for lang, text in value.items():
            if lang not in LANGUAGES:
                raise self.problem(f"{key}.{_named(lang)}", "unknown_language", allowed=", ".join(LANGUAGES))
            if not isinstance(text, str) or not text.strip():
                raise self.problem(f"{key}.{lang}", "not_text")
            self.texts[f"{key}.{lang}"] = text
        if DEFAULT_LANGUAGE not in value:
            raise self.problem(f"{key}.{DEFAULT_LANGUAGE}", "missing")
        return MappingProxyType({lang: value[lang] for lang in LANGUAGES if lang in value})


def _service(raw: object, position: int, seen: set[str], t: Translator) -> tuple[Service, list[str]]:
    reader = _Reader(f"#{position}", t)
    if not isinstance(raw, dict):
        raise reader.problem("", "not_service")
    service_id = raw.get("id")
    if isinstance(service_id, str) and ID_PATTERN.match(service_id) and len(service_id) <= ID_LENGTH:
        reader.where = service_id  # from here on the service is named by its id
    reader.unknown(raw, SERVICE_KEYS)
    for key in REQUIRED:
        if key not in raw:
            raise reader.problem(key, "missing")
    if reader.where != service_id:
        raise reader.problem("id", "bad_id", length=ID_LENGTH)
    if service_id in seen:
        raise reader.problem("id", "duplicate_id")
    seen.add(service_id)
    name = reader.localised(raw["name"], "name")
    organisation = reader.one_of(raw, "organisation", ORGANISATIONS, "organisation")
    areas = reader.names(raw, "areas", SERVICE_AREAS, "area")
    if ALL_AREAS in areas and len(areas) > 1:
        raise reader.problem("areas", "all_alone")
    domains = reader.names(raw, "domains", DOMAIN_KEYS, "domain")
    status = reader.one_of(raw, "status", SERVICE_STATUSES, "status")
    checked_on = raw["checked_on"]
    # A TOML date reads as a date; a date with a time as a datetime, which is also a date.
    if not isinstance(checked_on, date) or isinstance(checked_on, datetime):
        raise reader.problem("checked_on", "bad_date")
    for_whom = reader.localised(raw["for_whom"], "for_whom") if "for_whom" in raw else MappingProxyType({})
    how = (
        reader.localised(raw["how_to_reach"], "how_to_reach")
        if "how_to_reach" in raw
        else MappingProxyType({})
    )
    role: Mapping[str, str] = MappingProxyType({})
    channel: str | None = None
    if "contact" in raw:
        contact = raw["contact"]
        if not isinstance(contact, dict):
            raise reader.problem("contact", "not_table", allowed=", ".join(CONTACT_KEYS))
        reader.unknown(contact, CONTACT_KEYS, "contact.")
        if "role" in contact:
            role = reader.localised(contact["role"], "contact.role")
        if "channel" in contact:
            channel = _channel(reader, contact["channel"])
    national_id = _national_id(reader, raw["national_id"]) if "national_id" in raw else None
    consultation = raw.get("consultation", False)
    if not isinstance(consultation, bool):
        raise reader.problem("consultation", "not_boolean")
    _guard(reader)
    service = Service(
        id=service_id,
        name=name,
        organisation=organisation,  # type: ignore[arg-type]  # checked against ORGANISATIONS
        areas=areas,
        domains=domains,
        status=status,  # type: ignore[arg-type]  # checked against SERVICE_STATUSES
        checked_on=checked_on,
        for_whom=for_whom,
        how_to_reach=how,
        contact_role=role,
        channel=channel,
        national_id=national_id,
        consultation=consultation,
    )
    return service, _warning_lines(reader)


def _channel(reader: _Reader, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise reader.problem("contact.channel", "not_text")
    # The gate first: a phone number or an e-mail address is said to be one, not just "not a
    # web address", so the author knows why it cannot be kept.
    reader.texts["contact.channel"] = value
    _gate(reader, "contact.channel", value)
    if len(value) > CHANNEL_LENGTH or not CHANNEL_PATTERN.match(value):
        raise reader.problem("contact.channel", "bad_channel")
    return value


def _national_id(reader: _Reader, value: object) -> str:
    if not isinstance(value, str) or not NATIONAL_ID_PATTERN.match(value):
        raise reader.problem("national_id", "bad_national_id")
    # An id's shape is fixed: read as the store reads a case's id, for a code or a number
    # written into it, not as a sentence (a random UUID holds phone-like digits by chance).
    found = identity_codes_in_identifier(value) + phones_in_identifier(value)
    if found:
        kinds = tuple(dict.fromkeys(f.kind for f in found))
        raise reader.problem(
            "national_id", "text", text=problem_words(TextRefused("", "identifier", kinds=kinds), reader.t)
        )
    return value


def _gate(reader: _Reader, key: str, text: str) -> None:
    """The gate every stored text passes (no control character, the field's limit, no
    identifier); what the guard only warns about is kept for the author to read."""
    try:
        form(key, text, TEXT_LIMIT)
    except TextRefused as too_long_or_controls:
        raise reader.problem(key, "text", text=problem_words(too_long_or_controls, reader.t)) from None
    findings = check(text)
    refused_kinds = tuple(dict.fromkeys(f.kind for f in findings if f.refused))
    if refused_kinds:
        identifier = TextRefused(key, "identifier", kinds=refused_kinds)
        raise reader.problem(key, "text", text=problem_words(identifier, reader.t))
    kinds = (f.kind for f in findings if not (f.kind == "name" and _capitalised_by_sentence(text, f.text)))
    for kind in dict.fromkeys(kinds):
        reader.warnings.append((key, kind))


# Where a sentence starts: the text's start, or after a full stop, a colon, a semicolon or an
# opening bracket and a space.
_SENTENCE_START = re.compile(r"(?:^|[.!?:;(]\s+)\W*$")


def _capitalised_by_sentence(text: str, word: str) -> bool:
    """A word the guard took for a name only because it is capitalised, and it is capitalised
    because it starts a sentence: the guard reads Finnish, and the catalogue's Swedish and
    English sentences start with words its lexicon does not know ("For", "Ansökan"). A listed
    name is a name wherever it stands."""
    places = [m.start() for m in re.finditer(re.escape(word), text)]
    return (
        bool(places) and all(_SENTENCE_START.search(text[:place]) for place in places) and not is_name(word)
    )


def _guard(reader: _Reader) -> None:
    """Every text of the service through the gate, then any two read together (a number split
    across two texts is still a number)."""
    for key, text in reader.texts.items():
        if key != "contact.channel":  # gated as it was read
            _gate(reader, key, text)
    for split in split_identifiers(reader.texts):
        if split.refused:
            refused = TextRefused("", "identifier", kinds=(split.kind,))
            raise reader.problem(" + ".join(split.fields), "text", text=problem_words(refused, reader.t))


def _warning_lines(reader: _Reader) -> list[str]:
    """A likely person's name, a street address or a birth date in a text: said, never quoted."""
    t = reader.t
    return [
        f"{reader.where}: {key}: {t('catalogue.warning', found=t(f'privacy.kind.{kind}'))}"
        for key, kind in reader.warnings
    ]


def parse_catalogue(text: str, translator: Translator | None = None) -> tuple[Catalogue, list[str]]:
    """The catalogue a TOML file describes and the warnings about it (one line each), or
    :class:`CatalogueError` at the first problem, worded in ``translator``'s language."""
    t = translator or Translator()
    try:
        return _parse(text, t)
    except _Problem as problem:
        raise CatalogueError(_words(problem, t), problem.where, problem.key, problem.code) from None


def _parse(text: str, t: Translator) -> tuple[Catalogue, list[str]]:
    if "\x00" in text:
        raise _Problem("", "toml", "nul")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise _syntax(str(error)) from None
    top = _Reader("", t)
    top.unknown(data, TOP_KEYS)
    version = data.get("version")
    if not isinstance(version, str) or not VERSION_PATTERN.match(version):
        raise top.problem("version", "bad_version")
    _gate(top, "version", version)
    raw = data.get("services")
    if not isinstance(raw, list) or not raw:
        raise top.problem("services", "no_services")
    seen: set[str] = set()
    services = []
    warnings = _warning_lines(top)
    for position, entry in enumerate(raw, start=1):
        service, said = _service(entry, position, seen, t)
        services.append(service)
        warnings += said
    return Catalogue(version=version, services=tuple(services), text=text), warnings


@cache
def starter_catalogue() -> Catalogue:
    """The catalogue shipped with consult, in force until a region activates its own."""
    text = resources.files("consult.catalogue").joinpath(STARTER_FILE).read_text("utf-8")
    catalogue, _ = parse_catalogue(text)
    return catalogue


def starter_text() -> str:
    return starter_catalogue().text
