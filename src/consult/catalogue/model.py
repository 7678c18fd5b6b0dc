"""A service of the catalogue and the catalogue itself. Field names follow Open Referral's HSDS
where one fits (``name``, ``status``, ``organisation``, ``contact``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import Literal

from consult.core.instrument import DEFAULT_LANGUAGE
from consult.core.vocabulary import AREAS

Organisation = Literal["employment", "social", "health", "kela", "third_sector", "education"]
ORGANISATIONS: tuple[Organisation, ...] = (
    "employment",
    "social",
    "health",
    "kela",
    "third_sector",
    "education",
)
ServiceStatus = Literal["active", "inactive", "temporarily_closed"]
SERVICE_STATUSES: tuple[ServiceStatus, ...] = ("active", "inactive", "temporarily_closed")
# A service serves every area, or the areas it names (the four of a case's context).
ALL_AREAS = "all"
SERVICE_AREAS: tuple[str, ...] = (ALL_AREAS, *AREAS)

_NOTHING: Mapping[str, str] = MappingProxyType({})


def _in(texts: Mapping[str, str], lang: str) -> str | None:
    return texts.get(lang) or texts.get(DEFAULT_LANGUAGE)


@dataclass(frozen=True, slots=True)
class Service:
    id: str
    name: Mapping[str, str]  # fi always; sv and en fall back to fi
    organisation: Organisation
    areas: tuple[str, ...]  # ("all",) or area keys
    domains: tuple[str, ...]
    status: ServiceStatus
    checked_on: date
    for_whom: Mapping[str, str] = field(default_factory=lambda: _NOTHING)
    how_to_reach: Mapping[str, str] = field(default_factory=lambda: _NOTHING)
    contact_role: Mapping[str, str] = field(default_factory=lambda: _NOTHING)
    channel: str | None = None  # a public web address, never a person's
    national_id: str | None = None
    # The organisation's point for a bilateral consultation ("whom, how, when"): the role to
    # ask, and how and when to reach it in ``how_to_reach``.
    consultation: bool = False

    def name_in(self, lang: str) -> str:
        return _in(self.name, lang) or self.id

    def role_in(self, lang: str) -> str | None:
        return _in(self.contact_role, lang)

    def for_whom_in(self, lang: str) -> str | None:
        return _in(self.for_whom, lang)

    def how_to_reach_in(self, lang: str) -> str | None:
        return _in(self.how_to_reach, lang)

    def serves(self, area: str | None) -> bool:
        """True when the service is offered in ``area``; a client without an area is offered
        only what every area has."""
        return ALL_AREAS in self.areas or (area is not None and area in self.areas)

    @property
    def active(self) -> bool:
        return self.status == "active"


@dataclass(frozen=True, slots=True)
class Catalogue:
    version: str
    services: tuple[Service, ...]
    text: str = ""  # the TOML as read: what is stored, shown and carried
    _by_id: Mapping[str, Service] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", MappingProxyType({s.id: s for s in self.services}))

    def get(self, service_id: str) -> Service | None:
        return self._by_id.get(service_id)

    def matching(
        self, area: str | None, domains: Iterable[str], *, active_only: bool = True
    ) -> list[Service]:
        """The services of ``area`` that help with any of ``domains``, in file order."""
        wanted = set(domains)
        return [
            s
            for s in self.services
            if (s.active or not active_only) and s.serves(area) and wanted.intersection(s.domains)
        ]
