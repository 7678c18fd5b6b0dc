"""Where the data lives and which language to speak: read once, validated, passed down.

A frozen dataclass rather than pydantic-settings: measured here, importing pydantic-settings
costs ~55 ms of a ~270 ms start, and these three variables need no more than this.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from consult.instrument import DEFAULT_LANGUAGE, LANGUAGES

DATABASE_FILE = "consult.db"
ENV_PREFIX = "CONSULT_"
MIN_DAYS, MAX_DAYS = 1, 36_500
DAYS_ALLOWED = f"{MIN_DAYS}–{MAX_DAYS}"


def parse_days(raw: str) -> int:
    """A number of days as typed (an environment variable, an option); ValueError otherwise."""
    if not (raw.isascii() and raw.isdigit() and MIN_DAYS <= int(raw) <= MAX_DAYS):
        raise ValueError(raw)
    return int(raw)


def default_data_dir() -> Path:
    from platformdirs import PlatformDirs

    return Path(PlatformDirs("consult", appauthor=False).user_data_dir)


class SettingsError(ValueError):
    """A setting with a value that is not allowed; ``str()`` is one line for the user."""

    def __init__(self, variable: str, value: str, allowed: str) -> None:
        super().__init__(f"{variable}: {value!r} — {allowed}")
        self.variable, self.value, self.allowed = variable, value, allowed


@dataclass(frozen=True, slots=True)
class Settings:
    data_dir: Path = field(default_factory=default_data_dir)
    """Directory of the local database and saved record notes (CONSULT_DATA_DIR)."""

    database_url: str | None = None
    """Any SQLAlchemy URL, e.g. a team's shared PostgreSQL server (CONSULT_DATABASE_URL).
    Unset: SQLite in the data directory."""

    lang: str = DEFAULT_LANGUAGE
    """Language of the screens and reasons (CONSULT_LANG): fi, sv or en."""

    demo: bool = False
    """A throwaway database of fictional demo cases (``consult demo``), marked on every screen."""

    output_dir: Path | None = None
    """Where exports and saved record notes go; None: the data directory. The demo's data
    directory is removed on quit, so its files go to a folder of the real one instead."""

    draft_days: int = 30
    """``consult purge`` removes drafts untouched this many days (CONSULT_DRAFT_DAYS)."""

    retention_days: int = 730
    """``consult purge`` removes saved cases created this many days ago (CONSULT_RETENTION_DAYS):
    two years covers a pilot's follow-up and the year after it."""

    def __post_init__(self) -> None:
        if self.lang not in LANGUAGES:
            raise SettingsError(f"{ENV_PREFIX}LANG", self.lang, " | ".join(LANGUAGES))
        for name in ("draft_days", "retention_days"):
            value = getattr(self, name)
            if not MIN_DAYS <= value <= MAX_DAYS:
                raise SettingsError(f"{ENV_PREFIX}{name.upper()}", str(value), DAYS_ALLOWED)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        if data_dir := env.get(f"{ENV_PREFIX}DATA_DIR", "").strip():
            values["data_dir"] = Path(data_dir).expanduser()
        if url := env.get(f"{ENV_PREFIX}DATABASE_URL", "").strip():
            if "://" not in url:
                raise SettingsError(f"{ENV_PREFIX}DATABASE_URL", url, "dialect+driver://…")
            values["database_url"] = url
        if lang := env.get(f"{ENV_PREFIX}LANG", "").strip():
            values["lang"] = lang.lower()
        for name in ("draft_days", "retention_days"):
            variable = f"{ENV_PREFIX}{name.upper()}"
            if raw := env.get(variable, "").strip():
                try:
                    values[name] = parse_days(raw)
                except ValueError:
                    raise SettingsError(variable, raw, DAYS_ALLOWED) from None
        return cls(**values)  # type: ignore[arg-type]

    @property
    def files_dir(self) -> Path:
        """The folder that keeps what the worker exports or saves as a file."""
        return self.output_dir or self.data_dir

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / DATABASE_FILE}"

    @property
    def training_database_url(self) -> str:
        """Trainee results live in a file of their own, never in the real (or shared) database."""
        return f"sqlite:///{self.data_dir / 'training.db'}"

    def where(self) -> str:
        """Where the cases live, for the screen: never a password."""
        if self.database_url is None:
            return str(self.data_dir / DATABASE_FILE)
        head, sep, tail = self.database_url.partition("@")
        if sep and "://" in head:
            scheme = head.partition("://")[0]
            return f"{scheme}://…@{tail}"
        return self.database_url
