"""What both readers of whole cases give (``reads.iter_case_values`` through SQLAlchemy on any
database, ``file_reads.file_case_values`` through sqlite3 on the local file): the columns, the
shapes of a decision and an outcome, and stored JSON decoded once a text. Standard library only.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from consult.core.instrument import DOMAIN_KEYS, QUESTION_KEYS
from consult.core.vocabulary import route_for_status

# What the exports read of a case, in this order.
EXPORT_COLUMNS = (
    "id", "code", "created_at", "status", "route", "area", "worker_org", "age_band", "jobseeker",
    *DOMAIN_KEYS, *QUESTION_KEYS, "notes", "recommendation",
)  # fmt: skip
# Stored JSON texts remembered decoded: a recommendation is one of a few hundred, and decoding
# each case's anew was a fifth of an export. Bounded: memory stays flat.
DECODED_LIMIT = 4096


def decision_shape(path: str, note: str, decided_at: date, meeting_id: str | None) -> dict:
    """A team decision as the bundle writes it (version 3: the meeting it was made in, if any)."""
    return {"path": path, "note": note, "decided_at": decided_at.isoformat(), "meeting_id": meeting_id}


def outcome_shape(started: bool, path: str | None, on: date, reason: str | None, note: str) -> dict:
    """An outcome as the bundle writes it."""
    return {"started": started, "path": path, "on": on.isoformat(), "reason": reason, "note": note}


class Decoded:
    """Stored JSON as the driver gives it, decoded: a text by ``loads`` once (the same object
    for every case that stored the same text: read it, never change it), anything else (a
    driver's own decoding, NULL) as it is."""

    __slots__ = ("_known", "_limit", "_loads")

    def __init__(self, loads: Callable[[str], object], limit: int) -> None:
        self._known: dict[str, object] = {}
        self._limit = limit
        self._loads = loads

    def decode(self, value: object) -> object:
        if not isinstance(value, str):
            return value
        found = self._known.get(value)
        if found is None:
            found = self._loads(value)
            if len(self._known) < self._limit:
                self._known[value] = found
        return found


def tried_shape(service: str | None, text: str | None, result: str) -> dict:
    """A service tried, as the bundle writes it."""
    return {"service": service, "text": text, "result": result}


def missing_shape(service: str | None, text: str | None, domain: str, reason: str) -> dict:
    """A service missing, as the bundle writes it."""
    return {"service": service, "text": text, "domain": domain, "reason": reason}


def meeting_shape(
    meeting: tuple[str, str, date, str, str, list | None, list | None, str],
    items: list[tuple[str, str | None]],
    actions: list[tuple],
    travelling: set[str],
) -> dict:
    """A meeting as the bundle writes it (product.md, version 3): ``meeting`` its id, area,
    day, status, convener, present, apologies and note; ``items`` each case and result in
    order; ``actions`` each id, case, owner organisation and role, what, due, status, closed
    on, closed in and who added it, in the order added. An item's result is null while its
    meeting is not closed; positions are numbered as read; an action reviewed in a meeting
    that does not travel says so as unknown."""
    meeting_id, area, on, status, convener_org, present, apologies, note = meeting
    closed = status == "closed"
    return {
        "id": meeting_id,
        "area": area,
        "on": on.isoformat(),
        "status": status,
        "convener_org": convener_org,
        "present": list(present or ()),
        "apologies": list(apologies or ()),
        "note": note,
        "items": [
            {"case_id": case_id, "position": n, "result": result if closed else None}
            for n, (case_id, result) in enumerate(items, start=1)
        ],
        "actions": [
            {
                "id": action_id,
                "case_id": case_id,
                "owner_org": owner_org,
                "owner_role": owner_role,
                "what": what,
                "due": due.isoformat() if due else None,
                "status": action_status,
                "closed_on": closed_on.isoformat() if closed_on else None,
                "closed_in": closed_in if closed_in in travelling else None,
                "by": by,
            }
            for (
                action_id, case_id, owner_org, owner_role, what, due, action_status, closed_on, closed_in, by,
            ) in actions
        ],
    }  # fmt: skip


_DOMAINS = len(DOMAIN_KEYS)


def case_dict(
    values: tuple, decision: dict | None, outcome: dict | None, services: dict | None = None
) -> dict:
    """One case in the bundle's shape, from a reader's ``EXPORT_COLUMNS`` values, its newest
    decision and outcome, and its services (None: none recorded)."""
    (
        case_id, code, created_at, status, route, area, worker_org, age_band, jobseeker,
        *levels, notes, recommendation,
    ) = values  # fmt: skip
    return {
        "id": case_id,
        "code": code,
        "created_at": created_at.isoformat(),
        "status": status,
        "route": route or route_for_status(status),
        "context": {"area": area, "worker_org": worker_org, "age_band": age_band, "jobseeker": jobseeker},
        "scores": dict(zip(DOMAIN_KEYS, levels[:_DOMAINS], strict=True)),
        "answers": dict(zip(QUESTION_KEYS, levels[_DOMAINS:], strict=True)),
        "notes": dict(notes or {}),
        "recommendation": recommendation,
        "team_decision": decision,
        "outcome": outcome,
        "services": services or {"tried": [], "missing": []},
    }
