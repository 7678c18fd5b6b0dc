"""The ``stats`` and ``report`` verbs: figures of the stored cases, on screen or in a file."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from consult.cli.database import opened
from consult.cli.errors import DatabaseProblem, InputError
from consult.cli.inputs import period
from consult.cli.output import say
from consult.i18n import Translator
from consult.system.settings import Settings

if TYPE_CHECKING:
    from consult.report.figures import ReportFigures
    from consult.stats.figures import Stats

REPORT_KINDS = (".xlsx", ".html", ".htm")


def stats(settings: Settings, t: Translator, args: argparse.Namespace) -> None:
    run_stats(settings, t, args.since, args.until, args.json)


def report(settings: Settings, t: Translator, args: argparse.Namespace) -> None:
    run_report(settings, t, args.since, args.until, args.output)


def run_stats(settings: Settings, t: Translator, since: str | None, until: str | None, as_json: bool) -> None:
    first, last = period(since, until, t)
    figures = _stats_of_local_file(settings, first, last)
    if figures is None:
        figures = _stats_of_server(settings, first, last)
    if figures is None:  # a database whose schema must first be made or upgraded, or another driver
        from consult.stats import compute

        with opened(settings) as store:
            figures = compute(store.engine, first, last)
    if as_json:
        say(figures.as_json())
        return
    say("\n".join(_stats_lines(figures, first, last, t)))


def _stats_lines(figures: Stats, first: date | None, last: date | None, t: Translator) -> list[str]:
    from consult.report.tables import period_text

    outcomes = figures.outcomes
    return [
        t("stats.title"),
        period_text(first, last, t),
        f"{t('stats.cases')}: {figures.cases}",
        f"{t('stats.by_primary')}: "
        + ", ".join(f"{t('primary.' + k).split(' — ')[0]} {v}" for k, v in figures.by_primary.items()),
        f"{t('stats.needs')}: " + ", ".join(f"{t('needs.' + k)} {v}" for k, v in figures.needs.items()),
        f"{t('stats.routes')}: " + ", ".join(f"{t('routes.' + k)} {v}" for k, v in figures.routes.items()),
        f"{t('stats.awaiting')}: {figures.awaiting_team}  ·  {t('stats.decided')}: {figures.team_decided}"
        f"  ·  {t('stats.changed')}: {figures.team_changed_path}",
        f"{t('stats.median')}: {_or_dash(figures.median_days_to_decision)}",
        f"{t('stats.flags')}: " + ", ".join(f"{t('flag.' + k)} {v}" for k, v in figures.flags.items()),
        f"{t('stats.outcomes')}: {t('stats.started')} {outcomes.started}, "
        f"{t('stats.not_started')} {outcomes.not_started}, {t('stats.pending')} {outcomes.pending}",
        f"{t('stats.median_start')}: {_or_dash(outcomes.median_days_to_start)}",
        f"{t('stats.by_area')}: "
        + ", ".join(f"{t('area.' + k)} {v.cases}" for k, v in figures.by_area.items()),
    ]


def _or_dash(value: object) -> str:
    return "–" if value is None else str(value)


def _stats_of_local_file(settings: Settings, first: date | None, last: date | None) -> Stats | None:
    """The figures straight from the local SQLite file through the standard library, when its
    schema is current: no SQLAlchemy, Alembic or pydantic, the verb as quick as a script of its own."""
    if settings.database_url is not None:
        return None
    from consult.stats import compute
    from consult.system.database_file import open_current
    from consult.system.settings import DATABASE_FILE

    try:
        connection = open_current(settings.data_dir / DATABASE_FILE)
    except Exception as error:
        raise DatabaseProblem(error) from None
    if connection is None:
        return None
    try:
        return compute(connection, first, last)
    finally:
        connection.close()


def _stats_of_server(settings: Settings, first: date | None, last: date | None) -> Stats | None:
    """The figures straight from a PostgreSQL server through psycopg, when its schema is
    current: no SQLAlchemy, SQLModel or Alembic. A server that cannot be reached is said as the
    store would say it; anything else that goes wrong is left to the store's path, which meets
    it again and says it as the verb always has."""
    from consult.stats.server import conninfo, open_current

    if settings.database_url is None or conninfo(settings.database_url) is None:
        return None
    import psycopg

    from consult.stats import compute

    try:
        connection = open_current(settings.database_url)
    except psycopg.OperationalError as error:  # not reachable, or the login refused
        raise DatabaseProblem(error) from None
    except Exception:
        return None
    if connection is None:
        return None
    try:
        with connection:
            return compute(connection, first, last)
    except Exception:
        return None


def run_report(settings: Settings, t: Translator, since: str | None, until: str | None, output: str) -> None:
    target = Path(output)
    if target.suffix.lower() not in REPORT_KINDS:
        raise InputError(f"--output: {t('report.output_kind')}")
    first, last = period(since, until, t, "report.since_after_until")
    from consult.report.figures import gather

    with opened(settings) as store:
        figures = gather(store.engine, first, last)
    _write_report(figures, output, t)
    print(t("report.written", path=target), file=sys.stderr)


def _write_report(figures: ReportFigures, output: str, t: Translator) -> None:
    """Written beside the target under a fresh name and renamed: a failure never leaves half a
    report, and a link planted there is never followed."""
    from consult.system.failures import cannot_write
    from consult.system.files import write_replacing

    target = Path(output)
    try:
        if target.suffix.lower() == ".xlsx":
            import io

            from consult.report.xlsx import write_xlsx

            # Made in memory (a report is a few kilobytes), then written: a full disk then fails
            # a plain write, not the zip archive inside the workbook, whose clean-up would
            # print a traceback of its own after the one line.
            book = io.BytesIO()
            write_xlsx(figures, t, book)
            write_replacing(target, lambda out: out.write(book.getvalue()), encoding=None)
        else:
            from consult.report.html import render_html

            write_replacing(target, lambda out: out.write(render_html(figures, t)))
    except OSError as error:
        raise InputError(cannot_write(output, error, t)) from None
