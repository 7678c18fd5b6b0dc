"""What every screen shares: binding labels from the catalog, and the walk's step result."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal, TypeVar

from textual.dom import DOMNode
from textual.screen import Screen

from consult.i18n import Translator

T = TypeVar("T")


def translate_bindings(node: DOMNode, t: Translator) -> None:
    """Binding labels are catalog keys in the code; here they become words in the user's
    language, per instance, so a language chosen at start reaches the footer."""
    bindings = node._bindings.key_to_bindings
    for key, group in bindings.items():
        bindings[key] = [
            replace(b, description=t(b.description)) if b.description.startswith("binding.") else b
            for b in group
        ]


@dataclass(frozen=True, slots=True)
class Move:
    """A walk step's result: go on with a value, go back, or leave to home."""

    direction: Literal["next", "back", "leave"]
    value: object = None


class ConsultScreen(Screen[T]):
    """A screen whose footer speaks the user's language."""

    def __init__(self) -> None:
        super().__init__()
        translate_bindings(self, self.t)

    @property
    def t(self) -> Translator:
        return self.app.t  # type: ignore[attr-defined]
