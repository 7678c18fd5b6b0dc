"""Every case of a current local SQLite file, read as ``reads.iter_case_values`` reads it, through
the standard library's sqlite3: ``consult export`` on the local file imports neither SQLAlchemy
nor pydantic, which were a sixth of exporting 100,000 cases, and skips SQLAlchemy's rows.

The values are SQLAlchemy's own for these columns on SQLite: moments and days are read with
``fromisoformat`` (what its SQLite types do), booleans with ``bool``, JSON with ``json.loads``;
``tests/store/test_export_unchanged.py`` holds both readers to the same files.

Standard library only (an import-linter contract): the connection is
``consult.system.database_file.open_current``'s, to a file at the newest schema.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime

from consult.store.reads_shape import (
    DECODED_LIMIT,
    EXPORT_COLUMNS,
    Decoded,
    decision_shape,
    meeting_shape,
    missing_shape,
    outcome_shape,
    tried_shape,
)

_SELECT = f"SELECT {', '.join(EXPORT_COLUMNS)}, outcome_started FROM cases"
_ORDER = "ORDER BY created_at, id LIMIT ?"
_CREATED = EXPORT_COLUMNS.index("created_at")
_JOBSEEKER = EXPORT_COLUMNS.index("jobseeker")
_NOTES = EXPORT_COLUMNS.index("notes")  # and the recommendation after it, the last


def file_case_values(
    connection: sqlite3.Connection, page_size: int = 2000, *, drafts: bool = True, services: bool = True
) -> Iterator[tuple[tuple, dict | None, dict | None, dict | None]]:
    """``reads.iter_case_values`` (without a filter) on a current local file: each case's
    ``EXPORT_COLUMNS``, its newest team decision, its newest outcome and its services (None
    when it has none, or ``services=False``), oldest first, a page at a time (keyset
    pagination: memory stays flat)."""
    where = "" if drafts else "status != 'draft'"
    decoded = Decoded(json.loads, DECODED_LIMIT)
    decode = decoded.decode
    after: tuple[str, str] | None = None
    params: tuple[object, ...]
    while True:
        if after is None:
            condition, params = (f"WHERE {where}" if where else ""), (page_size,)
        else:
            keyset = "(created_at, id) > (?, ?)"
            condition = f"WHERE {where} AND {keyset}" if where else f"WHERE {keyset}"
            params = (*after, page_size)
        rows = connection.execute(f"{_SELECT} {condition} {_ORDER}", params).fetchall()
        if not rows:
            return
        latest = _newest(
            connection,
            "team_decisions",
            [r[0] for r in rows if r[3] == "team_decided"],
            "path, note, decided_at, meeting_id",
            lambda path, note, day, meeting: decision_shape(path, note, date.fromisoformat(day), meeting),
        )
        newest = _newest(
            connection,
            "outcomes",
            [r[0] for r in rows if r[-1] is not None],
            "started, path, started_on, reason, note",
            lambda started, path, day, reason, note: outcome_shape(
                bool(started), path, date.fromisoformat(day), reason, note
            ),
        )
        recorded = _services(connection, [r[0] for r in rows]) if services else {}
        for row in rows:
            moment = datetime.fromisoformat(row[_CREATED])
            jobseeker = row[_JOBSEEKER]
            yield (
                (
                    *row[:_CREATED],
                    moment if moment.tzinfo else moment.replace(tzinfo=UTC),
                    *row[_CREATED + 1 : _JOBSEEKER],
                    None if jobseeker is None else bool(jobseeker),
                    *row[_JOBSEEKER + 1 : _NOTES],
                    decode(row[_NOTES]),
                    decode(row[_NOTES + 1]),
                ),
                latest.get(row[0]),
                newest.get(row[0]),
                recorded.get(row[0]),
            )
        after = (rows[-1][_CREATED], rows[-1][0])


def _newest(
    connection: sqlite3.Connection,
    table: str,
    case_ids: list[str],
    columns: str,
    shape: Callable[..., dict],
) -> dict[str, dict]:
    """The newest entry of a history table for each of the cases (the last one holds)."""
    newest: dict[str, dict] = {}
    if case_ids:
        marks = ", ".join("?" * len(case_ids))
        query = f"SELECT case_id, {columns} FROM {table} WHERE case_id IN ({marks}) ORDER BY id"
        for case_id, *values in connection.execute(query, case_ids):
            newest[case_id] = shape(*values)
    return newest


def _services(connection: sqlite3.Connection, case_ids: list[str]) -> dict[str, dict]:
    """The services of those of the cases that have any, in the order recorded."""
    found: dict[str, dict] = {}
    marks = ", ".join("?" * len(case_ids))
    for table, columns, shape, kind in (
        ("case_tried_services", "service, text, result", tried_shape, "tried"),
        ("case_missing_services", "service, text, domain, reason", missing_shape, "missing"),
    ):
        query = (
            f"SELECT case_id, {columns} FROM {table} WHERE case_id IN ({marks}) ORDER BY case_id, position"
        )
        for case_id, *values in connection.execute(query, case_ids):
            if (services := found.get(case_id)) is None:
                services = found[case_id] = {"tried": [], "missing": []}
            services[kind].append(shape(*values))
    return found


def file_meeting_ids(connection: sqlite3.Connection) -> list[str]:
    """Every meeting of a current local file, as ``store.meetings.bundle_meeting_ids`` orders
    them without a filter (a local file is exported whole)."""
    return [row[0] for row in connection.execute("SELECT id FROM meetings ORDER BY held_on, id")]


def file_meeting_dicts(connection: sqlite3.Connection, meeting_ids: list[str]) -> Iterator[dict]:
    """``store.meetings.iter_meeting_dicts`` on a current local file, a page at a time."""
    travelling = set(meeting_ids)
    day = date.fromisoformat
    for start in range(0, len(meeting_ids), 200):
        part = meeting_ids[start : start + 200]
        marks = ", ".join("?" * len(part))
        meetings = {
            row[0]: (*row[:2], day(row[2]), *row[3:5], json.loads(row[5]), json.loads(row[6]), row[7])
            for row in connection.execute(
                "SELECT id, area, held_on, status, convener_org, present, apologies, note"
                f" FROM meetings WHERE id IN ({marks})",
                part,
            )
        }
        items: dict[str, list[tuple[str, str | None]]] = {i: [] for i in part}
        for meeting_id, case_id, result in connection.execute(
            f"SELECT meeting_id, case_id, result FROM meeting_items WHERE meeting_id IN ({marks})"
            " ORDER BY meeting_id, position",
            part,
        ):
            items[meeting_id].append((case_id, result))
        actions: dict[str, list[tuple]] = {i: [] for i in part}
        for meeting_id, *action in connection.execute(
            "SELECT meeting_id, id, case_id, owner_org, owner_role, what, due, status, closed_on,"
            f" closed_in, created_by FROM meeting_actions WHERE meeting_id IN ({marks})"
            " ORDER BY added_at, id",
            part,
        ):
            action[5] = day(action[5]) if action[5] is not None else None
            action[7] = day(action[7]) if action[7] is not None else None
            actions[meeting_id].append(tuple(action))
        for meeting_id in part:
            if (meeting := meetings.get(meeting_id)) is not None:
                yield meeting_shape(meeting, items[meeting_id], actions[meeting_id], travelling)
