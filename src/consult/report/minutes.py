"""The minutes of a closed team meeting, anonymous, in the user's language: as plain text to
paste into Teams, as Markdown, or as one self-contained HTML page that prints on A4.

Everything typed in the meeting (a decision's note, an action's owner role and what, the
meeting's note) passed the guard's refusals when it was saved, but a likely name or address
may have been kept on the worker's word. Minutes travel further than the database, so each
such text is read by the guard again here and what it points out is left out, marked as
removed: the minutes hold nothing the guard would refuse or warn about.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from html import escape as _escape
from typing import TYPE_CHECKING, Literal

from consult.core.meeting import Action, Meeting
from consult.core.model import Case, TeamDecision
from consult.i18n import Translator
from consult.privacy.free_text import clean
from consult.privacy.guard import Finding, check

if TYPE_CHECKING:
    from consult.store import Store

# The letters and digits of a finding, to know the free texts it came from.
_PIECES = re.compile(r"[^\W_]+")

Format = Literal["text", "markdown", "html"]
FORMATS: tuple[Format, ...] = ("text", "markdown", "html")


@dataclass(slots=True)
class _Item:
    position: int
    code: str
    fields: list[tuple[str, str]]
    actions: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _Minutes:
    """The minutes' content in words, before any format: one renderer per format below."""

    title: str
    case: str
    """An item's heading, ``{code}`` standing for its case's code."""
    header: list[tuple[str, str]]
    items_heading: str
    items: list[_Item]
    actions_heading: str
    reviewed_heading: str
    reviewed: list[str]
    nothing_reviewed: str
    statement_heading: str
    statement: str
    withheld_note: str | None


class _Words:
    """The translator, and the free texts of the meeting made fit for minutes."""

    def __init__(self, t: Translator) -> None:
        self.t = t
        self.withheld = False
        self.seen: set[str] = set()  # the free texts as written, one line each
        self.whole: set[str] = set()  # of them, those withheld whole
        self.everything = False

    def free(self, text: str) -> str:
        """``text`` on one line with what the guard points out replaced by a marker; the
        whole text replaced when what is left still holds something (a name split in two),
        or when the minutes around it did."""
        text = clean(" ".join(text.split()))
        if not text:
            return text
        self.seen.add(text)
        marker = self.t("minutes.withheld")
        if self.everything or text in self.whole:
            self.withheld = True
            return marker
        found = check(text)
        if not found:
            return text
        self.withheld = True
        for finding in sorted(found, key=lambda f: len(f.text), reverse=True):
            text = text.replace(finding.text, marker)
        return marker if check(text) else text

    def withhold_around(self, found: Sequence[Finding]) -> None:
        """The free texts that hold a piece of what the guard found in the finished minutes
        (a number in one field that reads as a phone with the next), withheld whole."""
        pieces = {piece for f in found for piece in _PIECES.findall(f.text)}
        implicated = {text for text in self.seen if any(piece in text for piece in pieces)}
        if implicated <= self.whole:
            self.everything = True  # nothing new to take out: take out every free text
        self.whole |= implicated

    def org(self, key: str) -> str:
        return self.t(f"minutes.org.{key}")

    def orgs(self, keys: Sequence[str]) -> str:
        return ", ".join(self.org(k) for k in keys) if keys else self.t("minutes.nobody")

    def due(self, action: Action) -> str:
        if action.due is None:
            return self.t("minutes.no_due")
        return self.t("minutes.due", day=self.t.day(action.due))

    def action(self, action: Action) -> str:
        role = self.free(action.owner_role)
        owner = f"{self.org(action.owner_org)}, {role}" if role else self.org(action.owner_org)
        return f"{owner}: {self.free(action.what)} ({self.due(action)})"


def _decision(case: Case | None, meeting: Meeting) -> TeamDecision | None:
    """The case's decision when it was recorded in this meeting (a decision carries the
    meeting it was made in; one made elsewhere or later is not this meeting's)."""
    if case is None or case.team_decision is None:
        return None
    return case.team_decision if case.team_decision.meeting_id == meeting.id else None


def _gather(meeting: Meeting, cases: Mapping[str, Case], reviewed: Sequence[Action], w: _Words) -> _Minutes:
    t = w.t
    header = [
        (t("minutes.day"), t.day(meeting.on)),
        (t("minutes.area"), t(f"area.{meeting.area}")),
        (t("minutes.convener"), w.org(meeting.convener_org)),
        (t("minutes.present"), w.orgs(meeting.present)),
        (t("minutes.apologies"), w.orgs(meeting.apologies)),
    ]
    if meeting.note.strip():
        header.append((t("minutes.note"), w.free(meeting.note)))
    items = []
    for item in sorted(meeting.items, key=lambda i: i.position):
        case = cases.get(item.case_id)
        code = case.code if case is not None else "?"
        recommended = (
            t(f"primary.{case.recommendation.primary}")
            if case is not None and case.recommendation is not None
            else t("minutes.no_recommendation")
        )
        fields = [(t("minutes.recommended"), recommended)]
        if item.result == "decided":
            decision = _decision(case, meeting)
            if decision is None:
                fields.append((t("minutes.decision"), t("minutes.decided")))
            else:
                fields.append((t("minutes.decision"), t(f"primary.{decision.path}")))
                if decision.note.strip():
                    fields.append((t("minutes.decision_note"), w.free(decision.note)))
        elif item.result == "deferred":
            fields.append((t("minutes.decision"), t("minutes.deferred")))
        else:  # not reached before the meeting closed (closing records it so)
            fields.append((t("minutes.decision"), t("minutes.not_discussed")))
        agreed = [w.action(a) for a in meeting.actions if a.case_id == item.case_id]
        items.append(_Item(item.position, code, fields, agreed))
    reviewed_lines = []
    for action in reviewed:
        case = cases.get(action.case_id)
        code = case.code if case is not None else "?"
        status = t(f"minutes.status.{action.status}")
        reviewed_lines.append(f"{code} · {w.action(action)} — {status}")
    return _Minutes(
        title=t("minutes.title"),
        case=t("minutes.case", position="{position}", code="{code}"),
        header=header,
        items_heading=t("minutes.items"),
        items=items,
        actions_heading=t("minutes.actions"),
        reviewed_heading=t("minutes.reviewed"),
        reviewed=reviewed_lines,
        nothing_reviewed=t("minutes.nothing_reviewed"),
        statement_heading=t("minutes.confidential_heading"),
        statement=t("minutes.confidential"),
        withheld_note=t("minutes.withheld_note") if w.withheld else None,
    )


def minutes_text(
    meeting: Meeting,
    cases: Mapping[str, Case],
    reviewed: Sequence[Action],
    translator: Translator,
    fmt: Format,
) -> str:
    """The minutes of ``meeting`` in ``translator``'s language.

    ``cases``: by id, each item's case and each reviewed action's case (a missing one is shown
    as "?"); an item's decision is its case's ``team_decision`` when that was recorded in this
    meeting. ``reviewed``: the actions closed in this meeting (``Store.reviewed_actions``).
    An item without a result is shown as not discussed, as closing the meeting records it.
    """
    if fmt not in FORMATS:
        raise ValueError(f"fmt: {fmt!r}; allowed: {', '.join(FORMATS)}")
    words = _Words(translator)
    while True:
        minutes = _gather(meeting, cases, reviewed, words)
        if fmt == "text":
            text = _as_text(minutes)
        elif fmt == "markdown":
            text = _as_markdown(minutes)
        else:
            text = _as_html(minutes, translator.lang)
        # Each free text is clean alone; read together with what is around it, one may not
        # be. What the minutes' own words, days and codes make is clean (tested in every
        # language), so with every free text withheld this ends.
        found = [] if words.everything else check(text)
        if not found:
            return text
        words.withhold_around(found)


def minutes_sources(store: Store, meeting: Meeting) -> tuple[dict[str, Case], list[Action]]:
    """What ``minutes_text`` needs besides the meeting, read from the store (in a worker
    thread, for a screen): the actions reviewed in it, and the cases of its items and of
    those actions, each item's case with the decision recorded in this meeting, whatever
    was decided on it since."""
    reviewed = store.reviewed_actions(meeting.id)
    case_ids = dict.fromkeys([item.case_id for item in meeting.items] + [a.case_id for a in reviewed])
    decided = {item.case_id for item in meeting.items if item.result == "decided"}
    cases: dict[str, Case] = {}
    for case_id in case_ids:
        case = store.get_case(case_id)
        if case is None:  # purged since: the minutes say "?"
            continue
        if case_id in decided:
            made_here = [d for d in store.team_decisions(case_id) if d.meeting_id == meeting.id]
            case = case.model_copy(update={"team_decision": made_here[-1] if made_here else None})
        cases[case_id] = case
    return cases, reviewed


def _as_text(m: _Minutes) -> str:
    """For pasting into a Teams chat or an e-mail: plain lines, indented lists."""
    lines = [m.title, ""]
    lines += [f"{label}: {value}" for label, value in m.header]
    lines += ["", m.items_heading]
    for item in m.items:
        lines += ["", m.case.format(position=item.position, code=item.code)]
        lines += [f"   {label}: {value}" for label, value in item.fields]
        if item.actions:
            lines.append(f"   {m.actions_heading}:")
            lines += [f"   - {action}" for action in item.actions]
    lines += ["", m.reviewed_heading]
    lines += [f"- {line}" for line in m.reviewed] if m.reviewed else [m.nothing_reviewed]
    lines += ["", f"{m.statement_heading}: {m.statement}"]
    if m.withheld_note:
        lines.append(m.withheld_note)
    return "\n".join(lines) + "\n"


# What Markdown (CommonMark, GitHub's tables and strike-through, and the HTML renderers let
# through) would read as markup inside a line. No value starts a line, so a leading "-", "#"
# or "1." needs nothing: dates and codes stay readable in the file.
_MARKDOWN_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>|~&"})


def _md(text: str) -> str:
    return text.translate(_MARKDOWN_SPECIAL)


def _as_markdown(m: _Minutes) -> str:
    lines = [f"# {_md(m.title)}", ""]
    lines += [f"- **{_md(label)}:** {_md(value)}" for label, value in m.header]
    lines += ["", f"## {_md(m.items_heading)}"]
    for item in m.items:
        lines += ["", f"### {_md(m.case.format(position=item.position, code=item.code))}", ""]
        lines += [f"- **{_md(label)}:** {_md(value)}" for label, value in item.fields]
        if item.actions:
            lines.append(f"- **{_md(m.actions_heading)}:**")
            lines += [f"  - {_md(action)}" for action in item.actions]
    lines += ["", f"## {_md(m.reviewed_heading)}", ""]
    lines += [f"- {_md(line)}" for line in m.reviewed] if m.reviewed else [_md(m.nothing_reviewed)]
    lines += ["", f"## {_md(m.statement_heading)}", "", _md(m.statement)]
    if m.withheld_note:
        lines += ["", _md(m.withheld_note)]
    return "\n".join(lines) + "\n"


# The report's house style (report/html.py): the system's fonts, nothing fetched, A4 when
# printed. Only generic font families and a lower-case doctype: the page's source holds no
# capitalised word that is not the minutes' own, so the guard can read the file as it is.
_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 50rem;
       color: #111; line-height: 1.4; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: .6rem; } h2 { margin-top: 2rem; border-bottom: 2px solid #1f4e79; }
h3 { font-size: 1.05rem; margin: 1.2rem 0 .3rem; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .1rem 1rem; margin: 0; }
dl.meta dt { font-weight: 600; } dl.meta dd { margin: 0; }
section.item { break-inside: avoid; page-break-inside: avoid; }
.code { font-family: ui-monospace, monospace; letter-spacing: .05em; }
ul { margin: .2rem 0; padding-left: 1.4rem; }
p.statement { border: 1px solid #1f4e79; padding: .5rem .8rem; }
@page { size: A4; margin: 15mm; }
@media print { body { margin: 0; max-width: none; padding: 0; } }
"""


def escape(text: str) -> str:
    """Text for an element's content (the page puts no free text in an attribute): an
    apostrophe stays one, as the guard and a reader of the source expect."""
    return _escape(text, quote=False)


def _dl(pairs: Sequence[tuple[str, str]]) -> str:
    rows = "".join(f"<dt>{escape(label)}</dt><dd>{escape(value)}</dd>" for label, value in pairs)
    return f'<dl class="meta">{rows}</dl>'


def _as_html(m: _Minutes, lang: str) -> str:
    parts = [
        f'<!doctype html><html lang="{_escape(lang)}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(m.title)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>{escape(m.title)}</h1>",
        _dl(m.header),
        f"<h2>{escape(m.items_heading)}</h2>",
    ]
    for item in m.items:
        before, _, after = m.case.format(position=item.position, code="\0").partition("\0")
        heading = f'{escape(before)}<span class="code">{escape(item.code)}</span>{escape(after)}'
        parts.append(f'<section class="item"><h3>{heading}</h3>')
        parts.append(_dl(item.fields))
        if item.actions:
            actions = "".join(f"<li>{escape(a)}</li>" for a in item.actions)
            parts.append(f"<p>{escape(m.actions_heading)}:</p><ul>{actions}</ul>")
        parts.append("</section>")
    parts.append(f"<h2>{escape(m.reviewed_heading)}</h2>")
    if m.reviewed:
        parts.append("<ul>" + "".join(f"<li>{escape(line)}</li>" for line in m.reviewed) + "</ul>")
    else:
        parts.append(f"<p>{escape(m.nothing_reviewed)}</p>")
    parts.append(f"<h2>{escape(m.statement_heading)}</h2>")
    parts.append(f'<p class="statement" id="confidential">{escape(m.statement)}</p>')
    if m.withheld_note:
        parts.append(f"<p>{escape(m.withheld_note)}</p>")
    parts.append("</body></html>\n")
    return "".join(parts)
