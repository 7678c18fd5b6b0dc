"""Omat tapaukset: the signed-in worker's own saved cases, newest first, a page at a time, so a
worker finds a case again, sees the team's decision, and corrects a route chosen by mistake
before the team has discussed the case.

Keys: Enter opens the case · k switches its route (to the team ↔ referred directly) while the
team has not decided · ] / [ next and previous page · esc home.

"Own" is the rows whose ``created_by`` is the login (store/review.py's page query with that
filter): on a server, row-level security already shows a worker nothing else, and a team
member's areas' cases stay in the review; on a SQLite file the OS account saved them all.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from consult.core.dates import team_day
from consult.i18n import Translator
from consult.i18n.formats import show
from consult.screens.base import ConsultScreen
from consult.screens.review_columns import CELL_PADDING, CODE_WIDTH, DATE_WIDTH, PRIMARIES
from consult.store.corrections import AlreadyDecided, other_route
from consult.store.review import CaseFilter, CasePage, CaseSummary, Cursor
from consult.widgets.key_bar import KeyBar
from consult.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from consult.store.roles import Identity

PAGE_SIZE = 100
ROUTES = ("to_team", "direct")
STATUSES = ("awaiting_team", "referred_directly", "team_decided")


def own_columns(t: Translator) -> list[tuple[str, str, int]]:
    """(key, label, width) of each column: wide enough for every word it can show."""
    words = {
        "route": [t(f"admin.own.route.{r}") for r in ROUTES],
        "status": [t(f"status_short.{s}") for s in STATUSES],
        "decision": [
            t("admin.own.undecided"),
            *(t("admin.own.decision", path=t(f"primary_short.{p}")) for p in PRIMARIES),
        ],
    }
    labels = {
        "code": t("column.code"),
        "date": t("column.date"),
        "route": t("admin.own.column.route"),
        "status": t("column.status"),
        "decision": t("admin.own.column.decision"),
    }
    fixed = {"code": CODE_WIDTH, "date": DATE_WIDTH}
    return [
        (key, label, max([len(label), fixed.get(key, 0), *(len(w) for w in words.get(key, []))]))
        for key, label in labels.items()
    ]


def own_row_width(t: Translator) -> int:
    return sum(width + CELL_PADDING for _, _, width in own_columns(t))


class OwnCasesScreen(ConsultScreen[None]):
    BINDINGS = [
        Binding("k", "correct", "binding.correct_route"),
        Binding("right_square_bracket", "page(1)", "binding.next_page", key_display="]"),
        Binding("left_square_bracket", "page(-1)", "binding.prev_page", key_display="["),
        # The table would take these to scroll within the page; here they turn the page.
        Binding("pagedown", "page(1)", show=False, priority=True),
        Binding("pageup", "page(-1)", show=False, priority=True),
        Binding("escape", "home", "binding.home"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.identity: Identity | None = None
        self.cursors: list[Cursor | None] = [None]  # where each page seen so far begins
        self.current: CasePage | None = None
        self.page_index = 0
        self.total = 0

    def compose(self) -> ComposeResult:
        yield TitleBar(self.app.title, self.t("admin.own.title"))
        yield Static(self.t("review.loading"), id="signed-in")
        yield DataTable(id="own-cases", cursor_type="row", zebra_stripes=True)
        yield Static(id="count")
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for key, label, width in own_columns(self.t):
            table.add_column(label, width=width, key=key)
        table.focus()
        self._load(0, with_count=True)

    # --- loading ---------------------------------------------------------------------------

    @work(exclusive=True, group="own-cases")
    async def _load(self, index: int, with_count: bool = False, keep_row: int = 0) -> None:
        store, after = self.host.store, self.cursors[index]

        def fetch() -> tuple[Identity, CasePage, int | None]:
            who = store.identity()
            mine = CaseFilter(created_by=who.login)
            # Newest first: the case a worker is looking for is usually the one just saved.
            result = store.review_page(mine, "date", True, after, PAGE_SIZE)
            return who, result, store.review_count(mine) if with_count else None

        self.identity, result, total = await asyncio.to_thread(fetch)
        if total is not None:
            self.total = total
        self.current = result
        del self.cursors[index + 1 :]
        if result.next is not None:
            self.cursors.append(result.next)
        self._fill(index, result, keep_row)

    def _fill(self, index: int, result: CasePage, keep_row: int) -> None:
        t, lang = self.t, self.t.lang
        if self.identity is not None:
            self.query_one("#signed-in", Static).update(
                t(
                    "admin.home.signed_in",
                    login=self.identity.login,
                    role=t(f"admin.role.{self.identity.role}"),
                )
            )
        table = self.query_one(DataTable)
        table.clear()
        for row in result.rows:
            table.add_row(
                row.code,
                show(team_day(row.created_at), lang),
                t(f"admin.own.route.{row.route}") if row.route else "–",
                t(f"status_short.{row.status}"),
                t("admin.own.decision", path=t(f"primary_short.{row.decision_path}"))
                if row.decision_path
                else t("admin.own.undecided"),
                key=row.id,
            )
        if result.rows:
            table.move_cursor(row=min(keep_row, len(result.rows) - 1))
        first = index * PAGE_SIZE + 1
        self.query_one("#count", Static).update(
            t(
                "review.count",
                page=index + 1,
                first=first,
                last=first + len(result.rows) - 1,
                total=t("count.cases", count=self.total),
            )
            if result.rows
            else t("admin.own.none")
        )
        self.page_index = index
        self.refresh_bindings()

    def _chosen(self) -> CaseSummary | None:
        """The case under the table's cursor."""
        if self.current is None or not self.current.rows:
            return None
        row = self.query_one(DataTable).cursor_row
        return self.current.rows[row] if 0 <= row < len(self.current.rows) else None

    # --- actions -------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "correct":
            # Not offered to a role that may not correct, nor before there is a case to correct.
            return (
                self.identity is not None
                and self.identity.may("correct")
                and bool(self.current and self.current.rows)
            )
        return True

    def action_page(self, step: int) -> None:
        target = self.page_index + step
        if 0 <= target < len(self.cursors):
            self._load(target)

    @on(DataTable.RowSelected)
    def _open(self, event: DataTable.RowSelected) -> None:
        from consult.screens.case import CaseScreen

        self.app.push_screen(CaseScreen(str(event.row_key.value)), self._case_closed)

    def _case_closed(self, _: object) -> None:
        self._load(self.page_index, keep_row=self.query_one(DataTable).cursor_row)

    def action_correct(self) -> None:
        case = self._chosen()
        if case is None or self.identity is None or not self.identity.may("correct"):
            return
        if case.status == "team_decided":  # said at once, in one line: nothing is tried
            self.notify(self.t("admin.own.cannot"), severity="warning")
            return
        self._correct(case.id, other_route(case.route))

    @work(exclusive=True, group="own-correct")
    async def _correct(self, case_id: str, route: str) -> None:
        store, t = self.host.store, self.t
        try:
            await asyncio.to_thread(store.correct_route, case_id, route)
        except AlreadyDecided:  # the team decided a moment ago
            self.notify(t("admin.own.cannot"), severity="warning")
        except Exception as error:  # said in one line; nothing changed
            self.notify(t("walk.save_failed", error=error.__class__.__name__), severity="error")
        else:
            self.notify(t("admin.own.corrected", route=t(f"routes.{route}")))
        self._load(self.page_index, keep_row=self.query_one(DataTable).cursor_row)

    def action_home(self) -> None:
        self.dismiss(None)
