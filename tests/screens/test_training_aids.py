"""Training keeps the vignette one key away on every step, the comparison shows the answers and
which of them changed the path, and kappa reads as full agreement where trainees agree fully."""

from __future__ import annotations

from consult.core.agreement import weighted_kappa
from consult.scoring.compare import kappa
from consult.screens.comparison import ComparisonScreen
from consult.screens.domain import DomainScreen
from consult.screens.questions import QuestionScreen
from consult.screens.training import VignetteScreen
from consult.system.settings import Settings
from tests.screens.helpers import press, running, screen_text, settle


async def test_the_vignette_is_one_key_away_and_the_comparison_shows_answers(settings: Settings) -> None:
    async with running(settings, size=(100, 40)) as (app, pilot):
        await press(app, pilot, "k")
        await pilot.press(*"Kettu7", "enter")
        await settle(app, pilot)
        await press(app, pilot, "home", "enter", "enter")  # the first client, its vignette, start
        assert isinstance(app.screen, DomainScreen)
        await press(app, pilot, "i")
        assert isinstance(app.screen, VignetteScreen)
        await press(app, pilot, "escape")
        assert isinstance(app.screen, DomainScreen) and app.screen.domain.key == "affairs"
        await press(app, pilot, *"3324332", "enter", "y")  # question 1 answered yes
        assert isinstance(app.screen, QuestionScreen)
        await press(app, pilot, "i", "enter")
        assert isinstance(app.screen, QuestionScreen)
        await press(app, pilot, *["enter"] * 4, "v")
        assert isinstance(app.screen, ComparisonScreen)
        shown = screen_text(app)
        assert "Vastaukset" in shown and "kyllä" in shown


async def test_the_vignette_key_is_not_offered_outside_training(settings: Settings) -> None:
    async with running(settings) as (app, pilot):
        await press(app, pilot, "n", "enter", "i")
        assert isinstance(app.screen, DomainScreen)


def test_full_agreement_is_one_everywhere() -> None:
    assert weighted_kappa([3, 3, 3], [3, 3, 3]) == 1.0
    assert weighted_kappa([2, 3, 4], [2, 3, 4]) == 1.0
    assert kappa([("tym", "tym"), ("tym", "tym")]) == 1.0
