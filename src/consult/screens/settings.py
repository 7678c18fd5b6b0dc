"""Settings: the worker's language and the context step's default area and organisation.

Saved to a small file in the platform's config directory. The language is applied at once:
home is built anew in the chosen language, so no screen mixes two. An environment variable
that sets the same thing still wins, and the screen says so next to the field.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from consult.core.instrument import LANGUAGES
from consult.core.vocabulary import AREAS, WORKER_ORGS
from consult.screens.base import ConsultScreen
from consult.system.settings import PREFERENCE_VARIABLES, Settings, preferences_path, write_preferences
from consult.widgets.choice_row import ChoiceRow
from consult.widgets.key_bar import KeyBar
from consult.widgets.title_bar import TitleBar

FIELDS = ("lang", "area", "worker_org")


class SettingsScreen(ConsultScreen[bool]):
    """Dismissed with True when the language changed: home is then built anew in it."""

    BINDINGS = [
        Binding("enter", "save", "binding.save"),
        Binding("up", "app.focus_previous", show=False),
        Binding("down", "app.focus_next", show=False),
        Binding("escape", "cancel", "binding.cancel"),
    ]

    def compose(self) -> ComposeResult:
        t = self.t
        settings: Settings = self.host.settings
        none = (None, t("settings.none"))
        choices: dict[str, list[tuple[object, str]]] = {
            # Each language is named in its own words, so a worker who cannot read the current
            # one still finds theirs.
            "lang": [(lang, t(f"settings.lang.{lang}")) for lang in LANGUAGES],
            "area": [none, *((a, t(f"area.{a}")) for a in AREAS)],
            "worker_org": [none, *((o, t(f"worker_org.{o}")) for o in WORKER_ORGS)],
        }
        yield TitleBar(self.app.title, t("settings.title"))
        with Vertical(id="settings", classes="step"):
            yield Static(t("settings.title"), classes="step-title")
            for name in FIELDS:
                yield ChoiceRow(
                    t(f"settings.{name}"),
                    choices[name],
                    getattr(settings, name),
                    arrows=True,  # a form, not the walk: ← chooses here, it does not go back
                    first_number=1 if name == "lang" else 0,  # 0 = no default, as on the context step
                    id=f"set-{name}",
                )
                if name in settings.from_environment:
                    variable = PREFERENCE_VARIABLES[name]
                    yield Static(
                        t("settings.env_wins", variable=variable, value=getattr(settings, name)),
                        classes="hint",
                    )
            yield Static(t("settings.where", path=self._path()), classes="hint")
            yield Static(t("settings.hint"), classes="keys")
            yield Static("", id="problem", classes="error")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(ChoiceRow).focus()

    def _path(self):  # -> Path
        settings: Settings = self.host.settings
        return settings.preferences_file or preferences_path()

    def chosen(self) -> dict[str, str | None]:
        return {name: self.query_one(f"#set-{name}", ChoiceRow).value for name in FIELDS}  # type: ignore[misc]

    async def action_save(self) -> None:
        chosen = self.chosen()
        try:
            await asyncio.to_thread(write_preferences, self._path(), chosen)
        except OSError as error:
            self.query_one("#problem", Static).update(self.t("settings.save_failed", error=error))
            return
        settings = self.host.settings
        # The environment still wins over what was just saved, as it does at the next start.
        in_force = {name: value for name, value in chosen.items() if name not in settings.from_environment}
        new = replace(settings, **in_force, preferences_problem=None)  # type: ignore[arg-type]
        self.host.use_settings(new)
        self.notify(self.t("settings.saved"))
        self.dismiss(new.lang != settings.lang)

    def action_cancel(self) -> None:
        self.dismiss(False)
