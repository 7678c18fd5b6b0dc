"""The follow-up screen's meetings section (issue 20): the stats' meetings block in two lines
and the areas that held meetings, for the period the user sets; said in each language and
readable at 80×24 and 120×40."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from rich.console import Console
from textual.containers import VerticalScroll
from textual.widgets import Static

from consult.i18n import Translator
from consult.store import Store
from consult.system.settings import Settings
from tests.meetings.held import hold_meetings, meeting_cases
from tests.screens.helpers import plain, press, running, screen_text, seed, wait_until


def held(settings: Settings) -> None:
    seed(settings, meeting_cases())
    store = Store.open(settings.resolved_database_url)
    try:
        hold_meetings(store)
    finally:
        store.close()


def meetings_text(app) -> str:
    """The section as the reader sees it, whatever part of it the screen has scrolled to."""
    return "\n".join(
        plain(w.content) for w in app.screen.query("#meetings, #meeting-actions, #meeting-areas")
    )


async def test_the_meetings_of_the_period_in_two_lines_and_by_area(settings: Settings) -> None:
    held(settings)
    async with running(settings, size=(120, 40)) as (app, pilot):
        await press(app, pilot, "f")
        await wait_until(pilot, lambda: app.screen.query("#meetings"), "the meetings section")
        text = meetings_text(app)
        # All time, overdue judged today: both open actions are long past their days in April.
        assert (
            "Kokouksia 4 · tapauksia 9: päätetty 5, siirretty 3, ei käsitelty 1 · "
            "mediaani ensimmäiseen käsittelyyn 13 vrk"
        ) in text
        assert "Toimenpiteet: avoimia 2 (myöhässä 2) · tehty 1 · ei mahdollinen 1 · ei tehty 1" in text
        grid = plain(app.screen.query_one("#meeting-areas", Static).content).splitlines()
        assert grid[0].split() == ["Ylä-Savo", "Kuopio", "Tuntematon"]  # areas without meetings left out
        assert [line.rsplit(maxsplit=3) for line in grid[1:]] == [
            ["kokouksia", "1", "2", "1"],
            ["päätetty", "2", "3", "0"],
            ["siirretty", "0", "2", "1"],
            ["ei käsitelty", "0", "1", "0"],
            ["avoimia toimenpiteitä", "1", "1", "0"],
            ["joista myöhässä", "1", "1", "0"],
        ]

        await press(app, pilot, "d", *"1.3.2026-31.3.2026", "enter")
        await wait_until(pilot, lambda: "Kokouksia 2 " in meetings_text(app), "March alone")
        text = meetings_text(app)
        assert (
            "päätetty 3, siirretty 1, ei käsitelty 1" in text
            and "mediaani ensimmäiseen käsittelyyn 14 vrk" in text
        )
        assert "avoimia 1 (myöhässä 0)" in text  # due 1.4.: not late by the end of March

        await press(app, pilot, "d", *"1.5.2026-31.5.2026", "enter")
        await wait_until(
            pilot, lambda: "Ei päättyneitä kokouksia tällä ajanjaksolla." in screen_text(app), "a quiet May"
        )


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_meetings_section_reads_in_each_language_and_size(
    tmp_path: Path, migrated_template: Path, lang: str, size: tuple[int, int]
) -> None:
    from tests.conftest import place_database

    settings = Settings(data_dir=tmp_path / "data", lang=lang)
    for name in ("consult.db", "training.db"):
        place_database(migrated_template, settings.data_dir / name)
    held(settings)
    t = Translator(lang)
    async with running(settings, size=size) as (app, pilot):
        await press(app, pilot, "f")
        await wait_until(pilot, lambda: app.screen.query("#meeting-areas"), "the meetings section")
        title = next(w for w in app.screen.query(".section") if plain(w.content) == t("followup.meetings"))
        app.screen.query_one("#figures", VerticalScroll).scroll_to_widget(title, top=True, animate=False)
        await pilot.pause()
        # Nothing wrapped or cut: the area grid is its heading and one line a figure at this width.
        grid = app.screen.query_one("#meeting-areas", Static)
        console = Console(width=grid.content_region.width, file=io.StringIO(), color_system=None)
        with console.capture() as capture:
            console.print(grid.content)
        lines = capture.get().rstrip("\n").splitlines()
        assert len(lines) == 7 and "…" not in capture.get(), lines
        assert lines[0].split() == [t("area.yla-savo"), t("area.kuopio"), t("area.unknown")]
        assert lines[6].startswith(t("report.action.overdue")) and lines[6].split()[-3:] == ["1", "1", "0"]
        folder = Path(os.environ.get("CONSULT_SCREENSHOTS", tmp_path))
        folder.mkdir(parents=True, exist_ok=True)
        app.save_screenshot(f"follow-up-meetings-{lang}-{size[0]}x{size[1]}.svg", str(folder))
