"""Where the data lives and which language to speak: read once, validated, passed down."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DATABASE_FILE = "consult.db"


def default_data_dir() -> Path:
    # platformdirs is imported here so merely reading settings costs nothing when overridden.
    from platformdirs import PlatformDirs

    return Path(PlatformDirs("consult", appauthor=False).user_data_dir)


class Settings(BaseSettings):
    """Settings from ``CONSULT_*`` environment variables."""

    model_config = SettingsConfigDict(env_prefix="CONSULT_", extra="ignore", frozen=True)

    data_dir: Path = Field(default_factory=default_data_dir)
    """Directory of the local database and saved record notes (CONSULT_DATA_DIR)."""

    database_url: str | None = None
    """Any SQLAlchemy URL, e.g. a team's shared PostgreSQL server (CONSULT_DATABASE_URL).
    Unset: SQLite in the data directory."""

    lang: Literal["fi", "sv", "en"] = "fi"
    """Language of the screens and reasons (CONSULT_LANG): fi, sv or en."""

    @field_validator("database_url")
    @classmethod
    def _blank_is_unset(cls, value: str | None) -> str | None:
        return value.strip() or None if value is not None else None

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / DATABASE_FILE}"

    @property
    def is_local_sqlite(self) -> bool:
        return self.database_url is None

    def where(self) -> str:
        """Where the cases live, for the screen: never a password."""
        if self.database_url is None:
            return str(self.data_dir / DATABASE_FILE)
        head, sep, tail = self.database_url.partition("@")
        if sep and "://" in head:
            scheme, _, _credentials = head.partition("://")
            return f"{scheme}://…@{tail}"
        return self.database_url
