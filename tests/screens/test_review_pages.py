"""The review list says of how many pages once the count is known ("Sivu 2/2"), and the
bottleneck list (pending over N days, `n`) shows how many days each case has waited."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from textual.widgets import DataTable, Static

from consult.screens.review import PAGE_SIZE, ReviewScreen
from consult.system.settings import Settings
from tests.screens.helpers import codes, plain, press, running, seed
from tests.store.fixtures import make_case


def days_ago(days: int) -> str:
    now = datetime.now(UTC)
    return (now - timedelta(days=days)).isoformat()


def count_line(app) -> str:
    return plain(app.screen.query_one("#count", Static).content)


def cells(app, row: int) -> list[str]:
    return [str(cell) for cell in app.screen.query_one(DataTable).get_row_at(row)]


async def test_the_page_says_of_how_many(settings: Settings) -> None:
    many = [
        make_case(i, "1,1,1,2,1,1,1", days_ago(1 + i % 20), "referred_directly", "kuopio").model_copy(
            update={"code": f"P{i:03d}-AAA"}
        )
        for i in range(PAGE_SIZE + 30)
    ]
    seed(settings, many)
    async with running(settings) as (app, pilot):
        await press(app, pilot, "r")
        assert isinstance(app.screen, ReviewScreen)
        assert count_line(app).startswith("Sivu 1/2 · 1–100 / 130")
        await press(app, pilot, "right_square_bracket")
        assert count_line(app).startswith("Sivu 2/2 · 101–130 / 130")
        await press(app, pilot, "s", "s")  # referred directly: every one of them, still two pages
        assert count_line(app).startswith("Sivu 1/2")


async def test_the_bottleneck_list_shows_days_waiting(settings: Settings) -> None:
    seed(
        settings,
        [
            make_case(1, "3,3,2,4,3,3,2", days_ago(45), "awaiting_team", "kuopio"),
            make_case(2, "1,1,1,2,1,1,1", days_ago(5), "referred_directly", None),
            make_case(3, "2,2,5,2,2,2,2", days_ago(40), "awaiting_team", "yla-savo"),
        ],
    )
    async with running(settings) as (app, pilot):
        await press(app, pilot, "r")
        table = app.screen.query_one(DataTable)
        labels = [str(c.label) for c in table.columns.values()]
        assert "Odottanut" not in labels  # only the bottleneck list is about waiting
        await press(app, pilot, "n", *"30", "enter")
        assert codes(app) == ["T03-AAA", "T01-AAA"]
        labels = [str(c.label) for c in table.columns.values()]
        assert labels[:4] == ["Koodi", "Pvm", "Tila", "Odottanut"]
        waited = {cells(app, r)[0]: cells(app, r)[3] for r in range(table.row_count)}
        # A day either side of midnight between the team's time zone and UTC.
        assert waited["T01-AAA"] in ("44 vrk", "45 vrk", "46 vrk")
        assert waited["T03-AAA"] in ("39 vrk", "40 vrk", "41 vrk")
        await press(app, pilot, "n", "ctrl+a", "ctrl+k", "enter")  # the filter cleared: the column goes
        labels = [str(c.label) for c in table.columns.values()]
        assert "Odottanut" not in labels and len(codes(app)) == 3
