"""Evaluates a rules definition against an assessment and explains every decision.

Pure and fast: no I/O, no UI, no database. The order of the rules is the order of
``scoring.md``: the first primary rule that matches wins; flags are independent of it.

Speed matters because comparing rules re-scores every stored case: a definition is compiled
once into a table per domain (level → bits for challenge, acute, organisations), so the scores
of an assessment become one integer; everything the scores alone decide is kept per integer,
and reason texts are formatted from templates prepared once per language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import reduce
from operator import getitem, or_
from typing import TYPE_CHECKING, Any

from consult.core.instrument import DOMAIN_KEYS, QUESTION_KEYS, load_instrument, localized
from consult.scoring.rules import CURRENT_RULES, RulesDefinition

if TYPE_CHECKING:
    # The models only where an Assessment comes in or a Recommendation goes out: ``recommend``
    # reads and returns plain values, so ``consult score`` never imports pydantic.
    from consult.core.model import Assessment, Recommendation, Scores

_N = len(DOMAIN_KEYS)
_ACUTE_SHIFT = _N
_ORG_SHIFT = 2 * _N
_EMPLOYMENT_BIT = 1 << (_ORG_SHIFT + 8)
_CHALLENGE_MASK = (1 << _N) - 1
_ACUTE_MASK = _CHALLENGE_MASK << _ACUTE_SHIFT


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


@dataclass(slots=True, eq=False)  # one per combination and rules: compared and hashed as itself
class Shape:
    """Everything the scores decide, for one combination of challenge, acute and org bits."""

    challenges: tuple[str, ...]
    count: int
    needs: tuple[str, ...]
    orgs: tuple[str, ...]
    acute: tuple[str, ...]
    suggested: dict[str, str]
    suggested_tuple: tuple[str, ...]
    borderline: bool
    flags: tuple[str, ...]  # the acute flags, safety first as the rules list them
    # language → the texts of "bilateral.challenges" and "social_services.acute" for this shape
    words: dict[str, tuple[str, str]] = field(default_factory=dict)


class _Compiled:
    __slots__ = ("_orgs", "all_orgs", "phrases", "rules", "shapes", "tables", "templates")

    def __init__(self, rules: RulesDefinition) -> None:
        self.rules = rules
        orgs = sorted({*rules.org_levels, *rules.org_needs, *rules.all_orgs})
        self.all_orgs = frozenset(rules.all_orgs)
        tables = []
        for index, domain in enumerate(DOMAIN_KEYS):
            row: dict[int | None, int] = {}
            for level in (None, 1, 2, 3, 4, 5):
                bits = 0
                if level is not None and level >= rules.challenge_level:
                    bits |= 1 << index
                if level is not None and domain in rules.acute_domains and level >= rules.acute_level:
                    bits |= 1 << (_ACUTE_SHIFT + index)
                for number, org in enumerate(orgs):
                    minimum = rules.org_levels.get(org, {}).get(domain)
                    if level is not None and minimum is not None and level >= minimum:
                        bits |= 1 << (_ORG_SHIFT + number)
                if domain == "employment" and (level or 0) >= rules.joint_plan_employment_level:
                    bits |= _EMPLOYMENT_BIT
                row[level] = bits
            tables.append(row)
        self.tables = tuple(tables)
        self.shapes: dict[int, Shape] = {}
        self.templates: dict[str, dict[str, str]] = {}
        # (language, reason key, parameters) → the formatted text: few distinct ones exist.
        self.phrases: dict[tuple[str, str, object], str] = {}
        self._orgs = tuple(orgs)

    def shape(self, mask: int) -> Shape:
        shape = self.shapes.get(mask)
        if shape is None:
            shape = self.shapes[mask] = self._shape(mask)
        return shape

    def _shape(self, mask: int) -> Shape:
        rules = self.rules
        challenges = tuple(d for i, d in enumerate(DOMAIN_KEYS) if mask >> i & 1)
        challenged = set(challenges)
        # The acute domains in the order the rules list them: that order places the flags.
        acute = tuple(d for d in rules.acute_domains if mask >> (_ACUTE_SHIFT + DOMAIN_KEYS.index(d)) & 1)
        needs = tuple(sorted(n for n, domains in rules.need_domains.items() if challenged & set(domains)))
        org_set = {o for number, o in enumerate(self._orgs) if mask >> (_ORG_SHIFT + number) & 1}
        org_set |= {o for o, wanted in rules.org_needs.items() if set(wanted) & set(needs)}
        orgs = tuple(sorted(org_set))
        count = len(challenges)
        suggested = {
            "q_bilateral": "yes" if count >= 1 and len(orgs) <= rules.bilateral_max_orgs else "no",
            "q_other_first": "yes" if acute else "no",
            "q_multi_support": "yes" if count >= rules.multi_support_min_challenges else "no",
            "q_coordination": "yes" if self.all_orgs <= org_set else "no",
            "q_joint_plan": "yes"
            if count >= rules.joint_plan_min_challenges and mask & _EMPLOYMENT_BIT
            else "no",
        }
        n_orgs = len(orgs)
        borderline = (count >= rules.borderline_min_challenges and n_orgs == 2) or (
            n_orgs == len(rules.all_orgs) and count < rules.borderline_min_challenges
        )
        flags = tuple(f for d in acute if (f := rules.acute_flags.get(d)))
        return Shape(
            challenges=challenges,
            count=count,
            needs=needs,
            orgs=orgs,
            acute=acute,
            suggested=suggested,
            suggested_tuple=tuple(suggested[k] for k in QUESTION_KEYS),
            borderline=borderline,
            flags=flags,
        )

    def words(self, shape: Shape, lang: str) -> tuple[str, str]:
        """The reasons that name the challenged and the acute domains, in ``lang``."""
        found = shape.words.get(lang)
        if found is None:
            instrument = load_instrument()
            texts = self.texts(lang)

            def names(keys: tuple[str, ...]) -> str:
                return ", ".join(localized(instrument.domain(k).title, lang) for k in keys)

            found = shape.words[lang] = (
                texts["bilateral.challenges"].format(count=shape.count, domains=names(shape.challenges)),
                texts["social_services.acute"].format(domains=names(shape.acute)),
            )
        return found

    def phrase(self, lang: str, key: str, numbers: int | tuple[int, ...]) -> str:
        """A reason text whose parameters are question numbers or counts, formatted once."""
        found = self.phrases.get((lang, key, numbers))
        if found is None:
            texts = self.texts(lang)
            if key == "insufficient_data":
                found = texts[key].format(assessed=numbers, minimum=self.rules.min_assessed)
            elif key == "bring_to_team.borderline":
                assert isinstance(numbers, tuple)
                count, orgs = numbers
                found = texts[key].format(count=count, orgs=orgs)
            else:
                template = texts["question"]
                assert isinstance(numbers, tuple)
                questions = ", ".join(template.format(number=n) for n in numbers)
                found = texts[key].format(questions=questions)
            self.phrases[(lang, key, numbers)] = found
        return found

    def texts(self, lang: str) -> dict[str, str]:
        found = self.templates.get(lang)
        if found is None:
            found = self.templates[lang] = {k: localized(v, lang) for k, v in self.rules.reasons.items()}
        return found


_COMPILED: dict[int, _Compiled] = {}
_COMPILED_LIMIT = 256  # rules built by the thousand (a search of thresholds) must not pile up


def _compile(rules: RulesDefinition) -> _Compiled:
    compiled = _COMPILED.get(id(rules))
    # The identity check: an id is reused once a definition is gone.
    if compiled is None or compiled.rules is not rules:
        if len(_COMPILED) >= _COMPILED_LIMIT:
            _COMPILED.clear()
        compiled = _COMPILED[id(rules)] = _Compiled(rules)
    return compiled


def _mask(compiled: _Compiled, values: tuple[int | None, ...]) -> int:
    if len(values) != _N:
        raise ValueError(f"{len(values)} levels, not {_N}")
    # OR of each domain's bits, the tables (level → bits, None included) looked up in C.
    return reduce(or_, map(getitem, compiled.tables, values))


def derive(scores: Scores, rules: RulesDefinition = CURRENT_RULES) -> Facts:
    compiled = _compile(rules)
    levels: dict[str, int | None] = dict(scores.__dict__)  # the seven fields, in instrument order
    values = tuple(levels.values())
    shape = compiled.shape(_mask(compiled, values))
    return Facts(
        levels,
        shape.challenges,
        _N - values.count(None),
        shape.needs,
        shape.orgs,
        shape.acute,
        dict(shape.suggested),
    )


def suggest(scores: Scores, rules: RulesDefinition = CURRENT_RULES) -> dict[str, str]:
    """The suggested answer to each referral question, from the scores alone."""
    return derive(scores, rules).suggested


_NO_NUMBERS: tuple[int, ...] = ()


def _primary(
    shape: Shape, given: tuple[str | None, ...], jobseeker: bool | None
) -> tuple[str, str, bool, tuple[int, ...]]:
    """The first primary rule that matches: (primary, reason key, not_jobseeker, the numbers of
    the other questions answered yes)."""
    if shape.acute:
        return "social_services", "social_services.acute", False, _NO_NUMBERS
    # What was answered, else what the scores suggest (unpacked: a generator cost a third here).
    g1, g2, g3, g4, g5 = given
    s1, s2, s3, s4, s5 = shape.suggested_tuple
    bilateral, other_first, multi, coordination, joint = g1 or s1, g2 or s2, g3 or s3, g4 or s4, g5 or s5
    if other_first == "yes":
        return "social_services", "social_services.other_first", False, _NO_NUMBERS
    not_jobseeker = False
    if coordination == "yes" and (multi == "yes" or joint == "yes") and bilateral != "yes":
        if jobseeker is False:
            not_jobseeker = True
        else:
            return "tym", "tym", False, _NO_NUMBERS
    if given[0] == "yes":
        return "bilateral", "bilateral.answer", not_jobseeker, _NO_NUMBERS
    if shape.count:
        return "bilateral", "bilateral.challenges", not_jobseeker, _NO_NUMBERS
    effective = (other_first, multi, coordination, joint)
    other_yes = tuple(n for n, value in enumerate(effective, start=2) if value == "yes")
    if other_yes:
        return "bilateral", "bilateral.answers", not_jobseeker, other_yes
    if bilateral == "yes":
        # Only reachable when a rules definition suggests q_bilateral without challenges.
        return "bilateral", "bilateral.answer", not_jobseeker, _NO_NUMBERS
    return "own_service", "own_service", not_jobseeker, _NO_NUMBERS


# (answers given, answers suggested) → (numbers answered "unsure", numbers that differ from the
# suggestion): at most 4⁵ × 2⁵ entries, so kept without limit.
_CHECKS: dict[tuple[tuple[str | None, ...], tuple[str, ...]], tuple[tuple[int, ...], tuple[int, ...]]] = {}


def _checks(
    given: tuple[str | None, ...], suggested: tuple[str, ...]
) -> tuple[tuple[int, ...], tuple[int, ...]]:
    key = (given, suggested)
    found = _CHECKS.get(key)
    if found is None:
        pairs = list(enumerate(zip(given, suggested, strict=True), start=1))
        found = _CHECKS[key] = (
            tuple(n for n, (g, _) in pairs if g == "unsure"),
            # An "unsure" answer is its own reason; it does not also "differ" from the suggestion.
            tuple(n for n, (g, s) in pairs if g is not None and g != "unsure" and g != s),
        )
    return found


def primary_only(
    levels: tuple[int | None, ...],
    given: tuple[str | None, ...],
    jobseeker: bool | None,
    rules: RulesDefinition = CURRENT_RULES,
) -> str:
    """The primary alone, from the levels and answers in instrument order: what re-scoring
    thousands of stored cases needs, without building a single explanation."""
    compiled = _compile(rules)
    return _primary(compiled.shape(_mask(compiled, levels)), given, jobseeker)[0]


def suggestions_of(levels: tuple[int | None, ...], rules: RulesDefinition = CURRENT_RULES) -> tuple[str, ...]:
    """The suggested answers in question order, from the levels in instrument order."""
    compiled = _compile(rules)
    return compiled.shape(_mask(compiled, levels)).suggested_tuple


def _recommendation(values: dict[str, Any]) -> Recommendation:
    # What model_construct does, without its per-call inspection of the fields (a quarter of
    # the time of a whole evaluation): the values come from the rules, already valid.
    from consult.core.model import Recommendation

    made = object.__new__(Recommendation)
    object.__setattr__(made, "__dict__", values)
    object.__setattr__(made, "__pydantic_fields_set__", set(values))
    object.__setattr__(made, "__pydantic_extra__", None)
    object.__setattr__(made, "__pydantic_private__", None)
    return made


def evaluate(
    assessment: Assessment, lang: str = "fi", rules: RulesDefinition = CURRENT_RULES
) -> Recommendation:
    """The recommendation for one assessment, with a reason for the primary and every flag."""
    return _recommendation(
        recommend(
            tuple(assessment.scores.__dict__.values()),
            tuple(assessment.answers.__dict__.values()),
            assessment.context.jobseeker,
            lang,
            rules,
        )
    )


# What ``decide`` gives: the shape of the scores, the primary, the flags in their order and each
# reason as (rule, text). The shape, the primary and the flags are all a result's fields before
# its reasons depend on: ``consult score`` writes those fields once for each such triple.
Decision = tuple[Shape, str, tuple[str, ...], list[tuple[str, str]]]


def recommend(
    values: tuple[int | None, ...],
    given: tuple[str | None, ...],
    jobseeker: bool | None,
    lang: str = "fi",
    rules: RulesDefinition = CURRENT_RULES,
) -> dict[str, Any]:
    """``evaluate`` on the levels (instrument order), the answers (question order) and the
    jobseeker fact, as the plain values of a Recommendation's fields, in their order: what
    ``Recommendation.model_dump(mode="json")`` gives."""
    shape, primary, flags, reasons = decide(values, given, jobseeker, lang, rules)
    return {
        "primary": primary,
        "needs": list(shape.needs),
        "orgs": list(shape.orgs),
        "flags": list(flags),
        "suggested_answers": dict(shape.suggested),
        "reasons": [{"rule": rule, "text": text} for rule, text in reasons],
        "rules_version": rules.version,
    }


def decide(
    values: tuple[int | None, ...],
    given: tuple[str | None, ...],
    jobseeker: bool | None,
    lang: str = "fi",
    rules: RulesDefinition = CURRENT_RULES,
) -> Decision:
    """The recommendation of ``recommend`` as its parts (``Decision``), without building it."""
    compiled = _compile(rules)
    mask = _mask(compiled, values)
    shape = compiled.shapes.get(mask) or compiled.shape(mask)
    primary, key, not_jobseeker, other_yes = _primary(shape, given, jobseeker)
    texts = compiled.templates.get(lang) or compiled.texts(lang)

    if key == "social_services.acute":
        text = compiled.words(shape, lang)[1]
    elif key == "bilateral.challenges":
        text = compiled.words(shape, lang)[0]
    elif key == "bilateral.answers":
        text = compiled.phrase(lang, key, other_yes)
    else:
        text = texts[key]
    reasons: list[tuple[str, str]] = []
    if not_jobseeker:
        reasons.append(("not_jobseeker", texts["not_jobseeker"]))
    reasons.append((primary, text))

    # Flags, safety first.
    flags = shape.flags
    for flag in flags:
        reasons.append((flag, texts[flag]))
    assessed = _N - values.count(None)
    insufficient = assessed < rules.min_assessed
    if insufficient:
        flags += ("insufficient_data",)
        reasons.append(("insufficient_data", compiled.phrase(lang, "insufficient_data", assessed)))
    unsure, disagrees = _checks(given, shape.suggested_tuple)
    if unsure or disagrees or insufficient or shape.borderline or not_jobseeker:
        flags = tuple(sorted((*flags, "bring_to_team")))
        if unsure:
            reasons.append(("bring_to_team", compiled.phrase(lang, "bring_to_team.unsure", unsure)))
        if disagrees:
            reasons.append(("bring_to_team", compiled.phrase(lang, "bring_to_team.disagrees", disagrees)))
        if insufficient:
            reasons.append(("bring_to_team", texts["bring_to_team.insufficient_data"]))
        if shape.borderline:
            borderline = compiled.phrase(lang, "bring_to_team.borderline", (shape.count, len(shape.orgs)))
            reasons.append(("bring_to_team", borderline))
        if not_jobseeker:
            reasons.append(("bring_to_team", texts["bring_to_team.not_jobseeker"]))
    elif len(flags) > 1:
        flags = tuple(sorted(flags))
    return shape, primary, flags, reasons
