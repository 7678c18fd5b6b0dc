"""What every screen shares: binding labels from the catalog, and the walk's step result."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, TypeVar, cast

from textual import events
from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen

from consult.i18n import Translator
from consult.screens.host import Move

if TYPE_CHECKING:
    from consult.screens.host import Host, WalkControl

T = TypeVar("T")

# Textual's own English labels that can reach the footer, mapped to catalog keys.
_TEXTUAL_LABELS = {"Quit": "binding.quit"}
# Binding labels that are catalog keys: the shared ones, and a feature's own kept in its catalog.
_CATALOG_LABELS = ("binding.", "meeting.key.", "services.key.")


def translate_bindings(node: DOMNode, t: Translator) -> None:
    """Binding labels are catalog keys in the code; here they become words in the user's
    language, per instance, so a language chosen at start reaches the footer."""
    bindings = node._bindings.key_to_bindings
    for key, group in bindings.items():
        translated = []
        for binding in group:
            label = _TEXTUAL_LABELS.get(binding.description, binding.description)
            if label.startswith(_CATALOG_LABELS):
                binding = replace(binding, description=t(label))
            translated.append(binding)
        bindings[key] = translated


def relabel(node: DOMNode, key: str, label: str) -> None:
    """Gives a key another label on this screen only (what it does depends on where we are)."""
    bindings = node._bindings.key_to_bindings
    if key in bindings:
        bindings[key] = [replace(binding, description=label) for binding in bindings[key]]


class _Translated(DOMNode):
    """Binding labels and ``self.t`` in the user's language, for full screens and dialogs alike;
    ``self.host`` is what the app offers screens."""

    def __init__(self) -> None:
        super().__init__()
        translate_bindings(self, self.t)

    @property
    def host(self) -> Host:
        return cast("Host", self.app)

    @property
    def t(self) -> Translator:
        return self.host.t


class ConsultScreen(_Translated, Screen[T]):
    """A screen whose footer speaks the user's language."""


class ConsultModal(_Translated, ModalScreen[T]):
    """A dialog over a screen, speaking the user's language."""


class StepScreen(ConsultScreen[None]):
    """One step of the walk. It reports the worker's move to the app, which replaces it with
    the next step in one change of the screen stack, so no key falls between two steps.

    In a training walk the client's vignette is one key away (i) on every step: trainees rate
    the situation they read, not their memory of it."""

    BINDINGS = [Binding("i", "vignette", "binding.vignette")]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "vignette":
            return self.walk.training
        return True

    def action_vignette(self) -> None:
        self.walk.show_vignette()

    def __init__(self, walk: WalkControl) -> None:
        super().__init__()
        self.walk = walk
        if walk.training:
            # A training walk leaves to the list of demo clients, not home: say so.
            relabel(self, "escape", self.t("binding.training_list"))

    def finish(self, move: Move) -> None:
        self.walk.move(self, move)


# A warning names at most this many findings on its one line; the rest are counted.
_SHOWN = 4


class TextGuard:
    """Checks free text before it is saved: control characters are dropped, an over-long text
    or an identifier is refused (the text stays in the field for the worker to edit); likely
    names, addresses or birth dates are all named at once.

    A warning is confirmed only by the worker's confirming key (Enter in the field, the dialog's
    save) pressed while the warning about that exact text is on view: the confirmation belongs
    to the text, and no other way out of a field (a level key, Esc, quitting) confirms it."""

    def __init__(self, t: Translator, others: Callable[[], Mapping[str, str]] | None = None) -> None:
        self.t = t
        # The case's other texts (field key → text): an identifier split across two of them is
        # refused as one written in a single field.
        self._others = others
        self._confirmed: set[str] = set()
        self.on_view: str | None = None
        """The text whose warning is on view."""

    def confirmed(self, text: str) -> None:
        """``text`` was confirmed elsewhere (a list of warnings before saving)."""
        from consult.privacy.free_text import clean

        self._confirmed.add(clean(text))

    def problem(
        self, label: str, text: str, field: str = "note", key: str | None = None, *, confirm: bool = True
    ) -> str | None:
        """None when ``text`` may be saved (as ``free_text.clean`` makes it); otherwise the one
        line to show. ``label`` names the field in words, ``field`` its kind and limit.
        ``confirm``: the worker's confirming key -- it confirms a warning already on view for
        the same text; without it a warning is said again however often the text is offered."""
        from consult.privacy.free_text import clean, too_long
        from consult.privacy.guard import check

        text = clean(text)
        if not text:
            self.on_view = None
            return None
        if (limit := too_long(field, text)) is not None:
            self.on_view = None
            return self.t("text.too_long", field=label, length=len(text), limit=limit)
        findings = check(text)
        refused = [f for f in findings if f.refused]
        if refused:
            self.on_view = None
            return self.t("privacy.refused", field=label, found=self._counted([f.kind for f in refused]))
        if split := self._split_with_others(key, text):
            self.on_view = None
            return self.t("privacy.refused_split", field=label, found=self._counted(split))
        if not findings or text in self._confirmed:
            return None
        if confirm and self.on_view == text:
            self._confirmed.add(text)
            self.on_view = None
            return None
        self.on_view = text
        return self.warning(label, text)

    def warning(self, label: str, text: str) -> str | None:
        """The warning line about ``text`` (names, addresses, birth dates found), or None."""
        found = self.found(text)
        return None if found is None else self.t("privacy.warned_all", field=label, found=found)

    def found(self, text: str) -> str | None:
        """What the guard warns about in ``text``, in words on one line, or None."""
        from consult.privacy.guard import check

        findings = [f for f in check(text) if not f.refused]
        if not findings:
            return None
        items = list(
            dict.fromkeys(
                self.t("privacy.warned_item", found=self.t(f"privacy.kind.{f.kind}"), text=f.text)
                for f in findings
            )
        )
        if len(items) > _SHOWN:  # one line: the first few, the rest counted
            items = [*items[:_SHOWN], self.t("privacy.more", count=len(items) - _SHOWN)]
        return ", ".join(items)

    def warned(self, text: str, field: str = "note", key: str | None = None) -> bool:
        """True when ``text`` could be kept only as unconfirmed: a warning, nothing refused (on
        its own or together with the case's other texts), not yet confirmed."""
        from consult.privacy.free_text import clean, too_long
        from consult.privacy.guard import check

        text = clean(text)
        if not text or too_long(field, text) is not None or text in self._confirmed:
            return False
        findings = check(text)
        if not findings or any(f.refused for f in findings):
            return False
        return not self._split_with_others(key, text)

    def _split_with_others(self, key: str | None, text: str) -> list[str]:
        """The kinds of identifier that ``text`` forms together with another text of the case."""
        if key is None or self._others is None:
            return []
        from consult.privacy.guard import split_identifiers

        texts = {k: v for k, v in self._others().items() if k != key and v}
        if not texts:
            return []
        texts[key] = text
        return [f.kind for f in split_identifiers(texts) if f.refused and key in f.fields]

    def _counted(self, kinds: list[str]) -> str:
        """Every kind of identifier found, with how many; never the identifier itself."""
        counts: dict[str, int] = {}
        for kind in kinds:
            counts[kind] = counts.get(kind, 0) + 1
        return ", ".join(
            self.t("privacy.times", found=self.t(f"privacy.kind.{kind}"), count=count)
            if count > 1
            else self.t(f"privacy.kind.{kind}")
            for kind, count in counts.items()
        )

    def clean_without_findings(self, text: str, field: str = "note", key: str | None = None) -> str | None:
        """The cleaned text when it could be kept without asking anything; None otherwise."""
        from consult.privacy.free_text import clean, too_long
        from consult.privacy.guard import check

        text = clean(text)
        if too_long(field, text) is not None or (
            text and (check(text) or self._split_with_others(key, text))
        ):
            return None
        return text


class FreshKeys:
    """Keys that commit something (a save, a confirmation) act only if they were pressed after
    this screen was on view: keys typed ahead, meant for the dialog or step before, are dropped.

    Textual stamps every key with the moment it was read; the screen notes the moment it was
    mounted or shown again after a dialog, and compares.
    """

    FRESH_KEYS: frozenset[str] = frozenset()
    _shown_at: float = 0.0

    def _mark_shown(self) -> None:
        from textual._time import get_time  # the clock Textual stamps events with

        self.on_view_at = get_time()

    def on_mount(self) -> None:
        self._mark_shown()

    def on_screen_resume(self) -> None:
        self._mark_shown()

    def on_key(self, event: events.Key) -> None:
        if event.key in self.FRESH_KEYS and event.time < self.on_view_at:
            event.stop()
            event.prevent_default()
