"""The pilot report as a spreadsheet: one sheet for the period, one per month, one per area,
each table with a native chart beside it that a convener can copy into slides.

Number formats are written in the file's own (English) syntax; a Finnish Excel or LibreOffice
shows them with its own separators (1 234; 12,5)."""

from __future__ import annotations

from typing import IO

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from consult.i18n import Translator
from consult.i18n.formats import show
from consult.report.figures import ReportFigures
from consult.report.tables import ReportTable, period_words, tables

COUNT_FORMAT = "#,##0"
DAYS_FORMAT = "0.0"
FORMATS = {"count": COUNT_FORMAT, "days": DAYS_FORMAT, "share": "0%", "kappa": "0.00"}
CHART_ROWS = 16  # a chart's height in rows, so the next table starts below it
_SHEETS = {
    "summary": "report.summary",
    "months": "report.by_month",
    "areas": "report.by_area",
    "services": "services.report.part",
}


def _chart(sheet: Worksheet, table: ReportTable, header: int) -> BarChart:
    chart = BarChart()
    chart.type = "bar" if table.chart == "bar" and len(table.rows) <= 8 else "col"
    if table.chart == "stacked":
        chart.grouping, chart.overlap = "stacked", 100
    chart.title = table.title
    chart.style = 10
    chart.height, chart.width = 7.5, 15
    last = header + len(table.rows)
    for series in table.drawn():
        column = 2 + series
        data = Reference(sheet, min_col=column, max_col=column, min_row=header, max_row=last)
        chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=header + 1, max_row=last))
    chart.y_axis.numFmt = DAYS_FORMAT if table.days else COUNT_FORMAT
    chart.y_axis.majorGridlines = None
    # Recent Excel hides axes unless told otherwise.
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    if len(table.drawn()) == 1:
        chart.legend = None
    return chart


def _write_table(sheet: Worksheet, table: ReportTable, row: int) -> int:
    """Writes the table from ``row`` with its chart beside it; returns the next free row."""
    sheet.cell(row=row, column=1, value=table.title).font = Font(bold=True, size=12)
    header = row + 1
    for column, text in enumerate([table.label, *table.series], start=1):
        sheet.cell(row=header, column=column, value=text).font = Font(bold=True)
    for offset, (name, values) in enumerate(table.rows, start=1):
        sheet.cell(row=header + offset, column=1, value=name)
        for column, value in enumerate(values, start=2):
            cell = sheet.cell(row=header + offset, column=column, value=value)
            cell.number_format = FORMATS[table.kind(offset - 1)]
    charted = bool(table.rows) and table.chart != "none"
    if charted:
        sheet.add_chart(
            _chart(sheet, table, header), sheet.cell(row=row, column=len(table.series) + 3).coordinate
        )
    end = row + max(len(table.rows) + 3, CHART_ROWS + 1)
    if not table.note:
        return end
    # Below the table and its chart, where the line runs on over empty cells, read in full.
    below = max(header + len(table.rows) + 2, row + CHART_ROWS + 1 if charted else 0)
    sheet.cell(row=below, column=1, value=table.note).font = Font(italic=True)
    return max(end, below + 2)


def write_xlsx(figures: ReportFigures, t: Translator, out: IO[bytes]) -> None:
    book = Workbook()
    sheets = {}
    for number, (part, key) in enumerate(_SHEETS.items()):
        sheet = book.active if number == 0 else book.create_sheet()
        sheet.title = t(key)[:31]
        sheet.column_dimensions["A"].width = 30
        for letter in "BCDEF":
            sheet.column_dimensions[letter].width = 14
        sheets[part] = sheet
    summary = sheets["summary"]
    summary["A1"] = t("report.title")
    summary["A1"].font = Font(bold=True, size=14)
    summary["A2"] = period_words(figures, t)
    summary["A3"] = t("report.generated", date=show(figures.made, t.lang), cases=figures.total.cases)
    summary["A4"] = t("report.anonymous")
    services = sheets["services"]
    services["A1"] = t("services.report.intro")
    services["A1"].font = Font(bold=True)
    rows = {"summary": 6, "months": 1, "areas": 1, "services": 3}
    for table in tables(figures, t):
        if not table.rows:
            sheets[table.part].cell(row=rows[table.part], column=1, value=t("report.nothing"))
            rows[table.part] += 2
            continue
        rows[table.part] = _write_table(sheets[table.part], table, rows[table.part])
    book.save(out)
