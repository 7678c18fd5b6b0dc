"""The agenda of a planned meeting, for the convener preparing it (not for the shared screen):
the cases proposed -- safety first, then urgent, then the longest waiting -- with how long each
has waited and how often it was deferred; the open actions of the area's cases, overdue ones
marked; and how many of the area's cases were referred directly since its last meeting, for
assurance (they are not items).

Every change is saved as it is made: ⇧↑/⇧↓ move an item, Del removes it, a adds a case by its
code, o records who is present and who sent apologies, s starts the meeting.
"""

from __future__ import annotations

import asyncio
from datetime import date
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import DataTable, Input, Static

from consult.core.dates import team_day
from consult.core.meeting import ORGS, Agenda, AgendaCase, Meeting
from consult.i18n import Translator
from consult.i18n.formats import show
from consult.screens.base import ConsultScreen
from consult.screens.dialog import CaseDialog
from consult.screens.meeting_common import due_words, flag_marks, org_options, org_word, orgs_words, stored
from consult.widgets.choice_row import ChoiceRow
from consult.widgets.key_bar import KeyBar
from consult.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from consult.store import Store

# Attendance of one organisation, as the dialog's rows choose it.
PRESENT, APOLOGIES, UNRECORDED = "present", "apologies", "unrecorded"


def agenda_columns(t: Translator) -> list[tuple[str, str, int]]:
    labels = {
        "position": "#",
        "code": t("column.code"),
        "primary": t("meeting.column.primary"),
        "flags": t("meeting.column.flags"),
        "waiting": t("meeting.column.waiting"),
        "deferred": t("meeting.column.times_deferred"),
    }
    words = {
        "primary": [t(f"primary_short.{p}") for p in ("tym", "bilateral", "social_services", "own_service")],
        "flags": [f"⚠{t('flag_short.safety')} ⚠{t('flag_short.urgent')}"],
        "waiting": [t("meeting.plan.days", count=365)],
    }
    fixed = {"position": 2, "code": 8, "deferred": 2}
    return [
        (key, label, max([len(label), fixed.get(key, 0), *(len(w) for w in words.get(key, []))]))
        for key, label in labels.items()
    ]


class PlanScreen(ConsultScreen[str | None]):
    """Dismissed with the meeting's id when it was started (held next), None otherwise."""

    HELP = "meeting.help.plan"
    BINDINGS = [
        Binding("shift+up", "move(-1)", "meeting.key.up", key_display="⇧↑"),
        Binding("shift+down", "move(1)", "meeting.key.down", key_display="⇧↓"),
        Binding("delete,x", "remove", "meeting.key.remove", key_display="Del"),
        Binding("a", "add", "meeting.key.add"),
        Binding("o", "attendance", "meeting.key.attendance"),
        Binding("s", "start", "meeting.key.start"),
        Binding("escape", "back", "binding.back", key_display="esc"),
    ]

    def __init__(self, meeting_id: str) -> None:
        super().__init__()
        self.meeting_id = meeting_id
        self.meeting: Meeting | None = None
        self.agenda: Agenda | None = None
        self.rows: dict[str, AgendaCase] = {}
        """What the agenda shows of each item's case, by case id."""
        self.order: list[str] = []
        """The items' case ids in the order on screen; saved behind the convener's keys."""
        self._saved: list[str] = []
        self._saving = asyncio.Lock()

    def compose(self) -> ComposeResult:
        t = self.t
        yield TitleBar(self.app.title, t("meeting.plan.title"))
        yield Static(t("review.loading"), id="plan-head")
        yield Static(id="plan-attendance")
        yield Input(placeholder=t("meeting.plan.add_code"), id="add-code")
        yield DataTable(id="agenda", cursor_type="row", zebra_stripes=True)
        with VerticalScroll(id="plan-more"):
            yield Static(id="plan-actions")
            yield Static(id="plan-direct")
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for key, label, width in agenda_columns(self.t):
            table.add_column(label, width=width, key=key)
        self.query_one("#add-code").display = False
        table.focus()
        self._load()

    @work(exclusive=True, group="plan")
    async def _load(self) -> None:
        store = self.host.store

        def read() -> tuple[Meeting | None, Agenda | None, dict[str, AgendaCase]]:
            meeting = store.get_meeting(self.meeting_id)
            if meeting is None:
                return None, None, {}
            agenda = store.propose_agenda(meeting.area, meeting.on)
            rows = {c.id: c for c in agenda.cases}
            for item in meeting.items:  # items the convener added that the agenda does not hold
                if item.case_id not in rows and (row := _row(store, item.case_id, meeting.on)) is not None:
                    rows[item.case_id] = row
            return meeting, agenda, rows

        found = await stored(self, read)
        if found is None:
            return
        self.meeting, self.agenda, self.rows = found
        if self.meeting is None:
            self.notify(self.t("meeting.gone"), severity="error")
            self.dismiss(None)
            return
        self.order = [item.case_id for item in sorted(self.meeting.items, key=lambda i: i.position)]
        self._saved = list(self.order)
        self._show_head()
        self._fill()
        self._show_more()
        self.refresh_bindings()

    def _show_head(self) -> None:
        t, m = self.t, self.meeting
        if m is None:
            return
        self.query_one("#plan-head", Static).update(
            t(
                "meeting.plan.head",
                area=t(f"area.{m.area}"),
                on=show(m.on, t.lang),
                convener=org_word(t, m.convener_org),
                count=len(self.order),
            )
        )
        if m.present or m.apologies:
            attendance = t(
                "meeting.plan.attendance",
                present=orgs_words(t, m.present),
                apologies=orgs_words(t, m.apologies),
            )
        else:
            attendance = t("meeting.plan.no_attendance")
        self.query_one("#plan-attendance", Static).update(attendance)

    def _fill(self, cursor: int | None = None) -> None:
        t = self.t
        table = self.query_one(DataTable)
        row_at = table.cursor_row if cursor is None else cursor
        table.clear()
        for position, case_id in enumerate(self.order, start=1):
            row = self.rows.get(case_id)
            if row is None:
                continue
            table.add_row(
                str(position),
                row.code,
                t(f"primary_short.{row.primary}") if row.primary else "–",
                flag_marks(t, row.flags),
                t("meeting.plan.days", count=row.waiting_days),
                str(row.deferred) if row.deferred else "–",
                key=case_id,
            )
        if self.order:
            table.move_cursor(row=max(0, min(row_at, len(self.order) - 1)))
        if self.meeting is not None:
            self._show_head()

    def _show_more(self) -> None:
        t, agenda = self.t, self.agenda
        if agenda is None:
            return
        actions = sorted(agenda.actions, key=lambda a: not a.overdue)  # overdue first, else as given
        lines = Text()
        lines.append(t("meeting.plan.actions", count=len(actions)), style="bold underline")
        if not actions:
            lines.append("\n" + t("meeting.plan.no_actions"))
        for action in actions:
            lines.append("\n")
            if action.overdue:
                lines.append(f"⚠{t('meeting.overdue')}", style="bold reverse red")
                lines.append(" ")
            lines.append(
                t(
                    "meeting.plan.action_line",
                    code=action.case_code,
                    org=org_word(t, action.owner_org),
                    role=action.owner_role,
                    what=action.what,
                    due=due_words(t, action.due),
                )
            )
        self.query_one("#plan-actions", Static).update(lines)
        since = (
            t(
                "meeting.plan.direct_since",
                count=agenda.direct_since_last,
                day=show(agenda.last_meeting, t.lang),
            )
            if agenda.last_meeting
            else t("meeting.plan.direct_all", count=agenda.direct_since_last)
        )
        self.query_one("#plan-direct", Static).update(since)

    # --- the convener's keys -----------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("move", "remove"):
            return bool(self.order)
        if action in ("add", "attendance", "start"):
            return self.meeting is not None
        return True

    def action_move(self, step: int) -> None:
        table = self.query_one(DataTable)
        index = table.cursor_row
        target = index + step
        if not (0 <= index < len(self.order) and 0 <= target < len(self.order)):
            return
        self.order[index], self.order[target] = self.order[target], self.order[index]
        self._fill(cursor=target)
        self._save_items()

    def action_remove(self) -> None:
        table = self.query_one(DataTable)
        index = table.cursor_row
        if 0 <= index < len(self.order):
            del self.order[index]
            self._fill(cursor=index)
            self._save_items()
            self.refresh_bindings()

    @work(group="plan-save")
    async def _save_items(self) -> None:
        """The order on screen to the database; one write at a time, the newest order last,
        however quickly the keys come."""
        async with self._saving:
            order = list(self.order)
            if order == self._saved:
                return
            store = self.host.store
            meeting = await stored(self, lambda: store.set_items(self.meeting_id, order))
            if meeting is not None:
                self.meeting, self._saved = meeting, order

    def action_add(self) -> None:
        field = self.query_one("#add-code", Input)
        field.display = True
        field.focus()

    @on(Input.Submitted, "#add-code")
    def _code_given(self, event: Input.Submitted) -> None:
        self._add(event.value)

    @work(exclusive=True, group="plan")
    async def _add(self, typed: str) -> None:
        from consult.store.codes import search_key

        t, store, meeting = self.t, self.host.store, self.meeting
        key = search_key(typed)
        if meeting is None or not key:
            return
        found = await stored(self, lambda: _row_by_code(store, key, meeting))
        if found is None:
            return
        problem, row = found
        if problem is not None or row is None:  # the code stays in the field to be corrected
            code = row.code if row is not None else typed.strip()
            self.notify(t(f"meeting.plan.{problem or 'no_such_code'}", code=code), severity="error")
            return
        if row.id in self.order:
            self.notify(t("meeting.plan.already", code=row.code), severity="warning")
        else:
            self.rows[row.id] = row
            self.order.append(row.id)
            self._fill(cursor=len(self.order) - 1)
            self._save_items()
        field = self.query_one("#add-code", Input)
        field.value = ""
        field.display = False
        self.query_one(DataTable).focus()
        self.refresh_bindings()

    def action_attendance(self) -> None:
        if self.meeting is not None:
            self.app.push_screen(AttendanceDialog(self.meeting), self._attendance_given)

    def _attendance_given(self, given: tuple[list[str], list[str], str] | None) -> None:
        if given is not None:
            self._save_attendance(*given)

    @work(exclusive=True, group="plan")
    async def _save_attendance(self, present: list[str], apologies: list[str], convener: str) -> None:
        store = self.host.store
        meeting = await stored(
            self, lambda: store.set_attendance(self.meeting_id, present, apologies, convener_org=convener)
        )
        if meeting is not None:
            self.meeting = meeting
            self._show_head()

    def action_start(self) -> None:
        self._start()

    @work(exclusive=True, group="plan")
    async def _start(self) -> None:
        if not self.order:
            self.notify(self.t("meeting.plan.nothing_to_start"), severity="warning")
            return
        async with self._saving:  # the order on screen is the order held
            if self.order != self._saved:
                store, order = self.host.store, list(self.order)
                if await stored(self, lambda: store.set_items(self.meeting_id, order)) is None:
                    return
                self._saved = order
        store = self.host.store
        if await stored(self, lambda: store.start_meeting(self.meeting_id)) is not None:
            self.dismiss(self.meeting_id)

    def action_back(self) -> None:
        field = self.query_one("#add-code", Input)
        if field.display:
            field.display = False
            self.query_one(DataTable).focus()
            return
        self.dismiss(None)


def _row(store: Store, case_id: str, on: date) -> AgendaCase | None:
    """What the agenda shows of a case it did not propose (added by its code)."""
    case = store.get_case(case_id)
    if case is None:
        return None
    r = case.recommendation
    deferred = sum(
        1
        for meeting, item in store.case_meetings(case_id)
        if meeting.status == "closed" and item.result == "deferred"
    )
    return AgendaCase(
        id=case.id,
        code=case.code,
        created_at=case.created_at,
        primary=r.primary if r else "",
        flags=tuple(r.flags) if r else (),
        waiting_days=max(0, (on - team_day(case.created_at)).days),
        deferred=deferred,
    )


def _row_by_code(store: Store, key: str, meeting: Meeting) -> tuple[str | None, AgendaCase | None]:
    """The saved case whose code is ``key`` (as ``search_key`` makes a typed code), or why it
    cannot be an item of ``meeting``: ``no_such_code``, ``draft``, ``other_area``."""
    from consult.store.codes import search_key
    from consult.store.review import CaseFilter

    page = store.review_page(CaseFilter(code=key), "code", False, None, 20)
    for summary in page.rows:
        if search_key(summary.code) != key:
            continue
        row = _row(store, summary.id, meeting.on)
        if summary.status == "draft":
            return "draft", row
        if (summary.area or "unknown") != meeting.area:
            return "other_area", row
        return None, row
    return "no_such_code", None


class AttendanceDialog(CaseDialog[tuple[list[str], list[str], str]]):
    """Which organisations are present and which sent apologies -- one choice per organisation,
    so none is both -- and the convener's organisation."""

    def __init__(self, meeting: Meeting) -> None:
        super().__init__("")
        self.meeting = meeting

    def compose(self) -> ComposeResult:
        t, m = self.t, self.meeting
        options = [
            (PRESENT, t("meeting.attendance.present")),
            (APOLOGIES, t("meeting.attendance.apologies")),
            (UNRECORDED, t("meeting.attendance.unrecorded")),
        ]
        with Vertical(id="meeting-attendance", classes="dialog"):
            yield Static(t("meeting.attendance.title"), classes="step-title")
            for org in ORGS:
                now = PRESENT if org in m.present else APOLOGIES if org in m.apologies else UNRECORDED
                yield ChoiceRow(org_word(t, org), options, now, arrows=True, first_number=1, id=f"org-{org}")
            yield ChoiceRow(
                t("meeting.new.convener"),
                org_options(t),
                m.convener_org,
                arrows=True,
                first_number=1,
                id="convener",
            )
            yield Static("", id="problem", classes="error")
            yield Static(t("meeting.attendance.hint"), classes="keys")

    def on_mount(self) -> None:
        self.query_one(ChoiceRow).focus()

    def save(self) -> None:
        chosen = {org: self.query_one(f"#org-{org}", ChoiceRow).value for org in ORGS}
        self.dismiss(
            (
                [org for org, v in chosen.items() if v == PRESENT],
                [org for org, v in chosen.items() if v == APOLOGIES],
                str(self.query_one("#convener", ChoiceRow).value),
            )
        )
