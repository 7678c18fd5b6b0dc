"""The team meeting's agenda (issue 20): ``Store.propose_agenda`` for one area on a database of
n fictional cases made by ``consult import`` and m meetings of the five areas over the same
months (closed ones with their items decided, deferred or not reached; two actions each, a
third still open), beside the same SQL (``consult.store.meetings.agenda_sql``) through plain
``sqlite3``. Interleaved and repeated; median, minimum, maximum and spread; a deadline.

Target (issue 20): the agenda ≤ 0.2 s at 100,000 cases and 5,000 meetings.

On the same database, ``next_item``: the meeting view moving to its next item
(``bench/meeting_view.py``). Target (issue 20): ≤ 50 ms.

Run: ``python -m bench.meetings`` (10,000 cases, 500 meetings) or ``--full`` (100,000 and
5,000); ``--cases N`` (meetings: one for every 20 cases) for another size;
``--keep DIR`` to reuse the databases between runs.
"""

from __future__ import annotations

import random
import sqlite3
import sys
import tempfile
import uuid
from datetime import date, timedelta
from pathlib import Path

from bench.common import interleave, load, ratio, repeats, report, sizes, timed
from bench.database import imported
from bench.meeting_view import NEXT_TARGET_S, next_item

TARGET_S = 0.2
AREA = "kuopio"
MEETING_AREAS = ("yla-savo", "keski-savo", "kuopio", "other", "unknown")


def add_meetings(database: Path, meetings: int, seed: int = 20) -> date:
    """``meetings`` meetings spread over the cases' days, every area in turn, written straight
    into the file (untimed) unless it holds meetings already; returns the day after the last
    case, the agenda's day."""
    rng = random.Random(seed)
    with sqlite3.connect(database) as db:
        first, last = (
            date.fromisoformat(d)
            for d in db.execute("SELECT min(created_day), max(created_day) FROM cases").fetchone()
        )
        if db.execute("SELECT count(*) FROM meetings").fetchone()[0]:
            return last + timedelta(days=1)
        by_area: dict[str, list[str]] = {a: [] for a in MEETING_AREAS}
        for case_id, area in db.execute(
            "SELECT id, coalesce(area, 'unknown') FROM cases WHERE status != 'draft'"
        ):
            by_area[area].append(case_id)
        span = (last - first).days or 1
        meeting_rows, items, actions = [], [], []
        for n in range(meetings):
            area = MEETING_AREAS[n % len(MEETING_AREAS)]
            on = first + timedelta(days=span * n // meetings)
            meeting_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
            closed = n < meetings - len(MEETING_AREAS)  # each area's last one still planned
            meeting_rows.append(
                (meeting_id, area, on.isoformat(), "closed" if closed else "planned", "social", "[]", "[]", "",
                 f"{on.isoformat()} 08:00:00.000000")
            )  # fmt: skip
            chosen = rng.sample(by_area[area], min(8, len(by_area[area])))
            for position, case_id in enumerate(chosen, start=1):
                result = rng.choice(["decided", "deferred", "not_discussed"]) if closed else None
                items.append((meeting_id, case_id, position, result))
            for case_id in chosen[:2]:
                status = rng.choice(["open", "done", "not_possible", "not_done", "done", "open"])
                due = (on + timedelta(days=rng.randrange(3, 30))).isoformat()
                actions.append(
                    (str(uuid.UUID(int=rng.getrandbits(128), version=4)), meeting_id, case_id, "kela",
                     "palveluneuvoja", "ottaa yhteyttä asiakkaaseen", due, status,
                     None if status == "open" else due, f"{on.isoformat()} 09:00:00.000000")
                )  # fmt: skip
        db.executemany(
            "INSERT INTO meetings (id, area, held_on, status, convener_org, present, apologies, note,"
            " planned_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            meeting_rows,
        )
        db.executemany(
            "INSERT INTO meeting_items (meeting_id, case_id, position, result) VALUES (?, ?, ?, ?)", items
        )
        db.executemany(
            "INSERT INTO meeting_actions (id, meeting_id, case_id, owner_org, owner_role, what, due,"
            " status, closed_on, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            actions,
        )
    return last + timedelta(days=1)


def plain_agenda(database: Path, on: date) -> object:
    """The agenda's SQL as the store sends it, through plain sqlite3, rows fetched: the baseline."""
    from consult.store.meetings import agenda_params, agenda_sql

    sql = agenda_sql(AREA)
    with sqlite3.connect(database) as db:
        params = agenda_params("sqlite", AREA, on)
        (last,) = db.execute(sql["last_meeting"], params).fetchone()
        cases = db.execute(sql["cases"], params).fetchall()
        deferred = dict(db.execute(sql["deferred"], params).fetchall())
        actions = db.execute(sql["actions"], params).fetchall()
        since = date.fromisoformat(last) if last else None
        direct = db.execute(sql["direct"], agenda_params("sqlite", AREA, on, since)).fetchone()
    db.close()
    return cases, deferred, actions, direct


def _measure(database: Path, on: date, repeat: int):
    from consult.store import Store

    store = Store.open(f"sqlite:///{database}")
    try:
        agenda = store.propose_agenda(AREA, on)
        figures, cut = interleave(
            {
                "store_agenda": timed(lambda: store.propose_agenda(AREA, on)),
                "plain_sqlite3": timed(lambda: plain_agenda(database, on)),
            },
            repeat,
            deadline_s=120,
            warmup=1,
        )
    finally:
        store.close()
    return agenda, figures, cut


def main(argv: list[str]) -> None:
    started = load()
    ns = sizes(argv, [10_000], [100_000])
    repeat = repeats(argv, 9, 15)
    body: dict[str, object] = {}
    checks: dict[str, bool] = {}
    keep = Path(argv[argv.index("--keep") + 1]) if "--keep" in argv else None
    for n in ns:
        m = 5_000 if n == 100_000 else max(len(MEETING_AREAS) * 2, n // 20)
        with tempfile.TemporaryDirectory(prefix="consult-bench-meetings-") as tmp:
            data = imported(n, (keep or Path(tmp)) / str(n) / "data")
            database = data / "consult.db"
            on = add_meetings(database, m)
            agenda, figures, cut = _measure(database, on, repeat)
            view = next_item(data, on, repeat)
        key = f"{n}_cases_{m}_meetings"
        body[key] = {
            **{name: figure.summary() for name, figure in figures.items()},
            "ratio": ratio(figures["store_agenda"].median, figures["plain_sqlite3"].median),
            "agenda": {
                "cases": len(agenda.cases),
                "actions": len(agenda.actions),
                "direct_since_last": agenda.direct_since_last,
            },
            "deadline_cut": cut,
            "next_item": view,
        }
        checks[key] = figures["store_agenda"].median <= TARGET_S
        checks[f"{key}_next_item"] = view["next_prepared"]["median_s"] <= NEXT_TARGET_S  # type: ignore[index]
    body["target_s"] = TARGET_S
    body["next_item_target_s"] = NEXT_TARGET_S
    report("meetings", body, checks, started)


if __name__ == "__main__":
    main(sys.argv[1:])
