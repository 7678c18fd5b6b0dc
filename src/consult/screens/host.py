"""What the app offers its screens: a small typed interface instead of the App class.

Screens reach it as ``self.host``; the App satisfies it (mypy checks that where the app is
made), so a renamed method fails the type check instead of a caseworker's key press.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

if TYPE_CHECKING:
    from textual.screen import Screen

    from consult.catalogue.model import Catalogue
    from consult.core.model import Draft
    from consult.demo import DemoCase
    from consult.i18n import Translator
    from consult.store import Store
    from consult.system.settings import Settings


@dataclass(frozen=True, slots=True)
class Move:
    """A walk step's result: go on with a value, go back, or leave to home."""

    direction: Literal["next", "back", "leave"]
    value: object = None


class Host(Protocol):
    @property
    def t(self) -> Translator:
        """The user's language."""

    @property
    def settings(self) -> Settings: ...

    @property
    def store(self) -> Store:
        """The case database; its methods are called from worker threads once it is open."""

    @property
    def store_open(self) -> bool: ...

    def refresh_home(self) -> object:
        """Home counts the cases and drafts again."""

    def start_walk(self, draft: Draft | None) -> None:
        """A new assessment, or the draft continued where it stopped."""

    def start_training_walk(self, case: DemoCase, pseudonym: str, step: int) -> None: ...

    async def training_store(self) -> Store:
        """The trainees' own database, opened on first use."""

    def write_note_file(self, note: str) -> Path: ...

    def use_settings(self, settings: Settings) -> None:
        """The settings from now on; a new language is spoken by every screen built after."""


class WalkControl(Protocol):
    """What a step of the walk reports its result to (the walk flow)."""

    @property
    def training(self) -> bool:
        """A trainee's walk of a demo client: leaving goes back to the list of clients."""

    def move(self, screen: Screen[Any], move: Move) -> None: ...

    @property
    def notes(self) -> Mapping[str, str]:
        """The walk's notes so far (note key → text), for the guard to read them together."""

    def show_vignette(self) -> None:
        """A training walk: the client's vignette over the step, Esc back to it."""

    def unconfirmed_notes(self) -> dict[str, str]:
        """The case's notes whose privacy warning the worker has not confirmed, by note key."""

    def confirmed_notes(self) -> dict[str, str]:
        """The case's notes as they would be saved (confirmed or free of warnings)."""

    def confirm_notes(self) -> None:
        """The worker confirmed every listed warning."""

    async def catalogue(self) -> Catalogue:
        """The service catalogue in force, read once a walk."""
