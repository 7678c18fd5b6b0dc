"""Services tried before and services missing, per case: the walk's optional step before the
result, and the same list on the team's case view.

``k`` adds a service tried before and how it ended, ``p`` a service needed but missing with its
domain and reason; ``e`` changes the chosen one and ``x`` removes it. A service is picked from
the area's catalogue by typing part of its name (the list narrows as one types; ↑/↓ and Enter
take one) or written in the worker's own words, through the privacy guard; a number then
chooses the result, the domain or the reason and goes on. Every change is kept at once: the
walk saves it in the draft, the case view on the case.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Literal

from rich.console import RenderableType
from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from consult.assessment.service_words import domain_title, entry_name, missing_line, tried_line
from consult.core.instrument import DOMAIN_KEYS
from consult.core.model import MISSING_REASONS, TRIED_RESULTS, CaseServices, MissingService, TriedService
from consult.screens.base import ConsultModal, ConsultScreen, FreshKeys, StepScreen, TextGuard
from consult.screens.host import Move
from consult.widgets.choice_row import ChoiceRow
from consult.widgets.key_bar import KeyBar
from consult.widgets.text import hanging
from consult.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from consult.catalogue.model import Catalogue, Service
    from consult.i18n import Translator
    from consult.screens.host import WalkControl
    from consult.store import Store

Kind = Literal["tried", "missing"]
Entry = TriedService | MissingService

# The kind of text a typed service is, for the guard's length limit: a short note's.
TEXT_FIELD = "note"
_TYPED = "typed"  # the option id of "in your own words"

EDIT_BINDINGS: list[BindingType] = [
    Binding("k", "add('tried')", "services.key.tried"),
    Binding("p", "add('missing')", "services.key.missing"),
    Binding("e", "edit", "services.key.edit"),
    Binding("x,delete", "remove", "services.key.remove", key_display="x"),
    Binding("up", "move(-1)", show=False),
    Binding("down", "move(1)", show=False),
]


def catalogues_of(store: Store) -> list[Catalogue]:
    """The catalogue in force, then every older version activated on the database: an id
    recorded under an older version is still named. Called off the UI thread."""
    in_force = store.catalogue_in_force()
    return [in_force, *(c for v, c in store.known_catalogues().items() if v != in_force.version)]


def without(services: CaseServices, kind: Kind, index: int) -> CaseServices:
    if kind == "tried":
        return CaseServices(
            tried=services.tried[:index] + services.tried[index + 1 :], missing=services.missing
        )
    return CaseServices(
        tried=services.tried, missing=services.missing[:index] + services.missing[index + 1 :]
    )


def replaced(services: CaseServices, kind: Kind, index: int | None, entry: Entry) -> CaseServices:
    """``services`` with ``entry`` at ``index`` of its list (appended when None)."""
    if isinstance(entry, TriedService):
        tried = list(services.tried)
        if index is None:
            tried.append(entry)
        else:
            tried[index] = entry
        return CaseServices(tried=tuple(tried), missing=services.missing)
    missing = list(services.missing)
    if index is None:
        missing.append(entry)
    else:
        missing[index] = entry
    return CaseServices(tried=services.tried, missing=tuple(missing))


class EntryLine(Static):
    """One service of the case on a line, knowing which one it is (for a click)."""

    def __init__(self, entry: tuple[Kind, int], content: RenderableType) -> None:
        super().__init__(content, classes="entry")
        self.entry = entry


class ServicesPanel(VerticalScroll, can_focus=False):
    """The case's tried and missing services, one line each, the chosen one marked by a bar and
    an arrow (not by colour alone); a click chooses a line."""

    DEFAULT_CSS = """
    ServicesPanel { height: 1fr; }
    ServicesPanel .entry { padding: 0 1; border-left: thick $background; }
    ServicesPanel .entry.current { border-left: thick $accent; background: $boost; text-style: bold; }
    ServicesPanel .empty { padding: 0 1; color: $text-muted; }
    """

    def __init__(self, t: Translator, services: CaseServices, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.t = t
        self.services = services
        self.catalogues: Sequence[Catalogue] = ()
        self.current = 0

    def entries(self) -> list[tuple[Kind, int]]:
        return [("tried", i) for i in range(len(self.services.tried))] + [
            ("missing", i) for i in range(len(self.services.missing))
        ]

    def chosen(self) -> tuple[Kind, int] | None:
        entries = self.entries()
        return entries[self.current] if entries else None

    def show(self, services: CaseServices | None = None, *, last: Kind | None = None) -> None:
        """Shows ``services`` (the panel's own when None); ``last``: the line just added of
        that kind becomes the chosen one."""
        if services is not None:
            self.services = services
        entries = self.entries()
        if last is not None and entries:
            self.current = max(i for i, (kind, _) in enumerate(entries) if kind == last)
        self.current = min(self.current, max(len(entries) - 1, 0))
        self.remove_children()
        self.mount_all(self._lines())
        self.call_after_refresh(self._scroll_to_current)

    def _lines(self) -> list[Static]:
        t, catalogues = self.t, self.catalogues
        chosen = self.chosen()
        lines: list[Static] = []
        kinds: list[tuple[Kind, str, list[str]]] = [
            ("tried", t("services.tried"), [tried_line(e, t, catalogues) for e in self.services.tried]),
            (
                "missing",
                t("services.missing"),
                [missing_line(e, t, catalogues) for e in self.services.missing],
            ),
        ]
        for kind, title, texts in kinds:
            lines.append(Static(title, classes="section"))
            if not texts:
                lines.append(Static(t("services.none_yet"), classes="empty"))
            for index, text in enumerate(texts):
                current = chosen == (kind, index)
                line = EntryLine((kind, index), hanging("▶" if current else "•", text))
                line.set_class(current, "current")
                lines.append(line)
        return lines

    def _scroll_to_current(self) -> None:
        for line in self.query(".current"):
            line.scroll_visible(animate=False)

    def move(self, delta: int) -> None:
        count = len(self.entries())
        if count:
            self.current = (self.current + delta) % count
            self.show()

    @on(events.Click, ".entry")
    def _clicked(self, event: events.Click) -> None:
        line = event.widget
        while line is not None and not isinstance(line, EntryLine):
            line = line.parent if isinstance(line.parent, Widget) else None
        if line is not None and line.entry in self.entries():
            self.current = self.entries().index(line.entry)
            self.show()


class ServicesEditing(ConsultScreen[None]):
    """The keys of both screens that edit the list: add, edit, remove, move. A screen composes a
    ``ServicesPanel`` with id ``services``, keeps the list in ``services`` and says what happens
    with a change (``changed``). Each screen lists ``EDIT_BINDINGS`` among its own keys, in the
    place its key bar shows them."""

    services: CaseServices
    area: str | None
    challenges: Sequence[str]
    catalogue: Catalogue | None

    @property
    def panel(self) -> ServicesPanel:
        return self.query_one("#services", ServicesPanel)

    def changed(self, services: CaseServices) -> None:
        raise NotImplementedError

    def editing_allowed(self, action: str) -> bool:
        if action in ("edit", "remove"):
            return bool(self.services.tried or self.services.missing)
        if action == "add":
            return self.catalogue is not None
        return True

    def action_add(self, kind: Kind) -> None:
        self._pick(kind, None)

    def action_edit(self) -> None:
        chosen = self.panel.chosen()
        if chosen is not None:
            self._pick(*chosen)

    def _pick(self, kind: Kind, index: int | None) -> None:
        if self.catalogue is None:
            return
        initial: Entry | None = None
        if index is not None:
            initial = self.services.tried[index] if kind == "tried" else self.services.missing[index]
        picker = ServicePicker(
            kind,
            self.catalogue,
            self.panel.catalogues,
            area=self.area,
            challenges=self.challenges,
            initial=initial,
        )

        def picked(entry: Entry | None) -> None:
            if entry is not None:
                self._update(
                    replaced(self.services, kind, index, entry), last=kind if index is None else None
                )

        self.app.push_screen(picker, picked)

    def action_remove(self) -> None:
        chosen = self.panel.chosen()
        if chosen is not None:
            self._update(without(self.services, *chosen))

    def _update(self, services: CaseServices, last: Kind | None = None) -> None:
        self.services = services
        self.panel.show(services, last=last)
        self.refresh_bindings()
        self.changed(services)

    def action_move(self, delta: int) -> None:
        self.panel.move(delta)


class ServicesStepScreen(FreshKeys, StepScreen, ServicesEditing):
    """The walk's optional step: Enter goes on to the result with whatever is recorded (nothing,
    as often as not). A key pressed before the step was on view (a question's ``k`` for yes,
    pressed twice) adds nothing."""

    HELP = "services.help"
    FRESH_KEYS = frozenset({"k", "p", "e", "x", "delete"})

    BINDINGS = [
        Binding("enter", "next", "services.key.result", key_display="⏎"),
        *EDIT_BINDINGS,
        Binding("left,backspace", "back", "binding.back", key_display="←"),
        Binding("escape", "leave", "binding.home"),
    ]

    def __init__(
        self,
        walk: WalkControl,
        services: CaseServices,
        *,
        area: str | None,
        challenges: Sequence[str],
        changed: Callable[[CaseServices], None],
    ) -> None:
        super().__init__(walk)
        self.services = services
        self.area = area
        self.challenges = challenges
        self.on_change = changed
        self.catalogue: Catalogue | None = None

    def compose(self) -> ComposeResult:
        t = self.t
        yield TitleBar(self.app.title, t("services.step_title"))
        with Vertical(classes="step", id="services-step"):
            yield Static(t("services.title"), classes="step-title")
            yield Static(t("services.optional"), classes="hint")
            yield ServicesPanel(t, self.services, id="services")
        yield KeyBar()

    def on_mount(self) -> None:
        self.panel.show()
        self._read_catalogue()

    @work(group="catalogue")
    async def _read_catalogue(self) -> None:
        self.catalogue = await self.walk.catalogue()
        self.panel.catalogues = (self.catalogue,)
        self.panel.show()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("add", "edit", "remove"):
            return self.editing_allowed(action)
        return super().check_action(action, parameters)

    def changed(self, services: CaseServices) -> None:
        self.on_change(services)

    def action_next(self) -> None:
        self.finish(Move("next", self.panel.services))

    def action_back(self) -> None:
        self.finish(Move("back"))

    def action_leave(self) -> None:
        self.finish(Move("leave"))


class CaseServicesScreen(ServicesEditing):
    """The team's view of a saved case's services: each change is saved on the case at once;
    Esc goes back to the case."""

    HELP = "services.help"

    BINDINGS = [*EDIT_BINDINGS, Binding("escape,left", "back", "binding.back", key_display="esc")]

    def __init__(
        self,
        case_id: str,
        code: str,
        services: CaseServices,
        *,
        area: str | None,
        challenges: Sequence[str],
        catalogues: Sequence[Catalogue],
    ) -> None:
        super().__init__()
        self.case_id, self.code = case_id, code
        self.services = services
        self.area = area
        self.challenges = challenges
        self.catalogues = catalogues
        self.catalogue = catalogues[0] if catalogues else None

    def compose(self) -> ComposeResult:
        t = self.t
        yield TitleBar(self.app.title, t("services.step_title"))
        with Vertical(classes="step", id="services-step"):
            yield Static(t("services.case.title", code=self.code), classes="step-title")
            yield Static(t("services.case_hint"), classes="hint")
            panel = ServicesPanel(t, self.services, id="services")
            panel.catalogues = self.catalogues
            yield panel
        yield KeyBar()

    def on_mount(self) -> None:
        self.panel.show()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("add", "edit", "remove"):
            return self.editing_allowed(action)
        return True

    def changed(self, services: CaseServices) -> None:
        self._save(services)

    @work(exclusive=True, group="case-services")
    async def _save(self, services: CaseServices) -> None:
        store = self.host.store
        try:
            await asyncio.to_thread(store.set_case_services, self.case_id, services)
        except Exception as error:  # said in one line; the list shows what the case holds
            self.notify(self.t("walk.save_failed", error=error.__class__.__name__), severity="error")
            held = await asyncio.to_thread(store.get_case, self.case_id)
            if held is not None:
                self.services = held.services
                self.panel.show(held.services)
                self.refresh_bindings()
            return
        self.notify(self.t("services.case.saved", code=self.code))

    def action_back(self) -> None:
        self.dismiss(None)


class StageRow(ChoiceRow):
    """A choice row whose number chooses and goes on at once (a click or Space only chooses)."""

    class Picked(Message):
        def __init__(self, row: StageRow) -> None:
            super().__init__()
            self.row = row

    def action_pick(self, number: int) -> None:
        if 0 <= number - self.first_number < len(self.options):
            super().action_pick(number)
            self.post_message(self.Picked(self))


class ServicePicker(ConsultModal[TriedService | MissingService | None]):
    """One service tried or missing: its name (from the catalogue, or typed), then how it ended,
    or the domain and why it is missing. Dismissed with the entry, or None when cancelled."""

    BINDINGS = [
        Binding("escape", "cancel", "binding.cancel"),
        Binding("up", "highlight(-1)", show=False),
        Binding("down", "highlight(1)", show=False),
        Binding("left", "stage_back", show=False),
    ]

    DEFAULT_CSS = """
    #service-picker { width: 76; max-width: 100%; height: auto; max-height: 100%; overflow-y: auto;
                      border: thick $accent; background: $surface; padding: 0 1; }
    #service-picker OptionList { height: auto; max-height: 8; }
    /* The list never has focus (typing stays in the field): its highlight is shown as if it had. */
    #service-picker OptionList > .option-list--option-highlighted { background: $accent 50%; text-style: bold; }
    #service-picker #chosen { text-style: bold; margin-bottom: 1; }
    """

    def __init__(
        self,
        kind: Kind,
        catalogue: Catalogue,
        catalogues: Sequence[Catalogue] = (),
        *,
        area: str | None,
        challenges: Sequence[str] = (),
        initial: Entry | None = None,
    ) -> None:
        super().__init__()
        self.kind = kind
        self.catalogue = catalogue
        self.catalogues = catalogues or (catalogue,)
        self.challenges = list(challenges)
        self.initial = initial
        self.guard = TextGuard(self.t)
        self.elsewhere: set[str] = set()  # the ids of services not offered in the client's area
        self.services = self._area_services(area)
        self.service: Service | None = None
        self.text: str | None = None
        self.stage = "name"

    def _area_services(self, area: str | None) -> list[Service]:
        """The catalogue's services still offered or only paused: the client's area's first
        (every area's when the area is not known), those for the client's challenges first
        within; then the other areas' (a service missing here may be offered elsewhere), in the
        catalogue's order within each."""
        found = [s for s in self.catalogue.services if s.status != "inactive"]
        challenges = set(self.challenges)
        self.elsewhere = {s.id for s in found if area is not None and not s.serves(area)}
        return sorted(found, key=lambda s: (s.id in self.elsewhere, not challenges & set(s.domains)))

    def compose(self) -> ComposeResult:
        t = self.t
        with Vertical(id="service-picker"):
            yield Static(t(f"services.pick.{self.kind}"), classes="step-title")
            yield Input(placeholder=t("services.pick.filter"), id="filter", max_length=300)
            yield OptionList(id="matches")
            yield Static("", id="chosen")
            if self.kind == "tried":
                yield StageRow(
                    t("services.pick.result"),
                    [(r, t(f"services.result.{r}")) for r in TRIED_RESULTS],
                    first_number=1,
                    id="stage-result",
                )
            else:
                yield StageRow(
                    t("services.pick.domain"),
                    [(d, domain_title(d, t.lang)) for d in DOMAIN_KEYS],
                    first_number=1,
                    id="stage-domain",
                )
                yield StageRow(
                    t("services.pick.reason"),
                    [(r, t(f"services.reason.{r}")) for r in MISSING_REASONS],
                    first_number=1,
                    id="stage-reason",
                )
            yield Static("", id="problem", classes="error")
            yield Static("", id="hint", classes="keys")

    def on_mount(self) -> None:
        self.query_one("#matches", OptionList).can_focus = False
        initial = self.initial
        if initial is not None:
            self.query_one("#filter", Input).value = entry_name(initial, self.catalogues, self.t.lang)
            if isinstance(initial, TriedService):
                self._row("result").index = TRIED_RESULTS.index(initial.result)
            else:
                self._row("domain").index = DOMAIN_KEYS.index(initial.domain)
                self._row("reason").index = MISSING_REASONS.index(initial.reason)
        self._filter(self.query_one("#filter", Input).value)
        self._show_stage("name")

    def _row(self, name: str) -> StageRow:
        return self.query_one(f"#stage-{name}", StageRow)

    # --- the name: filter as you type ---------------------------------------------------------

    @on(Input.Changed, "#filter")
    def _typed(self, event: Input.Changed) -> None:
        self.query_one("#problem", Static).update("")
        self._filter(event.value)

    def _filter(self, typed: str) -> None:
        lang = self.t.lang
        words = typed.casefold().split()
        matches = [
            s
            for s in self.services
            if all(
                w
                in f"{s.name_in(lang)} {s.name_in('fi')} {self.t(f'services.org.{s.organisation}')}".casefold()
                for w in words
            )
        ]
        options: list[Option] = []
        for service in matches:
            prompt = Text(service.name_in(lang))
            prompt.append(f" · {self.t(f'services.org.{service.organisation}')}", style="italic")
            if service.status != "active":
                prompt.append(f" ({self.t(f'catalogue.status.{service.status}')})", style="italic")
            if service.id in self.elsewhere:
                prompt.append(f" ({self.t('services.pick.elsewhere')})", style="italic")
            options.append(Option(prompt, id=service.id))
        if typed.strip():
            options.append(Option(self.t("services.pick.typed", text=typed.strip()), id=_TYPED))
        matches_list = self.query_one("#matches", OptionList)
        matches_list.set_options(options)
        if options:
            # The initial entry's own service first when editing; else the best match.
            wanted = self.initial.service if self.initial is not None and self.initial.service else None
            ids = [o.id for o in options]
            matches_list.highlighted = ids.index(wanted) if wanted in ids else 0
        matches_list.display = bool(options)

    def action_highlight(self, delta: int) -> None:
        if self.stage != "name":
            return
        matches = self.query_one("#matches", OptionList)
        if matches.option_count:
            matches.highlighted = ((matches.highlighted or 0) + delta) % matches.option_count

    @on(Input.Submitted, "#filter")
    def _take_name(self) -> None:
        matches = self.query_one("#matches", OptionList)
        typed = self.query_one("#filter", Input).value
        if not typed.strip() and not matches.option_count:
            self.query_one("#problem", Static).update(self.t("services.pick.empty"))
            return
        if matches.highlighted is None:
            self.query_one("#problem", Static).update(self.t("services.pick.empty"))
            return
        option = matches.get_option_at_index(matches.highlighted)
        if option.id == _TYPED:
            from consult.privacy.free_text import clean

            problem = self.guard.problem(self.t("services.field"), typed, TEXT_FIELD)
            if problem is not None:
                self.query_one("#problem", Static).update(problem)
                return
            self.service, self.text = None, clean(typed)
        else:
            self.service, self.text = self.catalogue.get(option.id or ""), None
        if self.kind == "missing" and self.initial is None:
            self._suggest_domain()
        self._show_stage("result" if self.kind == "tried" else "domain")

    @on(events.Click, "#matches")
    def _clicked(self) -> None:
        self.call_after_refresh(self._take_name)

    def _suggest_domain(self) -> None:
        """The domain a missing service is for: the chosen service's domain that is one of the
        client's challenges, else its first, else the first challenge."""
        row = self._row("domain")
        domains = list(self.service.domains) if self.service is not None else []
        choice = next((d for d in domains if d in self.challenges), None) or (
            domains[0] if domains else (self.challenges[0] if self.challenges else None)
        )
        if choice in DOMAIN_KEYS:
            row.index = DOMAIN_KEYS.index(choice)

    # --- the result, or the domain and the reason ---------------------------------------------

    def _show_stage(self, stage: str) -> None:
        self.stage = stage
        t = self.t
        naming = stage == "name"
        self.query_one("#filter").display = naming
        self.query_one("#matches").display = (
            naming and self.query_one("#matches", OptionList).option_count > 0
        )
        chosen = self.query_one("#chosen", Static)
        chosen.display = not naming
        if not naming:
            name = self.service.name_in(t.lang) if self.service is not None else (self.text or "")
            chosen.update(t("services.pick.chosen", service=name))
        for row in self.query(StageRow):
            row.display = row.id == f"stage-{stage}"
        self.query_one("#problem", Static).update("")
        self.query_one("#hint", Static).update(t(f"services.pick.hint_{'filter' if naming else 'choice'}"))
        if naming:
            self.query_one("#filter", Input).focus()
        else:
            self._row(stage).focus()

    def on_key(self, event: events.Key) -> None:
        if event.key == "enter" and isinstance(self.focused, StageRow):
            event.stop()
            self._advance()

    @on(StageRow.Picked)
    def _picked(self) -> None:
        self._advance()

    def _advance(self) -> None:
        if self.stage == "domain":
            self._show_stage("reason")
            return
        if self.stage == "result":
            self.dismiss(
                TriedService(service=self._service_id(), text=self.text, result=self._row("result").value)
            )
        elif self.stage == "reason":
            self.dismiss(
                MissingService(
                    service=self._service_id(),
                    text=self.text,
                    domain=self._row("domain").value,
                    reason=self._row("reason").value,
                )
            )

    def _service_id(self) -> str | None:
        return self.service.id if self.service is not None else None

    def action_stage_back(self) -> None:
        if self.stage == "reason":
            self._show_stage("domain")
        elif self.stage in ("result", "domain"):
            self._show_stage("name")

    def action_cancel(self) -> None:
        self.dismiss(None)
