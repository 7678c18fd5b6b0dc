"""The ``meeting`` verb: the agenda the app proposes for an area's next meeting, the list of
meetings, and a closed meeting's minutes (product.md, "Team meetings")."""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from consult.cli.database import opened
from consult.cli.errors import InputError
from consult.cli.inputs import parse_date
from consult.cli.output import say, write
from consult.core.meeting import MEETING_AREAS
from consult.i18n import Translator
from consult.system.settings import Settings

if TYPE_CHECKING:
    from consult.core.meeting import Agenda, MeetingSummary
    from consult.report.minutes import Format

T = TypeVar("T")

MINUTES_KINDS: dict[str, Format] = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
}
# A meeting's id as the store makes it: a UUID in lower case.
_MEETING_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
# The longest "what" a row of the agenda's table shows; --json has all of it.
WHAT_SHOWN = 48


def meeting(settings: Settings, t: Translator, args: argparse.Namespace) -> None:
    _ACTIONS[args.action](settings, t, args)


def _area(value: str | None, t: Translator) -> str | None:
    if value is not None and value not in MEETING_AREAS:
        from consult.privacy.gate import shown

        quoted = shown(value)
        said = repr(quoted) if quoted is not None else "…"
        raise InputError(f"--area: {t('input.one_of', value=said, allowed=', '.join(MEETING_AREAS))}")
    return value


def _agenda(settings: Settings, t: Translator, args: argparse.Namespace) -> None:
    area = _area(args.area, t)
    assert area is not None  # required by the parser
    on = _day(args.on, t)
    with opened(settings) as store:
        agenda = _refused_as_input(lambda: store.propose_agenda(area, on), t)
    if args.json:
        from consult.core.meeting import agenda_json

        say(json.dumps(agenda_json(agenda), ensure_ascii=False, indent=2))
        return
    say("\n".join(_agenda_lines(agenda, t)))


def _day(value: str | None, t: Translator) -> date:
    day = _parsed_day(value, t)
    if day is None:
        from consult.core.dates import today

        return today()
    return day


def _parsed_day(value: str | None, t: Translator) -> date | None:
    if value is not None:
        from consult.privacy.gate import shown

        if shown(value) is None:  # never echo what the guard would not: named, not quoted
            raise InputError(f"--on: {t('input.date', value='…')}")
    return parse_date(value, t, "--on")


def _refused_as_input(work: Callable[[], T], t: Translator) -> T:
    """The store's refusals said as bad input, one line, exit status 2: a login that may not
    hold the area's meetings in the words of every other refusal of a role."""
    from consult.store.database import MeetingRefused

    try:
        return work()
    except MeetingRefused as error:
        line = t(
            "admin.refused",
            login=error.login,
            role=t(f"admin.role.{error.role}"),
            action=t("admin.action.meet"),
        )
        raise InputError(f"{line}: {t(f'area.{error.area}')}" if error.area else line) from None
    except ValueError as error:  # MeetingProblem: the field and what is wrong, never a text
        raise InputError(str(error).splitlines()[0]) from None


def _agenda_lines(agenda: Agenda, t: Translator) -> list[str]:
    lines = [t("cli.meeting.agenda_title", area=t(f"area.{agenda.area}"), day=t.day(agenda.on))]
    if agenda.last_meeting is None:
        lines.append(t("cli.meeting.no_last_meeting"))
    else:
        lines.append(t("cli.meeting.last_meeting", day=t.day(agenda.last_meeting)))
    lines += ["", t("cli.meeting.cases")]
    if agenda.cases:
        rows = [
            [
                str(number),
                case.code,
                t(f"primary_short.{case.primary}"),
                ", ".join(t(f"flag.{flag}") for flag in case.flags),
                t.number(case.waiting_days),
                t.number(case.deferred),
            ]
            for number, case in enumerate(agenda.cases, start=1)
        ]
        headers = ["position", "code", "primary", "flags", "waiting", "deferred_times"]
        lines += table([t(f"cli.meeting.col.{h}") for h in headers], rows, numeric={0, 4, 5})
    else:
        lines.append(t("cli.meeting.no_cases"))
    lines += ["", t("cli.meeting.open_actions")]
    if agenda.actions:
        rows = [
            [
                action.case_code,
                t(f"minutes.org.{action.owner_org}"),
                _one_line(action.owner_role),
                _shortened(_one_line(action.what), WHAT_SHOWN),
                (t.day(action.due) if action.due else "–")
                + (f" ({t('cli.meeting.overdue')})" if action.overdue else ""),
            ]
            for action in agenda.actions
        ]
        headers = ["code", "owner", "role", "what", "due"]
        lines += table([t(f"cli.meeting.col.{h}") for h in headers], rows)
    else:
        lines.append(t("cli.meeting.no_actions"))
    lines += ["", t("cli.meeting.direct_since_last", count=t.number(agenda.direct_since_last))]
    return lines


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _shortened(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], numeric: set[int] | None = None
) -> list[str]:
    """Columns two spaces apart, each as wide as its widest cell; ``numeric`` columns to the right."""
    numeric = numeric or set()
    widths = [max(len(cell) for cell in column) for column in zip(headers, *rows, strict=True)]

    def line(cells: Sequence[str]) -> str:
        padded = [
            cell.rjust(width) if index in numeric else cell.ljust(width)
            for index, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  ".join(padded).rstrip()

    return [line(headers), *(line(row) for row in rows)]


def _list(settings: Settings, t: Translator, args: argparse.Namespace) -> None:
    area = _area(args.area, t)
    with opened(settings) as store:
        meetings = _refused_as_input(lambda: store.list_meetings(area), t)
    if args.json:
        from consult.core.meeting import summary_json

        say(json.dumps([summary_json(m) for m in meetings], ensure_ascii=False, indent=2))
        return
    if not meetings:
        say(t("cli.meeting.no_meetings"))
        return
    say("\n".join(_list_lines(meetings, t)))


def _list_lines(meetings: Sequence[MeetingSummary], t: Translator) -> list[str]:
    headers = ["day", "area", "status", "items", "decided", "deferred", "not_discussed", "open_actions", "id"]
    rows = [
        [
            t.day(m.on),
            t(f"area.{m.area}"),
            t(f"cli.meeting.status.{m.status}"),
            t.number(sum(m.items.values())),
            t.number(m.items.get("decided", 0)),
            t.number(m.items.get("deferred", 0)),
            t.number(m.items.get("not_discussed", 0)),
            t.number(m.actions.get("open", 0)),
            m.id,
        ]
        for m in meetings
    ]
    return table([t(f"cli.meeting.col.{h}") for h in headers], rows, numeric={3, 4, 5, 6, 7})


def _minutes(settings: Settings, t: Translator, args: argparse.Namespace) -> None:
    fmt = _minutes_format(args, t)
    if not _MEETING_ID.fullmatch(args.meeting_id):
        from consult.privacy.gate import shown

        said = shown(args.meeting_id)
        raise InputError(f"{said if said is not None else 'ID'}: {t('cli.meeting.not_an_id')}")
    from consult.report.minutes import minutes_sources, minutes_text

    with opened(settings) as store:
        found = _refused_as_input(lambda: store.get_meeting(args.meeting_id), t)
        if found is None:
            raise InputError(f"{args.meeting_id}: {t('cli.meeting.unknown')}")
        if found.status != "closed":
            status = t(f"cli.meeting.status.{found.status}")
            raise InputError(f"{args.meeting_id}: {t('cli.meeting.not_closed', status=status)}")
        cases, reviewed = _refused_as_input(lambda: minutes_sources(store, found), t)
    text = minutes_text(found, cases, reviewed, t, fmt)
    if args.output is None:
        write(text)
        return
    _write_minutes(text, args.output, t)
    print(t("cli.meeting.written", path=args.output), file=sys.stderr)


def _minutes_format(args: argparse.Namespace, t: Translator) -> Format:
    if args.output is None:
        return "markdown" if args.format == "markdown" else "text"
    if args.format is not None:
        raise InputError(f"--format: {t('cli.meeting.format_with_output')}")
    kind = MINUTES_KINDS.get(Path(args.output).suffix.lower())
    if kind is None:
        raise InputError(f"--output: {t('cli.meeting.output_kind')}")
    return kind


def _write_minutes(text: str, output: str, t: Translator) -> None:
    """Written beside the target under a fresh name and renamed, as the report is: a failure
    never leaves half the minutes, and a link planted there is never followed."""
    from consult.system.failures import cannot_write
    from consult.system.files import write_replacing

    try:
        write_replacing(Path(output), lambda out: out.write(text))
    except OSError as error:
        raise InputError(cannot_write(output, error, t)) from None


_ACTIONS: dict[str, Callable[[Settings, Translator, argparse.Namespace], None]] = {
    "agenda": _agenda,
    "list": _list,
    "minutes": _minutes,
}
