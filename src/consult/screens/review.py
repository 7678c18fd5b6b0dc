"""Review: the stored cases for the consultation team, one SQL page at a time.

Keys: a area · s status · p recommendation · g flag · l outcome · n pending over N days ·
d period · / code · o sort · v order · ] / [ next and previous page · Enter opens the case ·
e exports the filtered list as CSV.
"""

from __future__ import annotations

import asyncio
import math
from datetime import UTC, datetime
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Input, Static

from consult.core.dates import team_day
from consult.core.model import AREA_BUCKETS, FLAGS, PRIMARIES
from consult.i18n.formats import show
from consult.screens.base import ConsultScreen
from consult.screens.review_columns import column_order, review_columns
from consult.store.review import OUTCOME_STATES, SORTS, CaseFilter, CasePage, Cursor
from consult.system.files import create_unique, private_dir
from consult.widgets.key_bar import KeyBar
from consult.widgets.period_field import PeriodField
from consult.widgets.title_bar import TitleBar

PAGE_SIZE = 100
STATUSES = ("awaiting_team", "referred_directly", "team_decided")
_CYCLES = {
    "area": AREA_BUCKETS,
    "status": STATUSES,
    "primary": PRIMARIES,
    "flag": FLAGS,
    "outcome": OUTCOME_STATES,
}
MAX_PENDING_DAYS = 3650


class ReviewScreen(ConsultScreen[None]):
    BINDINGS = [
        Binding("a", "cycle('area')", "binding.area"),
        Binding("s", "cycle('status')", "binding.status"),
        Binding("p", "cycle('primary')", "binding.primary"),
        Binding("g", "cycle('flag')", "binding.flag"),
        Binding("l", "cycle('outcome')", "binding.outcome_filter"),
        Binding("n", "bottleneck", "binding.bottleneck"),
        Binding("d", "period", "binding.period"),
        Binding("slash", "search", "binding.search", key_display="/"),
        Binding("o", "sort", "binding.sort"),
        Binding("v", "reverse", "binding.reverse"),
        Binding("right_square_bracket", "page(1)", "binding.next_page", key_display="]"),
        Binding("left_square_bracket", "page(-1)", "binding.prev_page", key_display="["),
        # The table would take these to scroll within the page; here they turn the page.
        Binding("pagedown", "page(1)", show=False, priority=True),
        Binding("pageup", "page(-1)", show=False, priority=True),
        Binding("e", "export", "binding.export"),
        Binding("escape", "home", "binding.home"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.filter = CaseFilter()
        self.sort = "date"
        self.descending = True
        self.cursors: list[Cursor | None] = [None]  # where each page seen so far begins
        self.current: CasePage | None = None
        self.total: int | None = None
        self.page_index = 0

    def compose(self) -> ComposeResult:
        t = self.t
        yield TitleBar(self.app.title, t("review.title"))
        yield Static(id="filters")
        yield Input(placeholder=t("review.search"), id="code")
        yield PeriodField(t, placeholder=t("review.period"), id="period")
        yield Input(placeholder=t("review.bottleneck_ask"), id="days")
        yield DataTable(id="cases", cursor_type="row", zebra_stripes=True)
        yield Static(id="count")
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        self._columns(table, waiting=False)
        self.query_one("#code").display = False
        self.query_one("#days").display = False
        table.focus()
        self.reload()

    # --- loading ---------------------------------------------------------------------------

    def reload(self) -> None:
        """Back to the first page of the current filter and sort."""
        self.cursors = [None]
        self._show_filters()
        self.total = None
        self._load(0)
        self._count(self.filter)

    @work(exclusive=True, group="review")
    async def _load(self, index: int) -> None:
        store = self.host.store
        f, sort, descending, after = self.filter, self.sort, self.descending, self.cursors[index]
        result = await asyncio.to_thread(store.review_page, f, sort, descending, after, PAGE_SIZE)
        self.current = result
        del self.cursors[index + 1 :]
        if result.next is not None:
            self.cursors.append(result.next)
        self._fill(index, result)

    @work(exclusive=True, group="review-count")
    async def _count(self, f: CaseFilter) -> None:
        """The filter's count, in a worker of its own: the page is shown as soon as it is read,
        and the count (which reads every match) fills in when it arrives."""
        store = self.host.store
        total = await asyncio.to_thread(store.review_count, f)
        if f != self.filter:
            return  # the filter changed meanwhile: its own count is on the way
        self.total = total
        if self.current is not None:
            self._show_count()

    def _columns(self, table: DataTable[str], waiting: bool) -> None:
        """The table's columns for the list shown: the bottleneck list adds days waiting."""
        keys = [column.key.value for column in table.columns.values()]
        if keys == list(column_order(waiting)):
            return
        table.clear(columns=True)
        for key, label, width in review_columns(self.t, waiting):
            table.add_column(label, width=width, key=key)

    def _fill(self, index: int, result: CasePage) -> None:
        t, lang = self.t, self.t.lang
        table = self.query_one(DataTable)
        table.clear()
        waiting = self.filter.pending_over_days is not None
        self._columns(table, waiting)
        # Counted in whole team days, as the filter counts them.
        today = team_day(datetime.now(UTC))
        for row in result.rows:
            cells = {
                "code": row.code,
                "date": show(team_day(row.created_at), lang),
                # The same word as the area filter and the figures: unknown is a bucket of its own.
                "area": t(f"area.{row.area or 'unknown'}"),
                "org": t(f"worker_org_short.{row.worker_org}") if row.worker_org else "–",
                "primary": t(f"primary_short.{row.primary}") if row.primary else "–",
                "flags": " ".join(t(f"flag_short.{f}") for f in row.flags) or "–",
                "status": t(f"status_short.{row.status}"),
                "waiting": t("review.waiting_days", days=(today - team_day(row.created_at)).days),
            }
            table.add_row(*(cells[key] for key in column_order(waiting)), key=row.id)
        self.page_index = index
        self._show_count()

    def _show_count(self) -> None:
        t, result = self.t, self.current
        line = self.query_one("#count", Static)
        if result is not None and result.rows:
            first = self.page_index * PAGE_SIZE + 1
            known = self.total is not None
            line.update(
                t(
                    # With the count known, the page says of how many: "Sivu 3/12".
                    "review.count_of_pages" if known else "review.count",
                    pages=math.ceil((self.total or 0) / PAGE_SIZE),
                    page=self.page_index + 1,
                    first=first,
                    last=first + len(result.rows) - 1,
                    # Until the count arrives: the page is there, how many in all is not yet.
                    total="…" if self.total is None else t("count.cases", count=self.total),
                )
            )
        else:
            line.update(t("review.empty"))

    def _show_filters(self) -> None:
        t, f = self.t, self.filter
        everything = t("review.all")
        period = t("review.period_all")
        if f.since or f.until:
            period = f"{show(f.since, t.lang) if f.since else ''}–{show(f.until, t.lang) if f.until else ''}"
        if f.code:
            period += f" · {f.code}*"
        outcome = t(f"outcome_filter.{f.outcome}") if f.outcome else everything
        if f.pending_over_days is not None:
            outcome = t("review.older_than", days=f.pending_over_days)
        text = t(
            "review.filters",
            area=t(f"area.{f.area}") if f.area else everything,
            status=t(f"status_short.{f.status}") if f.status else everything,
            primary=t(f"primary_short.{f.primary}") if f.primary else everything,
            flag=t(f"flag_short.{f.flag}") if f.flag else everything,
            period=period,
        )
        direction = "↓" if self.descending else "↑"
        self.query_one("#filters", Static).update(
            f"{text}\n{t('review.outcome_filter', outcome=outcome)} · "
            f"{t('review.sort', sort=t('sort.' + self.sort), direction=direction)}"
        )

    # --- actions -------------------------------------------------------------------------

    def action_cycle(self, field: str) -> None:
        values: tuple[str | None, ...] = (None, *_CYCLES[field])
        current = getattr(self.filter, field)
        following = values[(values.index(current) + 1) % len(values)]
        update: dict[str, object] = {field: following}
        if field == "outcome":
            update["pending_over_days"] = None  # one outcome filter at a time
        self.filter = self.filter.model_copy(update=update)
        self.reload()

    def action_bottleneck(self) -> None:
        field = self.query_one("#days", Input)
        field.display = True
        field.focus()

    @on(Input.Submitted, "#days")
    def _days(self, event: Input.Submitted) -> None:
        raw = event.value.strip()
        if raw and not (raw.isdigit() and int(raw) <= MAX_PENDING_DAYS):
            self.notify(self.t("review.bottleneck_bad", value=event.value), severity="error")
            return  # the text stays in the field to be corrected
        days = int(raw) if raw else None
        # "Pending over N days" is a kind of pending: the outcome filter steps aside.
        update = {"pending_over_days": days, "outcome": None if days is not None else self.filter.outcome}
        self.filter = self.filter.model_copy(update=update)
        event.input.display = False
        self.query_one(DataTable).focus()
        self.reload()

    def action_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self.reload()

    def action_reverse(self) -> None:
        self.descending = not self.descending
        self.reload()

    def action_page(self, step: int) -> None:
        target = self.page_index + step
        if 0 <= target < len(self.cursors):
            self._load(target)

    def action_search(self) -> None:
        field = self.query_one("#code", Input)
        field.display = True
        field.focus()

    def action_period(self) -> None:
        self.query_one(PeriodField).ask()

    @on(Input.Submitted, "#code")
    def _code(self, event: Input.Submitted) -> None:
        self.filter = self.filter.model_copy(update={"code": event.value.strip() or None})
        event.input.display = False
        self.query_one(DataTable).focus()
        self.reload()

    def on_period_field_chosen(self, event: PeriodField.Chosen) -> None:
        self.filter = self.filter.model_copy(update={"since": event.since, "until": event.until})
        self.query_one(DataTable).focus()
        self.reload()

    @on(DataTable.RowSelected)
    def _open(self, event: DataTable.RowSelected) -> None:
        from consult.screens.case import CaseScreen

        self.app.push_screen(CaseScreen(str(event.row_key.value)), self._case_closed)

    def _case_closed(self, _: object) -> None:
        self._load(self.page_index)

    def action_export(self) -> None:
        self._export()

    @work(exclusive=True, group="export")
    async def _export(self) -> None:
        from consult.exchange.spreadsheet import export_cases, file_name

        settings = self.host.settings
        store = self.host.store
        t = self.t
        stem = file_name("cases", t, datetime.now(), "csv").removesuffix(".csv")

        def write() -> tuple[int, Path]:
            path, out = create_unique(private_dir(settings.files_dir / "exports"), stem, ".csv")
            with out:
                return export_cases(store, out, t, self.filter), path

        written, path = await asyncio.to_thread(write)
        self.notify(self.t("review.exported", count=written, path=path))

    def action_home(self) -> None:
        focused = self.focused
        if isinstance(focused, Input):
            focused.display = False
            self.query_one(DataTable).focus()
            return
        self.dismiss(None)
