"""The verbs that start the app: with no verb, ``train`` and ``demo``; and ``demo --list``."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from consult.i18n import Translator
from consult.system.settings import Settings


def demo(settings: Settings, t: Translator, args: argparse.Namespace) -> None:
    run_demo(settings, t, args.list)


def train(settings: Settings, t: Translator, args: argparse.Namespace) -> None:
    from consult.app import make_app

    make_app(settings, start="training").run()


def start(settings: Settings, t: Translator, args: argparse.Namespace) -> None:
    run_app(settings)


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


def run_app(settings: Settings) -> None:
    from consult.app import make_app

    make_app(settings).run()
