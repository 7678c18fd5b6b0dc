"""Follow-up: the pilot's figures over a period, as numbers and as bars that read without colour.

``d`` sets the period; the figures are those of ``consult stats``, with what happened after the
referral per path and per area. ``r`` writes the steering group's report (XLSX and HTML) for the
period shown.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from datetime import date, datetime
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Input, Static

from consult.assessment.service_words import domain_title, entry_name
from consult.core.instrument import DOMAIN_KEYS
from consult.core.model import MISSING_REASONS, NOT_STARTED_REASONS, PRIMARIES, TRIED_RESULTS
from consult.i18n import Translator
from consult.i18n.formats import show_month
from consult.screens.base import ConsultScreen
from consult.screens.services import catalogues_of
from consult.stats import AGE_BUCKETS, Stats, compute_with_areas, monthly
from consult.widgets.key_bar import KeyBar
from consult.widgets.period_field import PeriodField
from consult.widgets.text import hanging
from consult.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from consult.catalogue.model import Catalogue
    from consult.store import Store

BAR_WIDTH = 30
# Room a bar's row needs beside its label: the bar, its count, the gaps and the scroll bar.
BAR_ROW = BAR_WIDTH + 12


def shortened(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def bars(
    rows: list[tuple[str, int]], notes: list[str] | None = None, number: Callable[[int], str] = str
) -> Table:
    """Labelled horizontal bars with the count beside each: the numbers carry the meaning.
    ``notes`` adds a column after the counts (a median, say); ``number`` writes the counts as
    the viewer's language does."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(no_wrap=True)
    grid.add_column(justify="right", no_wrap=True)
    if notes is not None:
        grid.add_column(no_wrap=True)
    largest = max([v for _, v in rows] + [1])
    for index, (label, value) in enumerate(rows):
        width = round(BAR_WIDTH * value / largest)
        cells: list[RenderableType] = [label, Text("█" * width + "·" * (BAR_WIDTH - width)), number(value)]
        grid.add_row(*cells, *([notes[index]] if notes is not None else []))
    return grid


def month_name(key: str, lang: str) -> str:
    """ "2026-03" as the viewer's language names the month: "maalis 2026", "mars 2026"."""
    year, month = key.split("-")
    return show_month(date(int(year), int(month), 1), lang)


def month_bars(months: list[tuple[str, dict[str, int]]], t: Translator) -> Group:
    """A bar a month, made of one letter per recommendation (T, K, S, O) so it reads without
    colour, with the counts written out on the line below."""
    # The letter of each path is the first of its word in the viewer's language (K = Kahdenv.).
    letters = {p: t(f"month_letter.{p}") for p in ("tym", "bilateral", "social_services", "own_service")}
    styles = {"tym": "bold", "bilateral": "", "social_services": "reverse", "own_service": "dim"}
    largest = max([sum(c.values()) for _, c in months] + [1])
    lines: list[Text] = []
    names = {key: month_name(key, t.lang) for key, _ in months}
    width = max(len(name) for name in names.values())
    for key, counts in months:
        bar = Text(f"{names[key].ljust(width)}  ")
        for primary, value in counts.items():
            bar.append(letters[primary] * round(BAR_WIDTH * value / largest), style=styles[primary])
        bar.append(f"  {sum(counts.values())}")
        lines.append(bar)
        detail = " · ".join(f"{t('primary_short.' + p)} {v}" for p, v in counts.items() if v)
        lines.append(Text(f"{' ' * (width + 2)}{detail}", style="italic"))
    lines.append(Text("  ".join(f"{letters[p]} = {t('primary_short.' + p)}" for p in letters), style="dim"))
    return Group(*lines)


class Phrases:
    """A line of phrases joined by " · ", wrapped between phrases and never inside one, so a
    narrow terminal does not leave a count on a line of its own."""

    def __init__(self, line: str) -> None:
        self.phrases = line.split(" · ")

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        line = ""
        for phrase in self.phrases:
            longer = f"{line} · {phrase}" if line else phrase
            if line and cell_len(longer) > options.max_width:
                yield Text(line)
                line = phrase
            else:
                line = longer
        yield Text(line)


def section(title: str, body: RenderableType) -> list[Static]:
    return [Static(title, classes="section"), Static(body)]


class FollowUpScreen(ConsultScreen[None]):
    BINDINGS = [
        Binding("d", "period", "binding.period"),
        Binding("r", "report", "binding.report"),
        Binding("s", "rules", "binding.rules"),
        Binding("escape", "home", "binding.home"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.since: date | None = None
        self.until: date | None = None

    def compose(self) -> ComposeResult:
        t = self.t
        yield TitleBar(self.app.title, t("followup.title"))
        yield PeriodField(t, placeholder=t("review.period"), id="period")
        yield VerticalScroll(Static(t("followup.loading")), id="figures", classes="step")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#figures").focus()  # not the hidden period field: keys are commands here
        self._load()

    @work(exclusive=True, group="follow-up")
    async def _load(self) -> None:
        store = self.host.store
        since, until = self.since, self.until
        figures, areas, months, catalogues = await asyncio.to_thread(
            lambda: (
                *compute_with_areas(store, since, until),
                monthly(store, since, until),
                catalogues_of(store),
            )
        )
        container = self.query_one("#figures", VerticalScroll)
        await container.remove_children()
        await container.mount_all(
            self._widgets(figures, months, self.t)
            + self._outcomes(figures, areas, self.t)
            + self._services(figures, catalogues, self.t)
        )
        await container.mount_all(self._meetings(figures, areas, self.t))
        await container.mount_all(await self._team_agreement(store, since, until))

    def _widgets(self, s: Stats, months: list[tuple[str, dict[str, int]]], t: Translator) -> list[Static]:
        from consult.report.tables import period_text

        period = period_text(s.period.since, s.period.until, t)
        median = s.median_days_to_decision
        out = [
            Static(period),
            Static(
                t(
                    "followup.glance",
                    social=s.needs["social_only"],
                    health=s.needs["health_only"],
                    both=s.needs["both"],
                    direct=s.routes["direct"],
                    cases=s.cases,
                ),
                classes="primary",
            ),
            Static(f"{t('stats.cases')}: {t.number(s.cases)}"),
        ]
        out += section(
            t("stats.by_primary"),
            bars([(t(f"primary_short.{k}"), v) for k, v in s.by_primary.items()], number=t.number),
        )
        out += section(
            t("stats.needs"), bars([(t(f"needs.{k}"), v) for k, v in s.needs.items()], number=t.number)
        )
        out += section(
            t("stats.routes"), bars([(t(f"routes.{k}"), v) for k, v in s.routes.items()], number=t.number)
        )
        out.append(
            Static(
                f"{t('stats.awaiting')}: {s.awaiting_team} · {t('stats.decided')}: {s.team_decided} · "
                f"{t('stats.changed')}: {s.team_changed_path} · "
                f"{t('stats.median')}: {'–' if median is None else t.number(median)}"
            )
        )
        out += section(
            t("stats.flags"), bars([(t(f"flag.{k}"), v) for k, v in s.flags.items()], number=t.number)
        )
        if months:
            out += section(t("followup.months"), month_bars(months, t))
        area_table = Table.grid(padding=(0, 2))
        for _ in range(6):
            area_table.add_column(justify="right")
        area_table.add_row("", t("stats.cases"), *(t(f"primary_short.{p}") for p in s.by_primary))
        for area, figures in s.by_area.items():
            area_table.add_row(
                t(f"area.{area}"),
                t.number(figures.cases),
                *(t.number(v) for v in figures.by_primary.values()),
            )
        out += section(t("stats.by_area"), area_table)
        return out

    def _outcomes(self, s: Stats, areas: dict[str, Stats], t: Translator) -> list[Static]:
        o = s.outcomes

        def days(value: float | None) -> str:
            return (
                "–" if value is None else f"{value:g}" if t.lang == "en" else f"{value:g}".replace(".", ",")
            )

        out = [Static(t("followup.outcomes"), classes="section")]
        out.append(
            Static(
                t(
                    "followup.outcome_line",
                    started=o.started,
                    not_started=o.not_started,
                    pending=o.pending,
                    median=days(o.median_days_to_start),
                )
            )
        )
        per_path = bars(
            [(t(f"primary_short.{p}"), o.started_by_path[p]) for p in PRIMARIES],
            [f"({days(o.median_days_to_start_by_path[p])})" for p in PRIMARIES],
        )
        out += section(t("followup.per_path"), per_path)
        out += section(
            t("followup.pending_age"), bars([(t(f"age.{k}"), o.pending_by_age[k]) for k, _, _ in AGE_BUCKETS])
        )
        out += section(
            t("followup.reasons"),
            bars([(t(f"reason.{r}"), o.not_started_reasons[r]) for r in NOT_STARTED_REASONS]),
        )
        grid = Table.grid(padding=(0, 2))
        for _ in range(5):
            grid.add_column(justify="right")
        grid.add_row(
            "", t("stats.started"), t("stats.not_started"), t("stats.pending"), t("report.median_days")
        )
        for area, figures in areas.items():
            f = figures.outcomes
            grid.add_row(
                t(f"area.{area}"),
                str(f.started),
                str(f.not_started),
                str(f.pending),
                days(f.median_days_to_start),
            )
        out += section(t("followup.area_outcomes"), grid)
        return out

    def _services(self, s: Stats, catalogues: Sequence[Catalogue], t: Translator) -> list[Static]:
        """The pilot's learning about services: what is missing, why and where, and how the
        services tried before ended."""
        figures = s.services
        # A domain's or a service's name is long: cut to what leaves its bar and count in view.
        room = max(14, self.size.width - BAR_ROW)
        out = [
            Static(t("services.followup.title"), classes="section"),
            Static(
                t("services.followup.cases_with_missing", count=figures.cases_with_missing),
                id="missing-cases",
            ),
        ]
        out += section(
            t("services.followup.by_reason"),
            bars(
                [(t(f"services.reason.{r}"), figures.missing_by_reason[r]) for r in MISSING_REASONS],
                number=t.number,
            ),
        )
        out += section(
            t("services.followup.by_domain"),
            bars(
                [
                    (shortened(domain_title(d, t.lang), room), figures.missing_by_domain[d])
                    for d in DOMAIN_KEYS
                ],
                number=t.number,
            ),
        )
        out += section(
            t("services.followup.tried"),
            bars(
                [(t(f"services.result.{r}"), figures.tried_by_result[r]) for r in TRIED_RESULTS],
                number=t.number,
            ),
        )
        top = [
            (shortened(entry_name(item, catalogues, t.lang), room), item.cases)
            for item in figures.top_missing
        ]
        out += section(
            t("services.followup.top"), bars(top, number=t.number) if top else t("services.followup.none")
        )
        # An area's reasons on one line that wraps: five columns of words do not fit 60 columns.
        out.append(Static(t("services.followup.by_area"), classes="section"))
        for area, area_figures in s.by_area.items():
            counts = " · ".join(
                f"{t(f'services.reason.{r}')} {t.number(area_figures.missing_by_reason[r])}"
                for r in MISSING_REASONS
            )
            out.append(Static(hanging(f"{t(f'area.{area}')}:", counts)))
        return out

    def action_report(self) -> None:
        self._write_report()

    @work(exclusive=True, group="report")
    async def _write_report(self) -> None:
        from consult.report.figures import gather
        from consult.report.html import render_html
        from consult.report.xlsx import write_xlsx
        from consult.system.failures import cannot_write
        from consult.system.files import create_unique, private_dir

        settings = self.host.settings
        store = self.host.store
        since, until, t = self.since, self.until, self.t
        stem = f"{t('export.file.report')}-{datetime.now():%Y%m%d-%H%M%S}"

        def write() -> Path:
            folder = private_dir(settings.files_dir / "reports")
            figures = gather(store, since, until)
            # Fresh names (-2, -3… within the same second), never through a planted link.
            path, out = create_unique(folder, stem, ".xlsx", encoding=None)
            with out:
                write_xlsx(figures, t, out)
            _, out = create_unique(folder, path.stem, ".html")
            with out:
                out.write(render_html(figures, t))
            return path.with_suffix("")

        try:
            written = await asyncio.to_thread(write)
        except OSError as error:  # a full disk, a folder not writable: said in one line
            self.notify(cannot_write(str(settings.files_dir / "reports"), error, t), severity="error")
            return
        self.notify(t("followup.report_saved", path=f"{written}.xlsx, .html"), timeout=10)

    def action_period(self) -> None:
        self.query_one(PeriodField).ask()

    def on_period_field_chosen(self, event: PeriodField.Chosen) -> None:
        self.since, self.until = event.since, event.until
        self.query_one("#figures").focus()
        self._load()

    def action_home(self) -> None:
        field = self.query_one("#period", Input)
        if field.display:
            field.display = False
            self.query_one("#figures").focus()
            return
        self.dismiss(None)

    # --- agreement with the team (issue 13): one block of its own ---------------------------

    async def _team_agreement(self, store: Store, since: date | None, until: date | None) -> list[Static]:
        """How often the team's decision equals the recommendation, kappa, and the path the
        team overrules most, for the period and month by month."""
        from consult.scoring.compare import monthly_agreement, team_agreement
        from consult.scoring.words import agreement_line

        rows = await asyncio.to_thread(store.decided_pairs, since, until)
        t = self.t
        whole = team_agreement((primary, path) for _, primary, path in rows)
        out = [
            Static(t("rules.team.title"), classes="section"),
            Static(agreement_line(whole, t), id="team-agreement"),
        ]
        months = monthly_agreement(rows)
        if len(months) > 1:
            # Months as the rest of the screen names them ("loka 2026"), not as keys ("2026-10").
            out += [Static(f"  {month_name(month, t.lang)}: {agreement_line(a, t)}") for month, a in months]
        return out

    # --- the team's meetings (issue 20): one block of its own -------------------------------

    def _meetings(self, s: Stats, areas: dict[str, Stats], t: Translator) -> list[Static]:
        """The stats' meetings block in two lines, and the areas that held meetings (a meeting
        and its actions count in the meeting's own area)."""
        m, a = s.meetings, s.meetings.actions
        out = [Static(t("followup.meetings"), classes="section")]
        if not m.held:
            return [*out, Static(t("followup.no_meetings"), id="meetings")]
        median = m.median_days_to_first_discussion
        results = t(
            "followup.meetings_line",
            held=t.number(m.held),
            items=t.number(m.items),
            decided=t.number(m.decided),
            deferred=t.number(m.deferred),
            not_discussed=t.number(m.not_discussed),
            median="–" if median is None else t.number(median),
        )
        statuses = ("open", "overdue", "done", "not_possible", "not_done")
        actions = t("followup.actions_line", **{key: t.number(getattr(a, key)) for key in statuses})
        out += [Static(Phrases(results), id="meetings"), Static(Phrases(actions), id="meeting-actions")]
        # Areas across, figures down: five areas' names fit 80 columns where six headings do not.
        held = {area: figures.meetings for area, figures in areas.items() if figures.meetings.held}
        grid = Table.grid(padding=(0, 2))
        grid.add_column(no_wrap=True)
        for _ in held:
            grid.add_column(justify="right", no_wrap=True)
        grid.add_row("", *(t(f"area.{area}") for area in held))
        for label, figure in (
            (t("followup.meetings_held"), "held"),
            (t("report.result.decided"), "decided"),
            (t("report.result.deferred"), "deferred"),
            (t("report.result.not_discussed"), "not_discussed"),
            (t("followup.open_actions"), "actions.open"),
            (t("report.action.overdue"), "actions.overdue"),
        ):
            grid.add_row(label, *(t.number(attrgetter(figure)(f)) for f in held.values()))
        areas_grid = Static(grid, id="meeting-areas")
        areas_grid.styles.margin = (1, 0, 0, 0)  # apart from the lines above, as a table of its own
        out.append(areas_grid)
        return out

    def action_rules(self) -> None:
        from consult.screens.rules import RulesScreen

        self.app.push_screen(RulesScreen(self.since, self.until))
