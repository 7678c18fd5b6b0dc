"""What every screen shares: binding labels from the catalog, and the walk's step result."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal, TypeVar

from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen

from consult.i18n import Translator

T = TypeVar("T")

# Textual's own English labels that can reach the footer, mapped to catalog keys.
_TEXTUAL_LABELS = {"Quit": "binding.quit"}


def translate_bindings(node: DOMNode, t: Translator) -> None:
    """Binding labels are catalog keys in the code; here they become words in the user's
    language, per instance, so a language chosen at start reaches the footer."""
    bindings = node._bindings.key_to_bindings
    for key, group in bindings.items():
        translated = []
        for binding in group:
            label = _TEXTUAL_LABELS.get(binding.description, binding.description)
            if label.startswith("binding."):
                binding = replace(binding, description=t(label))
            translated.append(binding)
        bindings[key] = translated


@dataclass(frozen=True, slots=True)
class Move:
    """A walk step's result: go on with a value, go back, or leave to home."""

    direction: Literal["next", "back", "leave"]
    value: object = None


class _Translated:
    """Binding labels and ``self.t`` in the user's language, for full screens and dialogs alike."""

    def __init__(self) -> None:
        super().__init__()
        translate_bindings(self, self.t)  # type: ignore[arg-type]

    @property
    def t(self) -> Translator:
        return self.app.t  # type: ignore[attr-defined]


class ConsultScreen(_Translated, Screen[T]):
    """A screen whose footer speaks the user's language."""


class ConsultModal(_Translated, ModalScreen[T]):
    """A dialog over a screen, speaking the user's language."""


class StepScreen(ConsultScreen[None]):
    """One step of the walk. It reports the worker's move to the app, which replaces it with
    the next step in one change of the screen stack, so no key falls between two steps."""

    def finish(self, move: Move) -> None:
        self.app.walk_move(self, move)  # type: ignore[attr-defined]


# A warning names at most this many findings on its one line; the rest are counted.
_SHOWN = 4


class TextGuard:
    """Checks free text before it is saved: identifiers are refused (the text stays in the
    field for the worker to edit); likely names, addresses and birth dates are warned about
    once, all of them in one line, and the same text offered again is taken as confirmed.
    A refused text is never confirmed, however often Enter is pressed."""

    def __init__(self, t: Translator) -> None:
        self.t = t
        self._confirmed: set[str] = set()

    def problem(self, field: str, text: str) -> str | None:
        """None when ``text`` may be saved; otherwise the one line to show."""
        from consult.privacy import check

        findings = check(text)
        refused = [f for f in findings if f.refused]
        if refused:
            return self._refusal(field, [f.kind for f in refused])
        if findings and text not in self._confirmed:
            self._confirmed.add(text)
            if len(findings) == 1:
                first = findings[0]
                return self.t(
                    "privacy.warned", field=field, found=self.t(f"privacy.kind.{first.kind}"), text=first.text
                )
            items = [
                self.t("privacy.warned_item", found=self.t(f"privacy.kind.{f.kind}"), text=f.text)
                for f in findings[:_SHOWN]
            ]
            if len(findings) > _SHOWN:
                items.append(self.t("privacy.more", count=len(findings) - _SHOWN))
            return self.t("privacy.warned_all", field=field, found=", ".join(items))
        return None

    def _refusal(self, field: str, kinds: list[str]) -> str:
        """Every kind of identifier found, counted; never the identifier itself."""
        counts: dict[str, int] = {}
        for kind in kinds:
            counts[kind] = counts.get(kind, 0) + 1
        if len(kinds) == 1:
            return self.t("privacy.refused", field=field, found=self.t(f"privacy.kind.{kinds[0]}"))
        named = [
            self.t("privacy.times", found=self.t(f"privacy.kind.{kind}"), count=count)
            if count > 1
            else self.t(f"privacy.kind.{kind}")
            for kind, count in counts.items()
        ]
        return self.t("privacy.refused_all", field=field, found=", ".join(named))
