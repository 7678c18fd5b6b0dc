"""The consultation team's review and the start to home, on a database of n cases made by
``consult import`` itself (the streaming path the worker uses); prints JSON.

- review: each filter (every area, status, recommendation, flag and outcome value, the two
  filters of the issue together: an area and a rare flag) under each sort, the first page as
  the screen asks for it (``store.review.page``) and its count (``store.review.count``, shown
  when it arrives), timed in one process, interleaved and repeated. Beside each the same SQL
  through plain ``sqlite3``, so a slow figure says whether the SQL or the code around it is
  slow. Target (issue 22): every page ≤ 0.1 s at 300,000 cases, whatever its selectivity.
- start: process start until home shows the case count, beside a minimal Textual app that
  exits when it is ready, interleaved. Target: ≤ 2×.

Run: ``python -m bench.team`` (20,000 cases) or ``--full`` (100,000 and 300,000);
``--cases N`` for another size, ``--keep DIR`` to reuse databases between runs.
"""

from __future__ import annotations

import sqlite3
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from bench.common import MINIMAL_APP, Process, interleave, load, ratio, repeats, report, sizes, timed
from bench.database import imported

PAGE_TARGET_S = 0.1
START_TARGET = 2.0


# Exits the moment home has been given the case count: what the worker waits for at start.
# Every way the count reaches home goes through ``show_count`` (read from the local file before
# the store opens, or by the store once open).
HOME_WITH_COUNT = """
from consult.cli import load_settings
from consult.app import ConsultApp, make_app
from consult.screens.home import HomeScreen

shown = HomeScreen.show_count

def show_count(self, count):
    shown(self, count)
    self.app.exit()

HomeScreen.show_count = show_count
make_app(load_settings(), freeze_after_start=True).run(headless=True)
"""


def _filters() -> dict[str, dict[str, object]]:
    from consult.core.model import AREA_BUCKETS, FLAGS, PRIMARIES
    from consult.store.review import OUTCOME_STATES

    found: dict[str, dict[str, object]] = {"none": {}}
    found.update({f"area={a}": {"area": a} for a in AREA_BUCKETS})
    found.update(
        {f"status={s}": {"status": s} for s in ("awaiting_team", "referred_directly", "team_decided")}
    )
    found.update({f"primary={p}": {"primary": p} for p in PRIMARIES})
    found.update({f"flag={f}": {"flag": f} for f in FLAGS})
    found.update({f"outcome={o}": {"outcome": o} for o in OUTCOME_STATES})
    found["pending_over_days=30"] = {"pending_over_days": 30}
    found["code=AC"] = {"code": "AC"}
    return found


def _rarest_flag(database: Path) -> str:
    from consult.core.model import FLAGS

    with sqlite3.connect(database) as db:
        counts = {
            f: db.execute(f"SELECT count(*) FROM cases WHERE flag_{f} = 1").fetchone()[0] for f in FLAGS
        }
    return min((n, f) for f, n in counts.items() if n)[1] if any(counts.values()) else FLAGS[0]


def _raw_sql(engine, query) -> str:
    """The statement SQLAlchemy sends, with its values inlined: the baseline runs it as it is."""
    return str(query.compile(engine, compile_kwargs={"literal_binds": True}))


def bench_review(database: Path, repeat: int, deadline_s: float) -> dict[str, object]:
    from sqlalchemy import func, select

    from consult.store import Store
    from consult.store.review import SORTS, CaseFilter, conditions, count, page
    from consult.store.tables import CaseRow

    store = Store.open(f"sqlite:///{database}")
    raw = sqlite3.connect(database)
    engine = store.engine
    filters = _filters()
    rare = _rarest_flag(database)
    filters[f"area=kuopio+flag={rare}"] = {"area": "kuopio", "flag": rare}
    figures: dict[str, object] = {}
    slowest = 0.0
    slowest_count = 0.0
    try:
        for name, given in filters.items():
            f = CaseFilter(**given)  # type: ignore[arg-type]
            total = count(engine, f)
            row: dict[str, object] = {"matches": total}
            counted_sql = _raw_sql(engine, select(func.count()).select_from(CaseRow).where(*conditions(f)))
            contenders: dict[str, Callable[[], object]] = {
                "count": timed(lambda f=f: count(engine, f)),
                "count_raw_sqlite3": timed(lambda q=counted_sql: raw.execute(q).fetchone()),
            }
            for sort in SORTS:
                for descending in (True, False):
                    label = f"{sort}{'' if descending else '_asc'}"
                    contenders[f"page_{label}"] = timed(
                        lambda f=f, s=sort, d=descending: page(engine, f, s, d)
                    )
            results, cut = interleave(contenders, repeat, deadline_s, warmup=1)
            for key, figure in results.items():
                median = figure.median
                row[key] = round(median, 4)
                if key.startswith("page_"):
                    slowest = max(slowest, median)
                elif key == "count":
                    slowest_count = max(slowest_count, median)
            row["count_ratio_to_raw"] = ratio(results["count"].median, results["count_raw_sqlite3"].median)
            if cut:
                row["deadline_cut"] = True
            figures[name] = row
    finally:
        raw.close()
        store.close()
    return {
        "filters": figures,
        "slowest_page_s": round(slowest, 4),
        "slowest_count_s": round(slowest_count, 4),
    }


def bench_start(data: Path, repeat: int) -> dict[str, object]:
    env = {"CONSULT_DATA_DIR": str(data)}
    home = Process(["-c", HOME_WITH_COUNT], env, timeout_s=120)
    minimal = Process(["-c", MINIMAL_APP], env, timeout_s=120)
    figures, cut = interleave(
        {"start_to_home_count": home, "minimal_textual_app": minimal}, repeat, 300, warmup=1
    )
    return {
        **{name: figure.summary() for name, figure in figures.items()},
        "ratio": ratio(figures["start_to_home_count"].median, figures["minimal_textual_app"].median),
        "deadline_cut": cut,
    }


def main(argv: list[str]) -> None:
    started = load()
    ns = sizes(argv, [20_000], [100_000, 300_000])
    repeat = repeats(argv, 5, 7)
    keep = Path(argv[argv.index("--keep") + 1]) if "--keep" in argv else None
    body: dict[str, object] = {}
    checks: dict[str, bool] = {}
    with tempfile.TemporaryDirectory(prefix="consult-bench-team-") as folder:
        for n in ns:
            data = imported(n, (keep or Path(folder)) / str(n) / "data")
            review = bench_review(data / "consult.db", repeat, 120)
            start = bench_start(data, repeat)
            body[str(n)] = {"review": review, "start": start}
            checks[f"review_pages_{n}"] = review["slowest_page_s"] <= PAGE_TARGET_S  # type: ignore[operator]
            checks[f"start_{n}"] = start["ratio"] is not None and start["ratio"] <= START_TARGET  # type: ignore[operator]
    body["targets"] = {"page_s": PAGE_TARGET_S, "start_ratio": START_TARGET}
    report("team", body, checks, started)


if __name__ == "__main__":
    main(sys.argv[1:])
