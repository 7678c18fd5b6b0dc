"""Moving to the next item of a meeting being held, on a database of n cases (made by
``consult import``) and 5,000 closed meetings with their items and actions; prints JSON.

The meeting view (screens/meeting_hold.py) is driven headless as the convener drives it: →
pressed, timed until the next case's code is on the screen's widget. Two figures:

- ``next_prepared``: the team has talked about the item on screen for a while, so the next case
  has been read and prepared in a worker (the usual case). Target (issue 20): under 50 ms.
- ``next_cold``: → pressed before anything was read ahead (the cache emptied first): the case
  is read in a worker and shown when it arrives. For comparison; no target.

Beside them, ``read_and_prepare``: what the worker does for one case (``Store.get_case`` and
the reasons worded), timed alone in the same process.

Run: ``python -m bench.meeting_view`` (20,000 cases) or ``--full`` (100,000);
``--cases N`` for another size, ``--keep DIR`` to reuse databases between runs.
"""

from __future__ import annotations

import asyncio
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

from bench.common import interleave, load, repeats, report, sizes, timed, until
from bench.database import imported

NEXT_TARGET_S = 0.05
MEETINGS = 5_000
ITEMS_PER_MEETING = 8
ACTIONS_PER_MEETING = 2
HELD_ITEMS = 12
AREAS = ("yla-savo", "keski-savo", "kuopio", "other", "unknown")


def add_meetings(database: Path, count: int = MEETINGS, seed: int = 20) -> None:
    """``count`` closed meetings of the areas, two a week back from last year, each with items
    of the area's cases and two actions (one in twenty still open), written straight into the
    tables (untimed): the store's own path plans one meeting at a time."""
    rng = random.Random(seed)
    with sqlite3.connect(database) as db:
        if db.execute("SELECT count(*) FROM meetings").fetchone()[0] >= count:
            return
        by_area: dict[str, list[str]] = {area: [] for area in AREAS}
        for case_id, area in db.execute("SELECT id, area FROM cases WHERE status != 'draft'"):
            by_area[area or "unknown"].append(case_id)
        first = date.today() - timedelta(days=400)
        meetings, items, actions = [], [], []
        for n in range(count):
            area = AREAS[n % len(AREAS)]
            meeting_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
            on = first - timedelta(days=n // 2)
            meetings.append((meeting_id, area, on.isoformat(), f"{on.isoformat()} 08:00:00.000000"))
            chosen = rng.sample(by_area[area], min(ITEMS_PER_MEETING, len(by_area[area])))
            for position, case_id in enumerate(chosen, start=1):
                result = rng.choice(("decided", "decided", "deferred", "not_discussed"))
                items.append((meeting_id, case_id, position, result))
            for case_id in chosen[:ACTIONS_PER_MEETING]:
                still_open = rng.random() < 0.05
                actions.append(
                    (
                        str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                        meeting_id,
                        case_id,
                        rng.choice(("kela", "social", "health", "employment")),
                        "palveluneuvoja",
                        "Yhteydenotto ja palvelutarpeen arvio",
                        (on + timedelta(days=14)).isoformat(),
                        "open" if still_open else rng.choice(("done", "not_possible", "not_done")),
                        None if still_open else (on + timedelta(days=14)).isoformat(),
                        f"{on.isoformat()} 09:00:00.000000",
                    )
                )
        db.executemany(
            "INSERT INTO meetings (id, area, held_on, status, convener_org, present, apologies, note, "
            "planned_at) VALUES (?, ?, ?, 'closed', 'social', '[\"social\",\"kela\"]', '[]', '', ?)",
            meetings,
        )
        db.executemany(
            "INSERT INTO meeting_items (meeting_id, case_id, position, result) VALUES (?, ?, ?, ?)", items
        )
        db.executemany(
            "INSERT INTO meeting_actions (id, meeting_id, case_id, owner_org, owner_role, what, due, "
            "status, closed_on, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            actions,
        )


def open_meeting(database: Path) -> str:
    """Kuopio's meeting of today, planned and started through the store, its agenda cut to the
    twelve cases a meeting takes."""
    from consult.core.dates import today
    from consult.store import Store

    store = Store.open(f"sqlite:///{database}")
    try:
        meeting = store.plan_meeting("kuopio", today(), "social")
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
    app = make_app(settings)
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
    from consult.screens.meeting_hold import prepare
    from consult.store import Store

    store = Store.open(f"sqlite:///{database}")
    try:
        meeting = store.get_meeting(meeting_id)
        assert meeting is not None
        known, in_force = store.known_rules(), store.rules_in_force()
        case_ids = [item.case_id for item in meeting.items]

        def one() -> None:
            for case_id in case_ids:
                case = store.get_case(case_id)
                assert case is not None
                prepare(case, known, in_force, "fi")

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


def main(argv: list[str]) -> None:
    started = load()
    ns = sizes(argv, [20_000], [100_000])
    rounds = repeats(argv, 10, 20)
    keep = Path(argv[argv.index("--keep") + 1]) if "--keep" in argv else None
    body: dict[str, object] = {}
    checks: dict[str, bool] = {}
    with tempfile.TemporaryDirectory(prefix="consult-bench-meeting-") as folder:
        for n in ns:
            data = imported(n, (keep or Path(folder)) / str(n) / "data")
            database = data / "consult.db"
            add_meetings(database)
            meeting_id = open_meeting(database)
            times = asyncio.run(drive(data, meeting_id, rounds))
            figures = {kind: _summary(walls) for kind, walls in times.items()}
            body[str(n)] = {
                "meetings": MEETINGS,
                **figures,
                "read_and_prepare": bench_prepare(database, meeting_id, 5),
            }
            checks[f"next_prepared_{n}"] = figures["next_prepared"]["median_s"] <= NEXT_TARGET_S  # type: ignore[operator]
    body["targets"] = {"next_item_s": NEXT_TARGET_S}
    report("meeting_view", body, checks, started)


if __name__ == "__main__":
    main(sys.argv[1:])
