"""What the app offers its flows: the screens' interface, and the screen stack and workers.

A Protocol, not the App class: the flows are below the app in the layers, and mypy checks
where the app is made that it offers all of this.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any, Protocol

from consult.screens.host import Host

if TYPE_CHECKING:
    from textual.screen import Screen
    from textual.worker import Worker


class FlowHost(Host, Protocol):
    @property
    def store_ready(self) -> asyncio.Event:
        """Set once the database has been opened, or has failed to open."""

    @property
    def store_error(self) -> str | None: ...

    @property
    def screen(self) -> Screen[Any]: ...

    def switch_screen(self, screen: Screen[Any]) -> object: ...

    def push_screen(self, screen: Screen[Any]) -> object: ...

    def end_walk(self, then: Screen[Any] | None = None) -> None:
        """Leaves the walk: back where it was started from, or on to ``then``."""

    def notify(self, message: str, *, severity: Any = "information") -> None: ...

    def run_worker(
        self, work: Coroutine[Any, Any, Any], *, group: str = "default", exclusive: bool = False
    ) -> Worker[Any]: ...
