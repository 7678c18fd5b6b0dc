"""The throwaway database behind ``consult demo``: its own folder, never the real database."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from consult.bundle import Bundle, import_bundle
from consult.demo import stored_cases
from consult.settings import Settings
from consult.store import Store


def demo_settings(settings: Settings, folder: Path) -> Settings:
    """The user's language, but a database of its own: CONSULT_DATABASE_URL is ignored."""
    return replace(settings, data_dir=folder, database_url=None, demo=True)


def seed(settings: Settings) -> int:
    if not settings.demo:
        raise ValueError("demo cases go only into a demo database")
    store = Store.open(settings.resolved_database_url)
    try:
        added, _ = import_bundle(
            store.engine, Bundle(format="consult-cases", version=1, cases=stored_cases(lang=settings.lang))
        )
    finally:
        store.close()
    return added
