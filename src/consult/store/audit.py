"""Reading the audit: what was done, when, by whom, to which case. The rows are written by the
database's triggers (migration 0008); on a server each login reads what its role allows (its
own actions, its areas', or all), held by the server's row-level security."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from pydantic import BaseModel
from sqlalchemy import Engine, select

from consult.core.dates import day_start
from consult.store.db import aware, table_of
from consult.store.tables import AuditRow, CaseRow


class AuditEntry(BaseModel):
    at: datetime
    who: str | None
    what: str
    case_id: str | None
    case_code: str | None
    area: str | None
    detail: str | None


def entries(engine: Engine, since: date | None = None, until: date | None = None) -> list[AuditEntry]:
    """The audit of the period (Finnish days, both ends included), oldest first. A case's code
    is shown when the reader may still see the case."""
    audit, cases = table_of(AuditRow), table_of(CaseRow)
    query = (
        select(audit, cases.c.code)
        .select_from(audit.outerjoin(cases, cases.c.id == audit.c.case_id))
        .order_by(audit.c.at, audit.c.id)
    )
    if since is not None:
        query = query.where(audit.c.at >= day_start(since))
    if until is not None:
        query = query.where(audit.c.at < day_start(until + timedelta(days=1)))
    with engine.connect() as connection:
        rows = connection.execute(query).mappings().all()
    return [
        AuditEntry(
            at=aware(row["at"]),
            who=row["who"],
            what=row["what"],
            case_id=row["case_id"],
            case_code=row["code"],
            area=row["area"],
            detail=row["detail"],
        )
        for row in rows
    ]
