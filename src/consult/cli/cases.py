"""The ``export``, ``import`` and ``purge`` verbs: cases out of the database, into it, and
removed from it when their time is up."""

from __future__ import annotations

import argparse
import sqlite3
import sys
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, TextIO, cast

from consult.cli.database import opened
from consult.cli.errors import DatabaseProblem, InputError
from consult.cli.inputs import STDIN, parse_days, shown_path
from consult.cli.output import committed, say
from consult.i18n import Translator
from consult.system.settings import Settings

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from consult.exchange.bundle import PrivacyWarnings

    Source = Engine | sqlite3.Connection

Writer = Callable[["Source", TextIO], int]


def export(settings: Settings, t: Translator, args: argparse.Namespace) -> None:
    run_export(settings, t, args.format, args.output, args.codes, args.drafts)


def import_(settings: Settings, t: Translator, args: argparse.Namespace) -> None:
    run_import(settings, t, args.file, args.strict)


def purge(settings: Settings, t: Translator, args: argparse.Namespace) -> None:
    run_purge(settings, t, args.dry_run, args.draft_days, args.retention_days)


def run_export(
    settings: Settings,
    t: Translator,
    kind: str,
    output: str | None,
    codes: bool = False,
    drafts: bool = False,
) -> None:
    """Completed cases only unless ``drafts``: the file counts what ``consult stats`` counts, and
    a draft written on request says so in its status column."""
    writer = _writer(kind, codes, drafts, t)
    connection = _local_file(settings)
    if connection is not None:  # everything is the worker's own: no role to ask about
        with closing(connection):
            count = _export_to(output, connection, writer, t)
    else:
        from consult.cli.admin import require

        with opened(settings) as store:
            require(store, "export", t)  # the server's policies hold the rows; this says why at once
            count = _export_to(output, store.engine, writer, t)
    print(t("bundle.exported", count=count), file=sys.stderr)


def _local_file(settings: Settings) -> sqlite3.Connection | None:
    """The local SQLite file through the standard library, when its schema is current: the
    export then imports neither SQLAlchemy nor pydantic (a sixth of exporting 100,000 cases).
    None for a server, or a file the store must create or upgrade first."""
    if settings.database_url is not None:
        return None
    from consult.system.database_file import open_current
    from consult.system.settings import DATABASE_FILE

    try:
        return open_current(settings.data_dir / DATABASE_FILE)
    except Exception as error:  # said as the store would say it
        raise DatabaseProblem(error) from None


def _export_to(output: str | None, source: Source, writer: Writer, t: Translator) -> int:
    if output is None:
        return writer(source, sys.stdout)
    from consult.system.failures import cannot_write
    from consult.system.files import write_replacing

    # Written beside the target under a fresh name and renamed, so a failed export never leaves
    # half a file, and a link planted there is never followed.
    try:
        return cast(int, write_replacing(Path(output), lambda out: writer(source, out)))
    except OSError as error:
        raise InputError(cannot_write(output, error, t)) from None


def _writer(kind: str, codes: bool, drafts: bool, t: Translator) -> Writer:
    from consult.exchange.export import export_csv, export_json
    from consult.exchange.spreadsheet import export_cases

    def write(source: Source, out: TextIO) -> int:
        if kind == "json":
            return export_json(source, out, drafts=drafts)
        if codes:
            return export_csv(source, out, drafts=drafts)
        return export_cases(source, out, t, drafts=drafts)  # a spreadsheet in the user's language

    return write


def run_import(settings: Settings, t: Translator, source: str, strict: bool = False) -> None:
    from consult.exchange.bundle import BundleError, PrivacyWarnings, import_file
    from consult.system.failures import cannot_read

    warnings = PrivacyWarnings()
    stream = _opened_source(source, t)
    try:
        with opened(settings, check=True) as store:  # a damaged file is refused before writing
            from consult.cli.admin import require

            require(store, "import", t)
            # Read, checked and written a chunk at a time in one transaction: a problem anywhere
            # in the file rolls back every case, and nothing was written.
            added, skipped = import_file(store.engine, stream, t, strict=strict, warnings=warnings)
    except BundleError as error:
        raise InputError(str(error)) from None
    except OSError as error:
        raise InputError(cannot_read(shown_path(source, t), error, t)) from None
    finally:
        if source != STDIN:
            stream.close()
    if warnings:
        _warn(warnings, t)
    committed(
        t("bundle.imported", added=t("count.cases", count=added), skipped=t("count.cases", count=skipped)), t
    )


def _opened_source(source: str, t: Translator) -> BinaryIO:
    from consult.system.failures import cannot_read

    try:
        return _stdin() if source == STDIN else open(source, "rb")
    except OSError as error:
        raise InputError(cannot_read(source, error, t)) from None


def _stdin() -> BinaryIO:
    import errno
    import os

    if sys.stdin is None:  # started with stdin closed
        raise OSError(errno.EBADF, os.strerror(errno.EBADF))
    return sys.stdin.buffer


def _warn(warnings: PrivacyWarnings, t: Translator) -> None:
    """On stderr, after the import: the worker sees which cases to look at, never the text
    itself (it may be the very name)."""
    kinds = ", ".join(t(f"privacy.kind.{kind}") for kind in warnings.kinds)
    print(
        f"consult: {t('privacy.import_warned', cases=warnings.count, kinds=kinds, where=_where(warnings, t))}",
        file=sys.stderr,
    )


def _where(warnings: PrivacyWarnings, t: Translator) -> str:
    shown = "; ".join(f"{w.case}: {', '.join(w.fields)}" for w in warnings.shown)
    if warnings.count > len(warnings.shown):
        shown += f"; {t('privacy.more', count=warnings.count - len(warnings.shown))}"
    return shown


def run_purge(
    settings: Settings, t: Translator, dry_run: bool, draft_days: str | None, retention_days: str | None
) -> None:
    from consult.store.migrate import remove_old_backups
    from consult.store.purge import old_note_files
    from consult.store.purge import purge as purge_cases

    drafts_age = parse_days(draft_days, settings.draft_days, t, "--draft-days")
    retention = parse_days(retention_days, settings.retention_days, t, "--retention-days")
    from consult.cli.admin import require

    with opened(settings) as store:
        require(store, "purge", t)
        result = purge_cases(store.engine, draft_days=drafts_age, retention_days=retention, dry_run=dry_run)
    # A copy made before a migration holds cases the purge just removed: it goes after the
    # draft age, by which time the upgraded database has proved itself.
    backups = sum(
        remove_old_backups(url, drafts_age, dry_run=dry_run)
        for url in (settings.resolved_database_url, settings.training_database_url)
    )
    # Record notes saved as files (the result's "save to a file") hold a client's situation in
    # words: they go after the draft age too, counted in the dry run.
    notes = old_note_files(settings.files_dir / "notes", drafts_age, dry_run=dry_run)
    summary = say if dry_run else lambda line: committed(line, t)
    summary(
        t(
            "purge.dry_run" if dry_run else "purge.done",
            drafts=t("count.drafts", count=result.drafts_removed)
            + (
                t("purge.finished", finished=t("count.finished", count=result.finished_drafts_removed))
                if result.finished_drafts_removed
                else ""
            ),
            draft_days=t("count.days", count=drafts_age),
            cases=t("count.cases", count=result.cases_removed),
            retention_days=t("count.days", count=retention),
            backups=t("count.backups", count=backups),
            notes=t("count.note_files", count=notes),
        )
    )
