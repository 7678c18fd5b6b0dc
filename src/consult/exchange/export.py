"""Writing cases out: the JSON bundle and the scripts' CSV (the spreadsheet in the reader's words
is ``consult.exchange.spreadsheet``, over the same rows).

The cases come from either reader of the store: an SQLAlchemy Engine (any database, a review
filter) through ``consult.store.reads``, or a connection to a current local SQLite file through
``consult.store.file_reads``, which ``consult export`` takes so that exporting imports neither
SQLAlchemy nor pydantic. Both give the same values; what is written is decided here once.
"""

from __future__ import annotations

import csv
import json
import re
import sqlite3
from collections.abc import Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Final, TextIO

from consult.core.instrument import DOMAIN_KEYS, QUESTION_KEYS
from consult.core.vocabulary import FLAGS, route_for_status
from consult.exchange.cells import safe_cell
from consult.store.reads_shape import EXPORT_COLUMNS, case_dict

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from consult.store.review import CaseFilter

    # What the cases are read from: a current local SQLite file, or any database.
    Source = Engine | sqlite3.Connection

FORMAT: Final = "consult-cases"
VERSION: Final = 3  # what export writes


def case_values(
    source: Source, case_filter: CaseFilter | None = None, *, drafts: bool = True, services: bool = True
) -> Iterator[tuple[tuple, dict | None, dict | None, dict | None]]:
    """Each case's ``EXPORT_COLUMNS`` values, newest decision, newest outcome and services
    (None: none, or not asked for), from either reader. A local file is read whole (the
    screens, which filter, hand an Engine)."""
    if isinstance(source, sqlite3.Connection):
        if case_filter is not None:
            raise ValueError("a local file is exported whole; a filter needs the store")
        from consult.store.file_reads import file_case_values

        return file_case_values(source, drafts=drafts, services=services)
    from consult.store.reads import iter_case_values

    return iter_case_values(source, case_filter, drafts=drafts, services=services)


def meetings(source: Source, case_filter: CaseFilter | None = None) -> tuple[list[str], Iterator[dict]]:
    """The ids of the meetings a bundle carries (every one; with a filter, those whose cases
    all travel), oldest first, and the meetings in the bundle's shape, read when iterated."""
    if isinstance(source, sqlite3.Connection):
        from consult.store.file_reads import file_meeting_dicts, file_meeting_ids

        ids = file_meeting_ids(source)
        return ids, file_meeting_dicts(source, ids)
    from consult.store.meetings import bundle_meeting_ids, iter_meeting_dicts
    from consult.store.review import conditions

    ids = bundle_meeting_ids(source, conditions(case_filter) if case_filter else None)
    return ids, iter_meeting_dicts(source, ids)


_C1 = re.compile(r"[\x7f-\x9f\u2028\u2029]")


def export_json(
    source: Source, out: TextIO, case_filter: CaseFilter | None = None, *, drafts: bool = True
) -> int:
    """Writes the bundle case by case, so memory stays flat however many cases there are.
    ``drafts=False`` writes the completed cases only, as ``stats`` counts them. The meetings
    follow the cases (version 3): with a filter, those whose cases all travel in the bundle,
    and a decision keeps its meeting only when that meeting travels too."""
    exported, meeting_dicts = meetings(source, case_filter)
    kept = set(exported)
    out.write(f'{{"format": "{FORMAT}", "version": {VERSION}, "cases": [')
    count = 0
    for values, decision, outcome, services in case_values(source, case_filter, drafts=drafts):
        if decision is not None and decision["meeting_id"] is not None and decision["meeting_id"] not in kept:
            decision = {**decision, "meeting_id": None}
        out.write(",\n" if count else "\n")
        out.write(_json_line(case_dict(values, decision, outcome, services)))
        count += 1
    out.write('\n], "meetings": [')
    for n, meeting in enumerate(meeting_dicts):
        out.write(",\n" if n else "\n")
        out.write(_json_line(meeting))
    out.write("\n]}\n")
    return count


def _json_line(value: dict) -> str:
    line = json.dumps(value, ensure_ascii=False)
    # JSON escapes C0 itself; DEL and C1 (a CSI) would reach a terminal raw. All of them are
    # unprintable: the quick look in C clears nearly every line before the slower search.
    if not line.isprintable() and _C1.search(line):
        line = _C1.sub(lambda m: f"\\u{ord(m[0]):04x}", line)
    return line


CSV_COLUMNS = (
    "id", "code", "created_at", "status", "area", "worker_org", "age_band", "jobseeker",
    *DOMAIN_KEYS,
    *QUESTION_KEYS,
    "primary", "needs", "orgs", "flags", "rules_version", "decision_path", "decision_note", "decided_at",
    "notes", "route", "outcome_started", "outcome_path", "outcome_on", "outcome_reason", "outcome_note",
)  # fmt: skip


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    # A cell that a spreadsheet would read as a formula or a control is written as text.
    return safe_cell(str(value))


def csv_rows(
    source: Source, case_filter: CaseFilter | None = None, *, drafts: bool = True
) -> Iterator[dict[str, object]]:
    """One dict a case, keyed by ``CSV_COLUMNS``, values as stored (codes, lists, the notes dict,
    moments as ISO text): ``export_csv`` writes them for scripts, ``consult.exchange.spreadsheet``
    in the reader's words. A draft keeps its status (``draft``) in the status column, so a row
    is never taken for a case."""
    for values in csv_values(source, case_filter, drafts=drafts):
        yield {column: _as_stored(value) for column, value in zip(CSV_COLUMNS, values, strict=True)}


def _as_stored(value: object) -> object:
    if type(value) is tuple:
        return list(value)
    if isinstance(value, datetime):
        return value.isoformat()
    return value


_NO_RECOMMENDATION: tuple[object, ...] = (None, None, None, (), None)
_DERIVED = 4096
_NO_DECISION = (None, None, None)
_NO_OUTCOME = (None,) * 5
# Where the readers have them.
_STATUS, _ROUTE, _CONTEXT, _LEVELS, _NOTES = 3, 4, slice(5, 9), slice(9, 21), 21


def csv_values(
    source: Source, case_filter: CaseFilter | None = None, *, drafts: bool = True
) -> Iterator[tuple[object, ...]]:
    """``csv_rows`` as tuples in the order of ``CSV_COLUMNS``, what the exports write without a
    dict a row: ``created_at`` an aware datetime; the needs, organisations and flags tuples (each
    column's values are of one type besides None, so a writer may keep a cell's text by its
    value); the notes as stored (shared by the cases with the same: never change them)."""
    assert EXPORT_COLUMNS[_STATUS] == "status" and EXPORT_COLUMNS[_NOTES] == "notes"
    # A recommendation's cells by the decoded object (one for the cases that stored the same
    # text): kept with the object itself, so its id is not reused while the entry lives.
    derived: dict[int, tuple[object, tuple[object, ...]]] = {}
    for values, d, o, _ in case_values(source, case_filter, drafts=drafts, services=False):
        r = values[-1]
        if not r:
            recommended = _NO_RECOMMENDATION
        elif (found := derived.get(id(r))) is not None and found[0] is r:
            recommended = found[1]
        else:
            flags = tuple([f for f in FLAGS if f in r["flags"]])
            recommended = (r["primary"], tuple(r["needs"]), tuple(r["orgs"]), flags, r["rules_version"])
            if len(derived) < _DERIVED:
                derived[id(r)] = (r, recommended)
        yield (
            values[: _STATUS + 1]
            + values[_CONTEXT]
            + values[_LEVELS]
            + recommended
            + ((d["path"], d["note"], d["decided_at"]) if d else _NO_DECISION)
            + (values[_NOTES] or None, values[_ROUTE] or route_for_status(values[_STATUS]))
            + ((o["started"], o["path"], o["on"], o["reason"], o["note"]) if o else _NO_OUTCOME)
        )


def export_csv(
    source: Source, out: TextIO, case_filter: CaseFilter | None = None, *, drafts: bool = True
) -> int:
    """One row a case, one column per domain and question; ``;`` and a BOM for Finnish Excel."""
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    count = 0
    for values in csv_values(source, case_filter, drafts=drafts):
        writer.writerow([_cell(_code(value)) for value in values])
        count += 1
    return count


def _code(value: object) -> object:
    """A list or the notes as one machine-readable cell, as scripts have read them so far."""
    if isinstance(value, list | tuple):
        return ",".join(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return value
