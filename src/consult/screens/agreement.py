"""For the trainer: how alike the group scores, per domain and per case; ``e`` exports CSV."""

from __future__ import annotations

import asyncio
from datetime import datetime

from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from consult.core.agreement import CaseAgreement, DomainAgreement, case_agreement, domain_agreement
from consult.core.instrument import load_instrument, localized
from consult.demo import demo_cases
from consult.screens.base import ConsultScreen
from consult.system.files import create_unique, private_dir
from consult.widgets.key_bar import KeyBar
from consult.widgets.title_bar import TitleBar

BAR = 12


def _share(value: float | None) -> str:
    return "–" if value is None else f"{round(100 * value)} %"


def _bar(value: float | None) -> Text:
    filled = 0 if value is None else round(BAR * max(value, 0))
    return Text("█" * filled + "·" * (BAR - filled))


class AgreementScreen(ConsultScreen[None]):
    BINDINGS = [
        Binding("e", "export", "binding.export"),
        Binding("escape", "back", "binding.back", key_display="esc"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.domains: list[DomainAgreement] = []
        self.cases: list[CaseAgreement] = []

    def compose(self) -> ComposeResult:
        yield TitleBar(self.app.title, self.t("agreement.title"))
        yield VerticalScroll(Static(self.t("review.loading")), id="agreement", classes="step")
        yield KeyBar()

    def on_mount(self) -> None:
        self._load()

    @work(exclusive=True, group="agreement")
    async def _load(self) -> None:
        store = await self.host.training_store()
        found = await asyncio.to_thread(store.training_results)
        ratings: dict[str, dict[str, dict[str, int | None]]] = {}
        primaries: dict[str, dict[str, str]] = {}
        for r in found:
            ratings.setdefault(r.pseudonym, {})[r.case_id] = r.scores.model_dump()
            primaries.setdefault(r.pseudonym, {})[r.case_id] = r.primary
        reference = {c.id: c.reference.scores.model_dump() for c in demo_cases()}
        self.domains = domain_agreement(ratings, reference)
        self.cases = case_agreement(primaries, {c.id: c.reference_primary for c in demo_cases()})
        container = self.query_one("#agreement", VerticalScroll)
        await container.remove_children()
        await container.mount_all(self._widgets(len(ratings), len(found)))

    def _widgets(self, raters: int, count: int) -> list[Static]:
        t, lang = self.t, self.t.lang
        if not count:
            return [Static(t("agreement.none"))]
        titles = {d.key: localized(d.title, lang) for d in load_instrument().domains}
        table = Table(show_edge=False, pad_edge=False, box=None, header_style="bold")
        # The title gives way (…) in a narrow terminal so the figures stay in view.
        title_width = max(8, min(26, self.size.width - 48))
        table.add_column(t("column.domain"), no_wrap=True, max_width=title_width, overflow="ellipsis")
        for key in ("exact", "within", "kappa", "pairs"):
            table.add_column(t(f"column.{key}"), no_wrap=True, justify="right", min_width=5)
        table.add_column("", no_wrap=True)
        for d in self.domains:
            kappa = "–" if d.kappa is None else t.number(d.kappa, 2)
            table.add_row(
                titles[d.domain], _share(d.exact), _share(d.within_one), kappa, str(d.pairs), _bar(d.exact)
            )
        cases = Table(show_edge=False, pad_edge=False, box=None, header_style="bold")
        cases.add_column(t("column.case"))
        cases.add_column(t("column.reached"), justify="right")
        cases.add_column("")
        names = {c.id: localized(c.title, lang).split(":")[0] for c in demo_cases()}
        for c in self.cases:
            if c.trainees:
                cases.add_row(
                    names[c.case_id],
                    f"{c.reached_reference}/{c.trainees}",
                    _bar(c.reached_reference / c.trainees),
                )
        return [
            Static(
                t(
                    "agreement.trainees",
                    count=t("count.raters", count=raters),
                    results=t("count.assessments", count=count),
                )
            ),
            Static(t("agreement.domains"), classes="section"),
            Static(table),
            Static(t("agreement.cases"), classes="section"),
            Static(cases),
        ]

    def action_export(self) -> None:
        from consult.exchange.spreadsheet import file_name, write_agreement

        settings = self.host.settings
        t = self.t
        stem = file_name("agreement", t, datetime.now(), "csv").removesuffix(".csv")
        path, out = create_unique(private_dir(settings.files_dir / "exports"), stem, ".csv")
        titles = {case.id: localized(case.title, t.lang) for case in demo_cases()}
        with out:
            write_agreement(out, t, self.domains, self.cases, titles)
        self.notify(self.t("agreement.exported", path=path))

    def action_back(self) -> None:
        self.dismiss(None)
