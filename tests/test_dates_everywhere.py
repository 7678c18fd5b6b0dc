"""Dates read the same way everywhere: the command line takes the forms the app asks for
(1.12.2026 and 2026-12-01), a period never runs backwards, and what has happened (an outcome, a
team decision) is never dated after today."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from consult.cli import main
from consult.core.dates import PeriodReversed, check_period, parse_day, parse_period, today
from consult.core.model import Outcome
from consult.system.settings import Settings


@pytest.mark.parametrize("text", ["1.12.2026", "01.12.2026", "2026-12-01", " 1.12.2026 "])
def test_one_parser_reads_both_forms(text: str) -> None:
    assert parse_day(text) == date(2026, 12, 1)


@pytest.mark.parametrize(
    "argv",
    [
        ["stats", "--since", "2026-12-01", "--until", "2026-11-01"],
        ["stats", "--since", "1.12.2026", "--until", "1.11.2026"],
        ["report", "--since", "2026-12-01", "--until", "2026-11-01", "--output", "r.html"],
        ["rules", "suggest", "--since", "2026-12-01", "--until", "2026-11-01"],
    ],
)
def test_a_reversed_period_is_refused_in_one_line(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.strip().splitlines()) == 1 and "--since" in err


@pytest.mark.parametrize("since", ["1.11.2026", "2026-11-01"])
def test_the_command_line_takes_the_apps_date_form(since: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", "--since", since, "--until", "30.11.2026", "--json"]) == 0
    assert '"2026-11-01"' in capsys.readouterr().out


def test_a_reversed_period_is_refused_by_the_apps_period_field() -> None:
    with pytest.raises(PeriodReversed):
        check_period(date(2026, 12, 1), date(2026, 11, 1))
    with pytest.raises(ValueError):
        parse_period("1.12.2026–1.11.2026")


def test_the_store_refuses_an_outcome_dated_after_today(settings: Settings) -> None:
    from consult.store import Store
    from consult.store.team import OutcomeProblem
    from tests.screens.helpers import rows, seed
    from tests.store.fixtures import make_case

    saved = (datetime.now(UTC) - timedelta(days=3)).isoformat()
    seed(settings, [make_case(1, "3,3,2,4,3,3,2", saved, "referred_directly", "kuopio")])
    ((case_id,),) = rows(settings, "SELECT id FROM cases")
    store = Store.open(settings.resolved_database_url)
    try:
        with pytest.raises(OutcomeProblem, match="in_future"):
            store.add_outcome(
                case_id, Outcome(started=True, path="tym", on=today() + timedelta(days=11), note="")
            )
        store.add_outcome(case_id, Outcome(started=True, path="tym", on=today(), note=""))
    finally:
        store.close()


async def test_the_outcome_dialog_refuses_a_day_after_today(settings: Settings) -> None:
    from consult.i18n.formats import show
    from consult.screens.case import CaseScreen
    from consult.screens.outcome import OutcomeScreen
    from tests.screens.helpers import rows, running, screen_text, seed, settle
    from tests.store.fixtures import make_case

    saved = (datetime.now(UTC) - timedelta(days=3)).isoformat()
    seed(settings, [make_case(1, "3,3,2,4,3,3,2", saved, "referred_directly", "kuopio")])
    async with running(settings) as (app, pilot):
        await pilot.press("r", "enter")
        await settle(app, pilot)
        await pilot.press("o")
        await settle(app, pilot)
        assert isinstance(app.screen, OutcomeScreen)
        ahead = show(today() + timedelta(days=11), "fi")
        await pilot.press("tab", "tab", "ctrl+a", "ctrl+k", *ahead, "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, OutcomeScreen) and "tämän päivän" in screen_text(app)
        await pilot.press("ctrl+a", "ctrl+k", *today().isoformat(), "enter")  # the other form
        await settle(app, pilot)
        assert isinstance(app.screen, CaseScreen)
    assert rows(settings, "SELECT outcome_on FROM cases") == [(today().isoformat(),)]
