"""Every screen is usable at 60×20 as at 80×24 and 120×40, and speaks only the user's language
(``test_languages.leaks``), in every language: what a key acts on
(a level, a question, a choice, a field, a list) is on screen, or in a scrolling area whose
scroll bar shows there is more; a dialog fits the screen; a table keeps its key columns (the
code and the status) in view."""

from __future__ import annotations

import pytest
from textual.app import App
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import DataTable, Input, OptionList, TextArea

from consult.system.settings import Settings
from consult.widgets.choice_row import ChoiceRow
from tests.screens.helpers import TO_RESULT, press, running, seed, settle, wait_until
from tests.screens.test_languages import LANGS, ROUTES, _seeded_in, everything_shown, leaks

SIZES = ((60, 20), (80, 24), (120, 40))
MORE_ROUTES = {
    **ROUTES,
    "leave result": ([*TO_RESULT, "escape"], "LeaveResultScreen"),
    "outcome dialog": (["r", "enter", "o"], "OutcomeScreen"),
}
# Columns a table must keep in view at any width: which case, and where it stands.
KEY_COLUMNS = {"ReviewScreen": ("code", "status")}


def _targets(app: App) -> list[Widget]:
    from consult.screens.domain import LevelOption

    kinds = (LevelOption, ChoiceRow, Input, TextArea, DataTable, OptionList)
    found = [w for w in app.screen.query(Widget) if isinstance(w, kinds) or w.has_class("question")]
    return [
        w
        for w in found
        if w.display and w.visible and all(a.display for a in w.ancestors_with_self if isinstance(a, Widget))
    ]


def _signalled(widget: Widget) -> bool:
    """Inside an area that scrolls, with its scroll bar shown."""
    for ancestor in widget.ancestors:
        if isinstance(ancestor, Widget) and ancestor.max_scroll_y > 0 and ancestor.show_vertical_scrollbar:
            return True
    return False


def problems(app: App) -> list[str]:
    screen = app.screen
    area = screen.region
    found = []
    for widget in _targets(app):
        region = widget.region
        inside = bool(region) and area.contains_region(region)
        if not inside and not _signalled(widget):
            found.append(f"{widget!r} at {region} is off screen and nothing says so")
    if isinstance(screen, ModalScreen):
        dialog = next(iter(screen.children), None)
        if dialog is not None and not area.contains_region(dialog.region):
            found.append(f"the dialog {dialog.region} does not fit {area}")
        if dialog is not None and dialog.max_scroll_y > 0 and not dialog.show_vertical_scrollbar:
            found.append("the dialog's last lines are cut and nothing says so")
    for key in KEY_COLUMNS.get(type(screen).__name__, ()):
        table = screen.query_one(DataTable)
        columns = list(table.columns.values())
        index = [c.key.value for c in columns].index(key)
        left = sum(c.get_render_width(table) for c in columns[:index])
        right = left + columns[index].get_render_width(table)
        if right > table.scrollable_content_region.width:
            found.append(
                f"column {columns[index].label} ends at {right}, the table is {table.size.width} wide"
            )
    return found


def walks(routes: dict[str, tuple[list[str], str]]) -> dict[str, list[str]]:
    """The routes as walks from home: one for each route that no other route goes on from, and
    on it, in order, each route on the way that no earlier walk has checked (a screen reached
    on the way is the screen reached by its own keys, so it is checked once)."""
    keys = {name: tuple(route[0]) for name, route in routes.items()}

    def on_the_way(name: str, end: str) -> bool:
        return keys[end][: len(keys[name])] == keys[name]

    ends = [
        n
        for n in routes
        if not any(o != n and len(keys[o]) > len(keys[n]) and on_the_way(n, o) for o in routes)
    ]
    found: dict[str, list[str]] = {}
    checked: set[str] = set()
    for end in ends:
        stops = sorted(
            (n for n in routes if on_the_way(n, end) and n not in checked), key=lambda n: len(keys[n])
        )
        checked.update(stops)
        found[end] = stops
    return found


WALKS = walks(MORE_ROUTES)


def test_every_route_is_on_one_walk() -> None:
    stops = [name for walk in WALKS.values() for name in walk]
    assert sorted(stops) == sorted(MORE_ROUTES) and len(stops) == len(set(stops))
    for walk in WALKS.values():
        lengths = [len(MORE_ROUTES[name][0]) for name in walk]
        assert lengths == sorted(lengths)


@pytest.mark.parametrize("end", list(WALKS))
@pytest.mark.parametrize("lang", LANGS)
async def test_every_screen_is_usable_at_every_size(lang: str, end: str, tmp_path) -> None:
    """One app a walk and language; at each screen on the way, the terminal resized under it
    from the narrowest size up (the same screen a worker would have on a laptop, a wider window
    or a shared screen), then back to the narrowest for the keys that go on."""
    settings = Settings(data_dir=tmp_path / "data", lang=lang)
    seed(settings, list(_seeded_in(lang)))
    async with running(settings, size=SIZES[0]) as (app, pilot):
        pressed = 0
        for route in WALKS[end]:
            # Back to the narrowest where the walk goes on.
            sizes = SIZES[1:] if route == end else (*SIZES[1:], SIZES[0])
            keys, expected = MORE_ROUTES[route]
            await press(app, pilot, *keys[pressed:])
            pressed = len(keys)
            assert type(app.screen).__name__ == expected, f"{route} was not reached"
            assert problems(app) == [], f"{lang} {route} at {SIZES[0][0]}x{SIZES[0][1]}"
            for width, height in sizes:
                await pilot.resize_terminal(width, height)
                await wait_until(
                    pilot,
                    lambda w=width, h=height: app.screen.region.size == (w, h),
                    f"the screen at {width}x{height}",
                )
                await settle(app, pilot)
                assert problems(app) == [], f"{lang} {route} at {width}x{height}"
                if (width, height) == (80, 24):  # and it speaks the user's language, nothing else
                    assert leaks(everything_shown(app), lang) == [], f"{lang} {route}"
