"""Services in words, once for the result screen, the record note, the walk's services step and
the team's case view: which services of the client's area to contact and whom, and the
services tried before or missing, as one line each.

Pure text from the catalogue and the case, in the user's language.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from consult.assessment.bilateral import bilateral_pair_keys
from consult.catalogue.model import Catalogue, Organisation, Service
from consult.catalogue.next_steps import CATALOGUE_ORGS, concerned_domains, consultation_roles, services_for
from consult.core.instrument import load_instrument, localized
from consult.core.model import Assessment, CaseServices, MissingService, Recommendation, TriedService
from consult.i18n import Translator


def service_name(service_id: str, catalogues: Iterable[Catalogue], lang: str) -> str:
    """A catalogue id as the user's language names it, from the first catalogue that knows it
    (the one in force first, then older versions); the id itself when none does."""
    for catalogue in catalogues:
        service = catalogue.get(service_id)
        if service is not None:
            return service.name_in(lang)
    return service_id


class Named(Protocol):
    """A service as a record or a figure names it: a catalogue id, or the worker's words."""

    @property
    def service(self) -> str | None: ...

    @property
    def text(self) -> str | None: ...


def entry_name(entry: Named, catalogues: Iterable[Catalogue], lang: str) -> str:
    if entry.service is not None:
        return service_name(entry.service, catalogues, lang)
    return entry.text or ""


def domain_title(key: str, lang: str) -> str:
    return localized(load_instrument().domain(key).title, lang)


def tried_line(entry: TriedService, t: Translator, catalogues: Sequence[Catalogue]) -> str:
    return t(
        "services.tried_line",
        service=entry_name(entry, catalogues, t.lang),
        result=t(f"services.result.{entry.result}"),
    )


def missing_line(entry: MissingService, t: Translator, catalogues: Sequence[Catalogue]) -> str:
    return t(
        "services.missing_line",
        service=entry_name(entry, catalogues, t.lang),
        domain=domain_title(entry.domain, t.lang),
        reason=t(f"services.reason.{entry.reason}"),
    )


def contact(service: Service, t: Translator, *, channel: bool = True) -> str:
    """Whom to contact and where: the role (never a person) and the public channel (left out
    where the organisation's heading names it once for all its services)."""
    parts = [part for part in (service.role_in(t.lang), service.channel if channel else None) if part]
    return ", ".join(parts) if parts else t("services.no_contact")


def offer_line(service: Service, t: Translator, *, channel: bool = True) -> str:
    return t(
        "services.offer_line", service=service.name_in(t.lang), contact=contact(service, t, channel=channel)
    )


def area_words(area: str | None, t: Translator) -> str:
    return t(f"area.{area}") if area else t("services.offer.all_areas")


@dataclass(frozen=True, slots=True)
class Offer:
    """What the result names for the client's area: services grouped by organisation and, for a
    bilateral consultation, each organisation's consultation role."""

    version: str
    area: str | None
    groups: list[tuple[Organisation, list[Service]]]
    roles: list[tuple[Organisation, Service]]
    challenges: bool  # any domain at level 3 or above


def bilateral_orgs(own_org: str | None, recommendation: Recommendation) -> list[Organisation]:
    """The catalogue's organisations of a bilateral consultation's pair: the worker's own and
    the other one the recommendation names (the welfare area as social or health services,
    by the needs found)."""

    out: list[Organisation] = []
    for org in bilateral_pair_keys(own_org, recommendation):
        options = CATALOGUE_ORGS.get(org, ())
        if org == "welfare":
            needed = [o for o in options if o in recommendation.needs]
            options = tuple(needed) or options
        out += [o for o in options if o not in out]
    return out


def offer(catalogue: Catalogue, assessment: Assessment, recommendation: Recommendation) -> Offer:
    area = assessment.context.area
    groups = services_for(catalogue, area, assessment.scores, recommendation)
    roles: list[tuple[Organisation, Service]] = []
    if recommendation.primary == "bilateral":
        orgs = bilateral_orgs(assessment.context.worker_org, recommendation)
        roles = consultation_roles(catalogue, area, orgs)
    return Offer(catalogue.version, area, groups, roles, bool(concerned_domains(assessment.scores)))


def offer_lines(found: Offer, t: Translator) -> list[tuple[str, str]]:
    """The offer as (kind, text) lines: "org" an organisation's name, "service" a service under
    it, "roles" the bilateral heading, "role" a consultation role, "empty" a line saying why
    nothing is named."""
    lines: list[tuple[str, str]] = []
    for org, services in found.groups:
        # The organisation's usual public channel is named once, beside it; a service reached
        # elsewhere names its own.
        channels = Counter(service.channel for service in services if service.channel)
        shared = channels.most_common(1)[0][0] if channels else None
        name = t(f"services.org.{org}")
        lines.append(("org", t("services.org_channel", org=name, channel=shared) if shared else name))
        lines += [
            ("service", offer_line(service, t, channel=service.channel != shared)) for service in services
        ]
    if not found.groups:
        lines.append(
            ("empty", t("services.offer.none" if found.challenges else "services.offer.no_challenges"))
        )
    if found.roles:
        lines.append(("roles", t("services.offer.bilateral")))
        for org, service in found.roles:
            # Whom (the role), then how and when (a sentence or two of the catalogue), then where.
            role = " — ".join(
                part for part in (service.role_in(t.lang), service.how_to_reach_in(t.lang)) if part
            )
            if service.channel:
                role = f"{role} · {service.channel}" if role else service.channel
            lines.append(
                (
                    "role",
                    t(
                        "services.role_line",
                        org=t(f"services.org.{org}"),
                        role=role or t("services.no_contact"),
                    ),
                )
            )
    return lines


def case_lines(
    services: CaseServices, t: Translator, catalogues: Sequence[Catalogue]
) -> tuple[list[str], list[str]]:
    """The case's tried and missing services, one line each."""
    return (
        [tried_line(entry, t, catalogues) for entry in services.tried],
        [missing_line(entry, t, catalogues) for entry in services.missing],
    )
