"""The pilot report as one self-contained HTML file: tables and inline SVG charts, no scripts,
no fonts or images from the network, laid out to print on A4 (the steering group's PDF)."""

from __future__ import annotations

from html import escape
from pathlib import Path

from consult.i18n import Translator
from consult.i18n.formats import show
from consult.report.figures import ReportFigures
from consult.report.tables import Kind, ReportTable, Value, period_words, tables

# Shades that stay apart in greyscale print; each segment also carries its number or the
# table beside it does, so nothing is read from colour alone.
COLOURS = ("#1f4e79", "#5b9bd5", "#a9c4e4", "#ed7d31", "#7f7f7f")
WIDTH, LABEL, ROW = 680, 220, 24
DARK_TEXT = {2}  # the light shade carries dark numbers

_STYLE = """
body { font-family: system-ui, "Segoe UI", Arial, sans-serif; margin: 2rem auto; max-width: 60rem;
       color: #111; line-height: 1.4; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { margin-top: 2rem; border-bottom: 2px solid #1f4e79; }
h3 { font-size: 1.05rem; margin: 1.2rem 0 .4rem; }
.meta { color: #444; margin: .1rem 0; }
.note { color: #444; font-size: .85rem; margin: .3rem 0 0; max-width: 45rem; }
section.table { break-inside: avoid; page-break-inside: avoid; margin-bottom: 1rem; }
.pair { display: flex; flex-wrap: wrap; gap: 1rem; align-items: flex-start; }
table { border-collapse: collapse; font-size: .9rem; }
th, td { border: 1px solid #bbb; padding: .15rem .5rem; } th[scope=row] { text-align: left; font-weight: normal; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
svg text { font-size: 12px; fill: #111; } svg text.in { fill: #fff; } svg text.in.dark { fill: #111; }
.legend span { display: inline-block; margin-right: 1rem; font-size: .85rem; }
.legend i { display: inline-block; width: .9rem; height: .9rem; margin-right: .3rem; vertical-align: -2px;
            print-color-adjust: exact; -webkit-print-color-adjust: exact; }
svg { print-color-adjust: exact; -webkit-print-color-adjust: exact; max-width: 100%; height: auto; }
@page { size: A4; margin: 15mm; }
@media print { body { margin: 0; max-width: none; } h2 { break-before: page; } h2.first { break-before: auto; } }
"""


def _number(value: Value, kind: Kind, lang: str) -> str:
    if value is None:
        return "–"
    if kind == "share":
        return f"{_number(round(100 * value), 'count', lang)} %"  # as the follow-up writes it
    if kind in ("days", "kappa"):
        text = f"{value:.1f}" if kind == "days" else f"{value:.2f}"
        return text if lang == "en" else text.replace(".", ",")
    text = f"{int(value):,}"
    return text if lang == "en" else text.replace(",", "\u00a0")  # 1 234 as Finnish writes it


def _svg(table: ReportTable, lang: str) -> str:
    """Horizontal bars, one a row; a stacked table stacks its drawn series in one bar."""
    drawn = table.drawn() if table.chart == "stacked" else table.drawn()[:1]
    totals = [sum(values[s] or 0 for s in drawn) for _, values in table.rows]
    largest = max([*totals, 1])
    # Room for the longest label (a domain's name is long), the bars keeping most of the width.
    label = min(max(LABEL, 7 * max((len(name) for name, _ in table.rows), default=0) + 12), WIDTH // 2)
    span = WIDTH - label - 60
    height = ROW * len(table.rows) + 8
    parts = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{escape(table.title)}">'
    ]
    for index, (name, values) in enumerate(table.rows):
        y = 4 + index * ROW
        parts.append(f'<text x="{label - 6}" y="{y + 16}" text-anchor="end">{escape(name)}</text>')
        x = float(label)
        # The shade goes by the place in the bar, so a stack always starts dark.
        for shade, series in enumerate(drawn):
            value = values[series]
            width = span * (value or 0) / largest
            if width <= 0:
                continue
            parts.append(
                f'<rect class="bar" x="{x:.1f}" y="{y + 2}" width="{width:.1f}" height="{ROW - 6}" '
                f'fill="{COLOURS[shade % len(COLOURS)]}"><title>{escape(table.series[series])}: '
                f"{_number(value, table.kind(index), lang)}</title></rect>"
            )
            if table.chart == "stacked" and width > 28:
                parts.append(
                    f'<text class="in{" dark" if shade in DARK_TEXT else ""}" x="{x + width / 2:.1f}" y="{y + 16}" text-anchor="middle">'
                    f"{_number(value, table.kind(index), lang)}</text>"
                )
            x += width
        total = totals[index] if table.chart == "stacked" else values[drawn[0]]
        parts.append(f'<text x="{x + 4:.1f}" y="{y + 16}">{_number(total, table.kind(index), lang)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _legend(table: ReportTable) -> str:
    if table.chart != "stacked":
        return ""
    items = "".join(
        f'<span><i style="background:{COLOURS[n % len(COLOURS)]}"></i>{escape(table.series[series])}</span>'
        for n, series in enumerate(table.drawn())
    )
    return f'<p class="legend">{items}</p>'


def _table(table: ReportTable, lang: str) -> str:
    head = "".join(f"<th scope=col>{escape(h)}</th>" for h in [table.label, *table.series])
    body = "".join(
        f"<tr><th scope=row>{escape(name)}</th>"
        + "".join(f'<td class="n">{_number(v, table.kind(row), lang)}</td>' for v in values)
        + "</tr>"
        for row, (name, values) in enumerate(table.rows)
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def render_html(figures: ReportFigures, t: Translator) -> str:
    parts = [
        f'<!DOCTYPE html><html lang="{t.lang}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(t('report.title'))}</title><style>{_STYLE}</style></head><body>",
        f"<h1>{escape(t('report.title'))}</h1>",
        f'<p class="meta">{escape(period_words(figures, t))}</p>',
        f'<p class="meta">{escape(t("report.generated", date=show(figures.made, t.lang), cases=figures.total.cases))}</p>',
        f'<p class="meta">{escape(t("report.anonymous"))}</p>',
    ]
    headings = {
        "summary": "report.summary",
        "months": "report.by_month",
        "areas": "report.by_area",
        "services": "services.report.part",
    }
    intros = {"services": "services.report.intro"}
    part = None
    for table in tables(figures, t):
        if table.part != part:
            first = ' class="first"' if part is None else ""
            part = table.part
            parts.append(f'<h2{first} id="{part}">{escape(t(headings[part]))}</h2>')
            if part in intros:
                parts.append(f'<p class="meta">{escape(t(intros[part]))}</p>')
        parts.append(f'<section class="table" id="{table.key}"><h3>{escape(table.title)}</h3>')
        if not table.rows:
            parts.append(f"<p>{escape(t('report.nothing'))}</p></section>")
            continue
        chart = "" if table.chart == "none" else f"<div>{_svg(table, t.lang)}{_legend(table)}</div>"
        parts.append(f'<div class="pair">{_table(table, t.lang)}{chart}</div>')
        if table.note:
            parts.append(f'<p class="note">{escape(table.note)}</p>')
        parts.append("</section>")
    parts.append("</body></html>\n")
    return "".join(parts)


def write_html(figures: ReportFigures, t: Translator, path: Path) -> None:
    path.write_text(render_html(figures, t), "utf-8")
