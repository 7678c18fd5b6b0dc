"""The command line: starts the app or runs a verb. Bad input: one line, exit status 2."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from consult.i18n import Translator
from consult.settings import Settings, SettingsError

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
    if source == "-":
        return sys.stdin.read()
    try:
        return Path(source).read_text("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(t("input.file", path=source, error=error.__class__.__name__)) from None


def run_score(source: str, t: Translator, out: TextIO) -> None:
    from pydantic import ValidationError

    from consult.model import Assessment
    from consult.scoring import evaluate
    from consult.validation import describe

    text = _read_text(source, t)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(t("input.json", line=error.lineno, column=error.colno, msg=error.msg)) from None
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
        results.append(evaluate(assessment, t.lang).model_dump(mode="json"))
    payload = results if isinstance(data, list) else results[0]
    json.dump(payload, out, ensure_ascii=False, indent=2)
    out.write("\n")


def run_app(settings: Settings) -> None:
    from consult.app import make_app

    make_app(settings).run()


def build_parser(t: Translator) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="consult", description=t("cli.description"))
    verbs = parser.add_subparsers(dest="verb", metavar="VERB")
    score = verbs.add_parser("score", help=t("cli.score.help"))
    score.add_argument("file", nargs="?", default="-", metavar="FILE|-", help=t("cli.score.file"))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    t = Translator()
    try:
        settings = load_settings()
        t = Translator(settings.lang)
        args = build_parser(t).parse_args(argv)
        if args.verb == "score":
            run_score(args.file, t, sys.stdout)
        else:
            run_app(settings)
    except InputError as error:
        print(f"consult: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
