"""The meeting held, made for sharing the screen in a Teams call: ONE case at a time -- its code,
the seven domains and their levels, the answers, the recommendation and its reasons, and the
worker's notes -- large and calm, and nothing of any other case on screen (only "item 2 / 5").

Keys: → / ← next and previous · p the team's decision · s defer to the next meeting · t add an
action · c close the meeting. After the last item the open actions of the area's cases are
reviewed one at a time: 1 done, 2 not possible (circumstances changed), 3 not done (the owner
did not act), → leaves it open. Then the meeting is closed (c, confirmed); the items not
reached become "not discussed".

Moving to the next item is cheap: the cases beside the one on screen are read, worded and
rendered to lines in a worker while the team talks (``PreparedLines``), so showing one costs
a repaint and nothing more.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Literal, cast

from rich.console import Group, RenderableType
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input, Static

from consult.assessment.record_note import context_words
from consult.assessment.service_words import case_lines
from consult.core.instrument import DOMAIN_KEYS, QUESTION_KEYS, load_instrument, localized
from consult.core.meeting import ORGS, Action, ActionStatus, Meeting, MeetingItem
from consult.core.model import Assessment, Case, TeamDecision
from consult.i18n import Translator
from consult.i18n.formats import show
from consult.screens.base import ConsultScreen
from consult.screens.dialog import CaseDialog
from consult.screens.meeting_common import ALARMS, due_words, org_options, org_word, stored
from consult.screens.services import catalogues_of
from consult.widgets.choice_row import ChoiceRow
from consult.widgets.key_bar import KeyBar
from consult.widgets.prepared import PreparedLines, render_strips
from consult.widgets.profile import joined
from consult.widgets.text import hanging
from consult.widgets.text_field import NoteArea, TextField
from consult.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from textual.strip import Strip

    from consult.catalogue.model import Catalogue
    from consult.scoring.engine import Facts
    from consult.scoring.rules import RulesDefinition
    from consult.store import Store

StepKind = Literal["item", "action", "end"]


@dataclass(frozen=True, slots=True)
class ItemView:
    """One case as the meeting shows it, read and worded off the screen's thread."""

    case: Case
    facts: Facts
    reasons: tuple[str, ...]
    # The catalogues that name the case's tried and missing services (in force first).
    catalogues: tuple[Catalogue, ...] = ()


@dataclass(frozen=True, slots=True)
class Rendered:
    """An item's lines, rendered for one width."""

    width: int
    lines: list[Strip]


def prepare(
    case: Case,
    known: dict[str, RulesDefinition],
    in_force: RulesDefinition,
    lang: str,
    catalogues: Sequence[Catalogue] = (),
) -> ItemView:
    from consult.scoring.engine import derive
    from consult.scoring.explain import explain
    from consult.scoring.rules import PS_2025_1

    r = case.recommendation
    scored_by = known.get(r.rules_version, PS_2025_1) if r else in_force
    reasons: tuple[str, ...] = ()
    if r is not None:
        assessment = Assessment(scores=case.scores, answers=case.answers, context=case.context)
        reasons = tuple(reason["text"] for reason in explain(r, assessment, lang, known))
    return ItemView(case, derive(case.scores, scored_by), reasons, tuple(catalogues))


# The theme's colours the rendered lines use, and what stands in where a theme lacks one.
_COLORS = {"foreground": "#e0e0e0", "error": "#b93c5b", "accent": "#fea62b"}

# Lines no longer than a reader follows on a shared screen, however wide the window.
READABLE = 110


def item_body(view: ItemView, t: Translator, width: int, colors: dict[str, str]) -> Group:
    """Everything the meeting shows of one case, as one renderable: the code, the alarms, the
    context, the recommendation, the profile, the answers, the reasons and the notes."""
    from rich import box
    from rich.padding import Padding
    from rich.panel import Panel

    from consult.widgets.profile import profile_table

    case, facts = view.case, view.facts
    r = case.recommendation
    parts: list[RenderableType] = [Text(t("case.title", code=case.code), style="bold"), Text()]
    alarms = [f"⚠ {t('flag.' + f)} ⚠" for f in ALARMS if r is not None and f in r.flags]
    if alarms:
        alarm = f"bold {colors['foreground']} on {colors['error']}"
        parts += [Padding(Text("   ".join(alarms), style=alarm), (0, 1), style=alarm, expand=True), Text()]
    parts.append(Text(t("case.context", context=context_words(case.context, t))))
    if r is not None:
        parts.append(
            Panel(
                Text(t("case.recommendation", primary=t(f"primary.{r.primary}")), style="bold"),
                box=box.HEAVY,
                border_style=colors["accent"],
                expand=True,
            )
        )
    parts += [
        profile_table(facts, t, width),
        Text(
            f"{t('profile.needs')}: {joined(facts.needs, 'need', t)} · "
            f"{t('profile.orgs')}: {joined(facts.orgs, 'org', t)}"
        ),
    ]
    section = "bold underline"
    parts += [Text(), Text(t("case.answers"), style=section), _answers(case, t)]
    parts += [Text(), Text(t("result.reasons"), style=section)]
    reasons: list[RenderableType] = [hanging("•", reason) for reason in view.reasons]
    parts += reasons or [Text("–")]
    notes: list[RenderableType] = [
        hanging(f"{_note_label(key, t)}:", text) for key, text in case.notes.items() if text
    ]
    parts += [Text(), Text(t("case.notes"), style=section), *(notes or [Text(t("meeting.hold.no_notes"))])]
    tried, missing = case_lines(case.services, t, view.catalogues)
    parts += [Text(), Text(t("services.case.section"), style=section)]
    for title, entries in ((t("services.tried"), tried), (t("services.missing"), missing)):
        if entries:
            parts += [Text(f"{title}:"), *(hanging("•", entry) for entry in entries)]
    if not tried and not missing:
        parts.append(Text(t("services.case.none")))
    return Group(*parts)


def render_item(view: ItemView, t: Translator, width: int, colors: dict[str, str]) -> Rendered:
    body = min(width, READABLE)
    return Rendered(width, render_strips(item_body(view, t, body, colors), body))


@dataclass(frozen=True, slots=True)
class ReviewedAction:
    """An open action of the area (or one closed in this meeting), with its case's code."""

    action: Action
    code: str


class HoldScreen(ConsultScreen[str | None]):
    """Dismissed with the meeting's id once it is closed (its minutes next), None otherwise."""

    HELP = "meeting.help.hold"
    BINDINGS = [
        # Priority: the scrolling case would take ← and → for itself.
        Binding("right", "step(1)", "meeting.key.next", key_display="→", priority=True),
        Binding("left", "step(-1)", "meeting.key.previous", key_display="←", priority=True),
        Binding("p", "decide", "binding.decide"),
        Binding("s", "defer", "meeting.key.defer"),
        Binding("t", "add_action", "meeting.key.action"),
        Binding("v", "services", "meeting.key.services"),
        Binding("1", "close_action('done')", "meeting.key.done"),
        Binding("2", "close_action('not_possible')", "meeting.key.not_possible"),
        Binding("3", "close_action('not_done')", "meeting.key.not_done"),
        Binding("c", "close", "meeting.key.close"),
        Binding("escape", "back", "binding.back", key_display="esc"),
    ]

    def __init__(self, meeting_id: str) -> None:
        super().__init__()
        self.meeting_id = meeting_id
        self.meeting: Meeting | None = None
        self.items: list[MeetingItem] = []
        self.review: list[ReviewedAction] = []
        self.index = 0
        """Which step is on screen: the items, then the actions reviewed, then the end."""
        self.views: dict[str, ItemView] = {}
        self.known: dict[str, RulesDefinition] = {}
        self.in_force: RulesDefinition | None = None
        self.may_decide = False
        self.rendered: dict[str, Rendered] = {}
        """Each item's lines as last rendered, by case id."""
        self.palette: dict[str, str] = dict(_COLORS)
        self.catalogues: list[Catalogue] = []

    # --- building --------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        t = self.t
        yield TitleBar(self.app.title, t("meeting.hold.title"))
        yield Static(t("review.loading"), id="hold-where")
        yield PreparedLines(id="hold-item")
        yield Static(id="item-result")
        with VerticalScroll(id="hold-step"):
            yield Static(id="step-title", classes="hold-code")
            yield Static(id="step-body")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#hold-item").display = False
        self.query_one("#item-result").display = False
        self.query_one("#hold-step").display = False
        # The theme's colours, for lines rendered away from the screen's styles.
        variables = self.app.get_css_variables()
        self.palette = {key: variables.get(key, fallback) for key, fallback in _COLORS.items()}
        self._load()

    @work(exclusive=True, group="hold")
    async def _load(self) -> None:
        store, lang = self.host.store, self.t.lang

        def read() -> tuple:
            meeting = store.get_meeting(self.meeting_id)
            if meeting is None:
                return None, [], {}, None, False, None
            known, in_force = store.known_rules(), store.rules_in_force()
            self.catalogues = catalogues_of(store)
            review = _review_list(store, meeting)
            items = sorted(meeting.items, key=lambda i: i.position)
            first = next((i for i in items if i.result is None), items[0] if items else None)
            views = {}
            if first is not None and (case := store.get_case(first.case_id)) is not None:
                views[case.id] = prepare(case, known, in_force, lang, self.catalogues)
            return meeting, review, known, in_force, store.identity().may("meet"), views

        found = await stored(self, read)
        if found is None:
            return
        meeting, self.review, known, in_force, self.may_decide, views = found
        if meeting is None:
            self.notify(self.t("meeting.gone"), severity="error")
            self.dismiss(None)
            return
        self.known, self.in_force = known, in_force
        self.views.update(views)
        self._take(meeting)
        # Back in a meeting left open: on at the first item without a result.
        self.index = next((n for n, i in enumerate(self.items) if i.result is None), 0)
        await self._show()

    def _take(self, meeting: Meeting) -> None:
        self.meeting = meeting
        self.items = sorted(meeting.items, key=lambda i: i.position)

    # --- the steps ------------------------------------------------------------------------

    @property
    def steps(self) -> int:
        return len(self.items) + len(self.review) + 1

    def step(self) -> tuple[StepKind, int]:
        if self.index < len(self.items):
            return "item", self.index
        if self.index < len(self.items) + len(self.review):
            return "action", self.index - len(self.items)
        return "end", 0

    async def _show(self) -> None:
        """The step on screen. Any notice about the step before is cleared: it could name
        another case."""
        self.app.clear_notifications()
        kind, n = self.step()
        self.query_one("#hold-item").display = kind == "item"
        self.query_one("#item-result").display = kind == "item"
        self.query_one("#hold-step").display = kind != "item"
        if kind == "item":
            item = self.items[n]
            view = self.views.get(item.case_id)
            if view is None:
                # Nothing of the case before stays on screen while this one is read.
                self._where(self.t("review.loading"))
                self.query_one("#hold-item", PreparedLines).show([])
                self.query_one("#item-result", Static).update("")
                self._read_item(item.case_id)
                return
            self._show_item(n, view)
            # Once laid out: the lines read ahead are rendered for the width now on screen.
            self.call_after_refresh(self._prefetch)
        elif kind == "action":
            self._show_action(n)
        else:
            self._show_end()
        self.refresh_bindings()

    def _where(self, text: str) -> None:
        self.query_one("#hold-where", Static).update(text)

    def _head(self) -> str:
        t, m = self.t, self.meeting
        if m is None:
            return ""
        return t("meeting.hold.where", area=t(f"area.{m.area}"), on=show(m.on, t.lang))

    def _show_item(self, n: int, view: ItemView) -> None:
        """The item's lines as rendered ahead; rendered here only when they were not (the
        first item, a resized window)."""
        lines = self.query_one("#hold-item", PreparedLines)
        width = lines.line_width
        if not width:  # not laid out yet (just shown): once it is, at its width
            lines.show([])
            self.call_after_refresh(self._show_item_if_on_view, n, view)
            return
        rendered = self.rendered.get(view.case.id)
        if rendered is None or rendered.width != width:
            rendered = self.rendered[view.case.id] = render_item(view, self.t, width, self.palette)
        self._item_where(n)
        self._show_result(n)
        lines.show(rendered.lines)
        lines.focus()

    def _show_item_if_on_view(self, n: int, view: ItemView) -> None:
        if self.step() == ("item", n) and self.items[n].case_id == view.case.id:
            self._show_item(n, view)

    def on_resize(self) -> None:
        # A new width: the lines of the item on screen again, the others when next read ahead.
        kind, n = self.step()
        if kind == "item" and (view := self.views.get(self.items[n].case_id)) is not None:
            self.call_after_refresh(self._show_item_if_on_view, n, view)

    def _item_where(self, n: int) -> None:
        """Where the meeting is, and what became of the item on screen: in view at the top,
        however far down the case has been scrolled."""
        t, item = self.t, self.items[n]
        where = f"{self._head()} · {t('meeting.hold.position', number=n + 1, total=len(self.items))}"
        if item.result is not None:
            where += f" · {t(f'meeting.result.{item.result}')}"
        self._where(where)

    def _show_result(self, n: int) -> None:
        """What this meeting has recorded for the item so far: its result and its actions."""
        t, item, meeting = self.t, self.items[n], self.meeting
        lines = Text(t("meeting.hold.in_meeting") + ": ", style="bold")
        if item.result is None:
            lines.append(t("meeting.hold.pending"))
        elif item.result == "decided":
            decision = self.views[item.case_id].case.team_decision if item.case_id in self.views else None
            if decision is not None:
                lines.append(
                    t("meeting.hold.decided", path=t(f"primary.{decision.path}"), note=decision.note or "–"),
                    style="bold",
                )
            else:
                lines.append(t("meeting.result.decided"), style="bold")
        else:
            lines.append(t(f"meeting.result.{item.result}"), style="bold")
        actions = [a for a in (meeting.actions if meeting else ()) if a.case_id == item.case_id]
        for action in actions:
            lines.append("\n• ")
            lines.append(_action_words(action, t))
        self.query_one("#item-result", Static).update(lines)

    def _show_action(self, n: int) -> None:
        t, entry = self.t, self.review[n]
        a = entry.action
        self._where(
            f"{self._head()} · {t('meeting.hold.review_position', number=n + 1, total=len(self.review))}"
        )
        self.query_one("#step-title", Static).update(t("meeting.hold.review_title"))
        body = Text()
        body.append(t("meeting.hold.action_case", code=entry.code) + "\n", style="bold")
        body.append(t("meeting.hold.action_owner", org=org_word(t, a.owner_org), role=a.owner_role) + "\n")
        body.append(t("meeting.hold.action_what", what=a.what) + "\n")
        body.append(t("meeting.hold.action_due", due=due_words(t, a.due)))
        if a.status == "open" and a.due is not None and self.meeting is not None and a.due < self.meeting.on:
            body.append("  ")
            body.append(f"⚠{t('meeting.overdue')}", style="bold reverse red")
        body.append("\n\n")
        body.append(
            t("meeting.hold.action_status", status=t(f"meeting.action_status.{a.status}")), style="bold"
        )
        body.append("\n\n" + t("meeting.hold.review_hint"), style="dim")
        self.query_one("#step-body", Static).update(body)
        self.query_one("#hold-step", VerticalScroll).scroll_home(animate=False)

    def _show_end(self) -> None:
        t = self.t
        self._where(self._head())
        self.query_one("#step-title", Static).update(t("meeting.hold.end_title"))
        counts = {result: 0 for result in ("decided", "deferred")}
        pending = 0
        for item in self.items:
            if item.result in counts:
                counts[item.result] += 1
            elif item.result is None:
                pending += 1
        reviewed = sum(1 for entry in self.review if entry.action.status != "open")
        body = Text(
            t(
                "meeting.hold.end",
                decided=counts["decided"],
                deferred=counts["deferred"],
                pending=pending,
                actions=len(self.meeting.actions) if self.meeting else 0,
                reviewed=reviewed,
                review=len(self.review),
            )
        )
        body.append("\n\n" + t("meeting.hold.end_hint"), style="bold")
        self.query_one("#step-body", Static).update(body)

    # --- reading cases ahead ----------------------------------------------------------------

    @work(exclusive=True, group="hold-item")
    async def _read_item(self, case_id: str) -> None:
        view = await self._prepared(case_id)
        if view is None:
            self._where(self.t("meeting.gone"))
            return
        kind, n = self.step()
        if kind == "item" and self.items[n].case_id == case_id:
            await self._show()

    async def _prepared(self, case_id: str) -> ItemView | None:
        """The case read and worded, and its lines rendered for the width on screen, in a
        worker thread."""
        width = self.query_one("#hold-item", PreparedLines).line_width
        view, rendered = self.views.get(case_id), self.rendered.get(case_id)
        if view is not None and ((rendered is not None and rendered.width == width) or not width):
            return view
        store, known, in_force, t, colors = self.host.store, self.known, self.in_force, self.t, self.palette
        if in_force is None:
            return None

        def read() -> tuple[ItemView, Rendered | None] | None:
            nonlocal view
            if view is None:
                case = store.get_case(case_id)
                if case is None:
                    return None
                view = prepare(case, known, in_force, t.lang, self.catalogues)
            return view, render_item(view, t, width, colors) if width else None

        done = await asyncio.to_thread(read)
        if done is None:
            return None
        self.views[case_id] = done[0]
        if done[1] is not None:
            self.rendered[case_id] = done[1]
        return done[0]

    @work(exclusive=True, group="hold-ahead")
    async def _prefetch(self) -> None:
        """The next item, then the one before, read and rendered while the team talks."""
        for n in (self.index + 1, self.index - 1):
            if 0 <= n < len(self.items):
                await self._prepared(self.items[n].case_id)

    # --- the convener's keys -------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """An item's keys on an item, an action's on the review: the footer offers only what the
        step on screen can do, so the shared screen stays calm."""
        if self.meeting is None:
            return action == "back"
        kind, n = self.step()
        if action == "step":
            target = self.index + int(str(parameters[0]))
            return 0 <= target < self.steps
        if action in ("decide", "defer", "add_action", "services"):
            if kind != "item":
                return False
            item = self.items[n]
            if item.case_id not in self.views:
                return None  # the case is still being read
            if action == "decide":
                return self.may_decide or None
            if action == "defer":
                return item.result != "decided" or None  # a decided item stays decided
            return True
        if action == "close_action":
            if kind != "action":
                return False
            return self.review[n].action.status == "open" or None  # closed once, for good
        return True

    async def action_step(self, delta: int) -> None:
        target = self.index + delta
        if 0 <= target < self.steps:
            self.index = target
            await self._show()

    def _current(self) -> tuple[MeetingItem, ItemView] | None:
        kind, n = self.step()
        if kind != "item":
            return None
        item = self.items[n]
        view = self.views.get(item.case_id)
        return None if view is None else (item, view)

    def action_decide(self) -> None:
        from consult.screens.decision import DecisionScreen

        current = self._current()
        if current is None or self.meeting is None:
            return
        item, view = current
        r = view.case.recommendation
        if r is None:
            return
        self.app.push_screen(
            DecisionScreen(
                view.case.code,
                r.primary,
                others={str(k): v for k, v in view.case.notes.items()},
                on_day=self.meeting.on,
            ),
            lambda decision: self._decided(item.case_id, decision),
        )

    def _decided(self, case_id: str, decision: TeamDecision | None) -> None:
        if decision is not None:
            self._decide(case_id, decision)

    @work(exclusive=True, group="hold-write")
    async def _decide(self, case_id: str, decision: TeamDecision) -> None:
        store = self.host.store

        def write() -> tuple[Meeting, Case | None]:
            meeting = store.decide_in_meeting(self.meeting_id, case_id, decision.path, decision.note)
            return meeting, store.get_case(case_id)

        done = await stored(self, write)
        if done is None:
            return
        meeting, case = done
        if case is not None and case_id in self.views:  # the decision shown as recorded
            view = self.views[case_id]
            self.views[case_id] = ItemView(case, view.facts, view.reasons)
        await self._after_write(meeting, "meeting.hold.decision_saved")

    def action_defer(self) -> None:
        current = self._current()
        if current is not None:
            self._defer(current[0].case_id)

    @work(exclusive=True, group="hold-write")
    async def _defer(self, case_id: str) -> None:
        store = self.host.store
        meeting = await stored(self, lambda: store.defer_item(self.meeting_id, case_id))
        if meeting is not None:
            await self._after_write(meeting, "meeting.hold.deferred_saved")

    def action_add_action(self) -> None:
        current = self._current()
        if current is None or self.meeting is None:
            return
        item, view = current
        self.app.push_screen(
            ActionDialog(
                view.case.code, self.meeting.on, others={str(k): v for k, v in view.case.notes.items()}
            ),
            lambda given: self._action_given(item.case_id, given),
        )

    def action_services(self) -> None:
        """The item's services tried and missing, recorded by the team as on the case view; the
        editor shows this case's code only."""
        from consult.screens.services import CaseServicesScreen

        current = self._current()
        if current is None:
            return
        case = current[1].case
        screen = CaseServicesScreen(
            case.id,
            case.code,
            case.services,
            area=case.context.area,
            challenges=[key for key in DOMAIN_KEYS if (getattr(case.scores, key) or 0) >= 3],
            catalogues=self.catalogues,
        )

        def closed(_: None) -> None:
            self._reread(case.id)

        self.app.push_screen(screen, closed)

    @work(exclusive=True, group="hold-item")
    async def _reread(self, case_id: str) -> None:
        # The case as saved now, its services included, shown again.
        self.views.pop(case_id, None)
        self.rendered.pop(case_id, None)
        await self._prepared(case_id)
        await self._show()

    def _action_given(self, case_id: str, given: NewAction | None) -> None:
        if given is not None:
            self._add_action(case_id, given)

    @work(exclusive=True, group="hold-write")
    async def _add_action(self, case_id: str, given: NewAction) -> None:
        store = self.host.store

        def write() -> Meeting | None:
            store.add_action(
                self.meeting_id, case_id, given.owner_org, given.owner_role, given.what, given.due
            )
            return store.get_meeting(self.meeting_id)

        meeting = await stored(self, write)
        if meeting is not None:
            await self._after_write(meeting, "meeting.hold.action_saved")

    async def _after_write(self, meeting: Meeting, said: str) -> None:
        self._take(meeting)
        kind, n = self.step()
        if kind == "item":
            self._item_where(n)
            self._show_result(n)
        self.notify(self.t(said))  # no code: a notice must not outlive its case on the screen
        self.refresh_bindings()

    def action_close_action(self, status: str) -> None:
        kind, n = self.step()
        if kind == "action":
            self._close_action(n, status)

    @work(exclusive=True, group="hold-write")
    async def _close_action(self, n: int, status: str) -> None:
        store, entry, meeting = self.host.store, self.review[n], self.meeting
        if meeting is None or entry.action.status == status:
            return
        closing = cast("ActionStatus", status)
        closed = await stored(
            self, lambda: store.close_action(entry.action.id, closing, meeting.on, meeting_id=self.meeting_id)
        )
        if closed is None:
            return
        self.review[n] = ReviewedAction(closed, entry.code)
        if self.step() == ("action", n):
            self._show_action(n)
        self.notify(self.t("meeting.hold.action_closed", status=self.t(f"meeting.action_status.{status}")))

    def action_close(self) -> None:
        from consult.screens.confirm import ConfirmScreen

        pending = sum(1 for item in self.items if item.result is None)
        question = self.t("meeting.hold.close_confirm", count=pending)
        self.app.push_screen(ConfirmScreen(question), self._close_answered)

    def _close_answered(self, yes: bool | None) -> None:
        if yes:
            self._close()

    @work(exclusive=True, group="hold-write")
    async def _close(self) -> None:
        store = self.host.store
        if await stored(self, lambda: store.close_meeting(self.meeting_id)) is not None:
            self.dismiss(self.meeting_id)

    def action_back(self) -> None:
        # The meeting stays open: it is held on where it was left.
        self.dismiss(None)


def _review_list(store: Store, meeting: Meeting) -> list[ReviewedAction]:
    """The actions this meeting reviews: the area's open actions agreed in earlier meetings,
    and those already closed in this one (coming back to a meeting left open), by due day.
    The open ones' codes come with the agenda in one query; only the few closed here are read
    case by case."""
    agenda = store.propose_agenda(meeting.area, meeting.on)
    codes = {a.case_id: a.case_code for a in agenda.actions}
    reviewed = store.reviewed_actions(meeting.id)
    seen = {a.id for a in reviewed}
    actions = [
        *reviewed,
        *(a for a in store.open_actions(meeting.area) if a.meeting_id != meeting.id and a.id not in seen),
    ]
    for action in actions:
        if action.case_id not in codes:
            case = store.get_case(action.case_id)
            codes[action.case_id] = case.code if case is not None else "–"
    entries = [ReviewedAction(a, codes[a.case_id]) for a in actions]
    entries.sort(key=lambda e: (e.action.due is None, e.action.due or date.min, e.code))
    return entries


def _answers(case: Case, t: Translator) -> Group:
    r = case.recommendation
    rows = []
    for key, question in zip(QUESTION_KEYS, load_instrument().questions, strict=True):
        given = getattr(case.answers, key)
        suggested = r.suggested_answers.get(key) if r else None
        line = Text(localized(question.text, t.lang) + " ")
        line.append(t(f"answer.{given}") if given else t("case.not_answered"), style="bold")
        if suggested:
            line.append(" ")
            line.append(t("meeting.hold.suggested", answer=t(f"answer.{suggested}")), style="dim")
        rows.append(hanging(f"{question.number}.", line))
    return Group(*rows)


def _note_label(key: str, t: Translator) -> str:
    if key in DOMAIN_KEYS:
        return localized(load_instrument().domain(key).title, t.lang)
    return t("general_note.field")


def _action_words(action: Action, t: Translator) -> str:
    return t(
        "meeting.action_line",
        org=org_word(t, action.owner_org),
        role=action.owner_role,
        what=action.what,
        due=due_words(t, action.due),
        status=t(f"meeting.action_status.{action.status}"),
    )


@dataclass(frozen=True, slots=True)
class NewAction:
    owner_org: str
    owner_role: str
    what: str
    due: date | None


class ActionDialog(CaseDialog[NewAction]):
    """What the team agreed an organisation does: the owner's organisation and role (never a
    person's name), what, and by which day (optional). Both texts pass the privacy guard."""

    def __init__(self, code: str, on: date, others: dict[str, str] | None = None) -> None:
        super().__init__(code, others)
        self.on = on

    def compose(self) -> ComposeResult:
        t = self.t
        with Vertical(id="meeting-action", classes="dialog"):
            yield Static(t("meeting.action.title", code=self.code), classes="step-title")
            yield ChoiceRow(
                t("meeting.action.org"), org_options(t), ORGS[0], arrows=True, first_number=1, id="org"
            )
            yield TextField("owner_role", placeholder=t("meeting.action.role"), id="role")
            yield TextField(
                "what",
                placeholder=t("meeting.action.what"),
                id="note",
                input_class=NoteArea,
                leave_on_escape=False,
            )
            # Empty until a day is typed: its placeholder says what it is.
            yield Input(placeholder=t("meeting.action.due"), id="date")
            yield Static("", id="problem", classes="error")
            yield Static(t("meeting.action.hint"), classes="keys")

    def on_mount(self) -> None:
        self.query_one("#org", ChoiceRow).focus()

    def on_note_area_submitted(self) -> None:
        self.save()

    def save(self) -> None:
        t = self.t
        role = self.query_one("#role", Input).value
        what = self.query_one("#note", NoteArea).value
        if not role.strip():
            self.say(t("meeting.action.role_missing"), "#role")
            return
        if problem := self.guard.problem(
            t("meeting.action.role"), role, "owner_role", key="meeting.owner_role"
        ):
            self.say(problem, "#role")
            return
        if not what.strip():
            self.say(t("meeting.action.what_missing"), "#note")
            return
        if problem := self.guard.problem(t("meeting.action.what"), what, "what", key="meeting.what"):
            self.say(problem, "#note")
            return
        raw = self.query_one("#date", Input).value.strip()
        due = None
        if raw:
            from consult.core.dates import parse_day

            try:
                due = parse_day(raw)
            except ValueError:
                self.say(t("meeting.bad_day", value=raw), "#date")
                return
            if due < self.on:
                self.say(t("meeting.action.due_before", day=show(self.on, t.lang)), "#date")
                return
        from consult.privacy.free_text import clean

        self.dismiss(NewAction(str(self.query_one("#org", ChoiceRow).value), clean(role), clean(what), due))
