"""A worker's correction of their own saved case before the team has discussed it: the route
("to the team" or "referred directly") chosen by mistake is switched. The old route is kept in
the case's edit history (and so in the audit, by the database's trigger); once the team has
decided, the route no longer changes.

On a server, row-level security lets a worker change only their own undecided case (policy
``worker_correct`` in store/roles.py); this module says the same in the app, and the change is
one conditional UPDATE, so a decision recorded meanwhile is never overwritten.
"""

from __future__ import annotations

from typing import get_args

from sqlalchemy import Engine, update
from sqlmodel import Session, col

from consult.core.model import Case, Route, route_for_status
from consult.store.case_rows import COMPLETED_STATUSES, newest_decision, newest_outcome, now, to_case
from consult.store.db import writer
from consult.store.services import case_services
from consult.store.tables import CaseEditRow, CaseRow

# The status a saved, undecided case has on each route (the reverse of ROUTE_OF_STATUS).
STATUS_OF_ROUTE: dict[str, str] = {"to_team": "awaiting_team", "direct": "referred_directly"}


class AlreadyDecided(ValueError):
    """The team has decided the case (perhaps a moment ago): its route no longer changes."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def other_route(route: str | None) -> str:
    """The route a correction switches to: there are two."""
    return "direct" if route == "to_team" else "to_team"


def correct_route(engine: Engine, case_id: str, route: str) -> Case:
    """Switches a saved case's route (and the status that goes with it) to ``route``.

    LookupError when there is no such case the signed-in login may see, ValueError for a
    draft or an unknown route, AlreadyDecided once the team has decided. Choosing the route
    the case already has changes nothing and adds no history."""
    if route not in get_args(Route):
        raise ValueError(route)
    with Session(writer(engine)) as session:
        row = session.get(CaseRow, case_id)
        if row is None:
            raise LookupError(case_id)
        if row.status == "draft":
            raise ValueError("a draft's route is chosen when it is saved")
        if row.status not in COMPLETED_STATUSES:
            raise AlreadyDecided(row.code)
        old = row.route or route_for_status(row.status)
        if old != route:
            edited_at = now()
            # On the session's connection (its transaction), as plain SQL: the count of rows
            # changed says whether the case was still undecided when written.
            changed = (
                session.connection()
                .execute(
                    update(CaseRow)
                    .where(col(CaseRow.id) == case_id, col(CaseRow.status).in_(COMPLETED_STATUSES))
                    .values(route=route, status=STATUS_OF_ROUTE[route], updated_at=edited_at)
                )
                .rowcount
            )
            if changed != 1:  # decided between the read and the write (or the server said no)
                session.rollback()
                raise AlreadyDecided(row.code)
            session.add(
                CaseEditRow(
                    case_id=case_id, field="route", old_value=old, new_value=route, edited_at=edited_at
                )
            )
            session.commit()
            session.refresh(row)
        return to_case(
            row,
            newest_decision(session, case_id),
            newest_outcome(session, case_id),
            services=case_services(session, case_id),
        )
