"""Kokoukset: the consultation team's meetings, newest first -- area, day, status and what
became of their items and actions. The hub of a meeting's life: ``n`` plans a new one, Enter
opens one where it stands (a planned meeting's agenda, an open meeting where it is held, a
closed meeting's minutes).

Keys: n new meeting · Enter opens · a area · esc home.
"""

from __future__ import annotations

from datetime import date

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Input, Static

from consult.core.dates import parse_day, today
from consult.core.meeting import MEETING_AREAS, ORGS, MeetingSummary
from consult.i18n.formats import show
from consult.screens.base import ConsultScreen
from consult.screens.dialog import CaseDialog
from consult.screens.meeting_common import org_options, stored
from consult.widgets.choice_row import ChoiceRow
from consult.widgets.key_bar import KeyBar
from consult.widgets.title_bar import TitleBar

# Beyond this many rows the list says how many more there are: the newest are the ones a
# convener opens, and a table of thousands of rows costs seconds to draw.
SHOWN = 500


def meeting_columns(t) -> list[tuple[str, str, int]]:
    """(key, label, width): wide enough for every word a column can show."""
    words = {
        "area": [t(f"area.{a}") for a in MEETING_AREAS],
        "status": [t(f"meeting.status.{s}") for s in ("planned", "open", "closed")],
    }
    labels = {
        "on": t("meeting.column.on"),
        "area": t("meeting.column.area"),
        "status": t("meeting.column.status"),
        "items": t("meeting.column.items"),
        "decided": t("meeting.column.decided"),
        "deferred": t("meeting.column.deferred"),
        "actions": t("meeting.column.open_actions"),
    }
    fixed = {"on": 10, "items": 3}
    return [
        (key, label, max([len(label), fixed.get(key, 2), *(len(w) for w in words.get(key, []))]))
        for key, label in labels.items()
    ]


class MeetingsScreen(ConsultScreen[None]):
    BINDINGS = [
        Binding("n", "new", "meeting.key.new"),
        Binding("a", "area", "binding.area"),
        Binding("escape", "home", "binding.home"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.area: str | None = None
        self.summaries: list[MeetingSummary] = []

    def compose(self) -> ComposeResult:
        t = self.t
        yield TitleBar(self.app.title, t("meeting.list.title"))
        yield Static(id="meeting-filter")
        yield DataTable(id="meetings", cursor_type="row", zebra_stripes=True)
        yield Static(id="meeting-count")
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for key, label, width in meeting_columns(self.t):
            table.add_column(label, width=width, key=key)
        table.focus()
        self.reload()

    @work(exclusive=True, group="meetings")
    async def reload(self) -> None:
        t = self.t
        everything = t("review.all")
        self.query_one("#meeting-filter", Static).update(
            t("meeting.list.filter", area=t(f"area.{self.area}") if self.area else everything)
        )
        store, area = self.host.store, self.area
        found = await stored(self, lambda: store.list_meetings(area))
        if found is None:
            return
        self.summaries = found
        self._fill()

    def _fill(self) -> None:
        t = self.t
        table = self.query_one(DataTable)
        table.clear()
        table.add_rows(
            [
                (
                    show(m.on, t.lang),
                    t(f"area.{m.area}"),
                    t(f"meeting.status.{m.status}"),
                    str(sum(m.items.values())),
                    str(m.items.get("decided", 0)),
                    str(m.items.get("deferred", 0)),
                    str(m.actions.get("open", 0)),
                )
                for m in self.summaries[:SHOWN]
            ]
        )
        count = self.query_one("#meeting-count", Static)
        if not self.summaries:
            count.update(t("meeting.list.empty"))
        elif len(self.summaries) > SHOWN:
            count.update(t("meeting.list.more", shown=SHOWN, count=len(self.summaries)))
        else:
            count.update(t("meeting.list.count", count=len(self.summaries)))

    def _chosen(self) -> MeetingSummary | None:
        table = self.query_one(DataTable)
        if not self.summaries or table.cursor_row >= min(len(self.summaries), SHOWN):
            return None
        return self.summaries[table.cursor_row]

    @on(DataTable.RowSelected)
    def _open(self, event: DataTable.RowSelected) -> None:
        chosen = self._chosen()
        if chosen is not None:
            self.open_meeting(chosen.id, chosen.status)

    def open_meeting(self, meeting_id: str, status: str) -> None:
        """A meeting where it stands: planned → its agenda, open → held, closed → minutes."""
        if status == "planned":
            from consult.screens.meeting_plan import PlanScreen

            self.app.push_screen(PlanScreen(meeting_id), self._after_plan)
        elif status == "open":
            self.hold(meeting_id)
        else:
            from consult.screens.meeting_minutes import MinutesScreen

            self.app.push_screen(MinutesScreen(meeting_id), self._back)

    def hold(self, meeting_id: str) -> None:
        from consult.screens.meeting_hold import HoldScreen

        self.app.push_screen(HoldScreen(meeting_id), self._after_hold)

    def _after_plan(self, started: str | None) -> None:
        if started:  # the agenda's "start": straight on to holding it
            self.hold(started)
        self.reload()

    def _after_hold(self, closed: str | None) -> None:
        if closed:  # closed: its minutes, to check and copy
            from consult.screens.meeting_minutes import MinutesScreen

            self.app.push_screen(MinutesScreen(closed), self._back)
        self.reload()

    def _back(self, _: object) -> None:
        self.reload()

    def action_new(self) -> None:
        settings = self.host.settings
        area = self.area or settings.area
        convener = settings.worker_org if settings.worker_org in ORGS else None
        self.app.push_screen(NewMeetingDialog(area, convener), self._new_chosen)

    def _new_chosen(self, chosen: tuple[str, date, str] | None) -> None:
        if chosen is not None:
            self._plan(*chosen)

    @work(exclusive=True, group="meetings")
    async def _plan(self, area: str, on: date, convener: str) -> None:
        store = self.host.store
        # The same area and day planned or being held already: that one is opened, not a twin.
        existing = await stored(self, lambda: store.list_meetings(area))
        if existing is None:
            return
        for summary in existing:
            if summary.on == on and summary.status != "closed":
                self.notify(self.t("meeting.list.exists"))
                self.open_meeting(summary.id, summary.status)
                return
        meeting = await stored(self, lambda: store.plan_meeting(area, on, convener))
        if meeting is not None:
            self.open_meeting(meeting.id, meeting.status)

    def action_area(self) -> None:
        values: tuple[str | None, ...] = (None, *MEETING_AREAS)
        self.area = values[(values.index(self.area) + 1) % len(values)]
        self.reload()

    def action_home(self) -> None:
        self.dismiss(None)


class NewMeetingDialog(CaseDialog[tuple[str, date, str]]):
    """A new meeting: its area, its day (today in Finland unless typed) and the convener's
    organisation. Enter plans it; the agenda is proposed from the cases waiting."""

    def __init__(self, area: str | None, convener: str | None) -> None:
        super().__init__("")
        self.area, self.convener = area, convener

    def compose(self) -> ComposeResult:
        t = self.t
        with Vertical(id="meeting-new", classes="dialog"):
            yield Static(t("meeting.new.title"), classes="step-title")
            yield ChoiceRow(
                t("meeting.new.area"),
                [(a, t(f"area.{a}")) for a in MEETING_AREAS],
                self.area,
                arrows=True,
                first_number=1,
                id="area",
            )
            yield ChoiceRow(
                t("meeting.new.convener"),
                org_options(t),
                self.convener,
                arrows=True,
                first_number=1,
                id="convener",
            )
            yield Static(t("meeting.new.on"), classes="label")
            yield Input(show(today(), t.lang), placeholder=t("meeting.new.on"), id="date")
            yield Static("", id="problem", classes="error")
            yield Static(t("meeting.new.hint"), classes="keys")

    def on_mount(self) -> None:
        self.query_one("#area", ChoiceRow).focus()

    def save(self) -> None:
        raw = self.query_one("#date", Input).value
        try:
            on = parse_day(raw)
        except ValueError:
            self.say(self.t("meeting.bad_day", value=raw), "#date")
            return
        self.dismiss(
            (
                str(self.query_one("#area", ChoiceRow).value),
                on,
                str(self.query_one("#convener", ChoiceRow).value),
            )
        )
