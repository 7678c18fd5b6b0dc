"""Where the data lives and which language to speak: read once, validated, passed down.

A frozen dataclass rather than pydantic-settings: measured here, importing pydantic-settings
costs ~55 ms of a ~270 ms start, and these three variables need no more than this.

The worker's own choices (language, default employment area and organisation) live in a small
JSON file in the platform's config directory, written by the settings screen; an environment
variable still wins over the file. A file that cannot be used is reported in one line and the
defaults are used, so a hand-edited typo never stops the app.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from consult.core.instrument import DEFAULT_LANGUAGE, LANGUAGES
from consult.core.vocabulary import AREAS, WORKER_ORGS

DATABASE_FILE = "consult.db"
PREFERENCES_FILE = "settings.json"
PREFERENCES_LIMIT = 64 * 1024
# What the settings file may hold, and what each field allows.
PREFERENCE_CHOICES: Mapping[str, tuple[str, ...]] = {
    "lang": LANGUAGES,
    "area": AREAS,
    "worker_org": WORKER_ORGS,
}
PREFERENCE_VARIABLES = {"lang": "CONSULT_LANG", "area": "CONSULT_AREA", "worker_org": "CONSULT_WORKER_ORG"}
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


def default_config_dir() -> Path:
    from platformdirs import PlatformDirs

    return Path(PlatformDirs("consult", appauthor=False).user_config_dir)


def preferences_path(environ: Mapping[str, str] | None = None) -> Path:
    env = os.environ if environ is None else environ
    folder = env.get(f"{ENV_PREFIX}CONFIG_DIR", "").strip()
    return (Path(folder).expanduser() if folder else default_config_dir()) / PREFERENCES_FILE


@dataclass(frozen=True, slots=True)
class PreferencesProblem:
    """Why the settings file was not used: ``field`` is empty when the file itself is unreadable."""

    path: Path
    field: str
    value: str
    allowed: str


def read_preferences(path: Path) -> tuple[dict[str, str], PreferencesProblem | None]:
    """The worker's saved choices; a missing file is no problem, a bad one gives the defaults."""
    try:
        with open(path, "rb") as file:
            data = file.read(PREFERENCES_LIMIT + 1)  # three short choices: a larger file is not read whole
        if len(data) > PREFERENCES_LIMIT:
            return {}, PreferencesProblem(path, "", "…", "JSON")
        raw = json.loads(data.decode("utf-8"))
    except FileNotFoundError:
        return {}, None
    except (OSError, UnicodeDecodeError, ValueError) as error:
        return {}, PreferencesProblem(path, "", error.__class__.__name__, "JSON")
    if not isinstance(raw, dict):
        return {}, PreferencesProblem(path, "", type(raw).__name__, "JSON {…}")
    chosen: dict[str, str] = {}
    for name, value in raw.items():
        allowed = PREFERENCE_CHOICES.get(name)
        if allowed is None:
            return {}, PreferencesProblem(path, plain(name), "", " | ".join(PREFERENCE_CHOICES))
        if value is None:
            continue
        if value not in allowed:
            return {}, PreferencesProblem(path, name, plain(value), " | ".join(allowed))
        chosen[name] = value
    return chosen, None


# What a message repeats of the settings file: a short word of letters, as every allowed value
# is. Anything else (an identity code, an escape sequence, a megabyte, a number) is "…": the
# file is the worker's own, but the line is shown on every start.
_PLAIN = re.compile(r"[A-Za-zÅÄÖåäö][A-Za-zÅÄÖåäö_-]{0,23}")


def plain(value: object) -> str:
    return value if isinstance(value, str) and _PLAIN.fullmatch(value) else "…"


def write_preferences(path: Path, chosen: Mapping[str, str | None]) -> None:
    """Replaces the file in one step, so a crash mid-write leaves the old file, never half a one."""
    for name, value in chosen.items():
        if value is not None and value not in PREFERENCE_CHOICES[name]:
            raise ValueError(f"{name}: {value!r}")
    from consult.system.files import private_dir, write_replacing

    # Like every file the app writes: 0600 in a 0700 folder, under a fresh unguessable name
    # opened without following a link, renamed over the old file only once whole.
    private_dir(path.parent)
    write_replacing(path, lambda out: out.write(json.dumps(dict(chosen), indent=2) + "\n"))


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

    area: str | None = None
    """The employment area preselected on the context step (settings screen, CONSULT_AREA)."""

    worker_org: str | None = None
    """The worker's organisation preselected on the context step (CONSULT_WORKER_ORG)."""

    preferences_file: Path | None = None
    """Where the settings screen saves; None where nothing is read or written (tests)."""

    preferences_problem: PreferencesProblem | None = None
    """The settings file could not be used: shown on home in one line, defaults in force."""

    from_environment: frozenset[str] = frozenset()
    """Preferences an environment variable set: the settings screen says the variable wins."""

    def __post_init__(self) -> None:
        for name, variable in PREFERENCE_VARIABLES.items():
            value = getattr(self, name)
            allowed = PREFERENCE_CHOICES[name]
            if value not in allowed and not (value is None and name != "lang"):
                raise SettingsError(variable, str(value), " | ".join(allowed))
        for name in ("draft_days", "retention_days"):
            value = getattr(self, name)
            if not MIN_DAYS <= value <= MAX_DAYS:
                raise SettingsError(f"{ENV_PREFIX}{name.upper()}", str(value), DAYS_ALLOWED)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        path = preferences_path(env)
        saved, problem = read_preferences(path)
        values: dict[str, object] = {**saved, "preferences_file": path, "preferences_problem": problem}
        from_environment = set()
        for name, variable in PREFERENCE_VARIABLES.items():
            if raw := env.get(variable, "").strip():
                values[name] = raw.lower() if name == "lang" else raw
                from_environment.add(name)
        values["from_environment"] = frozenset(from_environment)
        if data_dir := env.get(f"{ENV_PREFIX}DATA_DIR", "").strip():
            values["data_dir"] = Path(data_dir).expanduser()
        if url := env.get(f"{ENV_PREFIX}DATABASE_URL", "").strip():
            if "://" not in url:
                raise SettingsError(f"{ENV_PREFIX}DATABASE_URL", url, "dialect+driver://…")
            values["database_url"] = url
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
