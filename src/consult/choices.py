"""The closed sets of context values, apart from the pydantic model so that reading the settings
file at start-up can check a default area or organisation without importing pydantic."""

from __future__ import annotations

AREAS: tuple[str, ...] = ("yla-savo", "keski-savo", "kuopio", "other")
WORKER_ORGS: tuple[str, ...] = ("social", "health", "employment", "kela")
