"""A version-3 bundle's top-level ``"meetings"`` (product.md, "Team meetings"): each meeting
validated whole, as the rules for cases are (``consult.exchange.bundle``), with one line naming
the meeting and the field when something is wrong. Meetings are few: they are read whole and
kept until the bundle's cases are written; whether the cases they refer to exist is asked of
the database then (``consult.store.meetings.add_meetings``), inside the import's transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr, ValidationError

from consult.core.meeting import (
    NOTE_LENGTH,
    OWNER_ROLE_LENGTH,
    WHAT_LENGTH,
    Action,
    ActionStatus,
    ItemResult,
    Meeting,
    MeetingArea,
    MeetingItem,
    MeetingStatus,
    Org,
)
from consult.exchange.validation import describe
from consult.i18n import Translator
from consult.privacy import gate
from consult.privacy.guard import Finding, check, identity_codes_in_identifier, split_identifiers
from consult.store.meetings import ImportedMeeting

UUID = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
Id = Annotated[str, Field(pattern=UUID)]
BY_LENGTH = 64  # a login, as the who-columns hold it


class BundleItem(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    case_id: Id
    position: StrictInt
    result: ItemResult | None


class BundleAction(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Id
    case_id: Id
    owner_org: Org
    owner_role: StrictStr
    what: StrictStr
    due: date | None
    status: ActionStatus
    closed_on: date | None
    closed_in: Id | None
    by: StrictStr | None = None  # for information only: who adds the row here is the importer


class BundleMeeting(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Id
    area: MeetingArea
    on: date
    status: MeetingStatus
    convener_org: Org
    present: list[Org]
    apologies: list[Org]
    note: StrictStr = ""
    items: list[BundleItem]
    actions: list[BundleAction] = Field(default_factory=list)


# Years a meeting's days may have, as a case's (consult.exchange.bundle.YEARS).
YEARS = (2000, 2099)

Problem = Callable[[str, str], Exception]


def meeting_name(index: int, raw: object) -> str:
    """``meetings[2]``, with the meeting's id when it is short and clean enough to show."""
    given = raw.get("id") if isinstance(raw, dict) else None
    if isinstance(given, str) and (shown := gate.shown(given, 36)) is not None:
        return f"meetings[{index}] ({shown})"
    return f"meetings[{index}]"


class MeetingsSeen:
    """What the bundle's meetings held so far: their ids and their actions' ids (each once in a
    bundle), and the texts the guard warned about, by meeting."""

    def __init__(self) -> None:
        self.meetings: set[str] = set()
        self.actions: set[str] = set()
        self.warned: list[tuple[str, dict[str, list[str]]]] = []


def check_meeting(
    raw: object, index: int, t: Translator, seen: MeetingsSeen, problem_of: Callable[[str], Exception]
) -> ImportedMeeting:
    """One meeting of a bundle, validated; ``problem_of(line)`` makes the exception raised."""
    name = meeting_name(index, raw)
    try:
        given = BundleMeeting.model_validate(raw)
    except ValidationError as error:
        described = describe(error, t)
        raise problem_of(
            t("meeting_bundle.problem", meeting=name, field=described.field, message=described.message)
        ) from None

    def problem(field: str, key: str, **values: object) -> Exception:
        return problem_of(
            t(
                "meeting_bundle.problem",
                meeting=name,
                field=field,
                message=t(f"meeting_bundle.{key}", **values),
            )
        )

    ids = [("id", given.id)] + [(f"actions[{n}].id", a.id) for n, a in enumerate(given.actions)]
    for field, value in ids:
        if identity_codes_in_identifier(value):  # a UUID's A–F are century signs
            raise problem_of(
                t(
                    "privacy.bundle",
                    case=f"meetings[{index}]",
                    field=field,
                    found=t("privacy.kind.identity_code"),
                )
            )
    if given.id in seen.meetings:
        raise problem("id", "twice")
    days: list[tuple[str, date | None]] = [("on", given.on)]
    for n, a in enumerate(given.actions):
        days += [(f"actions[{n}].due", a.due), (f"actions[{n}].closed_on", a.closed_on)]
    low, high = YEARS
    for field, day in days:
        if day is not None and not low <= day.year <= high:
            raise problem(field, "years", low=low, high=high)
    for field, orgs in (("present", given.present), ("apologies", given.apologies)):
        if len(set(orgs)) != len(orgs):
            raise problem(field, "org_twice")
    if set(given.present) & set(given.apologies):
        raise problem("apologies", "also_present")
    positions = sorted(i.position for i in given.items)
    if positions != list(range(1, len(given.items) + 1)):
        raise problem("items", "positions")
    if len({i.case_id for i in given.items}) != len(given.items):
        raise problem("items", "case_twice")
    closed = given.status == "closed"
    for n, item in enumerate(given.items):
        if closed and item.result is None:
            raise problem(f"items[{n}].result", "result_closed")
        if not closed and item.result is not None:
            raise problem(f"items[{n}].result", "result_not_closed")
    for n, a in enumerate(given.actions):
        if a.id in seen.actions:
            raise problem(f"actions[{n}].id", "twice")
        if a.status == "open" and (a.closed_on is not None or a.closed_in is not None):
            raise problem(f"actions[{n}].status", "open_closed")
        if a.closed_on is not None and a.closed_on < given.on:
            raise problem(f"actions[{n}].closed_on", "before_meeting")
    _check_texts(given, index, name, t, seen, problem_of)
    seen.meetings.add(given.id)
    seen.actions.update(a.id for a in given.actions)
    meeting = Meeting(
        id=given.id,
        area=given.area,
        on=given.on,
        status=given.status,
        convener_org=given.convener_org,
        present=tuple(given.present),
        apologies=tuple(given.apologies),
        note=given.note,
        items=tuple(
            MeetingItem(i.case_id, i.position, i.result)
            for i in sorted(given.items, key=lambda i: i.position)
        ),
        actions=tuple(
            Action(
                id=a.id,
                case_id=a.case_id,
                meeting_id=given.id,
                owner_org=a.owner_org,
                owner_role=a.owner_role,
                what=a.what,
                due=a.due,
                status=a.status,
                closed_on=a.closed_on,
                closed_in=a.closed_in,
            )
            for a in given.actions
        ),
    )
    return ImportedMeeting(index=index, meeting=meeting, by={a.id: a.by for a in given.actions})


def _check_texts(
    given: BundleMeeting,
    index: int,
    name: str,
    t: Translator,
    seen: MeetingsSeen,
    problem_of: Callable[[str], Exception],
) -> None:
    """The meeting's texts as a case's are read: a NUL, a control, a text over its limit or an
    identifier refuses the bundle; a likely name or address is a warning."""
    texts: list[tuple[str, str, int]] = [("note", given.note, NOTE_LENGTH)]
    for n, a in enumerate(given.actions):
        texts += [
            (f"actions[{n}].owner_role", a.owner_role, OWNER_ROLE_LENGTH),
            (f"actions[{n}].what", a.what, WHAT_LENGTH),
        ]
        if a.by is not None:
            texts.append((f"actions[{n}].by", a.by, BY_LENGTH))
    warned: dict[str, list[str]] = {}
    for field, value, limit in texts:
        try:
            gate.form(field, value, limit)
        except gate.TextRefused as error:
            raise problem_of(
                t("meeting_bundle.problem", meeting=name, field=field, message=gate.problem_words(error, t))
            ) from None
        if not value:
            continue
        if not value.isascii():
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:  # a lone surrogate: no database stores it
                raise problem_of(
                    t("meeting_bundle.problem", meeting=name, field=field, message=t("bundle.not_text"))
                ) from None
        found: list[Finding] = check(value)
        refused = [f.kind for f in found if f.refused]
        if refused:
            kinds = ", ".join(t(f"privacy.kind.{kind}") for kind in dict.fromkeys(refused))
            raise problem_of(t("privacy.bundle", case=f"meetings[{index}]", field=field, found=kinds))
        if found:
            warned[field] = list(dict.fromkeys(f.kind for f in found))
    for n, a in enumerate(given.actions):
        written = {f"actions[{n}].owner_role": a.owner_role, f"actions[{n}].what": a.what}
        if all(any(c.isdigit() for c in v) for v in written.values()):
            for finding in split_identifiers(written):
                if finding.refused:
                    found_kind = t(f"privacy.kind.{finding.kind}")
                    raise problem_of(
                        t(
                            "privacy.bundle",
                            case=f"meetings[{index}]",
                            field=" + ".join(finding.fields),
                            found=found_kind,
                        )
                    )
    if warned:
        seen.warned.append((f"meetings[{index}]", warned))
