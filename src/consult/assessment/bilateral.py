"""Who takes part in a bilateral consultation: the worker's own organisation and the other
one the recommendation names. Shared by the record note and the services offered beside it."""

from __future__ import annotations

from consult.core.model import Recommendation

# The organisation a worker's own organisation belongs to, in the recommendation's terms.
_OWN_ORG = {"social": "welfare", "health": "welfare", "employment": "employment", "kela": "kela"}


def bilateral_pair_keys(worker_org: str | None, recommendation: Recommendation) -> list[str]:
    """The organisations of a bilateral consultation (at most two): the worker's own and the
    other one."""
    own = _OWN_ORG.get(worker_org or "")
    others = [org for org in recommendation.orgs if org != own]
    if own not in recommendation.orgs:
        # The worker's own organisation is named only where the recommendation names it too
        # (a non-jobseeker's case does not involve the employment authority).
        return list(recommendation.orgs[:2])
    return [own, *others[:1]]
