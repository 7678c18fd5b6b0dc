"""A training round: three trainees walk two demo clients; the trainer reads the agreement.

Hand-computed for housing (reference 2 and 1): two trainees score 2 and 1, one scores 3 and 2.
Exact 4/6, within one 6/6; kappa per pair 1, 1/3, 1/3 → mean 5/9. Reference path: Timo 3/3
(all reach TYM), Anna 2/3 (the higher scores make her case bilateral)."""

from __future__ import annotations

import pytest
from textual.widgets import OptionList

from consult.screens.agreement import AgreementScreen
from consult.screens.comparison import ComparisonScreen
from consult.screens.training import TrainingScreen
from consult.system.settings import Settings
from tests.screens.helpers import press, rows, running, screen_text, settle

ROUND = {
    "Kettu7": {0: "3324332", 1: "1112111"},
    "Ilves": {0: "3324332", 1: "1112111"},
    "Karhu": {0: "4435443", 1: "2223222"},
}


async def walk(app, pilot, pseudonym: str, position: int, levels: str) -> None:
    await pilot.click("#pseudonym")
    await pilot.press("ctrl+a", "ctrl+k", *pseudonym, "enter")  # clear the previous trainee's name
    await settle(app, pilot)
    await pilot.press("home", *["down"] * position, "enter")  # the client, counted from the top
    await settle(app, pilot)
    await pilot.press("enter")  # read the vignette, start
    await settle(app, pilot)
    await press(app, pilot, *levels, "enter", *["enter"] * 5, "v")
    assert isinstance(app.screen, ComparisonScreen)
    await pilot.press("escape")
    await settle(app, pilot)
    assert isinstance(app.screen, TrainingScreen)


async def test_a_round_of_three_trainees(settings: Settings) -> None:
    async with running(settings, start="training") as (app, pilot):
        assert isinstance(app.screen, TrainingScreen)
        for pseudonym, cases in ROUND.items():
            for position, levels in cases.items():
                await walk(app, pilot, pseudonym, position, levels)
        options = app.screen.query_one(OptionList)
        marked = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert ["✓" in m for m in marked[:3]] == [True, True, False]  # the trainee's done cases
        await pilot.press("a")
        await settle(app, pilot)
        assert isinstance(app.screen, AgreementScreen)
        housing = next(d for d in app.screen.domains if d.domain == "housing")
        assert (housing.pairs, housing.exact, housing.within_one) == (
            6,
            pytest.approx(4 / 6),
            pytest.approx(1.0),
        )
        assert housing.kappa == pytest.approx(5 / 9)
        reached = {c.case_id: (c.reached_reference, c.trainees) for c in app.screen.cases if c.trainees}
        assert reached == {"demo-01": (3, 3), "demo-02": (2, 3)}
        shown = screen_text(app)
        assert "3 arvioijaa, 6 arviota" in shown and "67 %" in shown
        await pilot.press("e")
        await settle(app, pilot)
    (export,) = (settings.data_dir / "exports").glob("yhteneväisyys-*.csv")
    # In words and with the decimal comma, as a Finnish spreadsheet reads it.
    assert "Asuminen;6;0,6667;1,0000;0,5556" in export.read_text("utf-8-sig")
    # Trainees' walks went to the training database only: no case, no draft in the real one.
    assert rows(settings, "SELECT count(*) FROM cases") == [(0,)]
    training = Settings(data_dir=settings.data_dir, database_url=settings.training_database_url)
    assert rows(training, "SELECT count(*) FROM trainee_results") == [(6,)]


async def test_a_pseudonym_is_required_and_checked(settings: Settings) -> None:
    async with running(settings, start="training") as (app, pilot):
        await pilot.press("tab", "enter")  # a client without a pseudonym
        await settle(app, pilot)
        assert isinstance(app.screen, TrainingScreen)
        await pilot.click("#pseudonym")
        await pilot.press(*"a@b.fi", "enter")
        await settle(app, pilot)
        assert app.screen.query_one("#pseudonym").value == "a@b.fi"  # kept to be corrected
        assert app.screen.focused is app.screen.query_one("#pseudonym")


async def test_a_training_walk_is_kept_without_asking_to_compare(settings: Settings) -> None:
    async with running(settings, start="training") as (app, pilot):
        await pilot.click("#pseudonym")
        await pilot.press(*"Kettu7", "enter")
        await settle(app, pilot)
        await pilot.press("home", "enter", "enter")  # the first client, its vignette, start
        await settle(app, pilot)
        assert "Harjoituslistaan" in screen_text(app) or "Harjoituslistaan" in str(
            [b.binding.description for b in app.screen.active_bindings.values()]
        )  # Esc says where it goes: to the list, not home
        for key in [*"3324332", "enter", *["enter"] * 5, "left", "enter"]:  # back and on again
            await pilot.press(key)
            await settle(app, pilot)
        await pilot.press("escape")  # no v: the walk is kept all the same, once
        await settle(app, pilot)
        assert isinstance(app.screen, TrainingScreen)
    training = Settings(data_dir=settings.data_dir, database_url=settings.training_database_url)
    assert rows(training, "SELECT pseudonym, case_id, housing FROM trainee_results") == [
        ("Kettu7", "demo-01", 2)
    ]


async def test_a_demo_export_outlives_the_demo(settings: Settings, tmp_path) -> None:
    from consult.demo.database import demo_settings, seed

    demo = demo_settings(settings, tmp_path / "throwaway")
    seed(demo)
    async with running(demo, start="training") as (app, pilot):
        await pilot.press("tab", "a")  # from the pseudonym field to the list, then agreement
        await settle(app, pilot)
        await pilot.press("e")
        await settle(app, pilot)
        told = " ".join(n.message for n in app._notifications)
    (export,) = (settings.data_dir / "demo" / "exports").glob("*.csv")
    assert str(export) in told  # and the trainer is told where
    assert not list((tmp_path / "throwaway").rglob("*.csv"))
