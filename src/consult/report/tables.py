"""What the pilot report shows, once for both files: titled tables in the user's language,
each with the kind of chart drawn from it. The XLSX and the HTML writers only lay these out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from consult.assessment.service_words import domain_title, entry_name
from consult.core.instrument import DOMAIN_KEYS
from consult.core.meeting import ACTION_STATUSES, ITEM_RESULTS
from consult.core.model import AREA_BUCKETS, MISSING_REASONS, NOT_STARTED_REASONS, PRIMARIES, TRIED_RESULTS
from consult.i18n import Translator
from consult.i18n.formats import show
from consult.report.figures import ReportFigures
from consult.stats import AGE_BUCKETS, Stats

Value = int | float | None
Chart = Literal["bar", "stacked", "none"]
# How a row's numbers read: counts, medians in days, a share (0.5 = 50 %), a kappa (0,33).
Kind = Literal["count", "days", "share", "kappa"]
Part = Literal["summary", "months", "areas", "services"]
NEEDS = ("social_only", "health_only", "both", "none")
ROUTES = ("to_team", "direct")
OUTCOME_STATES = ("started", "not_started", "pending")


@dataclass(frozen=True)
class ReportTable:
    key: str  # stable, for tests and anchors
    part: Part
    title: str
    label: str  # the heading of the first column
    series: list[str]  # the headings of the value columns
    rows: list[tuple[str, list[Value]]]
    chart: Chart
    days: bool = False  # medians in days (one decimal) rather than counts
    kinds: tuple[Kind, ...] = ()  # per row, where the rows are figures of different kinds
    # The series the chart draws (indices into ``series``), when not all of them: a column that
    # counts something else (meetings beside their cases, overdue within open) stays in the table.
    charted: tuple[int, ...] = ()
    note: str = ""  # what the reader needs to read the table right, under it

    def kind(self, row: int) -> Kind:
        if self.kinds:
            return self.kinds[row]
        return "days" if self.days else "count"

    def drawn(self) -> list[int]:
        return list(self.charted) if self.charted else list(range(len(self.series)))


def month_label(month: date, lang: str) -> str:
    return month.strftime("%Y-%m") if lang == "en" else f"{month.month}/{month.year}"


def period_words(figures: ReportFigures, t: Translator) -> str:
    return period_text(figures.since, figures.until, t)


def period_text(first: date | None, last: date | None, t: Translator) -> str:
    """A period in words, the same in the report, the follow-up screen and ``consult stats``;
    an open end is said as such ("from 1.3.2026", "all cases"), never "open – open"."""
    since = show(first, t.lang) if first else None
    until = show(last, t.lang) if last else None
    if since and until:
        return t("report.period", since=since, until=until)
    if since:
        return t("report.period_from", since=since)
    if until:
        return t("report.period_until", until=until)
    return t("report.period_all")


def _primary(t: Translator) -> list[str]:
    return [t(f"path_name.{p}") for p in PRIMARIES]


def _states(s: Stats) -> list[Value]:
    return [s.outcomes.started, s.outcomes.not_started, s.outcomes.pending]


def _per(
    part: Part, rows: list[tuple[str, Stats]], t: Translator, label: str, prefix: str
) -> list[ReportTable]:
    """The same five tables for each month or each area."""
    return [
        ReportTable(
            f"{prefix}_recommendations",
            part,
            t("report.recommendations"),
            label,
            _primary(t),
            [(name, [s.by_primary[p] for p in PRIMARIES]) for name, s in rows],
            "stacked",
        ),
        ReportTable(
            f"{prefix}_needs",
            part,
            t("report.needs"),
            label,
            [t(f"needs.{n}") for n in NEEDS],
            [(name, [s.needs[n] for n in NEEDS]) for name, s in rows],
            "stacked",
        ),
        ReportTable(
            f"{prefix}_routes",
            part,
            t("report.routes"),
            label,
            [t(f"routes.{r}") for r in ROUTES],
            [(name, [s.routes[r] for r in ROUTES]) for name, s in rows],
            "stacked",
        ),
        ReportTable(
            f"{prefix}_outcomes",
            part,
            t("report.outcomes"),
            label,
            [t(f"stats.{k}") for k in OUTCOME_STATES],
            [(name, _states(s)) for name, s in rows],
            "stacked",
        ),
        ReportTable(
            f"{prefix}_days_to_start",
            part,
            t("report.days_to_start"),
            label,
            [t("report.median_days")],
            [(name, [s.outcomes.median_days_to_start]) for name, s in rows],
            "bar",
            days=True,
        ),
    ]


def _team_agreement(figures: ReportFigures, t: Translator) -> ReportTable:
    """The follow-up screen's agreement with the team: how many cases the team decided, how often
    it chose the recommended path, that share and Cohen's kappa. Figures of different kinds, so
    a table without a chart."""
    a = figures.team
    return ReportTable(
        "team_agreement",
        "summary",
        t("rules.team.title"),
        t("report.head.figure"),
        [t("report.value")],
        [
            (t("report.team_decided"), [a.decided]),
            (t("report.team_agreed"), [a.agree]),
            (t("report.team_share"), [a.share]),
            (t("report.kappa"), [a.kappa]),
        ],
        "none",
        kinds=("count", "count", "share", "kappa"),
    )


def tables(figures: ReportFigures, t: Translator) -> list[ReportTable]:
    s = figures.total
    count = [t("report.count")]
    summary = [
        ReportTable(
            "recommendations",
            "summary",
            t("report.recommendations"),
            t("report.head.path"),
            count,
            [(t(f"path_name.{p}"), [s.by_primary[p]]) for p in PRIMARIES],
            "bar",
        ),
        ReportTable(
            "needs",
            "summary",
            t("report.needs"),
            t("report.head.need"),
            count,
            [(t(f"needs.{n}"), [s.needs[n]]) for n in NEEDS],
            "bar",
        ),
        ReportTable(
            "routes",
            "summary",
            t("report.routes"),
            t("report.head.route"),
            count,
            [(t(f"routes.{r}"), [s.routes[r]]) for r in ROUTES],
            "bar",
        ),
        ReportTable(
            "outcomes",
            "summary",
            t("report.outcomes"),
            t("report.head.state"),
            count,
            [(t(f"stats.{k}"), [v]) for k, v in zip(OUTCOME_STATES, _states(s), strict=True)],
            "bar",
        ),
        ReportTable(
            "started_by_path",
            "summary",
            t("report.started_by_path"),
            t("report.head.path"),
            count,
            [(t(f"path_name.{p}"), [s.outcomes.started_by_path[p]]) for p in PRIMARIES],
            "bar",
        ),
        ReportTable(
            "days_to_start",
            "summary",
            t("report.days_to_start"),
            t("report.head.path"),
            [t("report.median_days")],
            [(t("report.all_paths"), [s.outcomes.median_days_to_start])]
            + [(t(f"path_name.{p}"), [s.outcomes.median_days_to_start_by_path[p]]) for p in PRIMARIES],
            "bar",
            days=True,
        ),
        ReportTable(
            "reasons",
            "summary",
            t("report.reasons"),
            t("report.head.reason"),
            count,
            [(t(f"reason.{r}"), [s.outcomes.not_started_reasons[r]]) for r in NOT_STARTED_REASONS],
            "bar",
        ),
        ReportTable(
            "pending_age",
            "summary",
            t("report.pending_age"),
            t("report.head.waiting"),
            count,
            [(t(f"age.{key}"), [s.outcomes.pending_by_age[key]]) for key, _, _ in AGE_BUCKETS],
            "bar",
        ),
    ]
    # What the follow-up screen shows beside these: the team's work and the flags raised.
    summary += [
        ReportTable(
            "team",
            "summary",
            t("report.team"),
            t("report.head.state"),
            count,
            [
                (t("stats.awaiting"), [s.awaiting_team]),
                (t("stats.decided"), [s.team_decided]),
                (t("stats.changed"), [s.team_changed_path]),
            ],
            "bar",
        ),
        ReportTable(
            "days_to_decision",
            "summary",
            t("stats.median"),
            t("report.head.path"),
            [t("report.median_days")],
            [(t("report.all_paths"), [s.median_days_to_decision])],
            "bar",
            days=True,
        ),
        ReportTable(
            "flags",
            "summary",
            t("stats.flags"),
            t("report.head.flag"),
            count,
            [(t(f"flag.{f}"), [n]) for f, n in s.flags.items()],
            "bar",
        ),
    ]
    summary.append(_team_agreement(figures, t))
    summary += _meetings_summary(s, t)
    months = [(month_label(m, t.lang), stats) for m, stats in figures.months]
    areas = [(t(f"area.{a}"), figures.areas[a]) for a in AREA_BUCKETS]
    return (
        summary
        + _per("months", months, t, t("report.month"), "month")
        + _meetings_per("months", months, t, t("report.month"), "month")
        + _per("areas", areas, t, t("report.area"), "area")
        + _meetings_per("areas", areas, t, t("report.area"), "area")
        + _services(figures, months, t)
    )


# --- the team's meetings (issue 20): tables of their own ------------------------------------


def _results(t: Translator) -> list[str]:
    return [t(f"report.result.{r}") for r in ITEM_RESULTS]


def _action_states(t: Translator) -> list[str]:
    """Open, the overdue among them next to it, then the three ways an action is closed."""
    return [t("report.action.open"), t("report.action.overdue")] + [
        t(f"report.action.{status}") for status in ACTION_STATUSES[1:]
    ]


def _action_counts(s: Stats) -> list[Value]:
    a = s.meetings.actions
    return [a.open, a.overdue, a.done, a.not_possible, a.not_done]


def _meetings_summary(s: Stats, t: Translator) -> list[ReportTable]:
    """The meetings block of ``consult stats`` for the period: the meetings held with their
    cases and the days to a case's first discussion (figures of different kinds, no chart), the
    cases by the meeting's result and the agreed actions by status."""
    m, a = s.meetings, s.meetings.actions
    by_status: list[tuple[str, list[Value]]] = [(t("report.action.open"), [a.open, a.overdue])]
    by_status += [(t(f"report.action.{k}"), [getattr(a, k), None]) for k in ACTION_STATUSES[1:]]
    return [
        ReportTable(
            "meetings",
            "summary",
            t("report.meetings"),
            t("report.head.figure"),
            [t("report.value")],
            [
                (t("report.meetings.held"), [m.held]),
                (t("report.meetings.items"), [m.items]),
                (t("report.meetings.first_discussion"), [m.median_days_to_first_discussion]),
            ],
            "none",
            kinds=("count", "count", "days"),
            note=t("report.meetings.note"),
        ),
        ReportTable(
            "meeting_items",
            "summary",
            t("report.meeting_items"),
            t("report.head.result"),
            [t("report.count")],
            [
                (name, [n])
                for name, n in zip(_results(t), [m.decided, m.deferred, m.not_discussed], strict=True)
            ],
            "bar",
        ),
        # Overdue is a part of open, so a column beside it rather than a bar of its own.
        ReportTable(
            "meeting_actions",
            "summary",
            t("report.meeting_actions"),
            t("report.head.state"),
            [t("report.actions"), t("report.action.overdue")],
            by_status,
            "bar",
            charted=(0,),
            note=t("report.actions.note"),
        ),
    ]


def _meetings_per(
    part: Part, rows: list[tuple[str, Stats]], t: Translator, label: str, prefix: str
) -> list[ReportTable]:
    """The meetings block for each month or each area. A meeting counts in its own month and
    area (as ``consult stats`` groups it), a case's first discussion in the case's."""
    grouping = "month" if part == "months" else "area"
    return [
        ReportTable(
            f"{prefix}_meetings",
            part,
            t("report.meetings"),
            label,
            [t("report.meetings.count"), *_results(t)],
            [
                (name, [s.meetings.held, s.meetings.decided, s.meetings.deferred, s.meetings.not_discussed])
                for name, s in rows
            ],
            "stacked",
            charted=(1, 2, 3),
            note=t(f"report.meetings.by_{grouping}"),
        ),
        ReportTable(
            f"{prefix}_first_discussion",
            part,
            t("report.meetings.first_discussion"),
            label,
            [t("report.median_days")],
            [(name, [s.meetings.median_days_to_first_discussion]) for name, s in rows],
            "bar",
            days=True,
            note=t(f"report.first_discussion.by_{grouping}"),
        ),
        ReportTable(
            f"{prefix}_meeting_actions",
            part,
            t("report.meeting_actions"),
            label,
            _action_states(t),
            [(name, _action_counts(s)) for name, s in rows],
            "stacked",
            charted=(0, 2, 3, 4),
            note=t(f"report.actions.by_{grouping}"),
        ),
    ]


def _services(figures: ReportFigures, months: list[tuple[str, Stats]], t: Translator) -> list[ReportTable]:
    """The pilot's learning about services: which are missing where and why (the evidence for
    joint procurement), who waits for a doctor, and how the services tried before ended."""
    s = figures.total.services
    entries = [t("services.report.entries")]
    reasons = [t(f"services.reason.{r}") for r in MISSING_REASONS]
    by_area = [(t(f"area.{a}"), s_area.missing_by_reason) for a, s_area in figures.total.by_area.items()]
    return [
        ReportTable(
            "services_by_area",
            "services",
            t("services.report.by_area"),
            t("report.area"),
            reasons,
            [(name, [counts[r] for r in MISSING_REASONS]) for name, counts in by_area],
            "stacked",
        ),
        ReportTable(
            "services_doctor_by_area",
            "services",
            t("services.report.doctor_by_area"),
            t("report.area"),
            [t("services.report.waiting_doctor")],
            [(name, [counts["waiting_doctor"]]) for name, counts in by_area],
            "bar",
        ),
        ReportTable(
            "services_doctor_by_month",
            "services",
            t("services.report.doctor_by_month"),
            t("report.month"),
            [t("services.report.waiting_doctor")],
            [(name, [month.services.missing_by_reason["waiting_doctor"]]) for name, month in months],
            "bar",
        ),
        ReportTable(
            "services_by_reason",
            "services",
            t("services.report.by_reason"),
            t("services.report.head.reason"),
            entries,
            [(t(f"services.reason.{r}"), [s.missing_by_reason[r]]) for r in MISSING_REASONS],
            "bar",
        ),
        ReportTable(
            "services_by_domain",
            "services",
            t("services.report.by_domain"),
            t("services.report.head.domain"),
            entries,
            [(domain_title(d, t.lang), [s.missing_by_domain[d]]) for d in DOMAIN_KEYS],
            "bar",
        ),
        ReportTable(
            "services_tried",
            "services",
            t("services.report.tried"),
            t("services.report.head.result"),
            entries,
            [(t(f"services.result.{r}"), [s.tried_by_result[r]]) for r in TRIED_RESULTS],
            "bar",
        ),
        ReportTable(
            "services_top",
            "services",
            t("services.report.top"),
            t("services.report.head.service"),
            [t("services.report.cases")],
            [(entry_name(item, figures.catalogues, t.lang), [item.cases]) for item in s.top_missing],
            "bar",
        ),
    ]
