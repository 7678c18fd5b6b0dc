"""The meeting view's next item (issue 20), for ``bench/meetings.py``: on the database that bench
made (n cases by ``consult import``, m meetings), Kuopio's meeting of the agenda's day is
planned and started through the store with twelve items, and the meeting view
(screens/meeting_hold.py) is driven headless at 120×40 as the convener drives it: → pressed,
timed until the screen holding the next case's code is composed for the terminal.

- ``next_prepared``: the team has talked about the item on screen for a while, so the next case
  has been read, worded and rendered in a worker (the usual case). Target: under 50 ms.
- ``next_cold``: → pressed before anything was read ahead (the cache emptied first): the case
  is read in a worker and shown when it arrives. For comparison; no target.
- ``repaint``: the same screen composed again after a change of the same size that needs no
  reading: what any change of the whole screen costs on this machine, the floor under both.
- ``read_and_prepare``: what the worker does for one case (``Store.get_case``, the reasons
  worded, the lines rendered), timed alone.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from datetime import date
from pathlib import Path

from bench.common import interleave, timed, until

NEXT_TARGET_S = 0.05
HELD_ITEMS = 12


def open_meeting(database: Path, on: date) -> str:
    """Kuopio's meeting of ``on``, planned and started through the store, its agenda cut to the
    twelve cases a meeting takes."""
    from consult.store import Store

    store = Store.open(f"sqlite:///{database}")
    try:
        meeting = store.plan_meeting("kuopio", on, "social")
        store.set_items(meeting.id, [item.case_id for item in meeting.items[:HELD_ITEMS]])
        return store.start_meeting(meeting.id).id
    finally:
        store.close()


async def drive(data: Path, meeting_id: str, rounds: int) -> dict[str, list[float]]:
    """The meeting view, headless at 120×40: → through the items, prepared and cold in turn.

    The key is sent as the terminal's driver sends it (not through the Pilot, whose waits for
    idleness are its own), and the time runs until the screen is composed for the terminal
    (``App._display``, called once the compositor has rendered) with the next case's code on
    it. Beside them, ``repaint``: the same screen composed again after a change of the same
    size that needs no reading (the item shown again from its rendered lines): what any
    change of the whole screen costs on this machine, the floor under the figures."""
    from textual import events

    from consult.app import make_app
    from consult.screens.meeting_hold import HoldScreen
    from consult.system.settings import Settings
    from consult.widgets.prepared import PreparedLines

    settings = Settings(data_dir=data, lang="fi")
    app = make_app(settings, freeze_after_start=True)  # as `consult` starts it
    times: dict[str, list[float]] = {"next_prepared": [], "next_cold": [], "repaint": []}
    awaited: list[str] = []  # the code the next composed screen should show
    painted: list[float] = []
    display = app._display

    def stamped(screen: object, renderable: object) -> None:
        display(screen, renderable)  # type: ignore[arg-type]
        if renderable is not None and awaited and awaited[0] in lines.plain[:200]:
            painted.append(time.perf_counter())
            awaited.clear()

    app._display = stamped  # type: ignore[method-assign]
    async with app.run_test(size=(120, 40)) as pilot:
        await asyncio.wait_for(app.store_ready.wait(), 120)
        screen = HoldScreen(meeting_id)
        await app.push_screen(screen)
        await until(
            lambda: bool(screen.items) and screen.items[0].case_id in screen.views, 60, "the first item"
        )
        lines = screen.query_one("#hold-item", PreparedLines)

        async def timed_change(code: str, change) -> float:  # type: ignore[no-untyped-def]
            await until(lambda: not any(w.is_running for w in app.workers), 30, "workers idle")
            await pilot.pause()
            painted.clear()
            awaited[:] = [code]
            start = time.perf_counter()
            change()
            await until(lambda: bool(painted), 30, f"{code} on the composed screen")
            return painted[-1] - start

        def press_right() -> None:
            key = events.Key("right", None)
            key.set_sender(app)
            app._driver.send_message(key)  # type: ignore[union-attr]

        for _ in range(rounds):
            for kind in ("next_prepared", "next_cold"):
                if screen.index + 1 >= len(screen.items):  # back to the first item, untimed
                    screen.index = 0
                    await screen._show()
                following = screen.items[screen.index + 1].case_id
                await until(lambda f=following: f in screen.rendered, 30, "the next item read ahead")
                case = screen.views[following].case
                if kind == "next_cold":
                    screen.views.pop(following, None)
                    screen.rendered.pop(following, None)
                times[kind].append(await timed_change(case.code, press_right))
            # The item on screen shown again from other lines and back: a whole-screen change.
            shown = lines.lines
            blank = [line.crop(0, 0) for line in shown]
            lines.show(blank)
            await pilot.pause()
            code = screen.views[screen.items[screen.index].case_id].case.code
            times["repaint"].append(await timed_change(code, lambda s=shown: lines.show(s)))
        return times


def bench_prepare(database: Path, meeting_id: str, repeat: int) -> dict[str, object]:
    from consult.i18n import Translator
    from consult.screens.meeting_hold import _COLORS, prepare, render_item
    from consult.store import Store

    store = Store.open(f"sqlite:///{database}")
    try:
        meeting = store.get_meeting(meeting_id)
        assert meeting is not None
        known, in_force = store.known_rules(), store.rules_in_force()
        t = Translator("fi")
        case_ids = [item.case_id for item in meeting.items]

        def one() -> None:
            for case_id in case_ids:
                case = store.get_case(case_id)
                assert case is not None
                render_item(prepare(case, known, in_force, "fi"), t, 112, _COLORS)

        figures, cut = interleave({"all_items": timed(one)}, repeat, 60, warmup=1)
        return {"per_case_s": round(figures["all_items"].median / len(case_ids), 4), "deadline_cut": cut}
    finally:
        store.close()


def _summary(walls: list[float]) -> dict[str, object]:
    return {
        "runs": len(walls),
        "median_s": round(statistics.median(walls), 4),
        "max_s": round(max(walls), 4),
        "min_s": round(min(walls), 4),
    }


def next_item(data: Path, on: date, rounds: int) -> dict[str, object]:
    """The figures above on the data folder ``data`` (its database already holding meetings)."""
    database = data / "consult.db"
    meeting_id = open_meeting(database, on)
    times = asyncio.run(drive(data, meeting_id, rounds))
    return {
        **{kind: _summary(walls) for kind, walls in times.items()},
        "read_and_prepare": bench_prepare(database, meeting_id, 5),
    }
