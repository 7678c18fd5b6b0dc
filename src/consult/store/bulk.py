"""Adding many cases at once (an import): one transaction, a chunk of cases at a time, the cases
already present skipped by id. Where the cases come from, and how a failure is worded, is the
caller's (``consult.exchange.bundle``): this module knows the tables, not the bundle format.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from operator import itemgetter

from sqlalchemy import Column, ColumnElement, Connection, Engine, Table, insert, literal_column, select, text

from consult.core.dates import team_day
from consult.core.instrument import DOMAIN_KEYS, QUESTION_KEYS
from consult.core.model import Case, Recommendation, route_for_status
from consult.store.case_rows import recommendation_columns
from consult.store.db import table_of, writer
from consult.store.meetings import ImportedMeeting, add_meetings
from consult.store.services import UnknownService as ServiceNotKnown
from consult.store.services import check_services, insert_services, known_service_ids
from consult.store.tables import CaseRow, OutcomeRow, TeamDecisionRow
from consult.store.who import written_by

CHUNK = 1000  # cases looked up and written at a time: 2000 held 9 MiB more, for no time saved
# Recommendation instances whose columns are remembered (see case_row): memory stays flat.
_CACHED = 4096
# SQLite's page cache while an import writes (KiB): the cases table's sixteen indexes take new
# rows all over them, and with the default 2 MiB the pages written are spilled into the log and
# written again. 32 MiB held a third of the system time of 100,000 cases, but its pages are
# memory a small import never fills and a large one does (the peak rose 45 MB from 3,000 to
# 30,000 cases); 8 MiB keeps most of the gain and the peak flat.
IMPORT_CACHE_KIB = 8192
# SQLite reads a JSON array's members as SQL values with ->> from version 3.38 on (2022).
_JSON_ARROW = (3, 38, 0)

# Any constant, the same in every consult: it names "an import is running" on a server.
_IMPORT_LOCK = 0x696D706F7274  # "import"


class CodeTaken(ValueError):
    """A new case whose code another case in the database already has. ``index`` counts the
    cases given, from 0; nothing of the import was kept."""

    def __init__(self, index: int, code: str) -> None:
        super().__init__(index, code)
        self.index = index
        self.code = code


class UnknownService(ValueError):
    """A case (``index`` from 0, its ``code``) names a service id that no catalogue activated
    on the database (nor the starter) has, at ``field``; nothing of the import was kept."""

    def __init__(self, index: int, code: str, field: str) -> None:
        super().__init__(index, code, field)
        self.index, self.code, self.field = index, code, field


class Duplicate(ValueError):
    """Two cases given with the same id (``kind`` "id") or code ("code"): the second is case
    ``index`` (counting from 0); nothing of the import was kept."""

    def __init__(self, index: int, kind: str, value: str) -> None:
        super().__init__(index, kind, value)
        self.index = index
        self.kind = kind
        self.value = value


def add_cases(
    engine: Engine,
    cases: Iterable[Case],
    meetings: Callable[[], Sequence[ImportedMeeting]] | None = None,
) -> tuple[int, int]:
    """Adds the cases not yet in the database, in one transaction, a chunk at a time, and
    returns (added, skipped). Whatever is raised while ``cases`` is consumed (a bad case, or
    CodeTaken or Duplicate from here) rolls every case back. A case is stored as given: its
    recommendation and rules version are kept, never scored again.

    Two cases given with one id or one code are found by the database, not by remembering
    every id and code given (memory stays flat however many cases come): a row this
    transaction wrote is told from one that was there before the import began.

    ``meetings`` (a version-3 bundle's, asked for once every case is written) are added in the
    same transaction (``consult.store.meetings.add_meetings``)."""
    cases_table, decisions_table = table_of(CaseRow), table_of(TeamDecisionRow)
    outcomes_table = table_of(OutcomeRow)
    added = total = 0
    columns: dict[int, tuple[Recommendation, dict]] = {}
    # Said once for every row (the column's default would ask the OS for each row, and keeps
    # the rows off the driver's own executemany). None on PostgreSQL: the server fills it in.
    who = written_by(engine)
    signed = {"created_by": who} if who is not None else {}
    # All or nothing: any error rolls every case back.
    with writer(engine).connect() as connection, _import_cache(connection), connection.begin():
        if connection.dialect.name == "postgresql":
            # Two imports of the same bundle at once: the second waits, then finds every case
            # present (each statement sees what committed before it) and adds nothing.
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _IMPORT_LOCK})
        written = _written_here(connection)
        known: list[frozenset[str]] = []  # read once, when a case first names a service
        for chunk in _chunks(iter(cases), CHUNK):
            existing = _present(connection, cases_table.c.id, [c.id for c in chunk], written)
            new = [c for c in chunk if c.id not in existing]
            codes = _present(connection, cases_table.c.code, [c.code for c in chunk], written)
            _refuse_duplicates(chunk, total, existing, codes)
            taken = {code for code, here in codes.items() if not here}
            for i, case in enumerate(chunk):
                if case.code in taken and case.id not in existing:
                    raise CodeTaken(total + i, case.code)
            if new:
                _insert(connection, cases_table, [case_row(case, columns) | signed for case in new])
            decided = [
                {
                    "case_id": case.id,
                    "path": case.team_decision.path,
                    "note": case.team_decision.note,
                    "decided_at": case.team_decision.decided_at,
                    "meeting_id": case.team_decision.meeting_id,
                    "recorded_at": _utc(case.created_at),
                    **signed,
                }
                for case in new
                if case.team_decision is not None
            ]
            if decided:
                _insert(connection, decisions_table, decided)
            recorded = [
                {
                    "case_id": case.id,
                    "started": case.outcome.started,
                    "path": case.outcome.path,
                    "reason": case.outcome.reason,
                    "started_on": case.outcome.on,
                    "note": case.outcome.note,
                    "recorded_at": _utc(case.created_at),
                    **signed,
                }
                for case in new
                if case.outcome is not None
            ]
            if recorded:
                _insert(connection, outcomes_table, recorded)
            named = [(total + i, c) for i, c in enumerate(chunk) if c.services and c.id not in existing]
            if named:
                if not known:
                    known.append(known_service_ids(engine))
                _add_services(connection, named, known[0])
            added += len(new)
            total += len(chunk)
        if meetings is not None:
            add_meetings(connection, meetings())
    return added, total - added


def _add_services(connection: Connection, cases: list[tuple[int, Case]], known: frozenset[str]) -> None:
    """The services of a chunk's new cases, in one statement a table; each id known here."""
    for index, case in cases:
        try:
            check_services(case.services, known)
        except ServiceNotKnown as unknown:
            raise UnknownService(index, case.code, unknown.field) from None
    insert_services(connection, [(case.id, case.services) for _, case in cases])


@contextmanager
def _import_cache(connection: Connection) -> Iterator[None]:
    """SQLite's page cache made IMPORT_CACHE_KIB for the import, and as it was again after the
    commit (through the driver: a statement would begin the transaction before its time)."""
    if connection.dialect.name != "sqlite":
        yield
        return
    driver = connection.connection.dbapi_connection
    assert driver is not None
    (before,) = driver.execute("PRAGMA cache_size").fetchone()
    driver.execute(f"PRAGMA cache_size=-{IMPORT_CACHE_KIB}")
    try:
        yield
    finally:
        with suppress(Exception):  # a connection that broke is not put back with this cache
            driver.execute(f"PRAGMA cache_size={int(before)}")


def _insert(connection: Connection, table: Table, rows: list[dict]) -> None:
    """``INSERT`` of many rows. On SQLite each value is converted by its column type's own bind
    processor (what SQLAlchemy stores, byte for byte) and the rows go to SQLite as one JSON
    array, which one statement reads back with ``json_each``: the values come out as the same
    text, integers and nulls the driver would have bound, and the chunk is written in one step
    (measured: 30 % less CPU than the driver's executemany, itself far quicker than SQLAlchemy
    preparing each row). Other databases take SQLAlchemy's own path, which batches for them."""
    dialect = connection.dialect
    compiled = insert(table).compile(dialect=dialect, column_keys=list(rows[0]))
    if dialect.name != "sqlite" or not compiled.positional:
        connection.execute(insert(table), rows)
        return
    order = [compiled.binds[name].key for name in compiled.positiontup or ()]
    if any(key not in rows[0] for key in order):  # a column default to fill in: SQLAlchemy's job
        connection.execute(insert(table), rows)
        return
    processors = [table.c[key].type.dialect_impl(dialect).bind_processor(dialect) for key in order]
    converted = [(i, process) for i, process in enumerate(processors) if process is not None]
    # Cases that share one recommendation share its dict (see case_row): serialised once a
    # chunk; and most cases' notes are the empty dict, serialised once.
    shared: dict[int, tuple[object, object]] = {}
    empty: dict[int, object] = {}

    def convert(value: object, i: int, process) -> object:
        if not isinstance(value, dict):
            return process(value)
        if not value:
            if i not in empty:
                empty[i] = process(value)
            return empty[i]
        known = shared.get(id(value))
        if known is None or known[0] is not value:
            known = shared[id(value)] = (value, process(value))
        return known[1]

    values_of = itemgetter(*order) if len(order) > 1 else (lambda row: (row[order[0]],))
    params: list[tuple] = []
    for row in rows:
        values = list(values_of(row))
        for i, process in converted:
            if (value := values[i]) is not None:
                values[i] = convert(value, i, process)
        params.append(tuple(values))
    try:
        # Every value is text, a number or null here; JSON keeps each as it is (ensure_ascii:
        # no character the JSON reader could take differently).
        array = json.dumps(params, allow_nan=False)
    except (TypeError, ValueError):
        array = None
    if array is None or getattr(dialect.dbapi, "sqlite_version_info", (0,)) < _JSON_ARROW:
        connection.exec_driver_sql(compiled.string, params)
        return
    quote = dialect.identifier_preparer.quote
    read = ", ".join(f"value ->> {i}" for i in range(len(order)))
    sql = (
        f"INSERT INTO {quote(table.name)} ({', '.join(quote(table.c[key].name) for key in order)})"
        f" SELECT {read} FROM json_each(?)"
    )
    connection.exec_driver_sql(sql, (array,))


def _chunks(cases: Iterator[Case], size: int) -> Iterator[list[Case]]:
    chunk: list[Case] = []
    try:
        for case in cases:
            chunk.append(case)
            if len(chunk) == size:
                yield chunk
                chunk = []
    except Exception:
        # A case after these was refused: these come first, so a duplicate among them is
        # named before the later case's problem, in the bundle's order.
        if chunk:
            yield chunk
        raise
    if chunk:
        yield chunk


def _written_here(connection: Connection) -> ColumnElement[bool]:
    """True for a cases row this transaction wrote: on SQLite a rowid above the largest there
    was when the import began, on PostgreSQL a row whose inserting transaction is this one."""
    if connection.dialect.name == "postgresql":
        return literal_column("xmin = pg_current_xact_id()::xid")
    before = connection.execute(text("SELECT coalesce(max(rowid), 0) FROM cases")).scalar_one()
    return literal_column("rowid") > before


def _present(
    connection: Connection, column: Column, values: list[str], written: ColumnElement[bool]
) -> dict[str, bool]:
    """Which of ``values`` the column already holds, each with whether this import wrote it;
    asked 500 at a time (SQL parameter limits)."""
    found: dict[str, bool] = {}
    for start in range(0, len(values), 500):
        query = select(column, written).where(column.in_(values[start : start + 500]))
        found.update((value, bool(here)) for value, here in connection.execute(query))
    return found


def _refuse_duplicates(chunk: list[Case], total: int, ids: dict[str, bool], codes: dict[str, bool]) -> None:
    """Duplicate for the first case of the chunk, in order, whose id or code an earlier case
    of this import had: in the chunk before it, or written by this import already."""
    chunk_ids: set[str] = set()
    chunk_codes: set[str] = set()
    for i, case in enumerate(chunk):
        if case.id in chunk_ids or ids.get(case.id):
            raise Duplicate(total + i, "id", case.id)
        if case.code in chunk_codes or codes.get(case.code):
            raise Duplicate(total + i, "code", case.code)
        chunk_ids.add(case.id)
        chunk_codes.add(case.code)


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def case_row(case: Case, columns: dict[int, tuple[Recommendation, dict]] | None = None) -> dict:
    """The case's row of the cases table, as an import writes it. ``columns`` remembers the
    recommendation columns of a recommendation instance shared by many cases (a bundle's reader
    hands the same instance to every case with the same recommendation)."""
    r, d, o = case.recommendation, case.team_decision, case.outcome
    derived = None
    if r is not None and columns is not None:
        entry = columns.get(id(r))
        if entry is not None and entry[0] is r:
            derived = entry[1]
        else:
            derived = recommendation_columns(r)
            if len(columns) < _CACHED:
                columns[id(r)] = (r, derived)
    created = _utc(case.created_at)
    return {
        "id": case.id,
        "code": case.code,
        "created_at": created,
        "created_day": team_day(created),
        "updated_at": created,
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
        **(derived if derived is not None else recommendation_columns(r)),
        "decision_path": d.path if d else None,
        "decided_at": d.decided_at if d else None,
        "outcome_started": o.started if o else None,
        "outcome_path": o.path if o else None,
        "outcome_reason": o.reason if o else None,
        "outcome_on": o.on if o else None,
    }
