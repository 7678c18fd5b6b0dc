"""The screen tests press keys through Textual's Pilot, which after each key waits until the
process looks idle: it sleeps a slot, then compares the CPU time spent in it with a twentieth
of the slot (``textual._wait``). A slot of 20 ms made every key cost at least 40 ms, most of a
walk's time. The tests then wait for what they need (``helpers.settle``: the screen has taken
its messages, the workers are done); a slot of 2 ms finds the same idle moments ten times
sooner and the tests check the same things (a training round: a third less time)."""

from __future__ import annotations

import textual._wait

textual._wait.SLEEP_GRANULARITY = 1 / 500
textual._wait.SLEEP_IDLE = textual._wait.SLEEP_GRANULARITY / 20
