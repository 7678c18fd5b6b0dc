"""Reasons in the reader's language: a stored case keeps the reasons as they were saved, but a
screen shows them rendered again from each reason's rule and the case's stored facts."""

from __future__ import annotations

from collections.abc import Mapping

from consult.core.model import Assessment, Reason, Recommendation
from consult.scoring.engine import evaluate
from consult.scoring.rules import BUILT_IN, PS_2025_1, RulesDefinition


def explain(
    recommendation: Recommendation,
    assessment: Assessment,
    lang: str,
    known: Mapping[str, RulesDefinition] | None = None,
) -> list[Reason]:
    """The stored reasons of ``recommendation`` with their texts in ``lang``.

    The case's stored scores, answers and context are scored again under the version that
    scored it (from ``known``, else the built-in versions; an unknown version is worded by
    ``ps-2025.1``). Each stored reason takes the text of the next fresh reason of the same
    rule; a stored reason that no fresh one matches keeps its saved text, so nothing the case
    said is lost. The order and the rules are always the stored ones. When the fresh scoring
    does not reach the stored result (an unknown version that decided otherwise), every text
    stays as saved: words about counts and domains must describe the case as it was scored.
    """
    version = recommendation.rules_version
    rules = (known or {}).get(version) or BUILT_IN.get(version) or PS_2025_1
    again = evaluate(assessment, lang, rules)
    if (again.primary, again.flags, again.needs, again.orgs, again.suggested_answers) != (
        recommendation.primary,
        recommendation.flags,
        recommendation.needs,
        recommendation.orgs,
        recommendation.suggested_answers,
    ):
        return [{"rule": r["rule"], "text": r["text"]} for r in recommendation.reasons]
    fresh: dict[str, list[str]] = {}
    for reason in again.reasons:
        fresh.setdefault(reason["rule"], []).append(reason["text"])
    out: list[Reason] = []
    for reason in recommendation.reasons:
        texts = fresh.get(reason["rule"])
        out.append({"rule": reason["rule"], "text": texts.pop(0) if texts else reason["text"]})
    return out
