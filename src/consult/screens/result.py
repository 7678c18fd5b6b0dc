"""Result: the recommendation with safety and urgency first, every reason, the next steps for
the path, a record note to copy or save, and saving the case anonymously."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static, TextArea

from consult.assessment.record_note import SavedAs, next_steps, record_note
from consult.assessment.service_words import Offer, area_words, offer, offer_lines
from consult.catalogue.model import Catalogue
from consult.core.dates import team_day
from consult.core.model import Assessment, Case, CaseServices, Recommendation
from consult.scoring.explain import explain
from consult.scoring.rules import RulesDefinition
from consult.screens.base import FreshKeys, StepScreen
from consult.screens.host import Move
from consult.widgets.key_bar import KeyBar
from consult.widgets.profile import joined
from consult.widgets.text import hanging
from consult.widgets.title_bar import TitleBar

SaveCase = Callable[[str], Awaitable[Case]]
SaveNoteFile = Callable[[str], Path]

if TYPE_CHECKING:
    from consult.screens.host import WalkControl


class ResultScreen(FreshKeys, StepScreen):
    """A save key counts only when pressed after the result (or the result again, after a
    dialog) was on view: text typed ahead into a closing dialog must not save a case."""

    HELP = "help.result"

    FRESH_KEYS = frozenset({"t", "d", "v"})
    BINDINGS = [
        Binding("t", "save('awaiting_team')", "binding.save_team"),
        Binding("d", "save('referred_directly')", "binding.save_direct"),
        Binding("v", "compare", "binding.compare"),
        Binding("c", "copy", "binding.copy"),
        Binding("f", "note_file", "binding.file"),
        Binding("m", "general_note", "binding.note"),
        Binding("left,backspace", "back", "binding.back", key_display="←"),
        Binding("escape", "leave", "binding.home"),
    ]

    def __init__(
        self,
        walk: WalkControl,
        assessment: Assessment,
        recommendation: Recommendation,
        notes: dict[str, str],
        *,
        assessed_on: date,
        save: SaveCase,
        save_note_file: SaveNoteFile,
        compare: Callable[[], None] | None = None,
        save_general_note: Callable[[str, bool], None] | None = None,
        bring_to_team: bool = False,
        rules: RulesDefinition | None = None,
        services: CaseServices | None = None,
    ) -> None:
        super().__init__(walk)
        self.assessment = assessment
        self.recommendation = recommendation
        # The reasons in the reader's language, worded by the rules that scored the walk.
        self.reasons = explain(
            recommendation, assessment, self.t.lang, {rules.version: rules} if rules else None
        )
        self.notes = notes
        self.save_general_note = save_general_note
        self.assessed_on = assessed_on
        self.bring_to_team = bring_to_team
        self.saved_as: SavedAs | None = None
        self.services = services
        # The services of the client's area to contact, once the catalogue in force is read.
        self.catalogue: Catalogue | None = None
        self.offer: Offer | None = None
        self.note = self._record_note()
        self.save = save
        self.save_note_file = save_note_file
        self.compare = compare
        self.saved: Case | None = None
        self.saving = False
        # What to do once the case is saved: leave, or quit (the worker chose it on the way out).
        self._after_save: Callable[[], None] | None = None
        self._writing = False

    def compose(self) -> ComposeResult:
        t, r = self.t, self.recommendation
        yield TitleBar(self.app.title, self.t("result.title"))
        with VerticalScroll(id="result", classes="step"):
            reasons = {reason["rule"]: reason["text"] for reason in self.reasons}
            for flag in ("safety", "urgent"):
                if flag in r.flags:
                    yield Static(f"⚠ {reasons[flag]}", classes=f"alarm {flag}")  # the reason names the flag
            yield Static(t(f"primary.{r.primary}"), id="primary", classes=f"primary {r.primary}")
            yield Static(t("rules.in_force", version=r.rules_version), id="rules-version", classes="hint")
            other_flags = [f for f in r.flags if f not in ("safety", "urgent")]
            if other_flags:
                yield Static("  ".join(f"■ {t('flag.' + f)}" for f in other_flags), id="flags")
            yield Static(t("result.needs", needs=joined(r.needs, "need", t)), id="needs")
            yield Static(t("result.orgs", orgs=joined(r.orgs, "org", t)))
            yield Static(t("result.reasons"), classes="section")
            for reason in self.reasons:
                yield Static(hanging("•", reason["text"]), classes="reason")
            yield Static(t("result.next"), classes="section")
            for step in next_steps(self.assessment, r, t):
                sub = step.startswith(" ")
                yield Static(hanging("  –" if sub else "→", step.strip(" –"), width=3), classes="next")
            with Vertical(id="offer"):
                yield Static("", id="offer-title", classes="section")
                yield Static(t("services.offer.loading"), id="offer-body")
                yield Static("", id="offer-catalogue", classes="hint")
            yield Static(t("result.note"), classes="section")
            yield TextArea(self.note, read_only=True, id="note", soft_wrap=True, show_line_numbers=False)
        yield Static(t("training.compare_prompt" if self.compare else "result.save_prompt"), id="saved")
        yield KeyBar()

    def on_mount(self) -> None:
        self.set_focus(None)
        self._show_offer()

    @work(group="catalogue")
    async def _show_offer(self) -> None:
        """Names the services of the client's area and whom to contact, on screen and in the
        record note, from the catalogue in force."""
        self.catalogue = await self.walk.catalogue()
        self.offer = offer(self.catalogue, self.assessment, self.recommendation)
        t = self.t
        # One widget for the whole list (a couple of dozen lines): cheaper to show than a widget
        # a line, on the screen every walk ends on.
        lines: list[RenderableType] = []
        for kind, text in offer_lines(self.offer, t):
            if kind in ("org", "roles"):
                lines.append(Text(text, style="bold"))
            elif kind == "empty":
                lines.append(Text(text))
            else:
                lines.append(hanging("–", text))
        self.query_one("#offer-title", Static).update(
            t("services.offer.title", area=area_words(self.offer.area, t))
        )
        self.query_one("#offer-body", Static).update(Group(*lines))
        self.query_one("#offer-catalogue", Static).update(
            t("services.offer.catalogue", version=self.catalogue.version)
        )
        self._renote()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "compare":
            return self.compare is not None
        if action == "save" and self.compare is not None:
            return False  # a trainee's walk is compared, never saved as a case
        if action == "general_note":
            return self.save_general_note is not None and self.saved is None and not self.saving
        if action in ("save", "back"):
            return self.saved is None and not self.saving
        return super().check_action(action, parameters)

    def action_save(self, status: str) -> None:
        warned = self.walk.unconfirmed_notes()
        if warned:
            # A note kept with its privacy warning unconfirmed never reaches a saved case: every
            # one is listed, and only the worker's "yes" confirms them.
            from consult.screens.confirm import ConfirmScreen

            self.saving = True
            self.refresh_bindings()
            question = self.t("result.confirm_notes", notes="\n".join(self._warned_lines(warned)))
            self.app.push_screen(ConfirmScreen(question), lambda yes: self._notes_confirmed(status, yes))
            return
        self._save_checked(status)

    def _warned_lines(self, warned: dict[str, str]) -> list[str]:
        from consult.core.instrument import load_instrument, localized
        from consult.screens.base import TextGuard

        guard, instrument = TextGuard(self.t), load_instrument()
        lines = []
        for key, text in warned.items():
            label = (
                self.t("general_note.field")
                if key == "general"
                else localized(instrument.domain(key).title, self.t.lang)
            )
            found = guard.found(text) or ""
            lines.append(self.t("result.warned_note", field=label, text=text, found=found))
        return lines

    def _notes_confirmed(self, status: str, confirmed: bool | None) -> None:
        self.saving = False
        if not confirmed:
            self._after_save = None
            self.refresh_bindings()
            self.notify(self.t("result.notes_unconfirmed"), severity="warning")
            return
        self.walk.confirm_notes()
        self.notes = self.walk.confirmed_notes()
        self._renote()
        self._save_checked(status)

    def _save_checked(self, status: str) -> None:
        if status == "referred_directly" and self.bring_to_team:
            # The scores ask for the team; a direct referral is the worker's call, made once
            # and on purpose.
            from consult.screens.confirm import ConfirmScreen

            self.saving = True
            self.refresh_bindings()
            self.app.push_screen(ConfirmScreen(self.t("result.confirm_direct")), self._direct_confirmed)
            return
        self._start_save(status)

    def _direct_confirmed(self, confirmed: bool | None) -> None:
        self.saving = False
        if confirmed:
            self._start_save("referred_directly")
        else:
            self._after_save = None
            self.refresh_bindings()

    def dialogs_closed(self) -> None:
        """The dialogs over this screen were closed unanswered (the app quitting): a question
        on the way to a save is no save under way."""
        if not self._writing:
            self.saving, self._after_save = False, None

    def _start_save(self, status: str) -> None:
        self._writing = True
        self.saving = True
        self.refresh_bindings()
        self._save(status)

    @work(exclusive=True, group="save")
    async def _save(self, status: str) -> None:
        line = self.query_one("#saved", Static)
        try:
            self.saved = await self.save(status)
        except Exception as error:  # shown, never a traceback; the draft is still stored
            line.update(self.t("walk.save_failed", error=error.__class__.__name__))
            line.add_class("error")
        else:
            line.update(self.t("result.saved", status=self.t(f"status.{status}"), code=self.saved.code))
            line.remove_class("error")
            line.add_class("done")
            # The record note now says what was done: the route as saved, and the day.
            self.saved_as = SavedAs(status, team_day(datetime.now(UTC)))
            self._renote()
        finally:
            self.saving = self._writing = False
            self.refresh_bindings()
        then, self._after_save = self._after_save, None
        if then is not None and self.saved is not None:
            then()

    def action_compare(self) -> None:
        if self.compare is not None:
            self.compare()

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(self.note)
        self.notify(self.t("result.copied"))

    def action_note_file(self) -> None:
        try:
            path = self.save_note_file(self.note)
        except OSError as error:
            self.notify(self.t("result.file_failed", error=error.strerror or error), severity="error")
        else:
            self.notify(self.t("result.file_saved", path=path))

    def action_general_note(self) -> None:
        from consult.screens.note import NoteScreen

        screen = NoteScreen(
            self.t("general_note.title"),
            self.t("general_note.field"),
            self.notes.get("general", ""),
            keep=self._general_note_kept,
            others=self.notes,
        )
        self.app.push_screen(screen, self._general_note_kept)

    def _general_note_kept(self, text: str | None, confirmed: bool = True) -> None:
        if text is None or self.save_general_note is None or self.saved is not None:
            return
        self.save_general_note(text, confirmed)
        self.notes = self.walk.confirmed_notes()
        self._renote()

    def _record_note(self) -> str:
        return record_note(
            self.assessment,
            self.recommendation,
            self.notes,
            self.t,
            self.assessed_on,
            self.reasons,
            saved=self.saved_as,
            offer=self.offer,
            services=self.services,
            catalogues=(self.catalogue,) if self.catalogue is not None else (),
        )

    def _renote(self) -> None:
        self.note = self._record_note()
        self.query_one("#note", TextArea).load_text(self.note)

    def action_back(self) -> None:
        self.finish(Move("back"))

    def action_leave(self) -> None:
        if not self.ask_before_leaving(quitting=False):
            self.finish(Move("leave"))

    def ask_before_leaving(self, quitting: bool) -> bool:
        """A finished walk is not left unsaved without a word: True when the worker is asked
        (to the team, directly, or kept as a draft) and the leaving waits for the answer."""
        if self.saved is not None or self.compare is not None or self.saving:
            return False  # saved already, a trainee's walk (never saved), or a save under way
        from consult.screens.leave_result import KEEP_DRAFT, LeaveResultScreen

        def chosen(answer: str | None) -> None:
            then = self.app.exit if quitting else (lambda: self.finish(Move("leave")))
            if answer == KEEP_DRAFT:
                then()
            elif answer is not None:
                self._after_save = then
                self.action_save(answer)

        self.app.push_screen(LeaveResultScreen(quitting), chosen)
        return True
