"""``python -m bench.child PEAKFILE (-m MODULE | -c CODE | SCRIPT) ARGS…``: runs the command in
this process and writes its peak resident memory (VmHWM, KiB) to PEAKFILE as it exits, however
it exits. See ``bench.common``."""

from __future__ import annotations

import atexit
import runpy
import sys


def _peak(path: str) -> None:
    with open("/proc/self/status") as status:
        kib = status.read().split("VmHWM:")[1].split()[0]
    with open(path, "w") as out:
        out.write(kib)


def main() -> None:
    peak_file, *command = sys.argv[1:]
    atexit.register(_peak, peak_file)
    if command[0] == "-m":
        sys.argv = [command[1], *command[2:]]
        runpy.run_module(command[1], run_name="__main__", alter_sys=True)
    elif command[0] == "-c":
        sys.argv = ["-c", *command[2:]]
        exec(compile(command[1], "<bench>", "exec"), {"__name__": "__main__"})
    else:
        sys.argv = command
        runpy.run_path(command[0], run_name="__main__")


if __name__ == "__main__":
    main()
