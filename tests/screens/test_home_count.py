"""Home shows the case count before the store has opened: read from a current local file with
the standard library, the same number the store gives once open; a file the store must first
upgrade, or a server, is counted by the store alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from consult.app import ConsultApp, make_app
from consult.screens.home import HomeScreen
from consult.system.settings import Settings
from tests.screens.helpers import ready, screen_text, seed
from tests.store.fixtures import march_cases


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, bool]]:
    """Each count home is given, and whether the store had answered by then."""
    given: list[tuple[int, bool]] = []
    show_count = HomeScreen.show_count

    def record(self: HomeScreen, count: int) -> None:
        app = self.app
        assert isinstance(app, ConsultApp)
        given.append((count, app.store_ready.is_set()))
        show_count(self, count)

    monkeypatch.setattr(HomeScreen, "show_count", record)
    return given


async def test_the_count_comes_first_from_the_file(settings: Settings, shown: list[tuple[int, bool]]) -> None:
    cases = march_cases()
    seed(settings, cases)
    saved = sum(case.status != "draft" for case in cases)
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(app, pilot)
        assert f"{saved} tallennettua tapausta" in screen_text(app)
        assert app.store.count_cases() == saved
    # First from the file while the store was still opening, then from the store: the same.
    assert shown == [(saved, False), (saved, True)]


async def test_a_file_to_create_is_counted_by_the_store(
    tmp_path: Path, shown: list[tuple[int, bool]]
) -> None:
    app = make_app(Settings(data_dir=tmp_path / "new"))
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(app, pilot)
        assert "0 tallennettua tapausta" in screen_text(app)
    assert shown == [(0, True)]


@pytest.mark.parametrize("freeze", [False, True])
async def test_the_command_lines_app_keeps_its_start_out_of_the_collectors_passes(
    settings: Settings, freeze: bool
) -> None:
    """`consult` builds its app with ``freeze_after_start``: once the store has opened, what
    start-up made leaves the collector's sight (a walk's keys waited for its full passes). An
    app built for a test leaves the test process's collector alone."""
    import gc

    before = gc.get_freeze_count()
    app = make_app(settings, freeze_after_start=freeze)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(app, pilot)
        # (What is frozen here stays so for this test process: one app's worth.)
        assert (gc.get_freeze_count() > before) is freeze
