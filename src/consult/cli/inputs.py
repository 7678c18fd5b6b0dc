"""What the verbs read from the user: settings, a file or stdin, dates and day counts."""

from __future__ import annotations

import sys
from datetime import date
from typing import BinaryIO

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


def read_text(source: str, t: Translator, *, limit: int | None = None, json: bool = False) -> str:
    """The file (or stdin) as UTF-8 whatever the locale says; a byte-order mark, as Windows
    Notepad writes it, is dropped. ``limit``: a file larger than that many bytes is refused
    without being read whole; ``json``: a file whose first character cannot begin a JSON
    value is refused after its first bytes (``/dev/zero`` is not read for ever)."""
    try:
        data = _read_bytes(source, t, limit, json)
        return data.decode("utf-8-sig")
    except OSError as error:
        from consult.system.failures import cannot_read

        raise InputError(cannot_read(shown_path(source, t), error, t)) from None
    except UnicodeError:
        raise InputError(f"{shown_path(source, t)}: {t('bundle.not_utf8')}") from None


_FIRST = 64 * 1024  # read first: the start of a JSON file is judged from it
_JSON_WHITESPACE = b" \t\r\n"
_JSON_STARTS = frozenset(bytes([c]) for c in b'{["-0123456789tfn')


def _read_bytes(source: str, t: Translator, limit: int | None, json: bool) -> bytes:
    import errno
    import os

    if source == STDIN:
        if sys.stdin is None:  # started with stdin closed
            raise OSError(errno.EBADF, os.strerror(errno.EBADF))
        stream = sys.stdin.buffer if hasattr(sys.stdin, "buffer") else None
        if stream is None:  # a test's StringIO
            return sys.stdin.read().encode()
        return _read_stream(stream, source, t, limit, json)
    with open(source, "rb") as stream:
        return _read_stream(stream, source, t, limit, json)


def _read_stream(stream: BinaryIO, source: str, t: Translator, limit: int | None, json: bool) -> bytes:
    head = stream.read(_FIRST)
    if json:
        start = head.removeprefix(b"\xef\xbb\xbf").lstrip(_JSON_WHITESPACE)[:1]
        if (start and start not in _JSON_STARTS) or (not start and len(head) >= _FIRST):
            raise InputError(f"{shown_path(source, t)}: {t('input.not_json')}")
    rest = stream.read() if limit is None else stream.read(max(limit + 1 - len(head), 0))
    data = head + rest
    if limit is not None and len(data) > limit:
        raise InputError(f"{shown_path(source, t)}: {t('input.too_large', limit=limit)}")
    return data


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
