"""Moving cases between databases: the versioned JSON bundle, and CSV for a spreadsheet.

Import is all or nothing and idempotent by case id; it keeps each case's stored
recommendation and rules version as they are, never re-scoring silently.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal, TextIO

from pydantic import BaseModel, ConfigDict, ValidationError
from sqlalchemy import Column, Connection, Engine, insert, select

from consult.dates import team_day
from consult.i18n import Translator
from consult.instrument import DOMAIN_KEYS, QUESTION_KEYS
from consult.model import FLAGS, Case, route_for_status
from consult.privacy import Finding, check, identity_codes_in_identifier, refusals
from consult.store.cases import iter_case_dicts, recommendation_columns
from consult.store.review import CaseFilter
from consult.store.tables import CaseRow, OutcomeRow, TeamDecisionRow
from consult.validation import describe, one_line

FORMAT = "consult-cases"
VERSION = 2  # what export writes
READABLE_VERSIONS = (1, 2)  # version 1 has no route and no outcome: the route is inferred


class Bundle(BaseModel):
    model_config = ConfigDict(extra="forbid")

    format: Literal["consult-cases"]
    version: Literal[1, 2]
    cases: list[Case]


@dataclass(frozen=True, slots=True)
class PrivacyWarning:
    """A case whose texts the guard warns about: its name in messages, and for each field
    the kinds found (never the text itself)."""

    case: str
    fields: dict[str, list[str]]


class BundleError(ValueError):
    """A bundle that cannot be imported; ``str()`` is one line naming the case and field."""


def export_json(engine: Engine, out: TextIO, case_filter: CaseFilter | None = None) -> int:
    """Writes the bundle case by case, so memory stays flat however many cases there are."""
    out.write(f'{{"format": "{FORMAT}", "version": {VERSION}, "cases": [')
    count = 0
    for case in iter_case_dicts(engine, case_filter):
        out.write(",\n" if count else "\n")
        out.write(json.dumps(case, ensure_ascii=False))
        count += 1
    out.write("\n]}\n")
    return count


CSV_COLUMNS = (
    "id", "code", "created_at", "status", "area", "worker_org", "age_band", "jobseeker",
    *DOMAIN_KEYS,
    *QUESTION_KEYS,
    "primary", "needs", "orgs", "flags", "rules_version", "decision_path", "decision_note", "decided_at",
    "notes", "route", "outcome_started", "outcome_path", "outcome_on", "outcome_reason", "outcome_note",
)  # fmt: skip
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    # A cell that a spreadsheet would read as a formula is written as text.
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_rows(engine: Engine, case_filter: CaseFilter | None = None) -> Iterator[dict[str, object]]:
    """One dict a case, keyed by ``CSV_COLUMNS``, values as stored (codes, lists, the notes dict):
    ``export_csv`` writes them for scripts, ``consult.spreadsheet`` in the reader's words."""
    for case in iter_case_dicts(engine, case_filter):
        r, d, context = case["recommendation"], case["team_decision"], case["context"]
        o = case["outcome"]
        values = [
            case["id"],
            case["code"],
            case["created_at"],
            case["status"],
            context["area"],
            context["worker_org"],
            context["age_band"],
            context["jobseeker"],
            *(case["scores"][k] for k in DOMAIN_KEYS),
            *(case["answers"][k] for k in QUESTION_KEYS),
            r["primary"] if r else None,
            list(r["needs"]) if r else None,
            list(r["orgs"]) if r else None,
            [f for f in FLAGS if r and f in r["flags"]],
            r["rules_version"] if r else None,
            d["path"] if d else None,
            d["note"] if d else None,
            d["decided_at"] if d else None,
            case["notes"] or None,
            case["route"],
            *((o["started"], o["path"], o["on"], o["reason"], o["note"]) if o else (None,) * 5),
        ]
        yield dict(zip(CSV_COLUMNS, values, strict=True))


def export_csv(engine: Engine, out: TextIO, case_filter: CaseFilter | None = None) -> int:
    """One row a case, one column per domain and question; ``;`` and a BOM for Finnish Excel."""
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    count = 0
    for row in csv_rows(engine, case_filter):
        writer.writerow([_cell(_code(row[column])) for column in CSV_COLUMNS])
        count += 1
    return count


def _code(value: object) -> object:
    """A list or the notes as one machine-readable cell, as scripts have read them so far."""
    if isinstance(value, list):
        return ",".join(value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def parse(text: str, t: Translator, warnings: list[PrivacyWarning] | None = None) -> Bundle:
    """A validated bundle, or BundleError naming the first bad case and field. The cases
    whose texts hold a likely name, address or birth date are added to ``warnings``."""
    try:
        bundle = Bundle.model_validate_json(text)  # one pass in pydantic-core, 100,000 cases in seconds
    except ValidationError as error:
        raise _first_problem(text, t, error) from None
    bundle.cases = _with_routes(bundle, t)
    for index, case in enumerate(bundle.cases):
        name = _case_name(index, {"code": case.code})
        try:
            _utc(case.created_at)
        except OverflowError:
            raise BundleError(
                t("bundle.case_problem", case=name, field="created_at", message=t("bundle.time_range"))
            ) from None
        columns = {"id": case.id, "code": case.code}
        if case.team_decision is not None:
            columns["team_decision.note"] = case.team_decision.note
        if case.outcome is not None:
            columns["outcome.note"] = case.outcome.note
        if case.recommendation is not None:
            columns["recommendation.rules_version"] = case.recommendation.rules_version
        for field, value in columns.items():
            if "\x00" in value:  # PostgreSQL's text columns cannot hold it: refused on every database
                raise BundleError(t("bundle.case_problem", case=name, field=field, message=t("bundle.nul")))
        if case.team_decision is not None and case.status != "team_decided":
            # The store keeps a decision only with this status, and export would drop it.
            raise BundleError(
                t(
                    "bundle.case_problem",
                    case=name,
                    field="team_decision",
                    message=t("bundle.decision_unexpected"),
                )
            )
        if case.status == "team_decided" and case.team_decision is None:
            raise BundleError(
                t(
                    "bundle.case_problem",
                    case=name,
                    field="team_decision",
                    message=t("bundle.decision_missing"),
                )
            )
        if case.status != "draft" and case.recommendation is None:
            raise BundleError(
                t("bundle.case_problem", case=name, field="recommendation", message=t("input.missing"))
            )
    # The rules write the same reason texts again and again: each distinct text is checked once.
    checked: dict[str, list[Finding]] = {}
    for index, case in enumerate(bundle.cases):
        found = case_privacy(index, case, t, checked)
        if warnings is not None and found:
            warnings.append(found)
    seen: set[str] = set()
    codes: set[str] = set()
    for case in bundle.cases:
        if case.id in seen:
            raise BundleError(t("bundle.duplicate", id=one_line(case.id)))
        if case.code in codes:  # the database holds each code once: name it, not an SQL error
            raise BundleError(t("bundle.duplicate_code", code=one_line(case.code)))
        seen.add(case.id)
        codes.add(case.code)
    return bundle


# What each status allows as the route it was saved by (product.md, version 2).
_ROUTES_OF_STATUS = {
    "draft": (None,),
    "awaiting_team": ("to_team",),
    "referred_directly": ("direct",),
    "team_decided": ("to_team", "direct"),
}


def _with_routes(bundle: Bundle, t: Translator) -> list[Case]:
    """The cases with their route: inferred for version 1, checked against the status and the
    outcome for version 2. Raises BundleError naming the first case and field that do not fit."""
    return [with_route(index, case, bundle.version, t) for index, case in enumerate(bundle.cases)]


def with_route(index: int, case: Case, version: int, t: Translator) -> Case:
    """One case of a bundle of ``version`` with its route, its route and outcome checked
    (case by case, so a streaming import can call it as it reads)."""

    def refuse(field: str, key: str) -> BundleError:
        return BundleError(
            t(
                "bundle.case_problem",
                case=_case_name(index, {"code": case.code}),
                field=field,
                message=t(f"outcome.bundle.{key}"),
            )
        )

    if version == 1:
        for field in ("route", "outcome"):
            if getattr(case, field) is not None:  # null is what version 1 means anyway
                raise refuse(field, "not_in_version_1")
        case = case.model_copy(update={"route": route_for_status(case.status)})
    elif case.route not in _ROUTES_OF_STATUS[case.status]:
        raise refuse("route", f"route_{case.status}")
    if (outcome := case.outcome) is not None:
        if case.status == "draft":
            raise refuse("outcome", "draft")
        if (problem := outcome.problem()) is not None:
            field, kind = problem
            raise refuse(f"outcome.{field}", kind)
        try:
            created = team_day(case.created_at)
        except OverflowError:
            created = None  # named as created_at's problem by the caller
        if created is not None and outcome.on < created:
            raise refuse("outcome.on", "before_created")
    return case


def _case_texts(case: Case) -> list[tuple[str, str]]:
    """Every free text of a case that reaches storage, by the field a message names."""
    # The code first, so a message about a later field never repeats a code that is refused.
    texts = [("code", case.code)]
    texts += [(f"notes.{key}", value) for key, value in case.notes.items()]
    if case.team_decision is not None:
        texts.append(("team_decision.note", case.team_decision.note))
    if case.outcome is not None and case.outcome.note:
        texts.append(("outcome.note", case.outcome.note))
    if (r := case.recommendation) is not None:
        texts.append(("recommendation.rules_version", r.rules_version))
        for number, reason in enumerate(r.reasons):
            texts.append((f"recommendation.reasons[{number}].rule", reason["rule"]))
            texts.append((f"recommendation.reasons[{number}].text", reason["text"]))
    return texts


def case_privacy(
    index: int, case: Case, t: Translator, checked: dict[str, list[Finding]] | None = None
) -> PrivacyWarning | None:
    """Raises BundleError for an identifier in any text of the case (its id too); returns the
    fields with a likely name, street address or birth date, for the import to report."""
    if identity_codes_in_identifier(case.id):  # a UUID's A–F are century signs
        raise BundleError(
            t("privacy.bundle", case=f"cases[{index}]", field="id", found=t("privacy.kind.identity_code"))
        )
    checked = {} if checked is None else checked
    if case.code not in checked:
        checked[case.code] = check(case.code)
    # A code the guard finds anything in (a name too) is not repeated in any message.
    name = (
        f"cases[{index}]"
        if checked[case.code] or not case.code
        else f"cases[{index}] ({one_line(case.code[:40])})"
    )
    warned: dict[str, list[str]] = {}
    for field, value in _case_texts(case):
        found = checked.get(value)
        if found is None:
            found = checked[value] = check(value)
        refused = [f.kind for f in found if f.refused]
        if refused:
            kinds = ", ".join(t(f"privacy.kind.{kind}") for kind in dict.fromkeys(refused))
            raise BundleError(t("privacy.bundle", case=name, field=field, found=kinds))
        if found:
            warned[field] = list(dict.fromkeys(f.kind for f in found))
    return PrivacyWarning(name, warned) if warned else None


def _first_problem(text: str, t: Translator, error: ValidationError) -> BundleError:
    """Finds and names what made the bundle invalid; slow, but only runs on a bad bundle."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as decode_error:
        return BundleError(
            t("input.json", line=decode_error.lineno, column=decode_error.colno, msg=decode_error.msg)
        )
    except (ValueError, RecursionError):
        # A number longer than Python reads or nesting deeper than it recurses: pydantic's own
        # parser got further and named the problem.
        return BundleError(describe(error, t).line())
    if not isinstance(data, dict):
        return BundleError(t("bundle.not_object"))
    if data.get("format") != FORMAT or data.get("version") not in READABLE_VERSIONS:
        return BundleError(t("bundle.format", format=FORMAT, version=VERSION))
    cases = data.get("cases")
    if not isinstance(cases, list):
        return BundleError(f"cases: {t('bundle.cases_list')}")
    for index, raw in enumerate(cases):
        try:
            Case.model_validate(raw)
        except ValidationError as case_error:
            problem = describe(case_error, t)
            return BundleError(
                t(
                    "bundle.case_problem",
                    case=_case_name(index, raw),
                    field=problem.field,
                    message=problem.message,
                )
            )
    unknown = sorted(set(data) - {"format", "version", "cases"})
    if unknown:
        return BundleError(f"{one_line(unknown[0])}: {t('bundle.unknown_key')}")
    # Valid to Python's json but not to pydantic's parser (a lone surrogate such as "\ud800",
    # nesting deeper than it allows): its message says where in the file.
    return BundleError(describe(error, t).line())


def _case_name(index: int, raw: object) -> str:
    if isinstance(raw, dict):
        label = raw.get("code") or raw.get("id")
        if isinstance(label, str) and not refusals(label):  # never echo an identifier
            return f"cases[{index}] ({one_line(label[:40])})"
    return f"cases[{index}]"


def import_bundle(engine: Engine, bundle: Bundle, t: Translator | None = None) -> tuple[int, int]:
    """Adds the cases not yet in the database, in one transaction. Returns (added, skipped).

    A new case whose code another case in the database already has is refused (BundleError)
    before anything is written."""
    cases_table, decisions_table = CaseRow.__table__, TeamDecisionRow.__table__
    outcomes_table = OutcomeRow.__table__
    with engine.begin() as connection:  # all or nothing: any error rolls every case back
        existing = _present(connection, cases_table.c.id, [c.id for c in bundle.cases])
        new = [c for c in bundle.cases if c.id not in existing]
        if taken := _present(connection, cases_table.c.code, [c.code for c in new]):
            index, case = next((i, c) for i, c in enumerate(bundle.cases) if c.code in taken)
            raise BundleError(
                (t or Translator())("bundle.code_taken", case=_case_name(index, {"code": case.code}))
            )
        for start in range(0, len(new), 2000):
            chunk = new[start : start + 2000]
            connection.execute(insert(cases_table), [_row(case) for case in chunk])
            decided = [
                {
                    "case_id": case.id,
                    "path": case.team_decision.path,
                    "note": case.team_decision.note,
                    "decided_at": case.team_decision.decided_at,
                    "recorded_at": _utc(case.created_at),
                }
                for case in chunk
                if case.team_decision is not None
            ]
            if decided:
                connection.execute(insert(decisions_table), decided)
            recorded = [
                {
                    "case_id": case.id,
                    "started": case.outcome.started,
                    "path": case.outcome.path,
                    "reason": case.outcome.reason,
                    "started_on": case.outcome.on,
                    "note": case.outcome.note,
                    "recorded_at": _utc(case.created_at),
                }
                for case in chunk
                if case.outcome is not None
            ]
            if recorded:
                connection.execute(insert(outcomes_table), recorded)
    return len(new), len(bundle.cases) - len(new)


def _present(connection: Connection, column: Column, values: list[str]) -> set[str]:
    """Which of ``values`` the column already holds, asked 500 at a time (SQL parameter limits)."""
    found: set[str] = set()
    for start in range(0, len(values), 500):
        found.update(
            connection.execute(select(column).where(column.in_(values[start : start + 500]))).scalars()
        )
    return found


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def _row(case: Case) -> dict:
    r, d, o = case.recommendation, case.team_decision, case.outcome
    created = _utc(case.created_at)
    return {
        "id": case.id,
        "code": case.code,
        "created_at": created,
        "updated_at": created,
        "created_day": team_day(created),
        "status": case.status,
        "route": case.route if case.route is not None else route_for_status(case.status),
        "step": 0,
        "area": case.context.area,
        "worker_org": case.context.worker_org,
        "age_band": case.context.age_band,
        "jobseeker": case.context.jobseeker,
        **{key: getattr(case.scores, key) for key in DOMAIN_KEYS},
        **{key: getattr(case.answers, key) for key in QUESTION_KEYS},
        "notes": dict(case.notes),
        **recommendation_columns(r),
        "decision_path": d.path if d else None,
        "decided_at": d.decided_at if d else None,
        "outcome_started": o.started if o else None,
        "outcome_path": o.path if o else None,
        "outcome_reason": o.reason if o else None,
        "outcome_on": o.on if o else None,
    }
