"""The pilot report's figures: those of ``consult stats`` over the period, and the same
figures for each month and each area, so every number in the report is one the stats verb
gives for that month or area."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from consult.catalogue.model import Catalogue
from consult.core.dates import team_day
from consult.scoring.compare import TeamAgreement, team_agreement
from consult.stats import Stats, compute_months_and_areas, empty

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from consult.stats import Source


@dataclass(frozen=True)
class ReportFigures:
    since: date | None
    until: date | None
    made: date
    total: Stats
    months: list[tuple[date, Stats]]  # the first day of each month, with that month's figures
    areas: dict[str, Stats]
    # The team's agreement with the recommendation and kappa, as the follow-up screen counts it.
    team: TeamAgreement = field(default_factory=lambda: team_agreement(()))
    # The service catalogues that name the missing services' ids: the one in force first.
    catalogues: tuple[Catalogue, ...] = ()


def month_starts(first: date, last: date) -> list[date]:
    out, month = [], first.replace(day=1)
    while month <= last:
        out.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return out


def month_end(month: date) -> date:
    return (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def gather(
    source: Source, since: date | None = None, until: date | None = None, today: date | None = None
) -> ReportFigures:
    today = today or team_day(datetime.now(UTC))
    total, areas, found = compute_months_and_areas(source, since, until, today)
    months: list[tuple[date, Stats]] = []
    if found:
        # From the first month with cases to the last, the empty ones between included.
        first, last = (date.fromisoformat(f"{key}-01") for key in (min(found), max(found)))
        for month in month_starts(first, last):
            end = min(month_end(month), until) if until else month_end(month)
            months.append((month, found.get(month.strftime("%Y-%m")) or empty(since, until, end)))
    team = team_agreement((primary, path) for _, primary, path in _decided_pairs(source, since, until))
    return ReportFigures(
        since=since,
        until=until,
        made=today,
        total=total,
        months=months,
        areas=areas,
        team=team,
        catalogues=_catalogues(source),
    )


def _catalogues(source: Source) -> tuple[Catalogue, ...]:
    """The catalogue in force, then the older versions activated on the database."""
    from consult.store import Store
    from consult.store.services import catalogue_in_force, known_catalogues

    engine = source.engine if isinstance(source, Store) else _engine(source)
    in_force = catalogue_in_force(engine)
    return (in_force, *(c for v, c in known_catalogues(engine).items() if v != in_force.version))


def _engine(source: sqlite3.Connection | Engine) -> Engine:
    """An engine on ``source`` (a sqlite3 connection is lent, never closed by it)."""
    from sqlalchemy import create_engine
    from sqlalchemy.pool import StaticPool

    if isinstance(source, sqlite3.Connection):
        connection = source
        return create_engine("sqlite://", creator=lambda: connection, poolclass=StaticPool)
    return source


def _decided_pairs(source: Source, since: date | None, until: date | None) -> list[tuple[str, str, str]]:
    """The decided cases of the period, read as the follow-up screen reads them
    (``Store.decided_pairs``), from whichever source the figures came from."""
    from consult.store import Store
    from consult.store.rules import decided_pairs

    if isinstance(source, Store):
        return source.decided_pairs(since, until)
    return decided_pairs(_engine(source), since, until)
