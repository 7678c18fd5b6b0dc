"""Two workers saving into one database at once both succeed (busy timeout, BEGIN IMMEDIATE,
short transactions): two real processes × 500 complete saves, on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from sqlalchemy import create_engine, text

from consult.store import Store

SAVES = 500
WRITER = textwrap.dedent(
    """
    import sys
    from consult.core.model import Assessment, Context, Scores
    from consult.scoring import evaluate
    from consult.store.drafts import complete, create_draft, update_draft
    from consult.store.db import make_engine

    engine = make_engine(sys.argv[1])
    scores = Scores(affairs=3, services=3, housing=2, employment=4, finances=3, health=3, relations=2)
    recommendation = evaluate(Assessment(scores=scores))
    for _ in range(int(sys.argv[2])):
        draft = create_draft(engine, Context(area="kuopio"))
        update_draft(engine, draft.id, step=14, scores=scores)
        complete(engine, draft.id, "awaiting_team", recommendation)
    print("done")
    """
)


def test_two_processes_saving_at_once_both_succeed(database_url: str, tmp_path: Path) -> None:
    Store.open(database_url).close()  # migrated once, as the app does on start
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])}
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, database_url, str(SAVES)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    for writer in writers:
        out, err = writer.communicate(timeout=300)
        assert writer.returncode == 0, err[-2000:]
        assert out.strip() == "done"
    engine = create_engine(database_url)
    with engine.connect() as connection:
        assert (
            connection.execute(text("SELECT count(*) FROM cases WHERE status = 'awaiting_team'")).scalar_one()
            == 2 * SAVES
        )
        assert connection.execute(text("SELECT count(DISTINCT code) FROM cases")).scalar_one() == 2 * SAVES
        if engine.dialect.name == "sqlite":
            assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    engine.dispose()
