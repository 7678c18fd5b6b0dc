"""Saves what a caseworker sees on each screen of the walk as PNG, at the sizes and in the
languages asked for, to look at before a change lands.

    python scripts/screenshots.py OUT_DIR [--sizes 60x20,80x24,120x40] [--langs fi,en,sv]

Needs rsvg-convert (Debian's librsvg2-bin) for PNG; without it the SVGs are kept.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import subprocess
import tempfile
from dataclasses import replace
from pathlib import Path

from consult.app import make_app
from consult.system.settings import Settings

# (name, keys pressed from home to reach it)
STOPS: list[tuple[str, list[str]]] = [
    ("home", []),
    ("context", ["n"]),
    ("context-org-kela", ["n", "down", "4"]),
    ("domain", ["n", "enter"]),
    ("domain-note", ["n", "enter", "m", *"Matti soitti", "enter"]),
    ("profile", ["n", "enter", *"3333333"]),
    ("questions", ["n", "enter", *"3333333", "enter", "y", "left"]),
    ("result", ["n", "enter", *"3333333", "enter", *["enter"] * 5]),
    ("result-help", ["n", "enter", *"3333333", "enter", *["enter"] * 5, "f1"]),
    ("drafts", ["n", "1", "escape", "n", "enter", "3", "escape", "c"]),
    # On the demo's cases: the team's screens and training.
    ("review", ["r"]),
    ("case", ["r", "enter"]),
    ("decision", ["r", "enter", "p"]),
    ("follow-up", ["f"]),
    ("training", ["k"]),
    ("vignette", ["k", *"Kettu", "enter", "enter"]),
    ("comparison", ["k", *"Kettu", "enter", "enter", "enter", *"3324332", "enter", *["enter"] * 5, "v"]),
    ("agreement", ["k", "tab", "a"]),
]
DEMO_STOPS = {"review", "case", "decision", "follow-up", "training", "vignette", "comparison", "agreement"}


async def shoot(out: Path, size: tuple[int, int], lang: str, name: str, keys: list[str]) -> Path:
    with tempfile.TemporaryDirectory() as folder:
        settings = replace(Settings(data_dir=Path(folder)), lang=lang)
        if name in DEMO_STOPS:
            from consult.demo.database import demo_settings, seed

            settings = demo_settings(settings, Path(folder) / "demo")
            seed(settings)
        app = make_app(settings)
        async with app.run_test(size=size) as pilot:
            await app.store_ready.wait()
            await pilot.pause()
            for key in keys:
                await pilot.press(key)
                await app.workers.wait_for_complete()
                await pilot.pause()
            await pilot.pause(0.2)
            svg = out / f"{name}-{lang}-{size[0]}x{size[1]}.svg"
            svg.write_text(app.export_screenshot(), "utf-8")
    if shutil.which("rsvg-convert"):
        png = svg.with_suffix(".png")
        subprocess.run(["rsvg-convert", "-o", str(png), str(svg)], check=True)
        svg.unlink()
        return png
    return svg


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--sizes", default="60x20,80x24,120x40")
    parser.add_argument("--langs", default="fi,en")
    parser.add_argument("--only", default="")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    sizes = [tuple(int(n) for n in s.split("x")) for s in args.sizes.split(",")]
    for lang in args.langs.split(","):
        for size in sizes:
            for name, keys in STOPS:
                if args.only and name not in args.only.split(","):
                    continue
                print(await shoot(args.out, size, lang, name, keys))  # type: ignore[arg-type]


if __name__ == "__main__":
    asyncio.run(main())
