"""Saving the walk as the worker goes: a draft written after every choice.

Every snapshot carries the whole walk, so a newer one replaces any still waiting: the database
gets the latest state promptly without one write per key, and never two writes at once.
Light on imports: the App builds one at start, before the store is even opened.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from consult.core.dates import team_day

if TYPE_CHECKING:
    from consult.assessment.walk_state import WalkState
    from consult.flows.host import FlowHost


class SaveFailed(Exception):
    """A draft save failed; the worker has been told and the snapshot is kept to retry."""


class DraftSaver:
    """Writes the walk's snapshots to the database in order, newest wins, never two at once."""

    def __init__(self, host: FlowHost) -> None:
        self.host = host
        self.lock = asyncio.Lock()
        self._pending: tuple[WalkState, dict] | None = None
        self._running = False

    @property
    def busy(self) -> bool:
        return self._running or self._pending is not None

    def queue(self, state: WalkState) -> None:
        self._pending = (state, state.snapshot())
        if not self._running:
            self._running = True
            self.host.run_worker(self._drain(), group="draft-save")

    async def _drain(self) -> None:
        try:
            while self._pending is not None:
                try:
                    await self.write_pending()
                except SaveFailed:
                    return  # kept pending; the next choice or the final save tries again
        finally:
            self._running = False

    async def write_pending(self) -> None:
        host = self.host
        async with self.lock:
            if self._pending is None:
                return
            state, snapshot = self._pending
            self._pending = None
            try:
                await host.store_ready.wait()
                if not host.store_open:
                    raise RuntimeError(host.store_error or "no database")
                store = host.store
                if state.case_id is None:
                    case = await asyncio.to_thread(store.create_draft, snapshot["context"], snapshot["step"])
                    state.case_id, state.code = case.id, case.code
                    state.started = team_day(case.created_at)
                fields = {name: value for name, value in snapshot.items() if name != "services"}
                await asyncio.to_thread(store.update_draft, state.case_id, **fields)
                services = snapshot.get("services")
                if services is not None and services != state.services_stored:
                    # Apart from the walk's other choices: the store checks these texts itself.
                    await asyncio.to_thread(store.set_case_services, state.case_id, services)
                    state.services_stored = services
            except Exception as error:  # the answers stay in memory and on screen; say so
                if self._pending is None:
                    self._pending = (state, snapshot)  # the next save retries it
                host.notify(host.t("walk.save_failed", error=error.__class__.__name__), severity="error")
                raise SaveFailed from error
