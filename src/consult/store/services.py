"""Services: the catalogue in force and every version activated before it (kept as their
files, so a saved case's service id stays readable whatever is in force now), and the services
a case records as tried and as missing."""

from __future__ import annotations

import json
from collections.abc import Iterable

from sqlalchemy import Connection, Engine, delete, insert, select
from sqlmodel import Session

from consult.catalogue.file import CatalogueError, parse_catalogue, starter_catalogue
from consult.catalogue.model import Catalogue
from consult.core.model import Case, CaseServices, MissingService, TriedService
from consult.privacy.guard import refuse_identifiers
from consult.store.activations import Activation, Activations
from consult.store.case_rows import newest_decision, newest_outcome, now, refuse_across_fields, to_case
from consult.store.db import table_of, writer
from consult.store.tables import (
    CaseEditRow,
    CaseRow,
    CatalogueActivationRow,
    MissingServiceRow,
    TriedServiceRow,
)
from consult.store.who import written_by


class CatalogueVersionTaken(ValueError):
    """The version name already stands for another catalogue file on this database."""

    def __init__(self, version: str) -> None:
        super().__init__(version)
        self.version = version


class UnknownService(ValueError):
    """A case names a service id that no catalogue activated here (nor the starter) has;
    ``field`` says where (``services.tried[0].service``)."""

    def __init__(self, field: str) -> None:
        super().__init__(f"{field}: unknown_service")
        self.field = field


_ACTIVATED = Activations(
    CatalogueActivationRow, "text", lambda text: parse_catalogue(text)[0], CatalogueError
)


def catalogue_in_force(engine: Engine) -> Catalogue:
    """The newest activated catalogue, or the starter when none was ever activated."""
    catalogue = _ACTIVATED.in_force(engine)
    return starter_catalogue() if catalogue is None else catalogue


def known_catalogues(engine: Engine) -> dict[str, Catalogue]:
    """Version → catalogue, for every version a case's service id may come from: the starter
    and each one activated here, oldest first (a version activated again counts once)."""
    starter = starter_catalogue()
    known = {starter.version: starter}
    known.update((catalogue.version, catalogue) for catalogue in _ACTIVATED.every(engine))
    return known


def known_service_ids(engine: Engine) -> frozenset[str]:
    return frozenset(s.id for c in known_catalogues(engine).values() for s in c.services)


def activate_catalogue(engine: Engine, text: str, who: str | None = None) -> Catalogue:
    """Puts the catalogue ``text`` describes in force. Its version may name only this file: a
    version already activated (or the starter's) with another file is refused, so that a
    version always means one list of services. The same file activated again is put back in
    force (going back to an older version)."""
    catalogue, _ = parse_catalogue(text)  # CatalogueError: the command line checked it first
    existing = known_catalogues(engine).get(catalogue.version)
    if existing is not None and existing.text != text:
        raise CatalogueVersionTaken(catalogue.version)
    _ACTIVATED.add(engine, catalogue.version, text, who)
    return catalogue


def catalogue_activations(engine: Engine) -> list[Activation]:
    """Every activation, newest first."""
    return _ACTIVATED.history(engine)


# --- a case's services ------------------------------------------------------------------------


def services_of(connection: Connection, case_ids: Iterable[str]) -> dict[str, CaseServices]:
    """Each case's services (only the cases that have any), in the order recorded."""
    ids = list(case_ids)
    if not ids:
        return {}
    tried_table, missing_table = table_of(TriedServiceRow), table_of(MissingServiceRow)
    tried: dict[str, list[TriedService]] = {}
    missing: dict[str, list[MissingService]] = {}
    for start in range(0, len(ids), 500):  # under every database's limit of bound values
        chunk = ids[start : start + 500]
        for row in connection.execute(
            select(tried_table.c.case_id, tried_table.c.service, tried_table.c.text, tried_table.c.result)
            .where(tried_table.c.case_id.in_(chunk))
            .order_by(tried_table.c.case_id, tried_table.c.position)
        ):
            tried.setdefault(row.case_id, []).append(
                TriedService.model_construct(service=row.service, text=row.text, result=row.result)
            )
        for entry in connection.execute(
            select(
                missing_table.c.case_id,
                missing_table.c.service,
                missing_table.c.text,
                missing_table.c.domain,
                missing_table.c.reason,
            )
            .where(missing_table.c.case_id.in_(chunk))
            .order_by(missing_table.c.case_id, missing_table.c.position)
        ):
            missing.setdefault(entry.case_id, []).append(
                MissingService.model_construct(
                    service=entry.service, text=entry.text, domain=entry.domain, reason=entry.reason
                )
            )
    return {
        case_id: CaseServices.model_construct(
            tried=tuple(tried.get(case_id, ())), missing=tuple(missing.get(case_id, ()))
        )
        for case_id in dict.fromkeys([*tried, *missing])
    }


def case_services(session: Session, case_id: str) -> CaseServices:
    return services_of(session.connection(), [case_id]).get(case_id, CaseServices())


def services_json(services: CaseServices) -> dict:
    """A case's services as a bundle carries them."""
    return {
        "tried": [{"service": s.service, "text": s.text, "result": s.result} for s in services.tried],
        "missing": [
            {"service": s.service, "text": s.text, "domain": s.domain, "reason": s.reason}
            for s in services.missing
        ],
    }


EMPTY_JSON: dict = {"tried": [], "missing": []}


def check_services(services: CaseServices, known: frozenset[str]) -> None:
    """The store's last line for a case's services: each id known to a catalogue activated
    here (or the starter), each text through the guard (refusal names the field)."""
    for kind, entries in (("tried", services.tried), ("missing", services.missing)):
        for index, entry in enumerate(entries):
            if entry.service is not None and entry.service not in known:
                raise UnknownService(f"services.{kind}[{index}].service")
    for field, text in services.texts().items():
        refuse_identifiers(field, text)


def insert_services(connection: Connection, cases: list[tuple[str, CaseServices]]) -> None:
    """The rows of the cases' services (case id, services), positions from 1: one statement a
    table for them all (an import writes a chunk's at once). Who adds them is said once, not
    asked of the OS for each row (on a server the server says it)."""
    who = written_by(connection.engine)
    tried = [
        {
            "case_id": case_id,
            "position": i,
            "service": s.service,
            "text": s.text,
            "result": s.result,
            "created_by": who,
        }
        for case_id, services in cases
        for i, s in enumerate(services.tried, start=1)
    ]
    missing = [
        {
            "case_id": case_id,
            "position": i,
            "service": s.service,
            "text": s.text,
            "domain": s.domain,
            "reason": s.reason,
            "created_by": who,
        }
        for case_id, services in cases
        for i, s in enumerate(services.missing, start=1)
    ]
    if tried:
        connection.execute(insert(table_of(TriedServiceRow)), tried)
    if missing:
        connection.execute(insert(table_of(MissingServiceRow)), missing)


def set_case_services(engine: Engine, case_id: str, services: CaseServices) -> Case:
    """The case's tried and missing services become ``services`` (a draft's, or a saved
    case's like a note: the old lists kept in the case's edit history). LookupError for no
    such case; UnknownService, IdentifierRefused naming the field."""
    check_services(services, known_service_ids(engine))
    with Session(writer(engine)) as session:
        row = session.get(CaseRow, case_id)
        if row is None:
            raise LookupError(case_id)
        refuse_across_fields(row.notes, services.texts())
        old = case_services(session, case_id)
        if old != services:
            connection = session.connection()
            for table in (table_of(TriedServiceRow), table_of(MissingServiceRow)):
                connection.execute(delete(table).where(table.c.case_id == case_id))
            insert_services(connection, [(case_id, services)])
            row.updated_at = now()
            if row.status != "draft":
                session.add(
                    CaseEditRow(
                        case_id=case_id,
                        field="services",
                        old_value=json.dumps(services_json(old), ensure_ascii=False),
                        new_value=json.dumps(services_json(services), ensure_ascii=False),
                        edited_at=row.updated_at,
                    )
                )
            session.add(row)
            session.commit()
            session.refresh(row)
        decision = newest_decision(session, case_id) if row.status != "draft" else None
        outcome = newest_outcome(session, case_id) if row.status != "draft" else None
        return to_case(row, decision, outcome, services=case_services(session, case_id))
