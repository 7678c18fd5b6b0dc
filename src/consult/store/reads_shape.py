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


def decision_shape(path: str, note: str, decided_at: date) -> dict:
    """A team decision as the bundle writes it."""
    return {"path": path, "note": note, "decided_at": decided_at.isoformat()}


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


_DOMAINS = len(DOMAIN_KEYS)


def case_dict(values: tuple, decision: dict | None, outcome: dict | None) -> dict:
    """One case in the bundle's shape, from a reader's ``EXPORT_COLUMNS`` values, its newest
    decision and outcome."""
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
    }
