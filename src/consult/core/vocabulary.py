"""The closed lists of values a case can hold, as plain tuples: importable without pydantic by
a verb that only counts (``consult stats``). ``consult.core.model`` builds its types on them."""

from __future__ import annotations

AREAS: tuple[str, ...] = ("yla-savo", "keski-savo", "kuopio", "other")
# A case saved without an area is its own bucket in the figures and the review list.
AREA_BUCKETS: tuple[str, ...] = (*AREAS, "unknown")
ROUTES: tuple[str, ...] = ("to_team", "direct")
NOT_STARTED_REASONS: tuple[str, ...] = ("client_declined", "no_capacity", "not_eligible", "other")
WORKER_ORGS: tuple[str, ...] = ("social", "health", "employment", "kela")
AGE_BANDS: tuple[str, ...] = ("under_25", "25_plus")
PRIMARIES: tuple[str, ...] = ("tym", "bilateral", "social_services", "own_service")
FLAGS: tuple[str, ...] = ("safety", "urgent", "insufficient_data", "bring_to_team")
NEEDS: tuple[str, ...] = ("health", "social")
ORGS: tuple[str, ...] = ("employment", "kela", "welfare")
# What a case records of services (product.md, "Services"): how a tried one ended, why a
# needed one is missing.
TRIED_RESULTS: tuple[str, ...] = ("helped", "did_not_help", "interrupted", "not_timely")
MISSING_REASONS: tuple[str, ...] = ("not_in_area", "no_capacity", "waiting_doctor", "waiting_list", "other")


def route_for_status(status: str) -> str | None:
    """The route a version-1 case (or a row from before 0006) is taken to have had.

    A direct case the team has since decided cannot be told from one brought to the team:
    it is taken as ``to_team``, as product.md says for version-1 bundles."""
    if status == "referred_directly":
        return "direct"
    if status in ("awaiting_team", "team_decided"):
        return "to_team"
    return None
