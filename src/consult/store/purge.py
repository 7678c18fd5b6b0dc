"""Removing what is no longer needed: unfinished drafts after a while, saved cases after the
retention period. A case goes with its decisions and edits, in one transaction."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from pydantic import BaseModel
from sqlalchemy import Engine, delete, func, insert, select

from consult.assessment.walk_state import SERVICES
from consult.store.db import aware, table_of, writer
from consult.store.tables import (
    CaseEditRow,
    CaseRow,
    MissingServiceRow,
    OutcomeRow,
    PurgeRunRow,
    TeamDecisionRow,
    TriedServiceRow,
)


class PurgeResult(BaseModel):
    ran_at: datetime
    draft_days: int
    retention_days: int
    drafts_removed: int
    cases_removed: int
    finished_drafts_removed: int = 0
    """Of ``drafts_removed``, those that reached the result and were never saved: finished
    work a worker may believe is with the team, counted apart so nobody misses it."""


def purge(
    engine: Engine,
    *,
    draft_days: int,
    retention_days: int,
    dry_run: bool = False,
    now: datetime | None = None,
) -> PurgeResult:
    """Removes drafts untouched for ``draft_days`` and cases created more than ``retention_days``
    ago. A dry run counts the same rows and changes nothing, not even the log of runs."""
    now = now or datetime.now(UTC)
    cases = table_of(CaseRow)
    old_drafts = (cases.c.status == "draft") & (cases.c.updated_at < now - timedelta(days=draft_days))
    # Every question answered: the services step (optional) and the result are a finished walk.
    finished_drafts = old_drafts & (cases.c.step >= SERVICES)
    old_cases = (cases.c.status != "draft") & (cases.c.created_at < now - timedelta(days=retention_days))
    with writer(engine).begin() as connection:
        drafts, finished, saved = (
            connection.execute(select(func.count()).select_from(cases).where(condition)).scalar_one()
            for condition in (old_drafts, finished_drafts, old_cases)
        )
        result = PurgeResult(
            ran_at=now,
            draft_days=draft_days,
            retention_days=retention_days,
            drafts_removed=drafts,
            cases_removed=saved,
            finished_drafts_removed=finished,
        )
        if dry_run:
            return result
        doomed = old_drafts | old_cases
        children = (TeamDecisionRow, CaseEditRow, OutcomeRow, TriedServiceRow, MissingServiceRow)
        for child in (table_of(c) for c in children):
            connection.execute(delete(child).where(child.c.case_id.in_(select(cases.c.id).where(doomed))))
        connection.execute(delete(cases).where(doomed))
        connection.execute(
            insert(table_of(PurgeRunRow)), result.model_dump(exclude={"finished_drafts_removed"})
        )
    if engine.dialect.name == "sqlite":
        _checkpoint(engine)
    return result


def _checkpoint(engine: Engine) -> None:
    """Moves the write-ahead log into the file and empties it: until then the log still holds
    the pages the purge changed, with what they held before."""
    raw = engine.raw_connection()
    try:
        raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # type: ignore[union-attr]
    finally:
        raw.close()


def last_purge(engine: Engine) -> PurgeResult | None:
    runs = table_of(PurgeRunRow)
    with engine.connect() as connection:
        row = connection.execute(select(runs).order_by(runs.c.id.desc()).limit(1)).mappings().first()
    if row is None:
        return None
    return PurgeResult(**{**row, "ran_at": aware(row["ran_at"])})


def old_note_files(folder: Path, days: int, *, dry_run: bool = False, now: datetime | None = None) -> int:
    """Removes the record notes saved as files (``<files>/notes/*.txt``) untouched for over
    ``days`` — the draft age: a note is copied into the client record soon after it is written,
    and its case in the database goes by then if it was never saved. Returns how many; a dry
    run only counts them."""
    if not folder.is_dir():
        return 0
    cutoff = (now or datetime.now(UTC)).timestamp() - days * 86_400
    old = [
        path
        for path in folder.iterdir()
        if path.suffix == ".txt"
        and not path.is_symlink()
        and path.is_file()
        and path.stat().st_mtime < cutoff
    ]
    if not dry_run:
        for path in old:
            path.unlink(missing_ok=True)
    return len(old)
