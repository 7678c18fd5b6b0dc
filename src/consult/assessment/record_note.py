"""What the result says in words: next steps for the path, and the record note ("kirjaus").

Pure text from the assessment and its recommendation, in the user's language.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from consult.assessment.bilateral import bilateral_pair_keys
from consult.assessment.service_words import Offer, area_words, case_lines, offer_lines
from consult.catalogue.model import Catalogue
from consult.core.instrument import QUESTION_KEYS, load_instrument, localized
from consult.core.model import Assessment, CaseServices, Context, Reason, Recommendation
from consult.i18n import Translator
from consult.i18n.formats import show

# The worker's organisation type, as one of the three organisations the rules name.


def context_words(context: Context, t: Translator) -> str:
    """The banded context in words, e.g. "Kuopio, Sosiaalipalvelut, Työtön työnhakija: kyllä"."""
    parts = [
        t(f"{name}.{value}")
        for name, value in context.model_dump().items()
        if value is not None and name != "jobseeker"
    ]
    if context.jobseeker is not None:
        parts.append(f"{t('context.jobseeker')}: {t('jobseeker.' + str(context.jobseeker).lower())}")
    return ", ".join(parts) or t("context.unknown")


def bilateral_pair(assessment: Assessment, recommendation: Recommendation, t: Translator) -> tuple[str, str]:
    """The two organisations of a bilateral consultation: the worker's own and the other one."""
    names = [t(f"org.{org}") for org in bilateral_pair_keys(assessment.context.worker_org, recommendation)]
    while len(names) < 2:
        names.append(t("next.bilateral.other"))
    return names[0], names[1]


def next_steps(
    assessment: Assessment, recommendation: Recommendation, t: Translator, prefix: str = "next"
) -> list[str]:
    """The next steps, safety and urgency first. ``prefix`` "next": addressed to the worker on
    screen; "note.step": the same steps in the third person, as an official record says them."""

    def step(key: str, **params: object) -> str:
        return t(f"{prefix}.{key}", **params)

    steps: list[str] = []
    if "safety" in recommendation.flags:
        steps.append(step("safety"))
    if "urgent" in recommendation.flags:
        steps.append(step("urgent"))
    primary = recommendation.primary
    if primary == "tym":
        steps += [step("tym.team"), step("tym.contact"), step("tym.record")]
    elif primary == "social_services":
        steps += [
            step("social.assessment"),
            "  – " + step("social.consent"),
            "  – " + step("social.no_consent"),
            step("social.activation"),
        ]
        if "health" in recommendation.needs:
            steps.append(step("social.health"))
    elif primary == "bilateral":
        first, second = bilateral_pair(assessment, recommendation, t)
        steps.append(step("bilateral.pair", first=first, second=second))
    else:
        steps.append(step("own_service"))
    if "bring_to_team" in recommendation.flags and primary != "tym":
        steps.append(step("team"))
    return steps


@dataclass(frozen=True, slots=True)
class SavedAs:
    """How and on which day the case was saved, for the record note to say what was done."""

    status: str  # "awaiting_team" or "referred_directly"
    on: date


def what_was_done(recommendation: Recommendation, saved: SavedAs | None, t: Translator) -> str:
    """The note's account of the case in the consultation model: saved (the route, the day) or
    not saved yet -- never an instruction."""
    if saved is None:
        return t("note.unsaved")
    day = show(saved.on, t.lang)
    if saved.status == "awaiting_team":
        return t("note.saved.to_team", date=day)
    if "bring_to_team" in recommendation.flags:
        return t("note.saved.direct_over_team", date=day)
    return t("note.saved.direct", date=day)


def _list(keys: Sequence[str], prefix: str, t: Translator) -> str:
    return ", ".join(t(f"{prefix}.{k}") for k in keys) if keys else t("profile.none")


def _offer_lines(offer: Offer, t: Translator) -> list[str]:
    """The services to contact, grouped by organisation, as the record lists them."""
    lines = [t("services.note.offer", area=area_words(offer.area, t), version=offer.version)]
    for kind, text in offer_lines(offer, t):
        if kind == "roles":
            lines.append(f"- {t('services.note.bilateral')}")
        elif kind in ("service", "role"):
            lines.append(f"  – {text}")
        else:
            lines.append(f"- {text}")
    return lines


def record_note(
    assessment: Assessment,
    recommendation: Recommendation,
    notes: dict[str, str],
    t: Translator,
    assessed_on: date,
    reasons: list[Reason] | None = None,
    saved: SavedAs | None = None,
    *,
    offer: Offer | None = None,
    services: CaseServices | None = None,
    catalogues: Sequence[Catalogue] = (),
) -> str:
    """The record note for the client record, one text for the screen, the clipboard and the
    file: official, in the third person, with no key hints, saying what was done (``saved``:
    the route and day, or None: not saved yet). Dated on the day of the assessment (not the day
    it is copied). It carries no case code: the anonymous case and the identified client record
    must not be linkable through the note. ``reasons``: the reasons in the reader's language
    (``scoring.explain``); the stored ones by default. ``offer``: the services of the client's
    area to contact (``service_words.offer`` on the catalogue in force); ``services``: those
    tried before and those missing, named from ``catalogues`` (the one in force first)."""
    instrument = load_instrument()
    suggested: dict[str, str] = {k: v for k, v in recommendation.suggested_answers.items()}
    levels = ", ".join(
        f"{localized(d.title, t.lang)} {getattr(assessment.scores, d.key) or '–'}" for d in instrument.domains
    )
    answers = ", ".join(
        f"{i}) {t('answer.' + (getattr(assessment.answers, key) or suggested[key]))}"
        for i, key in enumerate(QUESTION_KEYS, start=1)
    )
    lines = [
        t("note.heading", date=show(assessed_on, t.lang)),
        t("note.levels", levels=levels),
        t(
            "note.needs",
            needs=_list(recommendation.needs, "need", t),
            orgs=_list(recommendation.orgs, "org", t),
        ),
        t("note.answers", answers=answers),
        t("note.recommendation", primary=t(f"primary.{recommendation.primary}")),
        what_was_done(recommendation, saved, t),
    ]
    if recommendation.flags:
        lines.append(t("note.flags", flags=_list(recommendation.flags, "flag", t)))
    shown = recommendation.reasons if reasons is None else reasons
    lines.append(t("note.reasons", reasons=" ".join(r["text"] for r in shown)))
    # The record carries the next steps too: the worker acts on them after the screen is gone.
    lines.append(t("note.next"))
    lines += [
        f"  {step.strip()}" if step.startswith(" ") else f"- {step}"
        for step in next_steps(assessment, recommendation, t, prefix="note.step")
    ]
    if offer is not None:
        lines += _offer_lines(offer, t)
    if services is not None:
        tried, missing = case_lines(services, t, catalogues)
        if tried:
            lines.append(t("services.note.tried", services="; ".join(tried)))
        if missing:
            lines.append(t("services.note.missing", services="; ".join(missing)))
    written = [
        f"{localized(instrument.domain(k).title, t.lang) if k != 'general' else ''}: {v}".lstrip(": ")
        for k, v in notes.items()
        if v
    ]
    if written:
        lines.append(t("note.notes", notes=" / ".join(written)))
    lines.append(t("note.support", version=recommendation.rules_version))
    return "\n".join(lines)
