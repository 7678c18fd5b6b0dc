"""Moving cases between databases: the versioned JSON bundle, and CSV for a spreadsheet.

Import is all or nothing and idempotent by case id; it keeps each case's stored
recommendation and rules version as they are, never re-scoring silently. A bundle is read and
validated case by case as ``consult.store.bulk`` writes it, a chunk at a time inside one
transaction, so memory stays flat. This module knows the format; the tables are the store's.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, BinaryIO, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import Engine

from consult.core.dates import team_day
from consult.core.model import Case, Recommendation, route_for_status
from consult.exchange import jsonstream, meeting_bundle
from consult.exchange.export import CSV_COLUMNS as CSV_COLUMNS  # found here before they moved
from consult.exchange.export import FORMAT, VERSION
from consult.exchange.export import csv_rows as csv_rows
from consult.exchange.export import export_csv as export_csv
from consult.exchange.export import export_json as export_json
from consult.exchange.validation import describe, json_problem, one_line
from consult.i18n import Translator
from consult.privacy import gate
from consult.privacy.guard import (
    Finding,
    check,
    identity_codes_in_identifier,
    phones_in_identifier,
    split_identifiers,
)
from consult.store import bulk
from consult.store import meetings as meeting_store

BundleVersion = Literal[1, 2, 3]
# Version 1 has no route and no outcome (the route is inferred); version 3 adds meetings.
READABLE_VERSIONS = (1, 2, 3)
HEADER_KEYS = ("format", "version")


class Bundle(BaseModel):
    model_config = ConfigDict(extra="forbid")

    format: Literal["consult-cases"]
    version: BundleVersion
    cases: list[Case]
    # ImportedMeeting, validated (version 3); written by export_json, never by a dump.
    meetings: list[Any] = Field(default_factory=list, exclude=True)


@dataclass(frozen=True, slots=True)
class PrivacyWarning:
    """A case whose texts the guard warns about: its name in messages, and for each field
    the kinds found (never the text itself)."""

    case: str
    fields: dict[str, list[str]]


@dataclass
class PrivacyWarnings:
    """The import's warnings: the first few cases named, the rest counted, so memory stays flat
    however many notes mention a name."""

    shown: list[PrivacyWarning] = field(default_factory=list)
    count: int = 0
    kinds: dict[str, None] = field(default_factory=dict)  # in the order found

    SHOWN = 5

    def add(self, warning: PrivacyWarning) -> None:
        self.count += 1
        if len(self.shown) < self.SHOWN:
            self.shown.append(warning)
        for found in warning.fields.values():
            self.kinds.update(dict.fromkeys(found))

    def __bool__(self) -> bool:
        return self.count > 0


class BundleError(ValueError):
    """A bundle that cannot be imported; ``str()`` is one line naming the case and field."""


# --- Reading a bundle -------------------------------------------------------------------------
# One case is validated at a time (check_case) as the file is read (read_cases): the rules for a
# bundle live here and only here, whether it comes from a file, stdin or a test's string.

# Years a case's dates may have. Earlier or later is a typing error (0026, 20260), and a year
# near 9999 cannot even be shown in Finnish time.
YEARS = (2000, 2099)


@dataclass
class _Seen:
    """What the bundle held so far: the texts already checked, the warnings, its version."""

    checked: dict[str, list[Finding]] = field(default_factory=dict)
    warnings: PrivacyWarnings = field(default_factory=PrivacyWarnings)
    strict: bool = False
    version: BundleVersion | None = None  # known once the header has been read
    # When the header comes after the cases: the first case that needed version 1's reading
    # (no route) and the first that only version 2 allows (a route or an outcome).
    inferred: int | None = None
    versioned: int | None = None
    # The first case with services, which only version 3 carries.
    serviced: int | None = None
    # The rules give the same recommendation to many cases: each distinct one (as written in
    # the file) is validated once. A third of an import's time went to validating them again.
    recommendations: dict[str, Recommendation] = field(default_factory=dict)
    # Version 3: the bundle's meetings once read (None: the bundle has no "meetings"), and the
    # first case whose decision names a meeting (only version 3 allows either).
    meetings: list[meeting_store.ImportedMeeting] | None = None
    meetings_seen: meeting_bundle.MeetingsSeen = field(default_factory=meeting_bundle.MeetingsSeen)
    in_meeting: int | None = None
    # And their texts (rules version, reasons) pass the gate and the guard once: by the
    # recommendation's identity, the instance kept beside it, with the warnings they gave.
    passed: dict[int, tuple[Recommendation, dict[str, list[str]]]] = field(default_factory=dict)


_CACHED = 4096  # distinct texts or recommendations remembered: memory stays flat


def _reuse_recommendation(raw: object, seen: _Seen) -> object:
    """``raw`` with its recommendation replaced by the same one validated before, if any."""
    if not isinstance(raw, dict) or not isinstance(given := raw.get("recommendation"), dict):
        return raw
    # repr tells 1 from true from "1" and 1.0, as validation must; JSON text would not.
    key = repr(given)
    known = seen.recommendations.get(key)
    if known is not None:
        return {**raw, "recommendation": known}
    try:
        known = Recommendation.model_validate(given)
    except ValidationError:
        return raw  # named with its case and field by the case's own validation
    if len(seen.recommendations) < _CACHED:
        seen.recommendations[key] = known
    return {**raw, "recommendation": known}


def case_texts(case: Case) -> list[tuple[str, str]]:
    """Every free text of a case that reaches storage, with the field that names it."""
    texts = _own_texts(case)
    if case.recommendation is not None:
        texts += _recommendation_texts(case.recommendation)
    return texts


def _own_texts(case: Case) -> list[tuple[str, str]]:
    """The texts of the case itself: first in ``case_texts``, before its recommendation's."""
    # The code is text too (the id is a UUID by shape); first, so no message repeats it.
    texts = [("code", case.code)]
    texts += [(f"notes.{key}", value) for key, value in case.notes.items()]
    if case.team_decision is not None:
        texts.append(("team_decision.note", case.team_decision.note))
    if case.outcome is not None and case.outcome.note:
        texts.append(("outcome.note", case.outcome.note))
    texts += list(case.services.texts().items())
    return texts


_OF_RECOMMENDATION = "recommendation."


def _recommendation_texts(r: Recommendation) -> list[tuple[str, str]]:
    texts = [("recommendation.rules_version", r.rules_version)]
    for number, reason in enumerate(r.reasons):
        texts.append((f"recommendation.reasons[{number}].rule", reason["rule"]))
        texts.append((f"recommendation.reasons[{number}].text", reason["text"]))
    return texts


def check_case(raw: object, index: int, t: Translator, seen: _Seen | None = None) -> Case:
    """One case of a bundle, validated; BundleError naming the case and field otherwise."""
    if seen is None:
        seen = _Seen()
    try:
        case = Case.model_validate(_reuse_recommendation(raw, seen))
    except ValidationError as error:
        described = describe(error, t)
        raise BundleError(
            t(
                "bundle.case_problem",
                case=_case_name(index, raw),
                field=described.field,
                message=described.message,
            )
        ) from None

    def problem(field_name: str, message: str) -> BundleError:
        name = _case_name(index, {"code": case.code})  # only when needed: it runs the guard
        return BundleError(t("bundle.case_problem", case=name, field=field_name, message=message))

    if case.created_at.tzinfo is None:  # taken as UTC it could be hours off: ask for the offset
        raise problem("created_at", t("bundle.naive_time"))
    low, high = YEARS
    dates = [("created_at", case.created_at.year), ("created_at", _utc_year(case.created_at))]
    if case.team_decision is not None:
        dates.append(("team_decision.decided_at", case.team_decision.decided_at.year))
    for field_name, year in dates:
        if not low <= year <= high:
            raise problem(field_name, t("bundle.date_range", low=low, high=high))
    if case.team_decision is not None and case.status != "team_decided":
        # The store keeps a decision only with this status, and export would drop it.
        raise problem("team_decision", t("bundle.decision_unexpected"))
    if case.status == "team_decided" and case.team_decision is None:
        raise problem("team_decision", t("bundle.decision_missing"))
    if case.status != "draft" and case.recommendation is None:
        raise problem("recommendation", t("input.missing"))
    case = _with_route(index, case, t, seen)
    r = case.recommendation
    passed = seen.passed.get(id(r)) if r is not None else None
    if passed is not None and passed[0] is r:
        # Its recommendation's texts passed with an earlier case: the same instance, the
        # same texts. They come after the case's own, so every refusal is still the first.
        texts, shared = _own_texts(case), passed[1]
    else:
        texts, shared = case_texts(case), None
    for field_name, value in texts:
        if "\x00" in value:  # PostgreSQL's text columns cannot hold it: refused on every database
            raise problem(field_name, t("bundle.nul"))
        if not value.isascii():
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:  # a lone surrogate ("\ud800"): no database stores it
                raise problem(field_name, t("bundle.not_text")) from None
        # The gate every text passes, less the guard (run below, the case's texts together):
        # an escape sequence or a text over its field's limit is refused, not cleaned, so the
        # import stores what the file holds or nothing.
        try:
            gate.form(field_name, value)
        except gate.TextRefused as refused:
            raise problem(field_name, gate.problem_words(refused, t)) from None
    warning = _check_privacy(index, case, texts, t, seen, shared)
    if r is not None and shared is None and len(seen.passed) < _CACHED:
        fields = warning.fields.items() if warning is not None else ()
        seen.passed[id(r)] = (r, {f: kinds for f, kinds in fields if f.startswith(_OF_RECOMMENDATION)})
    # Two cases with one id or one code are found by the store as it writes them (memory
    # stays flat however long the bundle): see import_cases.
    return case


def _utc_year(moment: datetime) -> int:
    try:
        return moment.astimezone(UTC).year
    except OverflowError:  # 0001-01-01T00:00+05:00 is before year 1 in UTC
        return 0


def _check_privacy(
    index: int,
    case: Case,
    texts: list[tuple[str, str]],
    t: Translator,
    seen: _Seen,
    shared: dict[str, list[str]] | None = None,
) -> PrivacyWarning | None:
    """Refuses an identifier in any text of the case (its id too); a likely name, street
    address or birth date is collected as a warning, or refuses the bundle when strict.
    ``shared``: the warnings of texts checked with an earlier case, after these."""
    found = case_privacy(index, case, t, seen.checked, texts, shared)
    if found is not None:
        if seen.strict:
            raise BundleError(strict_refusal(found, t))
        seen.warnings.add(found)
    return found


def strict_refusal(warning: PrivacyWarning, t: Translator) -> str:
    """``consult import --strict``'s one line for the first case with a warning."""
    kinds = ", ".join(t(f"privacy.kind.{k}") for f in warning.fields.values() for k in f)
    return t("privacy.import_strict", where=f"{warning.case}: {', '.join(warning.fields)}", kinds=kinds)


def case_privacy(
    index: int,
    case: Case,
    t: Translator,
    checked: dict[str, list[Finding]] | None = None,
    texts: list[tuple[str, str]] | None = None,
    shared: dict[str, list[str]] | None = None,
) -> PrivacyWarning | None:
    """Raises BundleError for an identifier in any text of the case (its id too); returns the
    fields with a likely name, street address or birth date, for the import to report.
    ``shared``: the warnings of the case's texts checked already (with an earlier case), which
    come after ``texts``."""
    if identity_codes_in_identifier(case.id):  # a UUID's A–F are century signs
        raise BundleError(
            t("privacy.bundle", case=f"cases[{index}]", field="id", found=t("privacy.kind.identity_code"))
        )
    checked = {} if checked is None else checked

    def findings(value: str) -> list[Finding]:
        # The rules write the same reason texts again and again: each distinct text is checked
        # once, up to a bound that keeps memory flat however many distinct notes there are.
        found = checked.get(value)
        if found is None:
            found = check(value)
            if len(checked) < _CACHED:
                checked[value] = found
        return found

    texts = case_texts(case) if texts is None else texts
    # Every case has a code of its own: checked once, and never remembered (the texts
    # remembered are the ones that come again).
    code_found = check(case.code)

    def name() -> str:
        # A code the guard finds anything in (a name too) is not repeated in any message.
        quoted = not code_found and gate.shown(case.code, checked=True) is not None
        return f"cases[{index}] ({case.code})" if quoted else f"cases[{index}]"

    warned: dict[str, list[str]] = {}
    for field_name, value in texts:
        found = code_found if field_name == "code" else findings(value)
        refused = [f.kind for f in found if f.refused]
        if refused:
            kinds = ", ".join(t(f"privacy.kind.{kind}") for kind in dict.fromkeys(refused))
            raise BundleError(t("privacy.bundle", case=name(), field=field_name, found=kinds))
        if found:
            warned[field_name] = list(dict.fromkeys(f.kind for f in found))
    _refuse_across_fields(name, case, texts, t)
    if shared:
        warned.update(shared)
    return PrivacyWarning(name(), warned) if warned else None


# The case code is the app's own (three letters, three characters): only what people wrote is joined.
_WRITTEN = ("team_decision.note", "outcome.note")


def _refuse_across_fields(
    name: Callable[[], str], case: Case, texts: list[tuple[str, str]], t: Translator
) -> None:
    """An identifier split across two texts a person wrote ("syntymäaika 131052" in one note,
    "-308T" in another), or a phone number in the case id, refuses the bundle like one written
    whole. Only cases with digits in two such texts are read again: most have none."""
    if phones_in_identifier(case.id):
        raise BundleError(t("privacy.bundle", case=name(), field="id", found=t("privacy.kind.phone")))
    written = {
        field: value
        for field, value in texts
        if (field in _WRITTEN or field.startswith(("notes.", "services.")))
        and any(c.isdigit() for c in value)
    }
    if len(written) < 2:
        return
    for finding in split_identifiers(written):
        if finding.refused:
            found = t(f"privacy.kind.{finding.kind}")
            raise BundleError(t("privacy.bundle", case=name(), field=" + ".join(finding.fields), found=found))


# What each status allows as the route it was saved by (product.md, version 2).
_ROUTES_OF_STATUS = {
    "draft": (None,),
    "awaiting_team": ("to_team",),
    "referred_directly": ("direct",),
    "team_decided": ("to_team", "direct"),
}


def _route_problem(index: int, case: Case, t: Translator, field_name: str, key: str) -> BundleError:
    return BundleError(
        t(
            "bundle.case_problem",
            case=_case_name(index, {"code": case.code}),
            field=field_name,
            message=t(f"outcome.bundle.{key}"),
        )
    )


def _with_route(index: int, case: Case, t: Translator, seen: _Seen) -> Case:
    """The case with its route: inferred for version 1, checked against the status for
    version 2, and its outcome checked. A header that comes after the cases is settled at the
    end (``_settle_version``)."""
    version = seen.version
    if case.team_decision is not None and case.team_decision.meeting_id is not None:
        if version is None:
            seen.in_meeting = index if seen.in_meeting is None else seen.in_meeting
        elif version < 3:
            raise BundleError(
                t(
                    "bundle.case_problem",
                    case=_case_name(index, {"code": case.code}),
                    field="team_decision.meeting_id",
                    message=t("meeting_bundle.not_in_version", version=version),
                )
            )
    if case.services:
        if version in (1, 2):
            raise BundleError(_services_too_new(f"cases[{index}]", t))
        seen.serviced = index if seen.serviced is None else seen.serviced
    if version is None:
        if case.route is not None or case.outcome is not None:
            seen.versioned = index if seen.versioned is None else seen.versioned
        elif case.status != "draft":
            seen.inferred = index if seen.inferred is None else seen.inferred
            case = case.model_copy(update={"route": route_for_status(case.status)})
    elif version == 1:
        for field_name in ("route", "outcome"):
            if getattr(case, field_name) is not None:  # null is what version 1 means anyway
                raise _route_problem(index, case, t, field_name, "not_in_version_1")
        case = case.model_copy(update={"route": route_for_status(case.status)})
    if case.route not in _ROUTES_OF_STATUS[case.status]:
        raise _route_problem(index, case, t, "route", f"route_{case.status}")
    if (outcome := case.outcome) is not None:
        if case.status == "draft":
            raise _route_problem(index, case, t, "outcome", "draft")
        if (problem := outcome.problem()) is not None:
            field_name, kind = problem
            raise _route_problem(index, case, t, f"outcome.{field_name}", kind)
        if outcome.on < team_day(case.created_at):
            raise _route_problem(index, case, t, "outcome.on", "before_created")
    return case


def with_route(index: int, case: Case, version: BundleVersion, t: Translator) -> Case:
    """One case of a bundle of ``version`` with its route, its route and outcome checked."""
    return _with_route(index, case, t, _Seen(version=version))


def _services_too_new(case: str, t: Translator) -> str:
    return t(
        "bundle.case_problem", case=case, field="services", message=t("catalogue.error.services_version")
    )


def _settle_version(seen: _Seen, t: Translator) -> None:
    """A header read after its cases: the cases must have been what its version allows."""
    if seen.version is not None and seen.version < 3:
        if seen.meetings is not None:
            raise BundleError(f"meetings: {t('meeting_bundle.not_in_version', version=seen.version)}")
        if seen.in_meeting is not None:
            raise BundleError(
                t(
                    "bundle.case_problem",
                    case=f"cases[{seen.in_meeting}]",
                    field="team_decision.meeting_id",
                    message=t("meeting_bundle.not_in_version", version=seen.version),
                )
            )
    if seen.version in (1, 2) and seen.serviced is not None:
        raise BundleError(_services_too_new(f"cases[{seen.serviced}]", t))
    if seen.version == 1 and seen.versioned is not None:
        raise BundleError(
            t(
                "bundle.case_problem",
                case=f"cases[{seen.versioned}]",
                field="route",
                message=t("outcome.bundle.not_in_version_1"),
            )
        )
    if seen.version is not None and seen.version >= 2 and seen.inferred is not None:
        raise BundleError(
            t(
                "bundle.case_problem",
                case=f"cases[{seen.inferred}]",
                field="route",
                message=t("input.missing"),
            )
        )


def read_cases(stream: BinaryIO, t: Translator, seen: _Seen | None = None) -> Iterator[Case]:
    """The bundle's cases one by one as the file is read, each validated. The format and
    version are checked when the whole file has been read (they may come after the cases):
    a consumer writing as it reads must roll back when this raises BundleError at the end."""
    header: dict[str, object] = {}
    seen = _Seen() if seen is None else seen
    try:
        for part in jsonstream.read_object(stream, "cases"):
            if isinstance(part, jsonstream.Item):
                yield check_case(part.value, part.index, t, seen)
            elif isinstance(part, jsonstream.NotAnArray):
                raise BundleError(f"cases: {t('bundle.cases_list')}")
            elif part.key in HEADER_KEYS:
                header[part.key] = part.value
                if part.key == "version" and _readable_version(part.value):
                    seen.version = part.value
            elif part.key == "meetings":
                seen.meetings = _read_meetings(part.value, t, seen)
            else:
                raise BundleError(f"{_key_name(part.key, t)}: {t('bundle.unknown_key')}")
    except jsonstream.JSONError as error:
        message = json_problem(error.msg, t)
        if error.limits and message == t("input.json_problem.other"):  # too long a number, too deep
            raise BundleError(t("input.json_limits_at", line=error.line, column=error.column)) from None
        raise BundleError(t("input.json", line=error.line, column=error.column, msg=message)) from None
    except jsonstream.DuplicateKey as error:
        raise BundleError(t("bundle.duplicate_key", key=_key_name(error.key, t))) from None
    except jsonstream.NotAnObject:
        raise BundleError(t("bundle.not_object")) from None
    except UnicodeDecodeError:
        raise BundleError(t("bundle.not_utf8")) from None
    if header.get("format") != FORMAT or not _readable_version(header.get("version")):
        raise BundleError(t("bundle.format", format=FORMAT, version=VERSION))
    _settle_version(seen, t)


def _read_meetings(raw: object, t: Translator, seen: _Seen) -> list[meeting_store.ImportedMeeting]:
    """The bundle's meetings, each validated (version 3); read whole: meetings are few."""
    if not isinstance(raw, list):
        raise BundleError(f"meetings: {t('meeting_bundle.list')}")
    found = [
        meeting_bundle.check_meeting(value, index, t, seen.meetings_seen, BundleError)
        for index, value in enumerate(raw)
    ]
    for name, fields in seen.meetings_seen.warned:
        warning = PrivacyWarning(name, fields)
        if seen.strict:
            raise BundleError(strict_refusal(warning, t))
        seen.warnings.add(warning)
    seen.meetings_seen.warned.clear()
    return found


def _key_name(key: str, t: Translator) -> str:
    """A key of the file in a message: as written when short and clean, else only how long it
    is (a key may hold anything, an identity code or 200 MB)."""
    shown = gate.shown(key)
    return f'"{shown}"' if shown is not None else t("bundle.key_hidden", length=len(key))


def _readable_version(value: object) -> bool:
    # Compared by type too: "version": true is not the number 1, whatever Python says.
    return type(value) is int and value in READABLE_VERSIONS


def parse(text: str, t: Translator, warnings: list[PrivacyWarning] | None = None) -> Bundle:
    """A validated bundle from a string (tests, small bundles), by the same rules as a file.
    The cases whose texts hold a likely name, address or birth date are added to ``warnings``."""
    stream = io.BytesIO(text.encode("utf-8", "surrogatepass"))
    seen = _Seen()
    cases = list(read_cases(stream, t, seen))
    if warnings is not None:
        warnings.extend(seen.warnings.shown)
    return Bundle.model_construct(
        format=FORMAT, version=seen.version or VERSION, cases=cases, meetings=seen.meetings or []
    )


def _case_name(index: int, raw: object) -> str:
    if isinstance(raw, dict):
        label = raw.get("code") or raw.get("id")
        # Never echo an identifier, a control character or a megabyte: short and clean, or not at all.
        if isinstance(label, str) and (shown := gate.shown(label)) is not None:
            return f"cases[{index}] ({shown})"
    return f"cases[{index}]"


def import_bundle(engine: Engine, bundle: Bundle, t: Translator | None = None) -> tuple[int, int]:
    """Adds a parsed bundle's cases and meetings not yet in the database (see ``import_cases``)."""
    return import_cases(engine, iter(bundle.cases), t, lambda: bundle.meetings)


def import_file(
    engine: Engine,
    stream: BinaryIO,
    t: Translator | None = None,
    *,
    strict: bool = False,
    warnings: PrivacyWarnings | None = None,
) -> tuple[int, int]:
    """Reads, validates and adds a bundle from a file as it goes (``import_cases``): memory
    stays flat however many cases it holds. Likely names, addresses and birth dates are
    collected in ``warnings``; ``strict`` refuses the bundle for the first of them instead."""
    t = t or Translator()
    seen = _Seen(strict=strict)
    if warnings is not None:
        seen.warnings = warnings
    return import_cases(engine, read_cases(stream, t, seen), t, lambda: seen.meetings or [])


def import_cases(
    engine: Engine,
    cases: Iterator[Case],
    t: Translator | None = None,
    meetings: Callable[[], list[meeting_store.ImportedMeeting]] | None = None,
) -> tuple[int, int]:
    """Adds the cases not yet in the database, then the meetings (``meetings()``, asked once
    every case is read), in one transaction (``consult.store.bulk``). Returns the cases
    (added, skipped). A bad case, a new case whose code another case in the database already
    has, or a meeting that refers to a case or meeting that is nowhere, raises BundleError and
    rolls everything back."""
    t = t or Translator()
    try:
        return bulk.add_cases(engine, cases, meetings)
    except meeting_store.MeetingRefersNowhere as nowhere:
        raise BundleError(
            t(
                f"meeting_bundle.nowhere_{nowhere.kind}",
                meeting=f"meetings[{nowhere.index}]"
                + (f" ({nowhere.meeting_id})" if nowhere.meeting_id else ""),
                id=one_line(nowhere.missing),
            )
        ) from None
    except meeting_store.DecisionMeetingMissing as missing:
        raise BundleError(
            t(
                "meeting_bundle.decision_nowhere",
                case=one_line(missing.case_id),
                id=one_line(missing.meeting_id),
            )
        ) from None
    except bulk.CodeTaken as taken:
        raise BundleError(
            t("bundle.code_taken", case=_case_name(taken.index, {"code": taken.code}))
        ) from None
    except bulk.UnknownService as unknown:
        raise BundleError(
            t(
                "bundle.case_problem",
                case=_case_name(unknown.index, {"code": unknown.code}),
                field=unknown.field,
                message=t("catalogue.error.unknown_service"),
            )
        ) from None
    except bulk.Duplicate as twice:
        if twice.kind == "id":
            raise BundleError(t("bundle.duplicate", id=one_line(twice.value))) from None
        # The database holds each code once: name it, not an SQL error.
        raise BundleError(t("bundle.duplicate_code", code=one_line(twice.value))) from None
