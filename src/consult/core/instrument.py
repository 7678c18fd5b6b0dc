"""The social-situation instrument as data: domains, levels and referral questions.

The wording is the instrument's own (``data/pohjois-savo-2025.json``); code holds only keys.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

INSTRUMENT_ID = "pohjois-savo-2025"
# The package's data files beside its modules, as the wheel installs them (read by path, not
# importlib.resources, whose imports were 4 % of `consult score` and of the app's start).
DATA = Path(__file__).resolve().parent.parent / "data"
DOMAIN_KEYS: tuple[str, ...] = (
    "affairs",
    "services",
    "housing",
    "employment",
    "finances",
    "health",
    "relations",
)
QuestionKey = Literal["q_bilateral", "q_other_first", "q_multi_support", "q_coordination", "q_joint_plan"]
QUESTION_KEYS: tuple[QuestionKey, ...] = (
    "q_bilateral",
    "q_other_first",
    "q_multi_support",
    "q_coordination",
    "q_joint_plan",
)
ANSWERS: tuple[str, ...] = ("yes", "no", "unsure")
LEVELS: tuple[int, ...] = (1, 2, 3, 4, 5)
LANGUAGES: tuple[str, ...] = ("fi", "sv", "en")
DEFAULT_LANGUAGE = "fi"

Localized = Mapping[str, str]


def localized(text: Localized, lang: str) -> str:
    """The text in ``lang``; Finnish (the instrument's own language) where a translation is missing."""
    return text.get(lang) or text[DEFAULT_LANGUAGE]


@dataclass(frozen=True, slots=True)
class Domain:
    key: str
    number: int
    title: Localized
    good: Localized
    bad: Localized
    levels: tuple[Localized, ...]

    def level_text(self, level: int, lang: str) -> str:
        return localized(self.levels[level - 1], lang)


@dataclass(frozen=True, slots=True)
class Question:
    key: str
    number: int
    text: Localized


@dataclass(frozen=True, slots=True)
class Instrument:
    id: str
    title: Localized
    guidance: tuple[Localized, ...]
    domains: tuple[Domain, ...]
    questions: tuple[Question, ...]

    def domain(self, key: str) -> Domain:
        return self.domains[DOMAIN_KEYS.index(key)]

    def question(self, key: str) -> Question:
        return self.questions[QUESTION_KEYS.index(key)]


@cache
def load_instrument() -> Instrument:
    raw = json.loads((DATA / f"{INSTRUMENT_ID}.json").read_text("utf-8"))
    domains = tuple(
        Domain(
            key=d["key"],
            number=i,
            title=d["title"],
            good=d["good"],
            bad=d["bad"],
            levels=tuple(d["levels"]),
        )
        for i, d in enumerate(raw["domains"], start=1)
    )
    questions = tuple(
        Question(key=q["key"], number=i, text=q["text"]) for i, q in enumerate(raw["questions"], start=1)
    )
    if tuple(d.key for d in domains) != DOMAIN_KEYS or tuple(q.key for q in questions) != QUESTION_KEYS:
        raise RuntimeError("instrument data does not match the instrument's keys")
    return Instrument(
        id=raw["id"],
        title=raw["title"],
        guidance=tuple(raw["guidance"]),
        domains=domains,
        questions=questions,
    )
