"""An assessment read from plain JSON values without pydantic, for ``consult score``: importing
pydantic and building the models took more time than scoring 10,000 assessments.

Only what ``model.Assessment`` accepts is read here, and read the same way. Anything else
(a wrong type, an unknown key, a level out of range) gives None: the caller then asks the model,
whose error names the field in the words the command line has always used. So this module can
only make valid input faster, never change what bad input is told.
"""

from __future__ import annotations

from consult.core.instrument import ANSWERS, DOMAIN_KEYS, QUESTION_KEYS
from consult.core.vocabulary import AGE_BANDS, AREAS, WORKER_ORGS

# (levels in instrument order, answers in question order, jobseeker): what the rules read.
Values = tuple[tuple[int | None, ...], tuple[str | None, ...], bool | None]

_DOMAINS = frozenset(DOMAIN_KEYS)
_QUESTIONS = frozenset(QUESTION_KEYS)
_LEVELS = frozenset((None, 1, 2, 3, 4, 5))
_LEVEL_TYPES = frozenset((int, type(None)))
_ANSWERS = frozenset((None, *ANSWERS))
_ANSWER_TYPES = frozenset((str, type(None)))
# The context's keys and the values each may hold (None: not given).
_CONTEXT: dict[str, frozenset[object]] = {
    "area": frozenset(AREAS),
    "worker_org": frozenset(WORKER_ORGS),
    "age_band": frozenset(AGE_BANDS),
}
_NO_ANSWERS: tuple[str | None, ...] = (None,) * len(QUESTION_KEYS)


def assessment_values(item: object) -> Values | None:
    """The levels, answers and jobseeker of a JSON object ``model.Assessment`` would accept
    (keys beside ``scores``, ``answers`` and ``context`` ignored as the model ignores them);
    None for anything the model should judge."""
    if type(item) is not dict:
        return None
    scores = item.get("scores")
    if type(scores) is not dict or not _DOMAINS.issuperset(scores):
        return None
    # StrictInt 1–5: a bool (equal to 1 or 0 for Python) or a float is refused by the model, so
    # the types are asked first; both looks run in C.
    if not _LEVEL_TYPES.issuperset(map(type, scores.values())) or not _LEVELS.issuperset(scores.values()):
        return None
    levels = tuple(map(scores.get, DOMAIN_KEYS))

    given = _NO_ANSWERS
    if "answers" in item:
        answers = item["answers"]
        if type(answers) is not dict or not _QUESTIONS.issuperset(answers):
            return None
        if not _ANSWER_TYPES.issuperset(map(type, answers.values())) or not _ANSWERS.issuperset(
            answers.values()
        ):
            return None
        if answers:
            given = tuple(map(answers.get, QUESTION_KEYS))

    jobseeker = None
    if "context" in item:
        context = item["context"]
        if type(context) is not dict:
            return None
        for key, value in context.items():
            if value is None:
                if key not in _CONTEXT and key != "jobseeker":
                    return None
            elif key == "jobseeker":
                if type(value) is not bool:
                    return None
                jobseeker = value
            else:
                allowed = _CONTEXT.get(key)
                if allowed is None or type(value) is not str or value not in allowed:
                    return None
    return levels, given, jobseeker
