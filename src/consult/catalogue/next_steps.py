"""Which services a result names: the active services of the client's area for the domains at
level 3 and above, grouped by organisation; and for a bilateral consultation, each
organisation's consultation role ("whom, how, when")."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from consult.catalogue.model import ORGANISATIONS, Catalogue, Organisation, Service
from consult.core.instrument import DOMAIN_KEYS

if TYPE_CHECKING:
    from consult.core.model import Recommendation, Scores

# The level from which a domain is a challenge in the instrument ("level 3 and above").
CONCERNED_LEVEL = 3

# The recommendation names the consultation model's three organisations; the wellbeing
# services county is two in a catalogue, its social and its health services.
CATALOGUE_ORGS: Mapping[str, tuple[Organisation, ...]] = {
    "employment": ("employment",),
    "kela": ("kela",),
    "welfare": ("social", "health"),
    "social": ("social",),
    "health": ("health",),
    "third_sector": ("third_sector",),
    "education": ("education",),
}
# Named by the rules never, offered on their domains alone.
_BEYOND_THE_MODEL: tuple[Organisation, ...] = ("third_sector", "education")


def concerned_domains(scores: Scores | Mapping[str, int | None], level: int = CONCERNED_LEVEL) -> list[str]:
    """The domains at ``level`` or above, in instrument order."""
    values = scores if isinstance(scores, Mapping) else scores.model_dump()
    return [key for key in DOMAIN_KEYS if (values.get(key) or 0) >= level]


def catalogue_orgs(orgs: Iterable[str]) -> list[Organisation]:
    """The catalogue's organisations behind the recommendation's (``welfare`` → social, health),
    in the order given, each once."""
    found: dict[Organisation, None] = {}
    for org in orgs:
        for each in CATALOGUE_ORGS.get(org, ()):
            found[each] = None
    return list(found)


def services_for(
    catalogue: Catalogue,
    area: str | None,
    scores: Scores | Mapping[str, int | None],
    recommendation: Recommendation | None,
) -> list[tuple[Organisation, list[Service]]]:
    """The active services of ``area`` for the domains at level 3 and above, grouped by
    organisation, each group in file order: first the organisations the recommendation
    involves, in its order; then Kela, whose rehabilitation is offered wherever its domains
    are concerned (the pilot found it under-used); then the third sector and education, which
    the rules never name. Without a recommendation every organisation's services are named."""
    domains = concerned_domains(scores)
    if not domains:
        return []
    if recommendation is None:
        wanted = list(ORGANISATIONS)
    else:
        wanted = catalogue_orgs(recommendation.orgs)
        wanted += [org for org in ("kela", *_BEYOND_THE_MODEL) if org not in wanted]
    matching = catalogue.matching(area, domains)
    groups = [(org, [s for s in matching if s.organisation == org]) for org in wanted]
    return [(org, services) for org, services in groups if services]


def consultation_roles(
    catalogue: Catalogue, area: str | None, orgs: Iterable[str]
) -> list[tuple[Organisation, Service]]:
    """For a bilateral consultation: each organisation's consultation point in ``area`` (the
    active service marked ``consultation = true``; the first in file order where the region
    marked several), in the order of ``orgs`` (the recommendation's organisations or the
    catalogue's; ``welfare`` is its social and its health services)."""
    found = []
    for org in catalogue_orgs(orgs):
        point = next(
            (
                s
                for s in catalogue.services
                if s.consultation and s.organisation == org and s.active and s.serves(area)
            ),
            None,
        )
        if point is not None:
            found.append((org, point))
    return found
