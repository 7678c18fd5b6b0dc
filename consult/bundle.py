"""Moving cases between databases: the versioned JSON bundle, and CSV for a spreadsheet.

Import is all or nothing and idempotent by case id; it keeps each case's stored
recommendation and rules version as they are, never re-scoring silently.
"""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from typing import Literal, TextIO

from pydantic import BaseModel, ConfigDict, ValidationError
from sqlalchemy import Engine, insert, select

from consult.i18n import Translator
from consult.instrument import DOMAIN_KEYS, QUESTION_KEYS
from consult.model import FLAGS, Case
from consult.privacy import refusals
from consult.store.cases import iter_case_dicts, recommendation_columns
from consult.store.review import CaseFilter
from consult.store.tables import CaseRow, TeamDecisionRow
from consult.validation import describe

FORMAT = "consult-cases"
VERSION = 1


class Bundle(BaseModel):
    model_config = ConfigDict(extra="forbid")

    format: Literal["consult-cases"]
    version: Literal[1]
    cases: list[Case]


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
    "notes",
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


def export_csv(engine: Engine, out: TextIO, case_filter: CaseFilter | None = None) -> int:
    """One row a case, one column per domain and question; ``;`` and a BOM for Finnish Excel."""
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    count = 0
    for case in iter_case_dicts(engine, case_filter):
        r, d, context = case["recommendation"], case["team_decision"], case["context"]
        writer.writerow(
            [
                _cell(v)
                for v in [
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
                    ",".join(r["needs"]) if r else None,
                    ",".join(r["orgs"]) if r else None,
                    ",".join(f for f in FLAGS if r and f in r["flags"]),
                    r["rules_version"] if r else None,
                    d["path"] if d else None,
                    d["note"] if d else None,
                    d["decided_at"] if d else None,
                    json.dumps(case["notes"], ensure_ascii=False) if case["notes"] else None,
                ]
            ]
        )
        count += 1
    return count


def parse(text: str, t: Translator) -> Bundle:
    """A validated bundle, or BundleError naming the first bad case and field."""
    try:
        bundle = Bundle.model_validate_json(text)  # one pass in pydantic-core, 100,000 cases in seconds
    except ValidationError:
        bundle = None
    if bundle is None:
        _raise_first_problem(text, t)
    for index, case in enumerate(bundle.cases):
        name = _case_name(index, {"code": case.code})
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
    for index, case in enumerate(bundle.cases):
        texts = [(f"notes.{key}", value) for key, value in case.notes.items()]
        if case.team_decision is not None:
            texts.append(("team_decision.note", case.team_decision.note))
        for field, value in texts:
            found = refusals(value)
            if found:
                raise BundleError(
                    t(
                        "privacy.bundle",
                        case=_case_name(index, {"code": case.code}),
                        field=field,
                        found=t(f"privacy.kind.{found[0].kind}"),
                    )
                )
    seen: set[str] = set()
    for case in bundle.cases:
        if case.id in seen:
            raise BundleError(t("bundle.duplicate", id=case.id))
        seen.add(case.id)
    return bundle


def _raise_first_problem(text: str, t: Translator) -> None:
    """Finds and names what made the bundle invalid; slow, but only runs on a bad bundle."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise BundleError(t("input.json", line=error.lineno, column=error.colno, msg=error.msg)) from None
    if not isinstance(data, dict):
        raise BundleError(t("bundle.not_object"))
    if data.get("format") != FORMAT or data.get("version") != VERSION:
        raise BundleError(t("bundle.format", format=FORMAT, version=VERSION))
    cases = data.get("cases")
    if not isinstance(cases, list):
        raise BundleError(f"cases: {t('bundle.cases_list')}")
    for index, raw in enumerate(cases):
        try:
            Case.model_validate(raw)
        except ValidationError as error:
            problem = describe(error, t)
            raise BundleError(
                t(
                    "bundle.case_problem",
                    case=_case_name(index, raw),
                    field=problem.field,
                    message=problem.message,
                )
            ) from None
    unknown = sorted(set(data) - {"format", "version", "cases"})
    raise BundleError(f"{unknown[0] if unknown else '(bundle)'}: {t('bundle.unknown_key')}")


def _case_name(index: int, raw: object) -> str:
    if isinstance(raw, dict):
        label = raw.get("code") or raw.get("id")
        if isinstance(label, str):
            return f"cases[{index}] ({label[:40]})"
    return f"cases[{index}]"


def import_bundle(engine: Engine, bundle: Bundle) -> tuple[int, int]:
    """Adds the cases not yet in the database, in one transaction. Returns (added, skipped)."""
    cases_table, decisions_table = CaseRow.__table__, TeamDecisionRow.__table__
    with engine.begin() as connection:  # all or nothing: any error rolls every case back
        ids = [c.id for c in bundle.cases]
        existing: set[str] = set()
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            existing.update(
                connection.execute(select(cases_table.c.id).where(cases_table.c.id.in_(chunk))).scalars()
            )
        new = [c for c in bundle.cases if c.id not in existing]
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
    return len(new), len(bundle.cases) - len(new)


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def _row(case: Case) -> dict:
    r, d = case.recommendation, case.team_decision
    created = _utc(case.created_at)
    return {
        "id": case.id,
        "code": case.code,
        "created_at": created,
        "updated_at": created,
        "status": case.status,
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
    }
