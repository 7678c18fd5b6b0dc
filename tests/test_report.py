"""`consult report`: the steering group's spreadsheet read back, and the HTML opened in a real
headless Chromium; every number equals what `consult stats --json` says for the same cases."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from consult.core.model import CaseServices, MissingService, Outcome, TriedService, route_for_status
from consult.exchange.bundle import Bundle
from tests.browser import chromium, needs_chromium
from tests.store.fixtures import march_cases


def consult(tmp_path: Path, *args: str, lang: str = "fi") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CONSULT_DATA_DIR": str(tmp_path / "data"), "CONSULT_LANG": lang}
    env.pop("CONSULT_DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "consult", *args], capture_output=True, text=True, env=env, timeout=120
    )


def cases_with_outcomes() -> list:
    items = [c.model_copy(update={"route": route_for_status(c.status)}) for c in march_cases()]
    outcomes = {
        0: Outcome(started=True, path="tym", on=date(2026, 3, 20)),
        1: Outcome(started=False, reason="client_declined", on=date(2026, 3, 10)),
        3: Outcome(started=True, path="tym", on=date(2026, 3, 12)),
        6: Outcome(started=True, path="bilateral", on=date(2026, 4, 3)),
    }
    items[3] = items[3].model_copy(update={"route": "direct"})  # saved directly, decided later
    return [
        c.model_copy(update={"outcome": outcomes.get(i), "services": SERVICES.get(i, CaseServices())})
        for i, c in enumerate(items)
    ]


# Services tried and missing (issue 21) on four of the completed cases: Kuopio in March (0),
# Ylä-Savo (1), no area (2), Kuopio in April (6).
SERVICES = {
    0: CaseServices(
        tried=(TriedService(service="kuntouttava-tyotoiminta", result="interrupted"),),
        missing=(
            MissingService(service="tyokyvyn-arviointi", domain="health", reason="waiting_doctor"),
            MissingService(service="paihdekuntoutus", domain="relations", reason="no_capacity"),
        ),
    ),
    1: CaseServices(
        missing=(MissingService(text="Päihdekuntoutus Ylä-Savossa", domain="health", reason="not_in_area"),),
    ),
    2: CaseServices(tried=(TriedService(service="sosiaaliohjaus", result="helped"),)),
    6: CaseServices(
        missing=(
            MissingService(service="tyokyvyn-arviointi", domain="health", reason="waiting_doctor"),
            MissingService(text="vertaistuki", domain="relations", reason="waiting_list"),
        ),
    ),
}


@pytest.fixture(scope="module")
def filled(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("report")
    bundle = folder / "bundle.json"
    bundle.write_text(
        Bundle(format="consult-cases", version=3, cases=cases_with_outcomes()).model_dump_json(), "utf-8"
    )
    assert consult(folder, "import", str(bundle)).returncode == 0
    return folder


def stats(folder: Path, *period: str) -> dict:
    done = consult(folder, "stats", "--json", *period)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def table(sheet, title: str) -> dict[str, list]:
    """The table under a title on a sheet: first column → the values beside it."""
    rows = list(sheet.iter_rows(values_only=True))
    start = next(i for i, row in enumerate(rows) if row[0] == title)
    out = {}
    for row in rows[start + 2 :]:
        if row[0] is None:
            break
        out[row[0]] = list(row[1:6])
    return out


def test_the_spreadsheet_has_charts_and_the_numbers_of_stats(filled: Path) -> None:
    path = filled / "raportti.xlsx"
    done = consult(filled, "report", "--output", str(path))
    assert done.returncode == 0, done.stderr
    assert not list(filled.glob("*.partial"))
    book = load_workbook(path)
    assert book.sheetnames == ["Yhteenveto", "Kuukausittain", "Alueittain", "Palvelut"]
    assert [len(sheet._charts) for sheet in book] == [
        13,
        8,
        8,
        7,
    ]  # a native chart beside every charted table
    everything = stats(filled)
    summary = book["Yhteenveto"]
    assert table(summary, "Suositukset")["TYM-asiakkuus"][0] == everything["by_primary"]["tym"]
    assert table(summary, "Suositukset")["Oma palvelu"][0] == everything["by_primary"]["own_service"]
    assert table(summary, "Palvelutarpeet")["molemmat"][0] == everything["needs"]["both"]
    routes = table(summary, "Reitit")
    assert routes["ohjattu suoraan ilman tiimiä"][0] == everything["routes"]["direct"] == 4
    outcomes = table(summary, "Lopputulokset")
    o = everything["outcomes"]
    assert [outcomes[k][0] for k in ("alkoi", "ei alkanut", "odottaa")] == [
        o["started"],
        o["not_started"],
        o["pending"],
    ]
    days = table(summary, "Päiviä palvelun alkuun (mediaani)")
    assert days["kaikki polut"][0] == o["median_days_to_start"]
    assert days["TYM-asiakkuus"][0] == o["median_days_to_start_by_path"]["tym"]
    assert days["Sosiaalipalvelut ensin"][0] is None  # nothing started there: an empty cell, not 0
    reasons = table(summary, "Miksi palvelu ei alkanut")
    assert reasons["asiakas kieltäytyi"][0] == o["not_started_reasons"]["client_declined"] == 1
    ages = table(summary, "Odottavat odotusajan mukaan (vrk)")
    assert [ages[k][0] for k in ("0–14", "15–30", "31–60", "yli 60")] == list(o["pending_by_age"].values())
    assert summary.cell(row=8, column=2).number_format == "#,##0"

    months = table(book["Kuukausittain"], "Suositukset")
    march = stats(filled, "--since", "2026-03-01", "--until", "2026-03-31")
    assert months["3/2026"][:4] == list(march["by_primary"].values())
    april_outcomes = table(book["Kuukausittain"], "Lopputulokset")["4/2026"][:3]
    april = stats(filled, "--since", "2026-04-01", "--until", "2026-04-30")["outcomes"]
    assert april_outcomes == [april["started"], april["not_started"], april["pending"]]

    areas = table(book["Alueittain"], "Suositukset")
    for key, name in (("kuopio", "Kuopio"), ("unknown", "Tuntematon"), ("other", "Muu")):
        assert areas[name][:4] == list(everything["by_area"][key]["by_primary"].values())


def test_a_period_narrows_the_report_like_stats(filled: Path) -> None:
    path = filled / "maaliskuu.xlsx"
    assert (
        consult(
            filled, "report", "--since", "2026-03-01", "--until", "2026-03-31", "--output", str(path)
        ).returncode
        == 0
    )
    book = load_workbook(path)
    march = stats(filled, "--since", "2026-03-01", "--until", "2026-03-31")
    assert list(table(book["Kuukausittain"], "Suositukset")) == ["3/2026"]
    assert table(book["Yhteenveto"], "Reitit")["konsultaatiotiimin kautta"][0] == march["routes"]["to_team"]


@pytest.mark.parametrize(
    "args,expected",
    [
        (["--output", "raportti.pdf"], "--output"),
        # 1.3.2026 is a date the app takes, so the command line takes it too; 31.2. is none.
        (["--since", "31.2.2026", "--output", "r.html"], "--since"),
        (["--since", "2026-04-01", "--until", "2026-03-01", "--output", "r.html"], "--since"),
        ([], "--output"),
    ],
)
def test_bad_report_input_is_one_line(tmp_path: Path, args: list[str], expected: str) -> None:
    done = consult(
        tmp_path,
        "report",
        *[str(tmp_path / a) if a.startswith("r") and "." in a else a for a in args],
        lang="en",
    )
    assert done.returncode == 2
    assert expected in done.stderr and done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert not list(tmp_path.glob("r*.*"))


def test_the_html_is_one_file_without_network(filled: Path) -> None:
    path = filled / "report.html"
    done = consult(filled, "report", "--output", str(path), lang="en")
    assert done.returncode == 0, done.stderr
    html = path.read_text("utf-8")
    assert html.startswith("<!DOCTYPE html>") and '<html lang="en">' in html
    assert not re.search(r"""(src|href)\s*=|<script|@import|url\(""", html)  # nothing fetched, nothing run
    assert html.count('<svg class="chart"') == 36
    assert "@media print" in html and "@page" in html


@needs_chromium
def test_the_html_renders_in_chromium(filled: Path, tmp_path: Path) -> None:
    path = filled / "raportti.html"
    assert consult(filled, "report", "--output", str(path)).returncode == 0
    shot = tmp_path / "raportti.png"
    dom = chromium(tmp_path, "--dump-dom", path.as_uri())
    assert dom.returncode == 0
    assert dom.stdout.count('<svg class="chart"') == 36
    assert dom.stdout.count('<rect class="bar"') >= 30
    assert "Suositukset" in dom.stdout and "Lopputulokset" in dom.stdout
    assert "CONSOLE" not in dom.stderr, dom.stderr  # Chromium logs every console message so
    taken = chromium(tmp_path, f"--screenshot={shot}", "--window-size=1200,1800", path.as_uri())
    assert taken.returncode == 0 and "CONSOLE" not in taken.stderr
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_report_reads_as_a_report(tmp_path: Path, lang: str) -> None:
    """Headings name what the first column holds, path names are whole, an open period is said
    in words, and no developer's note is left in."""
    from consult.i18n import Translator
    from consult.system.settings import Settings
    from tests.screens.helpers import seed

    seed(Settings(data_dir=tmp_path / "data"), cases_with_outcomes())
    done = consult(tmp_path, "report", "--output", str(tmp_path / "r.html"), lang=lang)
    assert done.returncode == 0, done.stderr
    html = (tmp_path / "r.html").read_text("utf-8")
    t = Translator(lang)
    assert t("report.period_all") in html and t("stats.open") + " –" not in html
    assert "consult stats" not in html
    assert f">{t('report.head.path')}<" in html and ">Luku<" not in html and ">Siffra<" not in html
    for path in ("tym", "bilateral", "social_services", "own_service"):
        assert t(f"path_name.{path}") in html
    assert t("primary_short.bilateral") not in html


def test_the_report_holds_the_follow_up_screens_figures(tmp_path: Path) -> None:
    from consult.i18n import Translator
    from consult.system.settings import Settings
    from tests.screens.helpers import seed

    seed(Settings(data_dir=tmp_path / "data"), cases_with_outcomes())
    assert consult(tmp_path, "report", "--output", str(tmp_path / "r.html")).returncode == 0
    html = (tmp_path / "r.html").read_text("utf-8")
    t = Translator("fi")
    for key in (
        "stats.awaiting",
        "stats.decided",
        "stats.changed",
        "stats.median",
        "flag.safety",
        "flag.urgent",
    ):
        assert t(key) in html, key


def test_the_report_holds_the_teams_agreement_and_kappa(filled: Path) -> None:
    """The agreement with the team and Cohen's kappa for the period, counted as the follow-up
    screen counts them (the same store read and the same function)."""
    from consult.scoring.compare import team_agreement
    from consult.store import Store
    from consult.system.settings import Settings

    store = Store.open(Settings(data_dir=filled / "data").resolved_database_url)
    try:
        follow_up = team_agreement((primary, path) for _, primary, path in store.decided_pairs())
    finally:
        store.close()
    assert (follow_up.decided, follow_up.agree) == (2, 1)  # the follow-up test's "2 … 1 kertaa (50 %)"

    path = filled / "tiimi.xlsx"
    done = consult(filled, "report", "--output", str(path))
    assert done.returncode == 0, done.stderr
    summary = load_workbook(path)["Yhteenveto"]
    agreement = table(summary, "Yksimielisyys tiimin kanssa")
    assert agreement["Tiimin päättämät tapaukset"][0] == 2
    assert agreement["Tiimi valitsi suositellun polun"][0] == 1
    assert agreement["Osuus tiimin päätöksistä"][0] == 0.5
    assert agreement["Cohenin kappa"][0] == pytest.approx(follow_up.kappa)
    rows = list(summary.iter_rows())
    share = next(r for r in rows if r[0].value == "Osuus tiimin päätöksistä")[1]
    kappa = next(r for r in rows if r[0].value == "Cohenin kappa")[1]
    assert (share.number_format, kappa.number_format) == ("0%", "0.00")

    html_path = filled / "tiimi.html"
    assert consult(filled, "report", "--output", str(html_path)).returncode == 0
    html = html_path.read_text("utf-8")
    assert "Yksimielisyys tiimin kanssa" in html
    assert (
        '<td class="n">50 %</td>' in html
        and f'<td class="n">{follow_up.kappa:.2f}</td>'.replace(".", ",") in html
    )

    # Outside the period with decisions: nothing decided reads as "–", not as 0 %.
    quiet = filled / "huhtikuu.xlsx"
    assert consult(filled, "report", "--output", str(quiet), "--since", "2026-05-01").returncode == 0
    agreement = table(load_workbook(quiet)["Yhteenveto"], "Yksimielisyys tiimin kanssa")
    assert agreement["Tiimin päättämät tapaukset"][0] == 0
    assert agreement["Osuus tiimin päätöksistä"][0] is None and agreement["Cohenin kappa"][0] is None


def chart_title(chart) -> str:
    """A chart's title as read back from the file."""
    return "".join(run.t for paragraph in chart.title.tx.rich.p for run in paragraph.r or ())


def test_the_services_page_charts_what_is_missing_where_and_why(filled: Path) -> None:
    """The steering group's evidence for joint procurement: missing services per area and
    reason, and those waiting for a doctor, as native charts beside numbers equal to stats'."""
    path = filled / "palvelut.xlsx"
    done = consult(filled, "report", "--output", str(path))
    assert done.returncode == 0, done.stderr
    book = load_workbook(path)
    sheet = book["Palvelut"]
    services = stats(filled)["services"]
    areas = stats(filled)["by_area"]
    by_area = table(sheet, "Puuttuvat palvelut alueittain ja syyn mukaan")
    for key, name in (("kuopio", "Kuopio"), ("yla-savo", "Ylä-Savo"), ("unknown", "Tuntematon")):
        assert by_area[name][:5] == list(areas[key]["missing_by_reason"].values())
    assert by_area["Kuopio"][:5] == [0, 1, 2, 1, 0]  # no capacity 1, waiting for a doctor 2, list 1
    doctor = table(sheet, "Lääkäriä odottavat alueittain")
    assert doctor["Kuopio"][0] == 2 and doctor["Ylä-Savo"][0] == 0
    months = table(sheet, "Lääkäriä odottavat kuukausittain")
    assert (months["3/2026"][0], months["4/2026"][0]) == (1, 1)
    reasons = table(sheet, "Puuttuvat palvelut syyn mukaan")
    assert reasons["odottaa lääkäriä"][0] == services["missing_by_reason"]["waiting_doctor"] == 2
    assert (
        table(sheet, "Puuttuvat palvelut osa-alueittain")["Terveys"][0]
        == services["missing_by_domain"]["health"]
    )
    assert table(sheet, "Kokeillut palvelut tuloksen mukaan")["keskeytyi"][0] == 1
    top = table(sheet, "Useimmin puuttuvat palvelut")
    assert top["Työkyvyn arviointi"][0] == 2  # named by its id in the catalogue, counted by case
    assert top["Päihdekuntoutus Ylä-Savossa"][0] == 1  # typed: the worker's words
    charts = {chart_title(chart): chart for chart in sheet._charts}
    assert charts["Puuttuvat palvelut alueittain ja syyn mukaan"].grouping == "stacked"
    assert len(charts["Puuttuvat palvelut alueittain ja syyn mukaan"].series) == 5  # a series a reason
    assert charts["Lääkäriä odottavat alueittain"].type == "bar"
    assert "Lääkäriä odottavat kuukausittain" in charts


@needs_chromium
def test_the_services_page_renders_in_chromium(filled: Path, tmp_path: Path) -> None:
    path = filled / "services.html"
    assert consult(filled, "report", "--output", str(path), lang="en").returncode == 0
    dom = chromium(tmp_path, "--dump-dom", path.as_uri())
    assert dom.returncode == 0
    page = dom.stdout[dom.stdout.index('<h2 id="services">') :]
    assert page.startswith('<h2 id="services">Services</h2>')
    assert "evidence for joint procurement" in page
    by_area = re.search(r'<section class="table" id="services_by_area">(.*?)</section>', page, re.S)
    assert by_area is not None
    # Kuopio's bar stacks three reasons; each segment says its reason and number.
    assert by_area[1].count('<rect class="bar"') == 4  # Kuopio 3 segments, Ylä-Savo 1
    assert "<title>waiting for a doctor: 2</title>" in by_area[1]
    doctor = re.search(r'<section class="table" id="services_doctor_by_area">(.*?)</section>', page, re.S)
    assert doctor is not None and doctor[1].count('<rect class="bar"') == 1
