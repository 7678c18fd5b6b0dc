"""The verbs that start the app: with no verb, ``train`` and ``demo``; and ``demo --list``."""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

from consult.i18n import Translator
from consult.system.settings import Settings


def demo(settings: Settings, t: Translator, args: argparse.Namespace) -> None:
    run_demo(settings, t, args.list)


def train(settings: Settings, t: Translator, args: argparse.Namespace) -> None:
    from consult.app import make_app

    make_app(settings, start="training", freeze_after_start=True).run()


def start(settings: Settings, t: Translator, args: argparse.Namespace) -> None:
    run_app(settings)


def run_demo(settings: Settings, t: Translator, list_only: bool) -> None:
    if list_only:
        from consult.demo import demo_cases

        print(json.dumps([case.listing(t.lang) for case in demo_cases()], ensure_ascii=False, indent=2))
        return
    import atexit
    import shutil
    import signal
    import tempfile

    from consult.demo.database import DEMO_PREFIX, demo_settings, remove_stale_demo_folders, seed

    # What an earlier demo could not remove (its terminal closed, the machine went down) goes
    # now; a fresh folder every time, removed however this one ends: nothing done in the demo
    # is kept anywhere.
    remove_stale_demo_folders()
    folder = Path(tempfile.mkdtemp(prefix=DEMO_PREFIX))

    from consult.store.database import OPENING

    def remove() -> None:
        # A store being opened writes into the folder: removed after that, not under it.
        with OPENING:
            shutil.rmtree(folder, ignore_errors=True)

    atexit.register(remove)
    # Closing the terminal sends SIGHUP, which by default ends Python without finally blocks or
    # atexit: remove the folder first, then end as the signal would have.
    previous = signal.getsignal(signal.SIGHUP) if hasattr(signal, "SIGHUP") else None

    def hung_up(signum: int, _frame: object) -> None:
        remove()
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)

    if previous == signal.SIG_DFL:
        signal.signal(signal.SIGHUP, hung_up)
    try:
        settings = demo_settings(settings, folder)
        seed(settings)
        run_app(settings)
    finally:
        remove()
        atexit.unregister(remove)
        if previous == signal.SIG_DFL:
            signal.signal(signal.SIGHUP, signal.SIG_DFL)


def run_app(settings: Settings) -> None:
    from consult.app import make_app

    make_app(settings, freeze_after_start=True).run()
