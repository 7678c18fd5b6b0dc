"""Exports for a person with a spreadsheet: headers and values in the reader's words, numbers
with the locale's decimal mark, dates as the reader writes them, notes as sentences.

A translation layer over the same row dicts as the machine-readable CSV (``bundle.csv_rows``),
so a column added there appears here too, under its key, until it is given words. Scripts keep
``consult export --format csv --codes``.
"""

from __future__ import annotations

import csv
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping
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
        self._writers: dict[str, Callable[[object], str]] = {}
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
        """The cell of ``value`` in ``column``."""
        return self.cells(column)(value)

    def cells(self, column: str) -> Callable[[object], str]:
        """What writes the cells of ``column``. The words of each value are found once: a
        column's values are few (statuses, areas, flags, days), and translating every cell anew
        took half of a spreadsheet export's time. Kept by value and type (``True`` is not ``1``);
        a list by its items; the notes and the unique columns (an id, a moment) are not kept."""
        found = self._writers.get(column)
        if found is None:
            found = self._writers[column] = self._cells_of(column)
        return found

    def _cells_of(self, column: str) -> Callable[[object], str]:
        write = self._value
        if column in _UNIQUE:
            words = self.values.get(column)
            if words is None:  # an id, a code: as it is (``cell`` says "" for None)
                return cell
            return lambda value: "" if value is None else cell(words(value))
        known: dict[object, tuple[type, str]] = {}

        def cells(value: object) -> str:
            hit = known.get(value) if value.__hash__ is not None else None
            if hit is not None and hit[0] is type(value):
                return hit[1]
            if value is None or value == []:
                return ""
            if isinstance(value, dict):
                return write(column, value)
            if isinstance(value, list):
                key: object = ("list", *value)  # an unhashable list, kept by its items
                hit = known.get(key)
                if hit is None or hit[0] is not list:
                    hit = (list, write(column, value))
                    if len(known) < _CACHED:
                        known[key] = hit
                return hit[1]
            text = write(column, value)
            if len(known) < _CACHED:  # memory stays flat however many distinct values
                known[value] = (type(value), text)
            return text

        return cells

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
        return show_moment(value if isinstance(value, datetime) else datetime.fromisoformat(str(value)), lang)

    date_format, time_format = _FIELDS.get(DATE_PATTERNS[lang]), _FIELDS.get(TIME_PATTERNS[lang])
    if date_format is None or time_format is None:
        return babel
    layout = date_format + " " + time_format

    def fast(value: object) -> str:
        moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
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


def write_cases(rows: Iterable[Mapping[str, object]], out: IO[str], t: Translator) -> int:
    """Rows of ``bundle.csv_rows`` (or any columns: a column without words is written as the
    scripts' CSV has it) as a spreadsheet in ``t``'s language."""
    columns: list[str] = []

    def values() -> Iterator[tuple[object, ...]]:
        for row in rows:
            if not columns:
                columns.extend(row)
            yield tuple(row[c] for c in columns)

    return _write_values(columns, values(), out, t)


def _write_values(
    columns: list[str],
    rows: Iterable[tuple[object, ...]],
    out: IO[str],
    t: Translator,
    *,
    typed: bool = False,
) -> int:
    """The rows, each a tuple in the order of ``columns`` (known by the first row at the
    latest; ``bundle.CSV_COLUMNS`` when there is none). ``typed``: each column's values are of
    one hashable type besides None (``bundle.csv_values``; the notes a dict or None), so a cell's
    text is kept by its value alone and a row's cells are found in one pass in C (``_Cells``);
    otherwise ``CaseWords.cells`` writes each cell and tells 1 from True."""
    writer = sheet_writer(out, t.lang)
    words = CaseWords(t)
    count = 0
    cells: list[Callable[[object], str]] = []
    known: list[_Cells] = []
    notes = columns.index("notes") if "notes" in columns else -1
    for row in rows:
        if not cells:
            writer.writerow([words.header(c) for c in columns])
            cells = [words.cells(c) for c in columns]
            known = [_Cells(write, c not in _UNIQUE) for c, write in zip(columns, cells, strict=True)]
        if not typed:
            writer.writerow([write(value) for write, value in zip(cells, row, strict=True)])
        elif notes < 0 or row[notes] is None:
            writer.writerow(list(map(_FOUND, known, row)))
        else:  # the notes, a dict, are written as they come: not kept by value
            texts = list(map(_FOUND, known, (*row[:notes], None, *row[notes + 1 :])))
            texts[notes] = cells[notes](row[notes])
            writer.writerow(texts)
        count += 1
    if not cells:
        from consult.exchange.export import CSV_COLUMNS

        writer.writerow([words.header(c) for c in columns or CSV_COLUMNS])
    return count


class _Cells(dict[object, str]):
    """A column's cells by value, for a typed export: a value not seen yet is written by the
    column's ``CaseWords.cells`` and kept (unless the column's every value is its own)."""

    __slots__ = ("keep", "write")

    def __init__(self, write: Callable[[object], str], keep: bool) -> None:
        super().__init__()
        self.write = write
        self.keep = keep

    def __missing__(self, value: object) -> str:
        text = self.write(value)
        if self.keep and len(self) < _CACHED:  # memory stays flat however many distinct values
            self[value] = text
        return text


# dict's own lookup, which asks ``__missing__`` of a subclass: a row's cells without a call in
# Python for any value already seen.
_FOUND = dict.__getitem__


def export_cases(
    source: Store | Engine | sqlite3.Connection,
    out: IO[str],
    t: Translator,
    case_filter: CaseFilter | None = None,
    *,
    drafts: bool = True,
) -> int:
    """The cases (or those the filter keeps) as a spreadsheet in ``t``'s language; the screens
    hand their Store, the command line its engine or a current local file."""
    from consult.exchange.export import CSV_COLUMNS, csv_values
    from consult.store import Store

    rows = csv_values(source.engine if isinstance(source, Store) else source, case_filter, drafts=drafts)
    return _write_values(list(CSV_COLUMNS), rows, out, t, typed=True)


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
