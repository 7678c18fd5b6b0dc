"""The command line: starts the app or runs a verb. Bad input: one line, exit status 2."""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from consult.i18n import Translator
from consult.system.settings import Settings, SettingsError

if TYPE_CHECKING:
    from consult.exchange.bundle import PrivacyWarnings
    from consult.stats.figures import Stats

EXIT_BAD_INPUT = 2


class InputError(Exception):
    """Bad input from the user: the message is one line, shown as is."""


def load_settings() -> Settings:
    try:
        return Settings.from_env()
    except SettingsError as error:
        message = Translator()("input.setting", value=error.value, allowed=error.allowed)
        raise InputError(f"{error.variable}: {message}") from None


def _read_text(source: str, t: Translator) -> str:
    """The file (or stdin) as UTF-8 whatever the locale says; a byte-order mark, as Windows
    Notepad writes it, is dropped."""
    try:
        if source == "-":
            raw = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read().encode()
        else:
            raw = Path(source).read_bytes()
        return raw.decode("utf-8-sig")
    except OSError as error:
        from consult.system.failures import cannot_read

        raise InputError(cannot_read(_shown_path(source, t), error, t)) from None
    except UnicodeError:
        raise InputError(f"{_shown_path(source, t)}: {t('bundle.not_utf8')}") from None


def _shown_path(source: str, t: Translator) -> str:
    return t("failure.stdin") if source == "-" else source


def _database_exists(settings: Settings) -> bool:
    """False only for a SQLite file not yet created: its rules in force are the built-in ones,
    and reading them need not create a database."""
    from consult.store.db import sqlite_file

    path = sqlite_file(settings.resolved_database_url)
    return path is None or path.exists()


def _known_rules(settings: Settings) -> dict:
    """Every version a rules file may be based on: the built-in and every activated one."""
    from consult.scoring.rules import BUILT_IN

    if not _database_exists(settings):
        return dict(BUILT_IN)
    from consult.store.rules import known_rules

    store = _open_store(settings)
    try:
        return known_rules(store.engine)
    finally:
        store.close()


def _rules_in_force(settings: Settings):  # -> RulesDefinition
    from consult.scoring.rules import PS_2025_1

    if not _database_exists(settings):
        return PS_2025_1
    from consult.scoring.rules_file import RulesError
    from consult.scoring.words import rules_error
    from consult.store.rules import rules_in_force

    store = _open_store(settings)
    try:
        return rules_in_force(store.engine)
    except RulesError as error:  # activated by a newer consult with keys this one does not know
        t = Translator(settings.lang)
        raise InputError(f"{t('rules.error.in_force')}: {rules_error(error, t)}") from None
    finally:
        store.close()


def _rules_file(source: str, settings: Settings, t: Translator):  # -> RulesDefinition
    """The rules a TOML file describes, or one line naming the file, the key and what is allowed."""
    from consult.scoring.rules_file import RulesError, parse_rules
    from consult.scoring.words import rules_error

    text = _read_text(source, t)
    try:
        return parse_rules(text, _known_rules(settings))
    except RulesError as error:
        raise InputError(f"{source}: {rules_error(error, t)}") from None


def run_score(source: str, t: Translator, out: TextIO, rules=None) -> None:
    from pydantic import ValidationError

    from consult.core.model import Assessment
    from consult.exchange.validation import describe
    from consult.scoring import evaluate
    from consult.scoring.rules import PS_2025_1

    rules = rules or PS_2025_1
    text = _read_text(source, t)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(t("input.json", line=error.lineno, column=error.colno, msg=error.msg)) from None
    except (ValueError, RecursionError):  # a number over 4,300 digits, nesting too deep
        raise InputError(t("input.json_limits")) from None
    items = data if isinstance(data, list) else [data]
    results = []
    for index, item in enumerate(items):
        prefix = f"[{index}]" if isinstance(data, list) else ""
        if not isinstance(item, dict):
            raise InputError(f"{prefix or '(input)'}: {t('input.assessment_object')}")
        try:
            assessment = Assessment.model_validate(item)
        except ValidationError as error:
            raise InputError(describe(error, t, prefix).line()) from None
        results.append(evaluate(assessment, t.lang, rules).model_dump(mode="json"))
    payload = results if isinstance(data, list) else results[0]
    json.dump(payload, out, ensure_ascii=False, indent=2)
    out.write("\n")


def _date(value: str | None, t: Translator, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{option}: {t('input.date', value=value)}") from None


def _open_store(settings: Settings):  # -> Store; the store is imported only by verbs that need it
    from consult.store import Store

    try:
        return Store.open(settings.resolved_database_url)
    except Exception as error:
        raise DatabaseProblem(error) from None


class DatabaseProblem(Exception):
    """The database could not be opened or used; ``main`` says what and where in one line."""

    def __init__(self, error: BaseException) -> None:
        super().__init__(str(error))
        self.error = error


def _is_database_error(error: BaseException) -> bool:
    module = type(error).__module__
    return module.startswith(("sqlalchemy", "sqlite3", "psycopg", "alembic"))


def run_stats(settings: Settings, t: Translator, since: str | None, until: str | None, as_json: bool) -> None:
    first, last = _date(since, t, "--since"), _date(until, t, "--until")
    figures = _stats_of_local_file(settings, first, last)
    if figures is None:  # a server, or a file whose schema must first be made or upgraded
        from consult.stats import compute

        store = _open_store(settings)
        try:
            figures = compute(store.engine, first, last)
        finally:
            store.close()
    if as_json:
        print(figures.as_json())
        return
    open_end = t("stats.open")
    lines = [
        t("stats.title"),
        t("stats.period", since=first or open_end, until=last or open_end),
        f"{t('stats.cases')}: {figures.cases}",
        f"{t('stats.by_primary')}: "
        + ", ".join(f"{t('primary.' + k).split(' — ')[0]} {v}" for k, v in figures.by_primary.items()),
        f"{t('stats.needs')}: " + ", ".join(f"{t('needs.' + k)} {v}" for k, v in figures.needs.items()),
        f"{t('stats.routes')}: " + ", ".join(f"{t('routes.' + k)} {v}" for k, v in figures.routes.items()),
        f"{t('stats.awaiting')}: {figures.awaiting_team}  ·  {t('stats.decided')}: {figures.team_decided}"
        f"  ·  {t('stats.changed')}: {figures.team_changed_path}",
        f"{t('stats.median')}: {figures.median_days_to_decision if figures.median_days_to_decision is not None else '–'}",
        f"{t('stats.flags')}: " + ", ".join(f"{t('flag.' + k)} {v}" for k, v in figures.flags.items()),
        f"{t('stats.outcomes')}: {t('stats.started')} {figures.outcomes.started}, "
        f"{t('stats.not_started')} {figures.outcomes.not_started}, {t('stats.pending')} {figures.outcomes.pending}",
        f"{t('stats.median_start')}: "
        f"{figures.outcomes.median_days_to_start if figures.outcomes.median_days_to_start is not None else '–'}",
        f"{t('stats.by_area')}: "
        + ", ".join(f"{t('area.' + k)} {v.cases}" for k, v in figures.by_area.items()),
    ]
    print("\n".join(lines))


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


def run_report(settings: Settings, t: Translator, since: str | None, until: str | None, output: str) -> None:
    target = Path(output)
    kind = target.suffix.lower()
    if kind not in (".xlsx", ".html", ".htm"):
        raise InputError(f"--output: {t('report.output_kind')}")
    first, last = _date(since, t, "--since"), _date(until, t, "--until")
    if first and last and first > last:
        raise InputError(f"--since: {t('report.since_after_until')}")
    from consult.report.figures import gather
    from consult.system.failures import cannot_write
    from consult.system.files import write_replacing

    store = _open_store(settings)
    try:
        figures = gather(store.engine, first, last)
    finally:
        store.close()
    # Written beside the target under a fresh name and renamed: a failure never leaves half a
    # report, and a link planted there is never followed.
    try:
        if kind == ".xlsx":
            from consult.report.xlsx import write_xlsx

            write_replacing(target, lambda out: write_xlsx(figures, t, out), encoding=None)
        else:
            from consult.report.html import render_html

            write_replacing(target, lambda out: out.write(render_html(figures, t)))
    except OSError as error:
        raise InputError(cannot_write(output, error, t)) from None
    print(t("report.written", path=target), file=sys.stderr)


def run_export(settings: Settings, t: Translator, kind: str, output: str | None, codes: bool = False) -> None:
    from consult.exchange.bundle import export_csv, export_json
    from consult.exchange.spreadsheet import export_cases
    from consult.system.failures import cannot_write
    from consult.system.files import write_replacing

    def in_words(engine, out) -> int:  # a spreadsheet in the user's language
        return export_cases(store, out, t)

    writer = export_json if kind == "json" else export_csv if codes else in_words
    store = _open_store(settings)
    try:
        if output is None:
            count = writer(store.engine, sys.stdout)
        else:
            # Written beside the target under a fresh name and renamed, so a failed export never
            # leaves half a file, and a link planted there is never followed.
            try:
                count = write_replacing(Path(output), lambda out: writer(store.engine, out))
            except OSError as error:
                raise InputError(cannot_write(output, error, t)) from None
    finally:
        store.close()
    print(t("bundle.exported", count=count), file=sys.stderr)


def run_import(settings: Settings, t: Translator, source: str, strict: bool = False) -> None:
    from consult.exchange.bundle import BundleError, PrivacyWarnings, import_file
    from consult.system.failures import cannot_read

    warnings = PrivacyWarnings()
    try:
        stream = sys.stdin.buffer if source == "-" else open(source, "rb")  # noqa: SIM115
    except OSError as error:
        raise InputError(cannot_read(source, error, t)) from None
    store = _open_store(settings)
    try:
        # Read, checked and written a chunk at a time in one transaction: a problem anywhere
        # in the file rolls back every case, and nothing was written.
        added, skipped = import_file(store.engine, stream, t, strict=strict, warnings=warnings)
    except BundleError as error:
        raise InputError(str(error)) from None
    except OSError as error:
        raise InputError(cannot_read(_shown_path(source, t), error, t)) from None
    finally:
        store.close()
        if stream is not sys.stdin.buffer:
            stream.close()
    if warnings:
        # On stderr, after the import: the worker sees which cases to look at, never the text
        # itself (it may be the very name).
        kinds = ", ".join(t(f"privacy.kind.{kind}") for kind in warnings.kinds)
        print(
            f"consult: {t('privacy.import_warned', cases=warnings.count, kinds=kinds, where=_where(warnings, t))}",
            file=sys.stderr,
        )
    print(t("bundle.imported", added=t("count.cases", count=added), skipped=t("count.cases", count=skipped)))


def _where(warnings: PrivacyWarnings, t: Translator) -> str:
    shown = "; ".join(f"{w.case}: {', '.join(w.fields)}" for w in warnings.shown)
    if warnings.count > len(warnings.shown):
        shown += f"; {t('privacy.more', count=warnings.count - len(warnings.shown))}"
    return shown


def _days(value: str | None, default: int, t: Translator, option: str) -> int:
    from consult.system.settings import MAX_DAYS, MIN_DAYS, parse_days

    if value is None:
        return default
    try:
        return parse_days(value)
    except ValueError:
        raise InputError(f"{option}: {t('input.days', value=value, low=MIN_DAYS, high=MAX_DAYS)}") from None


def run_purge(
    settings: Settings, t: Translator, dry_run: bool, draft_days: str | None, retention_days: str | None
) -> None:
    from consult.store.migrate import remove_old_backups
    from consult.store.purge import purge

    drafts_age = _days(draft_days, settings.draft_days, t, "--draft-days")
    retention = _days(retention_days, settings.retention_days, t, "--retention-days")
    store = _open_store(settings)
    try:
        result = purge(store.engine, draft_days=drafts_age, retention_days=retention, dry_run=dry_run)
    finally:
        store.close()
    # A copy made before a migration holds cases the purge just removed: it goes after the
    # draft age, by which time the upgraded database has proved itself.
    backups = sum(
        remove_old_backups(url, drafts_age, dry_run=dry_run)
        for url in (settings.resolved_database_url, settings.training_database_url)
    )
    print(
        t(
            "purge.dry_run" if dry_run else "purge.done",
            drafts=t("count.drafts", count=result.drafts_removed),
            draft_days=t("count.days", count=drafts_age),
            cases=t("count.cases", count=result.cases_removed),
            retention_days=t("count.days", count=retention),
            backups=t("count.backups", count=backups),
        )
    )


def run_demo(settings: Settings, t: Translator, list_only: bool) -> None:
    if list_only:
        from consult.demo import demo_cases

        print(json.dumps([case.listing(t.lang) for case in demo_cases()], ensure_ascii=False, indent=2))
        return
    import tempfile

    from consult.demo.database import demo_settings, seed

    # A fresh folder every time, removed on exit: nothing done in the demo is kept anywhere.
    with tempfile.TemporaryDirectory(prefix="consult-demo-") as folder:
        settings = demo_settings(settings, Path(folder))
        seed(settings)
        run_app(settings)


def _last_activation(settings: Settings, t: Translator) -> str:
    """Who activated the rules in force and when, or that they are the built-in ones."""
    history = []
    if _database_exists(settings):
        from consult.store.rules import activations

        store = _open_store(settings)
        try:
            history = activations(store.engine)
        finally:
            store.close()
    if not history:
        return t("rules.screen.built_in")
    from consult.core.dates import team_day
    from consult.i18n.formats import show

    last = history[0]
    return t("rules.screen.activated", day=show(team_day(last.activated_at), t.lang), who=last.activated_by)


def run_rules(settings: Settings, t: Translator, args: argparse.Namespace) -> None:
    from consult.scoring import words as rules_words

    if args.action == "show":
        from consult.scoring.rules_file import to_toml

        rules = _rules_in_force(settings)
        if args.format == "toml":
            sys.stdout.write(to_toml(rules))
            return
        print(t("rules.in_force", version=rules.version))
        print(_last_activation(settings, t))
        for line in rules_words.describe(rules, t):
            print(f"  {line}")
        return
    if args.action == "check":
        rules = _rules_file(args.file, settings, t)
        print(t("rules.checked", path=args.file, version=rules.version))
        return
    if args.action == "activate":
        from consult.store.rules import VersionTaken, activate

        rules = _rules_file(args.file, settings, t)
        store = _open_store(settings)
        try:
            done = activate(store.engine, rules)
        except VersionTaken as error:
            raise InputError(
                f"{args.file}: version: {t('rules.error.version_taken', version=error.version)}"
            ) from None
        finally:
            store.close()
        print(t("rules.activated", version=done.version, who=done.activated_by))
        return
    first, last = _date(args.since, t, "--since"), _date(args.until, t, "--until")
    if first and last and first > last:
        raise InputError(f"--since: {t('rules.error.period')}")
    candidate = _rules_file(args.file, settings, t) if args.action == "compare" else None
    from consult.store.rules import rules_in_force, stored_cases

    store = _open_store(settings)
    try:
        in_force = rules_in_force(store.engine)
        cases = stored_cases(store.engine, first, last)
    finally:
        store.close()
    if candidate is not None:
        from consult.scoring.compare import compare

        comparison = compare(cases, candidate)
        if args.json:
            print(json.dumps(comparison.as_json(), ensure_ascii=False, indent=2))
        else:
            print("\n".join(rules_words.comparison_lines(comparison, in_force.version, t)))
        return
    from consult.scoring.search import search

    found = search(cases, in_force)
    if args.json:
        print(
            json.dumps(
                {
                    "in_force": in_force.version,
                    "cases": found.cases,
                    "decided": found.decided,
                    "too_few_decided": found.too_few,
                    "baseline": {"agree": found.baseline.agree, "kappa": found.baseline.kappa},
                    "candidates": [
                        {
                            "changes": dict(c.changes),
                            "agree": c.agree,
                            "kappa": c.kappa,
                            "changed_cases": c.changed_cases,
                        }
                        for c in found.candidates
                    ],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    print("\n".join(rules_words.search_lines(found, in_force.version, t)))


def run_app(settings: Settings) -> None:
    from consult.app import make_app

    make_app(settings).run()


class _Parser(argparse.ArgumentParser):
    """argparse, but a mistake is one line like every other bad input, not usage and error."""

    def error(self, message: str):  # type: ignore[override]
        raise InputError(f"{message} ({self.prog} --help)")


def build_parser(t: Translator) -> argparse.ArgumentParser:
    parser = _Parser(prog="consult", description=t("cli.description"))
    verbs = parser.add_subparsers(dest="verb", metavar="VERB")
    score = verbs.add_parser("score", help=t("cli.score.help"))
    score.add_argument("file", nargs="?", default="-", metavar="FILE|-", help=t("cli.score.file"))
    score.add_argument("--rules", metavar="RULES.toml", help=t("cli.score.rules"))
    stats = verbs.add_parser("stats", help=t("cli.stats.help"))
    stats.add_argument("--since", metavar="DATE", help=t("cli.since"))
    stats.add_argument("--until", metavar="DATE", help=t("cli.until"))
    stats.add_argument("--json", action="store_true", help=t("cli.json"))
    report = verbs.add_parser("report", help=t("cli.report.help"))
    report.add_argument("--since", metavar="DATE", help=t("cli.since"))
    report.add_argument("--until", metavar="DATE", help=t("cli.until"))
    report.add_argument("--output", metavar="FILE.xlsx|FILE.html", required=True, help=t("cli.report.output"))
    export = verbs.add_parser("export", help=t("cli.export.help"))
    export.add_argument("--format", choices=["json", "csv"], default="json", help=t("cli.format"))
    export.add_argument("--output", metavar="FILE", help=t("cli.output"))
    export.add_argument("--codes", action="store_true", help=t("cli.codes"))
    demo = verbs.add_parser("demo", help=t("cli.demo.help"))
    demo.add_argument("--list", action="store_true", help=t("cli.demo.list"))
    verbs.add_parser("train", help=t("cli.train.help"))
    imported = verbs.add_parser("import", help=t("cli.import.help"))
    imported.add_argument("file", metavar="FILE|-", help=t("cli.score.file"))
    imported.add_argument("--strict", action="store_true", help=t("cli.import.strict"))
    purge = verbs.add_parser("purge", help=t("cli.purge.help"))
    purge.add_argument("--dry-run", action="store_true", help=t("cli.purge.dry_run"))
    purge.add_argument("--draft-days", metavar="DAYS", help=t("cli.purge.draft_days"))
    purge.add_argument("--retention-days", metavar="DAYS", help=t("cli.purge.retention_days"))
    rules = verbs.add_parser("rules", help=t("cli.rules.help"))
    actions = rules.add_subparsers(dest="action", metavar="ACTION", required=True)
    show = actions.add_parser("show", help=t("cli.rules.show"))
    show.add_argument("--format", choices=["text", "toml"], default="text", help=t("cli.format"))
    for name in ("check", "activate"):
        action = actions.add_parser(name, help=t(f"cli.rules.{name}"))
        action.add_argument("file", metavar="FILE|-", help=t("cli.rules.file"))
    compared = actions.add_parser("compare", help=t("cli.rules.compare"))
    compared.add_argument("file", metavar="FILE|-", help=t("cli.rules.file"))
    suggest = actions.add_parser("suggest", help=t("cli.rules.suggest"))
    for action in (compared, suggest):
        action.add_argument("--since", metavar="DATE", help=t("cli.since"))
        action.add_argument("--until", metavar="DATE", help=t("cli.until"))
        action.add_argument("--json", action="store_true", help=t("cli.json"))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    t = Translator()
    try:
        settings = load_settings()
        t = Translator(settings.lang)
        args = build_parser(t).parse_args(argv)
        if args.verb == "score":
            # A file tried without activating it, or the rules in force on this database.
            rules = _rules_file(args.rules, settings, t) if args.rules else _rules_in_force(settings)
            run_score(args.file, t, sys.stdout, rules)
        elif args.verb == "rules":
            run_rules(settings, t, args)
        elif args.verb == "stats":
            run_stats(settings, t, args.since, args.until, args.json)
        elif args.verb == "report":
            run_report(settings, t, args.since, args.until, args.output)
        elif args.verb == "export":
            run_export(settings, t, args.format, args.output, args.codes)
        elif args.verb == "import":
            run_import(settings, t, args.file, args.strict)
        elif args.verb == "purge":
            run_purge(settings, t, args.dry_run, args.draft_days, args.retention_days)
        elif args.verb == "demo":
            run_demo(settings, t, args.list)
        elif args.verb == "train":
            from consult.app import make_app

            make_app(settings, start="training").run()
        else:
            run_app(settings)
        # What is still buffered for a pipe or a file goes out now, where a failure is caught.
        sys.stdout.flush()
    except InputError as error:
        return _refuse(str(error))
    except DatabaseProblem as error:
        from consult.system.failures import database_reason

        return _refuse(database_reason(error.error, settings_where(), t))
    except BrokenPipeError:
        # The reader went away (``| head``): stop quietly as Unix tools do; the status says the
        # output was not all delivered.
        _silence_stdout()
        return EXIT_BAD_INPUT
    except OSError as error:  # the verbs turn their own files' errors into InputError
        from consult.system.failures import cannot_write

        _silence_stdout()
        return _refuse(cannot_write(t("failure.stdout"), error, t))
    except KeyboardInterrupt:
        return 130
    except Exception as error:
        if not _is_database_error(error):
            raise  # a bug: its traceback is what a developer needs
        from consult.system.failures import database_reason

        return _refuse(database_reason(error, settings_where(), t))
    return 0


def settings_where() -> str:
    try:
        return Settings.from_env().where()
    except SettingsError:
        return "?"


def _refuse(line: str) -> int:
    with contextlib.suppress(OSError):
        print(f"consult: {line}", file=sys.stderr)
    return EXIT_BAD_INPUT


def _silence_stdout() -> None:
    """Points stdout at the null device, so that the flush at exit cannot fail a second time."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # a test's StringIO has no file descriptor
        pass


if __name__ == "__main__":
    raise SystemExit(main())
