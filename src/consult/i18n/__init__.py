"""Message catalogs (fi, sv, en) and the lookup function.

Code holds keys; the words live in ``<lang>/*.json``, one file per screen or feature, merged on
load (a key defined twice is an error). A key's prefix (the part before the first dot) lives in
exactly one file, the same in every language, so ``review.*`` is always in ``review.json``:

- ``app``: the frame shared by every screen (app, binding, confirm, help, text);
- ``values``: the words for coded values (primary, flag, status, need, org, answer, area,
  worker_org, age_band, jobseeker, and their ``_short`` forms) and counted nouns (count);
- ``home``, ``walk`` (walk, context, domain, questions, profile, drafts), ``result`` (result,
  next steps, the record note, the general note), ``review`` (review, column, sort,
  outcome_filter), ``case`` (case, decision), ``outcome`` (outcome, the reasons it did not
  start), ``follow_up`` (followup, stats, needs, routes, age, month_letter), ``report``,
  ``training`` (training, comparison, agreement), ``rules``, ``privacy``, ``settings``;
- ``reasons``: the built-in rules' reasons, ``reasons.<rule>`` (scoring/ps-2025.1.toml);
- ``cli`` (cli, input, purge), ``files`` (bundle, sheet, export, file), ``failures``
  (failure, store).

A key missing from a catalog falls back to Finnish, the working language, so a half-translated
catalog never shows a raw key.

A message that counts something is stored as its plural forms, ``{"one": "…", "other": "…"}``,
and the form is chosen for the ``count`` parameter by the language's own plural rule (Babel's
CLDR data), so "1 tapaus / 2 tapausta" and "1 ärende / 2 ärenden" need no code of their own.
Babel is imported on the first number, date or plural asked for, never before the first screen.
"""

from __future__ import annotations

import json
from datetime import date
from functools import cache
from pathlib import Path

from consult.core.instrument import DEFAULT_LANGUAGE, LANGUAGES
from consult.i18n.formats import format_number, plural_form, show

Message = str | dict[str, str]

PLURAL_FORMS = ("zero", "one", "two", "few", "many", "other")


@cache
def catalog(lang: str) -> dict[str, Message]:
    messages: dict[str, Message] = {}
    folder = _folder(lang)
    for part in sorted((p for p in folder.iterdir() if p.name.endswith(".json")), key=lambda p: p.name):
        for key, text in _read(lang, part).items():
            if key in messages:
                raise ValueError(f"{lang}/{part.name}: {key!r} is defined twice")
            messages[key] = text
    return messages


@cache
def catalog_part(lang: str, name: str) -> dict[str, Message]:
    """One file of a catalog: every key of one prefix (``reasons``: the rules' reasons). What
    needs one feature's words in every language reads two files, not the other 70."""
    return _read(lang, _folder(lang) / f"{name}.json")


def _folder(lang: str) -> Path:
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; allowed: {', '.join(LANGUAGES)}")
    return Path(__file__).resolve().parent / lang  # the catalogs beside this module


def _read(lang: str, part: Path) -> dict[str, Message]:
    messages: dict[str, Message] = json.loads(part.read_text("utf-8"))
    for key, text in messages.items():
        if isinstance(text, dict) and ("other" not in text or set(text) - set(PLURAL_FORMS)):
            raise ValueError(
                f"{lang}/{part.name}: {key!r}: plural forms need 'other'; allowed: {PLURAL_FORMS}"
            )
    return messages


class Translator:
    """Looks up and formats messages in one language."""

    __slots__ = ("_fallback", "_messages", "lang")

    def __init__(self, lang: str = DEFAULT_LANGUAGE) -> None:
        self.lang = lang
        self._messages = catalog(lang)
        self._fallback = catalog(DEFAULT_LANGUAGE)

    def __call__(self, key: str, /, **params: object) -> str:
        text = self._messages.get(key) or self._fallback.get(key)
        if text is None:
            # A missing key is a programming error, caught by the catalog tests; show the key
            # rather than crash in front of a caseworker.
            return key
        if isinstance(text, dict):
            count = params.get("count")
            number = count if isinstance(count, int | float) and not isinstance(count, bool) else 0
            text = text.get(plural_form(self.lang, number)) or text["other"]
            if number is count:
                params = {**params, "count": self.number(number)}
        return text.format(**params) if params else text

    def number(self, value: float, decimals: int | None = None) -> str:
        return format_number(value, self.lang, decimals)

    def day(self, value: date) -> str:
        return show(value, self.lang)
