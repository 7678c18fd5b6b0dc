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
    """The days --since and --until name; a first day after the last is refused (with
    ``reversed_key``'s message, or the general one), never answered with zeros."""
    from consult.core.dates import PeriodReversed, check_period

    first, last = parse_date(since, t, "--since"), parse_date(until, t, "--until")
    try:
        check_period(first, last)
    except PeriodReversed:
        message = t(reversed_key) if reversed_key else t("input.period_reversed")
        raise InputError(f"--since: {message}") from None
    return first, last


def parse_date(value: str | None, t: Translator, option: str) -> date | None:
    if value is None:
        return None
    from consult.core.dates import parse_day

    try:  # the forms the app takes: 1.12.2026 and 2026-12-01
        return parse_day(value)
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
