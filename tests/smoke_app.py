"""CI's smoke step: start the installed app headless, walk into a domain and type a note that
names a person, so the name list (a data file of the package) must load from the wheel.

Run as a script from outside the checkout; it imports whatever `consult` pip installed.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path


async def main() -> int:
    import consult
    from consult.app import make_app
    from consult.system.settings import Settings

    with tempfile.TemporaryDirectory() as folder:
        app = make_app(Settings(data_dir=Path(folder)))
        async with app.run_test(size=(80, 24)) as pilot:
            await app.store_ready.wait()
            await pilot.press("n", "enter", "m", *"Matti soitti", "enter")
            await pilot.pause()
            problem = str(app.screen.query_one("#note-problem").render())
        print(f"consult from {Path(consult.__file__).parent}: note check says {problem!r}")
        return 0 if "Matti" in problem else 1


if __name__ == "__main__":
    os.environ.pop("CONSULT_DATABASE_URL", None)
    sys.exit(asyncio.run(main()))
