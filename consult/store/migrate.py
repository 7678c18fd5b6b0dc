"""Schema migrations, run on start: a database from an older version opens without loss."""

from __future__ import annotations

import threading
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config(connection=None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


# Alembic keeps its migration context in module globals: two databases migrated at once in
# one process (the real one and the training one, from two threads) trip over each other.
_MIGRATING = threading.Lock()


def upgrade(engine: Engine) -> None:
    with _MIGRATING, engine.begin() as connection:
        command.upgrade(alembic_config(connection), "head")


def check(engine: Engine) -> None:
    """Raises when the tables and the migrations disagree."""
    with _MIGRATING, engine.begin() as connection:
        command.check(alembic_config(connection))
