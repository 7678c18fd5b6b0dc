"""What the team meeting's screens share: the words for organisations, flags and results, a
day typed for a meeting, and a store call whose refusal is said in one line."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from datetime import date
from typing import TYPE_CHECKING, TypeVar

from rich.text import Text

from consult.core.meeting import ORGS

if TYPE_CHECKING:
    from consult.i18n import Translator
    from consult.screens.base import ConsultModal, ConsultScreen

T = TypeVar("T")

# The flags a team must not miss: marked in words and colour wherever a case is listed.
ALARMS = ("safety", "urgent")


def org_word(t: Translator, org: str) -> str:
    return t(f"meeting.org.{org}")


def orgs_words(t: Translator, orgs: Iterable[str]) -> str:
    words = [org_word(t, org) for org in orgs]
    return ", ".join(words) if words else "–"


def org_options(t: Translator) -> list[tuple[object, str]]:
    return [(org, org_word(t, org)) for org in ORGS]


def flag_marks(t: Translator, flags: Iterable[str]) -> Text:
    """A case's flags in short words: safety and urgent first, with a ⚠ so they read without
    colour, and in the alarm's colour; the others quietly after."""
    flags = list(flags)
    out = Text()
    for flag in [f for f in ALARMS if f in flags] + [f for f in flags if f not in ALARMS]:
        if out:
            out.append(" ")
        if flag in ALARMS:
            out.append(f"⚠{t(f'flag_short.{flag}')}", style="bold reverse red")
        else:
            out.append(t(f"flag_short.{flag}"), style="dim")
    return out if out else Text("–")


def due_words(t: Translator, due: date | None) -> str:
    from consult.i18n.formats import show

    return show(due, t.lang) if due is not None else t("meeting.no_due")


def refusal_words(error: ValueError, t: Translator) -> str:
    """Why the store refused, in the user's words where the kind is one a screen can meet."""
    from consult.privacy.gate import TextRefused, problem_words

    if isinstance(error, TextRefused):
        return problem_words(error, t)
    kind = getattr(error, "kind", None)
    if isinstance(kind, str) and (words := t(f"meeting.problem.{kind}")) != f"meeting.problem.{kind}":
        return words
    return str(error).splitlines()[0] if str(error) else error.__class__.__name__


async def stored(screen: ConsultScreen | ConsultModal, call: Callable[[], T]) -> T | None:
    """``call`` (a store method) in a worker thread; a refusal is said in one line and None
    returned, so the screen stays as it was and nothing typed is lost."""
    t = screen.t
    try:
        return await asyncio.to_thread(call)
    except PermissionError:
        screen.notify(t("meeting.not_allowed"), severity="error")
    except ValueError as error:  # the store names the field and what is wrong, never the text
        screen.notify(t("meeting.refused", reason=refusal_words(error, t)), severity="error")
    except Exception as error:  # never a traceback in front of the team
        screen.notify(t("meeting.failed", error=error.__class__.__name__), severity="error")
    return None
