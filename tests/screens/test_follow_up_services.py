"""The follow-up screen shows the pilot's learning about services: missing by reason, by domain
and by area, how the services tried ended, and the most often missing services by name."""

from __future__ import annotations

from consult.screens.follow_up import FollowUpScreen
from consult.system.settings import Settings
from tests.screens.helpers import press, running, screen_text, seed
from tests.test_report import cases_with_outcomes


async def test_the_follow_up_counts_the_services_tried_and_missing(settings: Settings) -> None:
    seed(settings, cases_with_outcomes())
    async with running(settings) as (app, pilot):
        await press(app, pilot, "f")
        assert isinstance(app.screen, FollowUpScreen)
        shown = screen_text(app)
        assert "Palvelut: puuttuvat ja kokeillut" in shown
        assert "3 tapauksessa puuttuvia palveluja" in shown
        for title in (
            "Puuttuvat palvelut syyn mukaan",
            "Puuttuvat palvelut osa-alueittain",
            "Kokeillut palvelut tuloksen mukaan",
            "Useimmin puuttuvat palvelut (tapauksia)",
        ):
            assert title in shown
        # The most missing first, named as the catalogue names it; a typed one in its words.
        top = shown[shown.index("Useimmin puuttuvat palvelut") :]
        assert top.index("Työkyvyn arviointi") < top.index("Päihdekuntoutus Ylä-Savossa")
        assert "Kuopio: ei alueella 0 · ei kapasiteettia 1 · odottaa lääkäriä 2 · jonossa 1" in shown
