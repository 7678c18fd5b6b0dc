"""Message catalogs (fi, sv, en) and the lookup function.

Code holds keys; the words live in ``<lang>/*.json``, one file per part of the app, merged on
load (a key defined twice is an error). A key missing from a catalog falls back to Finnish, the
working language, so a half-translated catalog never shows a raw key.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

from consult.instrument import DEFAULT_LANGUAGE, LANGUAGES


@cache
def catalog(lang: str) -> dict[str, str]:
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; allowed: {', '.join(LANGUAGES)}")
    messages: dict[str, str] = {}
    folder = resources.files("consult.i18n").joinpath(lang)
    for part in sorted((p for p in folder.iterdir() if p.name.endswith(".json")), key=lambda p: p.name):
        for key, text in json.loads(part.read_text("utf-8")).items():
            if key in messages:
                raise ValueError(f"{lang}/{part.name}: {key!r} is defined twice")
            messages[key] = text
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
        return text.format(**params) if params else text
