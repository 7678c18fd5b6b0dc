"""What every benchmark shares, so that each figure stands beside its baseline the same way.

- ``interleave``: the contenders run in turn (A, B, A, B…), so a burst of load from another
  process hits both alike; each is repeated and reported as median, minimum, maximum and
  spread; a deadline stops the repetitions (never a half-done run) and says so.
- ``Process``: one command as a process of its own, timed whole (start-up included), with its
  CPU time from ``os.wait4`` and its peak memory from ``/proc/<pid>/status`` (``VmHWM``) read by
  the child itself at exit: ``ru_maxrss`` survives ``exec`` on Linux, so a child started by a
  large benchmark would report the benchmark's own peak.
- ``report``: one JSON document a bench, with the machine's load before and after.

Only the standard library: the bench needs no tool outside the project.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Run as ``python -m bench.child PEAKFILE (-m MODULE | -c CODE | SCRIPT) ARGS…``: the command
# runs in this process, which writes its VmHWM (KiB) to PEAKFILE as it exits.
CHILD = "bench.child"


class DeadlineExceeded(RuntimeError):
    """A single run took longer than the bench allows: the bench says so instead of hanging."""


@dataclass
class Sample:
    wall: float
    cpu: float | None = None
    peak_mib: float | None = None
    output: str = ""


@dataclass
class Figure:
    """The repetitions of one contender."""

    name: str
    samples: list[Sample] = field(default_factory=list)

    @property
    def walls(self) -> list[float]:
        return [s.wall for s in self.samples]

    def summary(self) -> dict[str, object]:
        walls = self.walls
        if not walls:
            return {"runs": 0}
        median = statistics.median(walls)
        out: dict[str, object] = {
            "runs": len(walls),
            "median_s": round(median, 4),
            "min_s": round(min(walls), 4),
            "max_s": round(max(walls), 4),
            # (max − min) / median: how far apart the repetitions were.
            "spread": round((max(walls) - min(walls)) / median, 3) if median else 0.0,
        }
        cpus = [s.cpu for s in self.samples if s.cpu is not None]
        if cpus:
            out["cpu_median_s"] = round(statistics.median(cpus), 4)
        peaks = [s.peak_mib for s in self.samples if s.peak_mib is not None]
        if peaks:
            out["peak_mib"] = round(max(peaks), 1)
        return out

    @property
    def median(self) -> float:
        return statistics.median(self.walls)

    @property
    def cpu_median(self) -> float | None:
        cpus = [s.cpu for s in self.samples if s.cpu is not None]
        return statistics.median(cpus) if cpus else None

    @property
    def peak(self) -> float | None:
        peaks = [s.peak_mib for s in self.samples if s.peak_mib is not None]
        return max(peaks) if peaks else None


def interleave(
    contenders: dict[str, Callable[[], Sample | float]],
    repeat: int,
    deadline_s: float,
    warmup: int = 0,
) -> tuple[dict[str, Figure], bool]:
    """Runs each contender ``repeat`` times in turn (A, B, A, B…); ``warmup`` rounds first,
    not counted. Returns the figures and whether the deadline cut the repetitions short (at
    least one whole round always runs)."""
    figures = {name: Figure(name) for name in contenders}
    for _ in range(warmup):
        for run in contenders.values():
            run()
    start = time.perf_counter()
    cut = False
    for round_number in range(repeat):
        if round_number and time.perf_counter() - start > deadline_s:
            cut = True
            break
        for name, run in contenders.items():
            result = run()
            figures[name].samples.append(result if isinstance(result, Sample) else Sample(result))
    return figures, cut


def timed(fn: Callable[[], object]) -> Callable[[], Sample]:
    """An in-process contender: the wall time of one call."""

    def run() -> Sample:
        start = time.perf_counter()
        fn()
        return Sample(time.perf_counter() - start)

    return run


@dataclass
class Process:
    """One command to run as a process: ``argv`` after the interpreter (``-m consult …``,
    ``-c CODE …`` or a script), its environment, standard input from a file, a timeout."""

    argv: Sequence[str]
    env: dict[str, str] | None = None
    stdin: Path | None = None
    timeout_s: float = 600.0
    keep_output: bool = False
    before: Callable[[], None] | None = None  # untimed preparation (a fresh database copy)

    def __call__(self) -> Sample:
        if self.before is not None:
            self.before()
        return run_process(self.argv, self.env, self.stdin, self.timeout_s, self.keep_output)


def run_process(
    argv: Sequence[str],
    env: dict[str, str] | None = None,
    stdin: Path | None = None,
    timeout_s: float = 600.0,
    keep_output: bool = False,
) -> Sample:
    """Wall time, CPU time (user + system) and peak memory of one process."""
    with tempfile.NamedTemporaryFile(prefix="bench-peak-", delete=False) as peak_file:
        peak_path = Path(peak_file.name)
    out = subprocess.PIPE if keep_output else subprocess.DEVNULL
    try:
        with (
            open(stdin, "rb") if stdin is not None else open(os.devnull, "rb") as given,
            tempfile.TemporaryFile() as errors,
        ):
            before = _children_cpu()
            start = time.perf_counter()
            process = subprocess.Popen(
                [sys.executable, "-m", CHILD, str(peak_path), *argv],
                env=child_env(env),
                stdin=given,
                stdout=out,
                stderr=errors,
            )
            # The deadline kills from a timer; the wait itself blocks until the child ends.
            # Popen.wait(timeout) polls instead, every 50 ms once the child has run 0.1 s, which
            # rounded every figure up to the next poll (a 64 ms baseline read 114 ms at times).
            deadline = threading.Timer(timeout_s, process.kill)
            deadline.start()
            try:
                output = process.communicate()[0] if keep_output else b""
                process.wait()
                wall = time.perf_counter() - start
            finally:
                overran = not deadline.is_alive()
                deadline.cancel()
            if overran:
                raise DeadlineExceeded(f"{' '.join(argv)[:80]}: over {timeout_s} s")
            # Popen reaped the child: its CPU time is what the children's totals grew by.
            cpu = _children_cpu() - before
            if process.returncode != 0:
                errors.seek(0)
                raise SystemExit(
                    f"{' '.join(argv)[:80]} failed: {errors.read()[-2000:].decode(errors='replace')}"
                )
        text = peak_path.read_text().strip()
        peak = int(text) / 1024 if text else None
        return Sample(wall, cpu, peak, output.decode("utf-8") if keep_output else "")
    finally:
        peak_path.unlink(missing_ok=True)


def _children_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def child_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {**os.environ, **(extra or {})}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    env.setdefault("CONSULT_LANG", "en")
    return env


def ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 2) if a is not None and b else None


def growth(small: float | None, large: float | None, n_small: int, n_large: int) -> dict[str, object]:
    """How a figure grew from the small size to the large: beside the sizes' own factor (what
    linear growth would give; 1.0 is flat)."""
    return {
        "factor": ratio(large, small),
        "size_factor": round(n_large / n_small, 2),
    }


async def until(
    condition: Callable[[], object], deadline_s: float, what: str, poll_s: float = 0.002
) -> float:
    """Waits for ``condition`` in an async test (a Textual app's ``run_test``) and returns the
    seconds it took; DeadlineExceeded after ``deadline_s``. It sleeps between looks rather than
    yielding with ``sleep(0)``: a busy loop competes for the interpreter with the worker thread
    whose time it measures."""
    import asyncio

    start = time.perf_counter()
    while not condition():
        if time.perf_counter() - start > deadline_s:
            raise DeadlineExceeded(f"{what}: not within {deadline_s} s")
        await asyncio.sleep(poll_s)
    return time.perf_counter() - start


def load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def report(name: str, body: dict[str, object], checks: dict[str, bool], started_load: list[float]) -> None:
    """Prints the bench's JSON: its figures, which targets held, and the load it ran under
    (the machine is shared: the load says how far to trust the figures)."""
    print(
        json.dumps(
            {
                "bench": name,
                **body,
                "targets_met": checks,
                "all_met": all(checks.values()) if checks else None,
                "cpus": os.cpu_count(),
                "load_average": {"before": started_load, "after": load()},
            },
            indent=2,
            ensure_ascii=False,
        ),
        flush=True,
    )


def sizes(argv: Sequence[str], small: Sequence[int], full: Sequence[int]) -> list[int]:
    """The sizes a bench runs at: small by default, ``--full`` for the issue's, ``--cases N``."""
    if "--cases" in argv:
        return [int(argv[list(argv).index("--cases") + 1])]
    return list(full if "--full" in argv else small)


def repeats(argv: Sequence[str], small: int, full: int) -> int:
    if "--repeat" in argv:
        return int(argv[list(argv).index("--repeat") + 1])
    return full if "--full" in argv else small


# The baseline of every start-up figure: a Textual app that shows one line and exits.
MINIMAL_APP = """
from textual.app import App
from textual.widgets import Static

class Minimal(App):
    def compose(self):
        yield Static("hello")

    def on_ready(self):
        self.exit()

Minimal().run(headless=True)
"""
