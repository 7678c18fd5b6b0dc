"""The app can be killed at any moment (the OOM killer, ``kill -9`` on a stuck session). That
must cost at most the save in flight: the database stays intact and every save the app had
finished is still there. Real writer processes doing the app's save sequence are SIGKILLed at
seeded, varied moments, many times over the same database, on SQLite (WAL) and PostgreSQL;
after every kill the database is checked against what the writer reported. A process dying is
what is proven here, not the machine losing power (synchronous=NORMAL may then drop the last
commits, by choice)."""

from __future__ import annotations

import contextlib
import os
import queue
import random
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.engine import make_url

from consult.core.instrument import DOMAIN_KEYS, QUESTION_KEYS
from consult.store import Store
from consult.store.tables import CaseRow, TeamDecisionRow

# The suite's share of kill points; CONSULT_SOAK=1 runs the 40 and 20 a release is checked with.
_SOAK = os.environ.get("CONSULT_SOAK") == "1"
KILL_POINTS_SQLITE = 40 if _SOAK else 20
KILL_POINTS_POSTGRES = 20 if _SOAK else 12
SEED = 7_406_113
# Writers that die on their own (a traceback, a hang) must fail the test, not stall it.
LINE_TIMEOUT_S = 60.0

SCORES_DONE_STEP = 1 + len(DOMAIN_KEYS)  # step 1 is the context; each later step scores a domain
ANSWERS_STEP = SCORES_DONE_STEP + 1
NOTES_STEP = ANSWERS_STEP + 1

# The app's saves, in the app's order, one commit per call. A line is written only after the
# call has returned, so every line is a promise that the commit happened; each line is one
# write() to the pipe, so a kill cannot leave half of one (print() under PYTHONUNBUFFERED
# writes word by word, and did leave halves). On start the writer resumes the newest draft,
# as a worker would after the app died: that draft was usually left by the process killed a
# moment ago.
WRITER = textwrap.dedent(
    f"""
    import os
    import random
    import sys
    from datetime import date

    from consult.core.instrument import ANSWERS, DOMAIN_KEYS, QUESTION_KEYS
    from consult.core.model import AREAS, PRIMARIES, WORKER_ORGS, Answers, Assessment, Context
    from consult.core.model import Scores, TeamDecision
    from consult.scoring import evaluate
    from consult.store.drafts import complete, create_draft, latest_draft
    from consult.store.team import add_team_decision
    from consult.store.drafts import update_draft
    from consult.store.db import make_engine

    def report(*words):
        os.write(1, (" ".join(map(str, words)) + "\\n").encode())

    rng = random.Random(int(sys.argv[2]))
    report("started", os.getpid())
    engine = make_engine(sys.argv[1])
    resumed = latest_draft(engine)
    while True:
        if resumed is not None:
            case, step = resumed.case, resumed.step
            report("resumed", case.id, step)
            resumed = None
        else:
            context = Context(
                area=rng.choice(AREAS), worker_org=rng.choice(WORKER_ORGS), jobseeker=rng.random() < 0.5
            )
            case, step = create_draft(engine, context, step=1), 1
            report("committed", case.id, "draft", 1)
        scores = case.scores.model_dump()
        for index in range(step - 1, len(DOMAIN_KEYS)):
            scores[DOMAIN_KEYS[index]] = rng.randint(1, 5)
            update_draft(engine, case.id, step=index + 2, scores=Scores(**scores))
            report("committed", case.id, "draft", index + 2)
        answers = case.answers
        if step < {ANSWERS_STEP}:
            answers = Answers(**{{key: rng.choice(ANSWERS) for key in QUESTION_KEYS}})
            update_draft(engine, case.id, step={ANSWERS_STEP}, answers=answers)
            report("committed", case.id, "draft", {ANSWERS_STEP})
        if step < {NOTES_STEP}:
            # Every other walk a long pasted text: a commit of many pages widens the window a
            # kill can land in. With journaling turned off, such kills corrupted the file and
            # integrity_check caught it in 3 of 5 seeded runs.
            length = rng.randint(1, 40) * (3000 if rng.random() < 0.5 else 1)
            notes = {{"general": "tilanne " * length, "housing": "asunto haussa"}}
            update_draft(engine, case.id, step={NOTES_STEP}, notes=notes)
            report("committed", case.id, "draft", {NOTES_STEP})
        assessment = Assessment(scores=Scores(**scores), answers=answers, context=case.context)
        status = rng.choice(("awaiting_team", "referred_directly"))
        complete(engine, case.id, status, evaluate(assessment))
        report("committed", case.id, "completed", status)
        if status == "awaiting_team" and rng.random() < 0.5:
            decision = TeamDecision(path=rng.choice(PRIMARIES), note="tiimi", decided_at=date.today())
            add_team_decision(engine, case.id, decision)
            report("committed", case.id, "decided")
    """
)


@dataclass
class Reported:
    """What the writers said they had committed, over the whole run."""

    draft_step: dict[str, int] = field(default_factory=dict)
    completed: dict[str, str] = field(default_factory=dict)
    decided: set[str] = field(default_factory=set)
    resumes: int = 0
    commits: int = 0

    def read(self, line: str) -> None:
        if not line.endswith("\n"):
            raise AssertionError(f"a line was cut: {line!r}")
        words = line.split()
        if words[0] == "resumed":
            self.resumes += 1
            return
        if words[0] != "committed":
            return
        self.commits += 1
        case_id, stage = words[1], words[2]
        if stage == "draft":
            self.draft_step[case_id] = max(self.draft_step.get(case_id, 0), int(words[3]))
        elif stage == "completed":
            self.completed[case_id] = words[3]
        else:
            self.decided.add(case_id)

    def case_ids(self) -> set[str]:
        return set(self.draft_step) | set(self.completed) | self.decided


@dataclass(frozen=True)
class KillPoint:
    lines_before_kill: int  # 0: right after start-up, while the engine opens the database
    delay_s: float
    then_after: str | None = None  # then also wait for a line ending so


def kill_points(rng: random.Random, count: int) -> list[KillPoint]:
    points = []
    for _ in range(count):
        kind = rng.random()
        if kind < 0.15:
            points.append(KillPoint(0, rng.uniform(0, 0.02)))
        elif kind < 0.35:
            # The walk's last saves: the answers, then the notes (the one commit that can span
            # many pages, see WRITER), then completing. By the time a line has reached this
            # process the writer is already in the next save, so aim from the one before.
            points.append(
                KillPoint(rng.randint(1, 20), rng.uniform(0, 0.008), f" draft {SCORES_DONE_STEP}\n")
            )
        else:
            # A save takes a few milliseconds: the delay lands the kill anywhere in the next few,
            # inside a transaction, during its commit, or between two saves.
            points.append(KillPoint(rng.randint(1, 45), rng.uniform(0, 0.012)))
    return points


# The writers are forked from one process that has imported what they use: a kill point then
# costs the save sequence, not a Python start-up and its imports (most of a second each). It
# reads "url seed" lines; each fork prints "started PID" first, and once the fork is dead the
# process prints "ended STATUS", after every line the fork wrote.
FORKS = textwrap.dedent(
    """
    import os
    import sys
    import traceback

    writer = compile(sys.argv[1], "writer", "exec")
    # The writer's head (its imports, before "rng = "), run once here for every fork to share.
    exec(compile(sys.argv[1].split("rng = ")[0], "imports", "exec"), {"__name__": "imports"})
    for order in sys.stdin:
        url, seed = order.split()
        pid = os.fork()
        if pid == 0:
            sys.argv = ["writer", url, seed]
            try:
                exec(writer, {"__name__": "__main__"})
            except BaseException:
                traceback.print_exc()
            finally:
                os._exit(1)
        _, status = os.waitpid(pid, 0)
        os.write(1, f"ended {os.waitstatus_to_exitcode(status)}\\n".encode())
    """
)


class Writers:
    """The forking process and what its forks print, read on a thread so a wait has a timeout."""

    def __init__(self, stderr_path: Path) -> None:
        env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])}
        with stderr_path.open("w") as stderr:
            self.process = subprocess.Popen(
                [sys.executable, "-c", FORKS, WRITER],
                env=env,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=stderr,
                text=True,
            )
        self.lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def next_line(self) -> str:
        line = self.lines.get(timeout=LINE_TIMEOUT_S)
        if line is None:
            self.lines.put(None)
            raise AssertionError("the forking process ended")
        return line

    def run_until_killed(self, url: str, seed: int, point: KillPoint) -> tuple[list[str], int]:
        """Forks a writer, SIGKILLs it at ``point``; returns every line it printed, and its
        return code."""
        assert self.process.stdin is not None
        self.process.stdin.write(f"{url} {seed}\n")
        self.process.stdin.flush()
        started = self.next_line()
        assert started.startswith("started "), started
        pid = int(started.split()[1])
        seen = ["started\n"]
        ended: int | None = None
        try:
            while len(seen) < point.lines_before_kill + 1 or (  # +1: "started"
                point.then_after is not None and not seen[-1].endswith(point.then_after)
            ):
                line = self.next_line()
                if line.startswith("ended "):  # died on its own: the return code says so below
                    ended = int(line.split()[1])
                    break
                seen.append(line)
            time.sleep(point.delay_s)
        finally:
            if ended is None:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
        while ended is None:
            line = self.next_line()
            if line.startswith("ended "):
                ended = int(line.split()[1])
            else:
                seen.append(line)
        return seen, ended

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=30)


def sqlite_copy(database: Path, into: Path) -> str:
    """A byte copy of what the killed writer left (database, WAL and its index): opening it
    is the same crash recovery the next writer then does on the original."""
    into.mkdir()
    for suffix in ("", "-wal", "-shm"):
        source = database.with_name(database.name + suffix)
        if source.exists():
            shutil.copyfile(source, into / source.name)
    return f"sqlite:///{into / database.name}"


def check(engine: Engine, reported: Reported, kills: int) -> dict[str, Mapping[str, Any]]:
    """The database is intact, holds no half-written save, and holds every reported one."""
    cases, decisions = CaseRow.__table__, TeamDecisionRow.__table__
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            assert connection.exec_driver_sql("PRAGMA integrity_check").scalars().all() == ["ok"]
            assert connection.exec_driver_sql("PRAGMA foreign_key_check").all() == []
        rows = {row["id"]: row for row in connection.execute(select(cases)).mappings()}
        paths: dict[str, list[str]] = {}
        for case_id, path in connection.execute(
            select(decisions.c.case_id, decisions.c.path).order_by(decisions.c.id)
        ):
            paths.setdefault(case_id, []).append(path)

    assert set(paths) <= set(rows)
    for case_id, row in rows.items():
        scored = [row[key] for key in DOMAIN_KEYS if row[key] is not None]
        answered = [row[key] for key in QUESTION_KEYS if row[key] is not None]
        if row["status"] == "draft":
            # Each update_draft writes the step together with what that step saved.
            assert len(scored) == min(row["step"] - 1, len(DOMAIN_KEYS)), case_id
            assert len(answered) == (len(QUESTION_KEYS) if row["step"] >= ANSWERS_STEP else 0), case_id
            assert bool(row["notes"]) == (row["step"] >= NOTES_STEP), case_id
            assert row["recommendation"] is None and row["recommended"] is None, case_id
            assert case_id not in paths, case_id
            continue
        assert len(scored) == len(DOMAIN_KEYS) and len(answered) == len(QUESTION_KEYS), case_id
        assert row["notes"], case_id
        recommendation = row["recommendation"]
        assert recommendation is not None, case_id
        assert row["recommended"] == recommendation["primary"], case_id
        assert row["rules_version"] == recommendation["rules_version"], case_id
        if row["status"] == "team_decided":
            assert len(paths.get(case_id, [])) == 1, case_id  # each case is decided once
            assert row["decision_path"] == paths[case_id][-1] and row["decided_at"] is not None, case_id
        else:
            assert row["status"] in ("awaiting_team", "referred_directly"), case_id
            assert case_id not in paths and row["decision_path"] is None, case_id

    for case_id, step in reported.draft_step.items():
        assert case_id in rows, f"reported draft step {step} of {case_id} is lost"
        row = rows[case_id]
        assert row["status"] != "draft" or row["step"] >= step, (case_id, step, row["step"])
    for case_id, status in reported.completed.items():
        assert rows[case_id]["status"] in (status, "team_decided"), (case_id, status)
    for case_id in reported.decided:
        assert rows[case_id]["status"] == "team_decided", case_id
    # A kill can fall between a commit and its line, so each kill may leave one unreported case.
    assert len(set(rows) - reported.case_ids()) <= kills
    return rows


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the writers are forked (POSIX)")
def test_killing_the_writer_mid_save_loses_nothing_saved(
    database_url: str,
    tmp_path: Path,
    record_property: Callable[[str, object], None],
    request: pytest.FixtureRequest,
) -> None:
    is_sqlite = make_url(database_url).get_backend_name() == "sqlite"
    count = KILL_POINTS_SQLITE if is_sqlite else KILL_POINTS_POSTGRES
    Store.open(database_url).close()  # migrated once, as the app does on start
    rng = random.Random(SEED)
    reported = Reported()
    wal_left = 0
    writers = Writers(tmp_path / "writer.err")
    request.addfinalizer(writers.close)
    for kills, point in enumerate(kill_points(rng, count), start=1):
        lines, returncode = writers.run_until_killed(database_url, rng.getrandbits(32), point)
        error = (tmp_path / "writer.err").read_text()
        assert returncode == -signal.SIGKILL, f"{point}: the writer was not the one killed\n{error[-3000:]}"
        assert lines[:1] == ["started\n"], error[-3000:]
        for line in lines:
            reported.read(line)

        url = database_url
        if is_sqlite:
            database = Path(make_url(database_url).database or "")
            wal = database.with_name(database.name + "-wal")
            wal_left += wal.exists() and wal.stat().st_size > 0
            url = sqlite_copy(database, tmp_path / f"after-kill-{kills:03d}")
        store = Store.open(url)  # a restart: migrations check the schema, SQLite recovers the WAL
        try:
            check(store.engine, reported, kills)
        finally:
            store.close()
        if is_sqlite:
            shutil.rmtree(tmp_path / f"after-kill-{kills:03d}")

    # The last kill's leftovers, opened in place as the next start of the app would.
    store = Store.open(database_url)
    try:
        rows = check(store.engine, reported, count)
    finally:
        store.close()

    record_property("kill_points", count)
    completed = sum(row["status"] != "draft" for row in rows.values())
    # Guards against a test that passes because nothing was written or no kill hit a walk.
    assert completed >= count // 2, completed
    assert reported.commits >= 5 * count, reported.commits
    assert reported.decided, "no team decision was saved"
    assert reported.resumes >= count // 4, reported.resumes
    if is_sqlite:
        assert wal_left >= count // 2, f"only {wal_left} kills left a WAL to recover"


def test_the_check_notices_a_lost_save(tmp_path: Path) -> None:
    """The check above is only as good as its ability to fail: a reported save that is not in
    the database must trip it."""
    url = f"sqlite:///{tmp_path / 'store' / 'consult.db'}"
    store = Store.open(url)
    try:
        reported = Reported()
        reported.read("committed 00000000-0000-4000-8000-000000000001 draft 3\n")
        with pytest.raises(AssertionError, match="is lost"):
            check(store.engine, reported, kills=1)
    finally:
        store.close()
