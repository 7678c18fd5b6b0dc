"""Evaluates a rules definition against an assessment and explains every decision.

Pure and fast: no I/O, no UI, no database. The order of the rules is the order of
``scoring.md``: the first primary rule that matches wins; flags are independent of it.
"""

from __future__ import annotations

from dataclasses import dataclass

from consult.instrument import QUESTION_KEYS, load_instrument, localized
from consult.model import Assessment, Reason, Recommendation, Scores
from consult.scoring.rules import CURRENT_RULES, RulesDefinition


@dataclass(frozen=True, slots=True)
class Facts:
    """What the scores alone say, before any answer."""

    levels: dict[str, int | None]
    challenges: tuple[str, ...]
    assessed: int
    needs: tuple[str, ...]
    orgs: tuple[str, ...]
    acute: tuple[str, ...]
    suggested: dict[str, str]


@dataclass(frozen=True, slots=True)
class _Compiled:
    """A rules definition flattened into tuples once, so scoring stays fast."""

    need_domains: tuple[tuple[str, frozenset[str]], ...]
    org_levels: tuple[tuple[str, tuple[tuple[str, int], ...]], ...]
    org_needs: tuple[tuple[str, frozenset[str]], ...]
    all_orgs: frozenset[str]


_COMPILED: dict[int, _Compiled] = {}


def _compile(rules: RulesDefinition) -> _Compiled:
    compiled = _COMPILED.get(id(rules))
    if compiled is None:
        compiled = _Compiled(
            need_domains=tuple(sorted((n, frozenset(d)) for n, d in rules.need_domains.items())),
            org_levels=tuple((o, tuple(t.items())) for o, t in rules.org_levels.items()),
            org_needs=tuple((o, frozenset(n)) for o, n in rules.org_needs.items()),
            all_orgs=frozenset(rules.all_orgs),
        )
        _COMPILED[id(rules)] = compiled
    return compiled


def derive(scores: Scores, rules: RulesDefinition = CURRENT_RULES) -> Facts:
    compiled = _compile(rules)
    levels: dict[str, int | None] = dict(scores.__dict__)  # the seven fields, in instrument order
    threshold = rules.challenge_level
    challenges = tuple(k for k, v in levels.items() if v is not None and v >= threshold)
    challenged = set(challenges)
    assessed = len(levels) - list(levels.values()).count(None)
    needs = tuple(need for need, domains in compiled.need_domains if not challenged.isdisjoint(domains))
    orgs_set: set[str] = set()
    for org, triggers in compiled.org_levels:
        for domain, minimum in triggers:
            level = levels[domain]
            if level is not None and level >= minimum:
                orgs_set.add(org)
                break
    for org, org_needs in compiled.org_needs:
        if not org_needs.isdisjoint(needs):
            orgs_set.add(org)
    orgs = tuple(sorted(orgs_set))
    acute = tuple(d for d in rules.acute_domains if levels[d] == rules.acute_level)

    count = len(challenges)
    employment = levels["employment"] or 0
    suggested = {
        "q_bilateral": "yes" if count >= 1 and len(orgs) <= rules.bilateral_max_orgs else "no",
        "q_other_first": "yes" if acute else "no",
        "q_multi_support": "yes" if count >= rules.multi_support_min_challenges else "no",
        "q_coordination": "yes" if compiled.all_orgs <= orgs_set else "no",
        "q_joint_plan": "yes"
        if count >= rules.joint_plan_min_challenges and employment >= rules.joint_plan_employment_level
        else "no",
    }
    return Facts(levels, challenges, assessed, needs, orgs, acute, suggested)


def suggest(scores: Scores, rules: RulesDefinition = CURRENT_RULES) -> dict[str, str]:
    """The suggested answer to each referral question, from the scores alone."""
    return derive(scores, rules).suggested


class _Explainer:
    """Renders reason texts in one language; kept apart so the rules stay pure decisions."""

    __slots__ = ("lang", "reasons", "rules")

    def __init__(self, rules: RulesDefinition, lang: str) -> None:
        self.rules = rules
        self.lang = lang
        self.reasons: list[Reason] = []

    def add(self, rule: str, key: str, **params: object) -> None:
        text = localized(self.rules.reasons[key], self.lang)
        self.reasons.append({"rule": rule, "text": text.format(**params) if params else text})

    def domains(self, keys: tuple[str, ...] | list[str]) -> str:
        instrument = load_instrument()
        return ", ".join(localized(instrument.domain(k).title, self.lang) for k in keys)

    def questions(self, keys: list[str]) -> str:
        template = localized(self.rules.reasons["question"], self.lang)
        return ", ".join(template.format(number=QUESTION_KEYS.index(k) + 1) for k in keys)


def evaluate(
    assessment: Assessment, lang: str = "fi", rules: RulesDefinition = CURRENT_RULES
) -> Recommendation:
    """The recommendation for one assessment, with a reason for the primary and every flag."""
    facts = derive(assessment.scores, rules)
    suggested = facts.suggested
    given: dict[str, str | None] = dict(assessment.answers.__dict__)
    # An unanswered question takes its suggestion.
    effective = {key: given[key] or suggested[key] for key in QUESTION_KEYS}
    count = len(facts.challenges)
    explain = _Explainer(rules, lang)

    # The primary: the first rule that matches.
    not_jobseeker = False
    if facts.acute:
        primary = "social_services"
        explain.add("social_services", "social_services.acute", domains=explain.domains(facts.acute))
    elif effective["q_other_first"] == "yes":
        primary = "social_services"
        explain.add("social_services", "social_services.other_first")
    else:
        primary = ""
        tym_applies = (
            effective["q_coordination"] == "yes"
            and (effective["q_multi_support"] == "yes" or effective["q_joint_plan"] == "yes")
            and effective["q_bilateral"] != "yes"
        )
        if tym_applies:
            if assessment.context.jobseeker is False:
                not_jobseeker = True
                explain.add("not_jobseeker", "not_jobseeker")
            else:
                primary = "tym"
                explain.add("tym", "tym")
        if not primary:
            other_yes = [k for k in QUESTION_KEYS if k != "q_bilateral" and effective[k] == "yes"]
            if given["q_bilateral"] == "yes":
                primary = "bilateral"
                explain.add("bilateral", "bilateral.answer")
            elif count >= 1:
                primary = "bilateral"
                explain.add(
                    "bilateral",
                    "bilateral.challenges",
                    count=count,
                    domains=explain.domains(facts.challenges),
                )
            elif other_yes:
                primary = "bilateral"
                explain.add("bilateral", "bilateral.answers", questions=explain.questions(other_yes))
            elif effective["q_bilateral"] == "yes":
                # Only reachable when a rules definition suggests q_bilateral without challenges.
                primary = "bilateral"
                explain.add("bilateral", "bilateral.answer")
            else:
                primary = "own_service"
                explain.add("own_service", "own_service")

    # Flags, safety first.
    flags: list[str] = []
    for domain in facts.acute:
        flag = rules.acute_flags.get(domain)
        if flag:
            flags.append(flag)
            explain.add(flag, flag)
    insufficient = facts.assessed < rules.min_assessed
    if insufficient:
        flags.append("insufficient_data")
        explain.add(
            "insufficient_data", "insufficient_data", assessed=facts.assessed, minimum=rules.min_assessed
        )

    unsure = [k for k in QUESTION_KEYS if given[k] == "unsure"]
    disagrees = [k for k in QUESTION_KEYS if given[k] is not None and given[k] != suggested[k]]
    n_orgs = len(facts.orgs)
    borderline = (count >= rules.borderline_min_challenges and n_orgs == 2) or (
        n_orgs == len(rules.all_orgs) and count < rules.borderline_min_challenges
    )
    if unsure or disagrees or insufficient or borderline or not_jobseeker:
        flags.append("bring_to_team")
        if unsure:
            explain.add("bring_to_team", "bring_to_team.unsure", questions=explain.questions(unsure))
        if disagrees:
            explain.add("bring_to_team", "bring_to_team.disagrees", questions=explain.questions(disagrees))
        if insufficient:
            explain.add("bring_to_team", "bring_to_team.insufficient_data")
        if borderline:
            explain.add("bring_to_team", "bring_to_team.borderline", count=count, orgs=n_orgs)
        if not_jobseeker:
            explain.add("bring_to_team", "bring_to_team.not_jobseeker")

    return Recommendation.model_construct(
        primary=primary,
        needs=list(facts.needs),
        orgs=list(facts.orgs),
        flags=sorted(flags),
        suggested_answers=suggested,
        reasons=explain.reasons,
        rules_version=rules.version,
    )
