"""The follow-up screen names the months of the team's agreement as the rest of the screen does:
"maalis 2026", never the key "2026-03"."""

from __future__ import annotations

from consult.system.settings import Settings
from tests.screens.helpers import press, running, screen_text, seed, wait_until
from tests.store.fixtures import make_case


async def test_the_months_of_the_teams_agreement_are_named_in_words(settings: Settings) -> None:
    seed(
        settings,
        [
            make_case(
                1,
                "3,3,2,4,3,3,2",
                "2026-03-02T10:15:00+02:00",
                "team_decided",
                "kuopio",
                ("tym", "2026-03-09"),
            ),
            make_case(
                2,
                "3,3,2,4,3,3,2",
                "2026-04-02T10:15:00+03:00",
                "team_decided",
                "kuopio",
                ("tym", "2026-04-09"),
            ),
        ],
    )
    async with running(settings, size=(120, 40)) as (app, pilot):
        await press(app, pilot, "f")
        await wait_until(pilot, lambda: "maalis 2026:" in screen_text(app), "the months")
        text = screen_text(app)
        assert "huhti 2026:" in text
        assert "2026-03:" not in text and "2026-04:" not in text
