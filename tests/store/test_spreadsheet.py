"""Spreadsheet exports in the reader's words; the machine-readable CSV stays for scripts."""

from __future__ import annotations

import csv
import io

import pytest

from consult.core.agreement import CaseAgreement, DomainAgreement
from consult.exchange.bundle import import_bundle
from consult.exchange.spreadsheet import export_cases, write_agreement, write_cases
from consult.i18n import Translator
from consult.store import Store
from tests.store.fixtures import make_case, march_cases
from tests.store.test_stats_and_bundles import bundle_of


@pytest.fixture
def store(database_url: str):
    opened = Store.open(database_url)
    yield opened
    opened.close()


def _sheet(raw: str, delimiter: str) -> list[dict[str, str]]:
    assert raw.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(raw.removeprefix("\ufeff")), delimiter=delimiter))


def test_cases_in_swedish_words(store: Store) -> None:
    notes = {"housing": "Hyran betald", "general": '=HYPERLINK("x")'}
    import_bundle(
        store.engine,
        bundle_of(
            [
                *march_cases()[:4],
                make_case(
                    9, "3,3,2,4,3,3,2", "2026-03-02T10:15:00+02:00", "awaiting_team", "kuopio", notes=notes
                ),
            ]
        ),
    )
    out = io.StringIO()
    assert export_cases(store, out, Translator("sv")) == 5
    rows = _sheet(out.getvalue(), ";")
    first = next(r for r in rows if r["Kod"] == "T01-AAA")
    assert first["Skapat"] == "2.3.2026 10.15"
    assert first["Status"] == "tas till konsultationsteamet"
    assert first["Sysselsättningsområde"] == "Kuopio" and first["Arbetslös arbetssökande"] == "ja"
    assert first["Sysselsättning"] == "4" and first["Rekommendation"].startswith("TYM-klientskap")
    assert first["Servicebehov"] == "hälsovårdstjänster, socialservice"
    assert first["Organisationer"] == "arbetskraftsmyndigheten, FPA, välfärdsområdet"
    decided = next(r for r in rows if r["Kod"] == "T04-AAA")
    assert decided["Beslutsdatum"] == "10.3.2026" and decided["Beslutets motivering"] == "'=SUM(A1) tiimi"
    noted = next(r for r in rows if r["Kod"] == "T09-AAA")
    assert noted["Anteckningar"] == 'Boende: Hyran betald · Allmän anteckning: =HYPERLINK("x")'
    # Nothing of another language, and no code, in the Swedish sheet.
    text = out.getvalue()
    for code in ("awaiting_team", "kuopio;", "social,", "true", "Asuminen", "tuodaan"):
        assert code not in text


def test_english_sheets_are_comma_separated_with_iso_dates(store: Store) -> None:
    import_bundle(store.engine, bundle_of(march_cases()[:1]))
    out = io.StringIO()
    export_cases(store, out, Translator("en"))
    (row,) = _sheet(out.getvalue(), ",")
    assert row["Created"] == "2026-03-02 10:15" and row["Status"] == "to be brought to the consultation team"


def test_a_column_without_words_yet_is_kept_as_the_scripts_have_it() -> None:
    out = io.StringIO()
    write_cases([{"code": "T01-AAA", "outcome": "employed", "routes": ["a", "b"]}], out, Translator("fi"))
    rows = _sheet(out.getvalue(), ";")
    assert rows == [{"Koodi": "T01-AAA", "outcome": "employed", "routes": "a,b"}]


@pytest.mark.parametrize(
    "lang,line",
    [
        ("fi", "Asuminen;6;0,6667;1,0000;0,5556"),
        ("sv", "Boende;6;0,6667;1,0000;0,5556"),
        ("en", "Housing,6,0.6667,1.0000,0.5556"),
    ],
)
def test_agreement_numbers_carry_the_locale_decimal_mark(lang: str, line: str) -> None:
    out = io.StringIO()
    domains = [DomainAgreement("housing", 6, 4 / 6, 1.0, 5 / 9)]
    write_agreement(out, Translator(lang), domains, [CaseAgreement("demo-01", 3, 2)], {"demo-01": "Timo, 34"})
    assert line in out.getvalue().splitlines()
    assert "Timo, 34" in out.getvalue().splitlines()[-1]  # the case by its title, not its id


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_every_column_of_the_spreadsheet_has_words(lang: str) -> None:
    """A reader of the words export meets no column named by its code (route, outcome_…)."""
    from consult.exchange.bundle import CSV_COLUMNS
    from consult.exchange.spreadsheet import CaseWords
    from consult.i18n import Translator

    words = CaseWords(Translator(lang))
    assert [c for c in CSV_COLUMNS if words.header(c) in (c, f"sheet.column.{c}")] == []
