"""A closed terminal loses nothing: a real process killed mid-walk leaves a draft to continue."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

from consult.screens.domain import DomainScreen
from consult.system.settings import Settings
from tests.screens.helpers import rows, running, screen_text, settle

WALKER = textwrap.dedent(
    """
    import asyncio, os, signal, sys
    from consult.system.settings import Settings
    from tests.screens.helpers import press, running

    async def main():
        async with running(Settings.from_env()) as (app, pilot):
            await press(app, pilot, *sys.argv[1:])
            os.kill(os.getpid(), signal.SIGKILL)  # no clean shutdown, as when a laptop lid closes

    asyncio.run(main())
    """
)


async def test_a_killed_walk_resumes_at_the_step_it_reached(settings: Settings) -> None:
    env = {**os.environ, "CONSULT_DATA_DIR": str(settings.data_dir), "PYTHONPATH": os.getcwd()}
    done = subprocess.run(
        [sys.executable, "-c", WALKER, "n", "enter", "3", "4", "1", "5"],
        env=env,
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == -9, done.stderr.decode()[-2000:]
    ((status, step, levels),) = rows(
        settings, "SELECT status, step, affairs || services || housing || employment FROM cases"
    )
    assert (status, step, levels) == ("draft", 5, "3415")

    async with running(settings) as (app, pilot):
        assert "5/7" in screen_text(app)
        await pilot.press("c")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, DomainScreen)
        assert app.screen.domain.key == "finances"
