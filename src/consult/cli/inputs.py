"""What the verbs read from the user: settings, a file or stdin, dates and day counts."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from consult.cli.errors import InputError
from consult.i18n import Translator
from consult.system.settings import Settings, SettingsError

STDIN = "-"


def load_settings() -> Settings:
    try:
        return Settings.from_env()
    except SettingsError as error:
        message = Translator()("input.setting", value=error.value, allowed=error.allowed)
        raise InputError(f"{error.variable}: {message}") from None


def read_text(source: str, t: Translator) -> str:
    """The file (or stdin) as UTF-8 whatever the locale says; a byte-order mark, as Windows
    Notepad writes it, is dropped."""
    try:
        return _read_bytes(source).decode("utf-8-sig")
    except OSError as error:
        from consult.system.failures import cannot_read

        raise InputError(cannot_read(shown_path(source, t), error, t)) from None
    except UnicodeError:
        raise InputError(f"{shown_path(source, t)}: {t('bundle.not_utf8')}") from None


def _read_bytes(source: str) -> bytes:
    if source != STDIN:
        return Path(source).read_bytes()
    return sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read().encode()


def shown_path(source: str, t: Translator) -> str:
    return t("failure.stdin") if source == STDIN else source


def period(
    since: str | None, until: str | None, t: Translator, reversed_key: str | None = None
) -> tuple[date | None, date | None]:
    """The days --since and --until name; with ``reversed_key``, a first day after the last
    is refused with that message."""
    first, last = parse_date(since, t, "--since"), parse_date(until, t, "--until")
    if reversed_key is not None and first and last and first > last:
        raise InputError(f"--since: {t(reversed_key)}")
    return first, last


def parse_date(value: str | None, t: Translator, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{option}: {t('input.date', value=value)}") from None


def parse_days(value: str | None, default: int, t: Translator, option: str) -> int:
    from consult.system.settings import MAX_DAYS, MIN_DAYS
    from consult.system.settings import parse_days as days_of

    if value is None:
        return default
    try:
        return days_of(value)
    except ValueError:
        raise InputError(f"{option}: {t('input.days', value=value, low=MIN_DAYS, high=MAX_DAYS)}") from None
