"""Exports for a person with a spreadsheet: headers and values in the reader's words, numbers
with the locale's decimal mark, dates as the reader writes them, notes as sentences.

A translation layer over the same row dicts as the machine-readable CSV (``bundle.csv_rows``),
so a column added there appears here too, under its key, until it is given words. Scripts keep
``consult export --format csv --codes``.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, date, datetime
from typing import IO, TYPE_CHECKING

from consult.core.instrument import DOMAIN_KEYS, QUESTION_KEYS, load_instrument, localized
from consult.exchange.cells import safe_cell
from consult.i18n import Translator
from consult.i18n.formats import locale, show, show_moment

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from consult.core.agreement import CaseAgreement, DomainAgreement
    from consult.store import Store
    from consult.store.review import CaseFilter


def decimal_mark(lang: str) -> str:
    from babel.numbers import get_decimal_symbol

    return get_decimal_symbol(locale(lang))


def sheet_writer(out: IO[str], lang: str):  # -> csv writer
    """A BOM so Excel reads UTF-8; ``;`` where the decimal mark is a comma, as Excel expects."""
    out.write("\ufeff")
    return csv.writer(out, delimiter=";" if decimal_mark(lang) == "," else ",", lineterminator="\r\n")


def cell(value: object) -> str:
    # A cell that a spreadsheet would read as a formula or a control is written as text.
    return "" if value is None else safe_cell(str(value))


def decimal(value: float | None, lang: str, digits: int = 2) -> str:
    """No thousands separator: a spreadsheet reads "1234,56" as a number, not "1 234,56"."""
    return "" if value is None else f"{value:.{digits}f}".replace(".", decimal_mark(lang))


class CaseWords:
    """The words of one language for each column of ``bundle.CSV_COLUMNS`` and its values."""

    def __init__(self, t: Translator) -> None:
        self.t = t
        instrument = load_instrument()
        lang = t.lang
        self.headers: dict[str, str] = {
            key: t(f"sheet.column.{key}")
            for key in (
                "id", "code", "created_at", "status", "area", "worker_org", "age_band", "jobseeker",
                "primary", "needs", "orgs", "flags", "rules_version", "decision_path", "decision_note",
                "decided_at", "notes", "route", "outcome_started", "outcome_path", "outcome_on",
                "outcome_reason", "outcome_note",
            )
        }  # fmt: skip
        self.headers.update({k: localized(instrument.domain(k).title, lang) for k in DOMAIN_KEYS})
        self.headers.update(
            {k: t("sheet.column.question", number=instrument.question(k).number) for k in QUESTION_KEYS}
        )
        self._notes = {k: localized(instrument.domain(k).title, lang) for k in DOMAIN_KEYS}
        self._notes["general"] = t("general_note.title")
        answer = self._prefixed("answer")
        self._cells: dict[tuple[str, type, object], str] = {}
        self.values: dict[str, Callable[[object], object]] = {
            "created_at": moment_words(lang),
            "status": self._prefixed("status"),
            "area": self._prefixed("area"),
            "worker_org": self._prefixed("worker_org"),
            "age_band": self._prefixed("age_band"),
            "jobseeker": lambda v: t(f"jobseeker.{'true' if v else 'false'}"),
            **dict.fromkeys(QUESTION_KEYS, answer),
            "primary": self._prefixed("primary"),
            "needs": self._listed("need"),
            "orgs": self._listed("org"),
            "flags": self._listed("flag"),
            "decision_path": self._prefixed("primary"),
            "decided_at": lambda v: show(date.fromisoformat(str(v)[:10]), lang),
            "notes": self._notes_text,
            "route": self._prefixed("routes"),
            "outcome_started": lambda v: t(f"outcome.kind.{'started' if v else 'not_started'}"),
            "outcome_path": self._prefixed("primary"),
            "outcome_on": lambda v: show(date.fromisoformat(str(v)[:10]), lang),
            "outcome_reason": self._prefixed("reason"),
        }

    def _prefixed(self, prefix: str) -> Callable[[object], object]:
        return lambda value: self.t(f"{prefix}.{value}")

    def _listed(self, prefix: str) -> Callable[[object], object]:
        def words(values: object) -> object:
            listed = values if isinstance(values, list | tuple) else [values]
            return ", ".join(self.t(f"{prefix}.{v}") for v in listed)

        return words

    def _notes_text(self, notes: object) -> str:
        items = notes.items() if isinstance(notes, Mapping) else ()
        return " · ".join(f"{self._notes.get(k, k)}: {text}" for k, text in items)

    def header(self, column: str) -> str:
        return self.headers.get(column, column)

    def value(self, column: str, value: object) -> str:
        """The cell of ``value`` in ``column``. The words of each (column, value) are found
        once: a column's values are few (statuses, areas, flags, days), and translating every
        cell anew took half of a spreadsheet export's time."""
        if value is None or value == []:
            return ""
        if column in _UNIQUE or isinstance(value, dict):
            return self._value(column, value)
        key = (column, type(value), tuple(value) if isinstance(value, list) else value)
        known = self._cells.get(key)
        if known is None:
            known = self._value(column, value)
            if len(self._cells) < _CACHED:  # memory stays flat however many distinct values
                self._cells[key] = known
        return known

    def _value(self, column: str, value: object) -> str:
        words = self.values.get(column)
        if words is None:  # a column without words yet: as the scripts' CSV has it
            return cell(",".join(map(str, value)) if isinstance(value, list) else value)
        return cell(words(value))


# Columns whose every value is its own (an id, a moment): their words are not remembered.
_UNIQUE = frozenset(("id", "code", "created_at"))
_CACHED = 8192

# Babel's date and time patterns of DATE_PATTERNS and TIME_PATTERNS as format strings: the
# same text, without Babel's pattern interpreter on each of 100,000 cells.
_FIELDS = {
    "d.M.yyyy": "{day}.{month}.{year:04d}",
    "yyyy-MM-dd": "{year:04d}-{month:02d}-{day:02d}",
    "H.mm": "{hour}.{minute:02d}",
    "HH.mm": "{hour:02d}.{minute:02d}",
    "HH:mm": "{hour:02d}:{minute:02d}",
}


def moment_words(lang: str) -> Callable[[object], str]:
    """``show_moment`` of an ISO moment, as a precomputed format. Babel's own where the
    language's patterns are not known here, or where the format would say otherwise (checked
    once on moments of both seasons)."""
    from consult.core.dates import TEAM_TIME
    from consult.i18n.formats import DATE_PATTERNS, TIME_PATTERNS

    def babel(value: object) -> str:
        return show_moment(datetime.fromisoformat(str(value)), lang)

    date_format, time_format = _FIELDS.get(DATE_PATTERNS[lang]), _FIELDS.get(TIME_PATTERNS[lang])
    if date_format is None or time_format is None:
        return babel
    layout = date_format + " " + time_format

    def fast(value: object) -> str:
        moment = datetime.fromisoformat(str(value))
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        if not 2 <= moment.year <= 9998:  # where show_moment falls back to UTC: Babel's own
            return babel(value)
        local = moment.astimezone(TEAM_TIME)
        return layout.format(
            day=local.day, month=local.month, year=local.year, hour=local.hour, minute=local.minute
        )

    samples = ("2026-01-05T07:04:00+00:00", "2026-07-15T22:59:00+00:00", "2025-10-26T00:30:00+00:00")
    return fast if all(fast(s) == babel(s) for s in samples) else babel


def write_cases(rows: Iterable[dict[str, object]], out: IO[str], t: Translator) -> int:
    writer = sheet_writer(out, t.lang)
    words = CaseWords(t)
    count = 0
    columns: list[str] | None = None
    for row in rows:
        if columns is None:
            columns = list(row)
            writer.writerow([words.header(c) for c in columns])
        writer.writerow([words.value(c, row[c]) for c in columns])
        count += 1
    if columns is None:
        from consult.exchange.bundle import CSV_COLUMNS

        writer.writerow([words.header(c) for c in CSV_COLUMNS])
    return count


def export_cases(
    source: Store | Engine,
    out: IO[str],
    t: Translator,
    case_filter: CaseFilter | None = None,
    *,
    drafts: bool = True,
) -> int:
    """The cases (or those the filter keeps) as a spreadsheet in ``t``'s language; the screens
    hand their Store, the command line its engine."""
    from consult.exchange.bundle import csv_rows
    from consult.store import Store

    engine = source.engine if isinstance(source, Store) else source
    return write_cases(csv_rows(engine, case_filter, drafts=drafts), out, t)


def write_agreement(
    out: IO[str],
    t: Translator,
    domains: Iterable[DomainAgreement],
    cases: Iterable[CaseAgreement],
    case_titles: dict[str, str],
) -> None:
    """The trainer's agreement figures: one table per domain, then one per demo case."""
    lang = t.lang
    instrument = load_instrument()
    writer = sheet_writer(out, lang)
    writer.writerow(
        [
            t("sheet.column.domain"),
            t("sheet.column.ratings"),
            t("sheet.column.exact"),
            t("sheet.column.within_one"),
            t("sheet.column.kappa"),
        ]
    )
    for d in domains:
        writer.writerow(
            [
                localized(instrument.domain(d.domain).title, lang),
                d.pairs,
                *(decimal(v, lang, 4) for v in (d.exact, d.within_one, d.kappa)),
            ]
        )
    writer.writerow([])
    writer.writerow([t("sheet.column.case"), t("sheet.column.trainees"), t("sheet.column.reached")])
    for c in cases:
        writer.writerow([cell(case_titles.get(c.case_id, c.case_id)), c.trainees, c.reached_reference])


def file_name(kind: str, t: Translator, moment: datetime, suffix: str) -> str:
    """``tapaukset-20260302-101500.csv``, ``ärenden-…``, ``cases-…``: named in the user's words."""
    return f"{t(f'export.file.{kind}')}-{moment:%Y%m%d-%H%M%S}.{suffix}"
