"""Rules as a TOML file (``scoring.md``, "Rules as data"): read, check and write out.

A file names only what differs from the version it is ``based_on``: tables are merged key by
key (``kela = { finances = 4 }`` changes one trigger and keeps the others), while lists and
numbers replace the base's value. Every key is checked, and the first problem is raised as a
:class:`RulesError` that names the key, so the command line can say it in one line.

The built-in versions are files of the same format shipped beside this module, read once by the
same parser; having no base, they name every key, and their reasons' words come from the
catalogs (``reasons.<rule>`` in ``i18n/<lang>/reasons.json``).
"""

from __future__ import annotations

import json
import re
import string
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from consult.core.instrument import DOMAIN_KEYS, LANGUAGES
from consult.i18n import catalog_part

# The version a file without ``based_on`` builds on, and the default where nothing else is known.
BASE_VERSION = "ps-2025.1"
BUILT_IN_FILES = ("ps-2025.1.toml",)
REASON_PREFIX = "reasons."

VERSION_PATTERN = re.compile(r"^[A-Za-z0-9._-]{1,20}$")
LEVEL_RANGE = (1, 5)
THRESHOLD_RANGE = (0, 7)
ACUTE_FLAGS = ("safety", "urgent")
NEED_KEYS = ("social", "health")
ORG_KEYS = ("employment", "kela", "welfare")
THRESHOLD_KEYS = (
    "min_assessed",
    "bilateral_max_orgs",
    "multi_support_min_challenges",
    "joint_plan_min_challenges",
    "joint_plan_employment_level",
    "borderline_min_challenges",
)
TOP_KEYS = ("version", "based_on", "levels", "acute", "needs", "orgs", "thresholds", "reasons")
SECTION_KEYS: Mapping[str, tuple[str, ...]] = {
    "levels": ("challenge", "acute"),
    "acute": ("domains", "flags"),
    "needs": NEED_KEYS,
    "orgs": (*ORG_KEYS, *(f"{org}_needs" for org in ORG_KEYS)),
    "thresholds": THRESHOLD_KEYS,
}


@dataclass(frozen=True, slots=True)
class RulesDefinition:
    version: str
    challenge_level: int
    acute_level: int
    # Acute domains send the client to social services first; some also raise a flag.
    acute_domains: tuple[str, ...]
    acute_flags: Mapping[str, str]
    need_domains: Mapping[str, tuple[str, ...]]
    # An organisation is implicated when any listed domain reaches its level...
    org_levels: Mapping[str, Mapping[str, int]]
    # ...or, for the welfare area, when the client has any of its service needs.
    org_needs: Mapping[str, tuple[str, ...]]
    all_orgs: tuple[str, ...]
    min_assessed: int
    bilateral_max_orgs: int
    multi_support_min_challenges: int
    joint_plan_min_challenges: int
    joint_plan_employment_level: int
    borderline_min_challenges: int
    # Rule or flag name (``tym``, ``bilateral.challenges``) → language → text.
    reasons: Mapping[str, Mapping[str, str]] = field(default_factory=dict)


class RulesError(ValueError):
    """One problem in a rules file: the key it is at, a catalog code and its parameters. What
    the file wrote (an unknown key, a wrong name) is repeated only when it is plainly a name
    (``_named``): a key may hold an identity code, an escape sequence or a megabyte."""

    def __init__(self, key: str, code: str, **params: object) -> None:
        key = ".".join(_named(part) for part in key.split(".")) if len(key) <= 200 else "…"
        if "value" in params:  # the file's own words; every other parameter is consult's
            value = params["value"]
            if isinstance(value, str):
                params["value"] = _named(value)
            elif not isinstance(value, int | float) or len(str(value)) > 20:  # a table, a list, a date
                params["value"] = type(value).__name__
        super().__init__(f"{key}: {code} {params}")
        self.key, self.code, self.params = key, code, params


# What a message may repeat of the file: a lower-case name of letters, few digits, short. Every
# key and name a rules file may hold is one; an identity code, a phone number or an e-mail
# address (digits, "@"), a capitalised name or a control character is not.
_PLAIN_NAME = re.compile(r"[a-z_][a-z0-9_{}\-]{0,39}")
_MANY_DIGITS = re.compile(r"(?:\D*\d){5}")


def _named(text: str) -> str:
    if text == "" or (_PLAIN_NAME.fullmatch(text) and not _MANY_DIGITS.match(text)):
        return text
    return "…"


_WHERE = re.compile(r"\(at (?:line (\d+), column (\d+)|end of document)\)$")

# tomllib's English sentences, by their opening words, to the short codes the catalogs phrase
# (``rules.toml.<code>``). The first match wins, so the specific come before the general.
SYNTAX_PROBLEMS: tuple[tuple[str, str], ...] = (
    ("Expected '=' after a key", "equals"),
    ("Expected ']' at the end of a table", "table_header"),
    ("Expected ']]' at the end of an array", "table_header"),
    ("Expected newline or end of document", "line_end"),
    ("Expected", "missing"),
    ("Found invalid character", "character"),
    ("Illegal character", "character"),
    ("Invalid initial character for a key", "key"),
    ("Cannot declare", "twice"),
    ("Cannot overwrite", "twice"),
    ("Cannot mutate", "twice"),
    ("Cannot redefine", "twice"),
    ("Duplicate inline table key", "twice"),
    ("Unterminated string", "string"),
    ("Unescaped", "escape"),
    ("Escaped character", "escape"),
    ("Invalid hex value", "escape"),
    ("Unclosed array", "array"),
    ("Unclosed inline table", "inline_table"),
    ("Invalid date", "date"),
    ("Invalid value", "value"),
    ("Invalid statement", "statement"),
)


def _syntax(message: str) -> RulesError:
    """Where tomllib stopped and what kind of problem it met, as a code: its English sentence
    never reaches the user, nor what the file holds there (a key declared twice, a character)."""
    problem = next((code for start, code in SYNTAX_PROBLEMS if message.startswith(start)), "other")
    where = _WHERE.search(message)
    if where is None or where[1] is None:
        return RulesError("toml", "syntax_end", problem=problem)
    return RulesError("toml", "syntax", line=int(where[1]), column=int(where[2]), problem=problem)


def strings(rules: RulesDefinition) -> list[tuple[str, str]]:
    """Every text of ``rules`` a person wrote, with the key it is at: the version and each
    reason's words. (Every other string of a rules file is one of a fixed set of names.)"""
    found = [("version", rules.version)]
    for rule, texts in rules.reasons.items():
        found += [(f"reasons.{rule}.{lang}", text) for lang, text in texts.items()]
    return found


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _int(value: object, key: str, low: int, high: int) -> int:
    # TOML booleans are Python bools, which are ints: true is not a level.
    if isinstance(value, bool) or not isinstance(value, int):
        raise RulesError(key, "not_number", low=low, high=high)
    if not low <= value <= high:
        raise RulesError(key, "out_of_range", value=value, low=low, high=high)
    return value


def _table(value: object, key: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise RulesError(key, "not_table")
    return value


def _names(value: object, key: str, allowed: tuple[str, ...], what: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RulesError(key, "not_list", allowed=", ".join(allowed))
    for item in value:
        if item not in allowed:
            raise RulesError(key, f"unknown_{what}", value=item, allowed=", ".join(allowed))
    if len(set(value)) != len(value):
        raise RulesError(key, "repeated")
    return tuple(value)


def _unknown(table: Mapping[str, object], allowed: tuple[str, ...], prefix: str) -> None:
    """``table`` says which table's keys ``allowed`` are (``file`` for the top level), so that
    the message can give each key's meaning (``rules.key.<table>.<key>``)."""
    for name in table:
        if name not in allowed:
            raise RulesError(
                f"{prefix}{name}",
                "unknown_key",
                allowed=", ".join(allowed),
                table=prefix.rstrip(".") or "file",
            )


def _domain_levels(value: object, key: str) -> dict[str, int]:
    table = _table(value, key)
    for domain in table:
        if domain not in DOMAIN_KEYS:
            raise RulesError(
                f"{key}.{domain}", "unknown_domain", value=domain, allowed=", ".join(DOMAIN_KEYS)
            )
    return {domain: _int(level, f"{key}.{domain}", *LEVEL_RANGE) for domain, level in table.items()}


def _reason_overrides(value: object, known: Mapping[str, Mapping[str, str]]) -> dict[str, dict[str, str]]:
    """``[reasons.tym]`` or ``[reasons."bilateral.challenges"]`` (or the same nested), each a
    table of language → text using only the placeholders the built-in wording (``known``) uses."""
    out: dict[str, dict[str, str]] = {}

    def walk(table: dict[str, Any], path: str) -> None:
        for name, item in table.items():
            key = f"{path}.{name}" if path else name
            if isinstance(item, dict):
                walk(item, key)
                continue
            if not path or path not in known:
                raise RulesError(f"reasons.{key}", "unknown_reason", allowed=", ".join(sorted(known)))
            if name not in LANGUAGES:
                raise RulesError(f"reasons.{key}", "unknown_language", allowed=", ".join(LANGUAGES))
            if not isinstance(item, str) or not item.strip():
                raise RulesError(f"reasons.{key}", "not_text")
            allowed = _placeholders(known[path]["fi"])
            try:
                used = _placeholders(item)
            except ValueError:
                raise RulesError(f"reasons.{key}", "bad_braces") from None
            if not used <= allowed:
                raise RulesError(
                    f"reasons.{key}",
                    "unknown_placeholder",
                    value="{" + sorted(used - allowed)[0] + "}",
                    allowed=", ".join("{" + p + "}" for p in sorted(allowed)) or "–",
                )
            out.setdefault(path, {})[name] = item

    walk(_table(value, "reasons"), "")
    return out


def _head(text: str) -> tuple[dict[str, Any], str]:
    """The file's tables and its version, once the TOML, the top keys and the name are sound."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise _syntax(str(error)) from None
    _unknown(data, TOP_KEYS, "")
    version = data.get("version")
    if not isinstance(version, str) or not VERSION_PATTERN.match(version):
        raise RulesError("version", "bad_version")
    return data, version


def parse_rules(text: str, known: Mapping[str, RulesDefinition] | None = None) -> RulesDefinition:
    """The rules a TOML file describes, on top of its ``based_on`` version (one of ``known``,
    the built-in versions by default). Raises :class:`RulesError` at the first problem."""
    built_in = built_in_rules()
    known = {**built_in, **(known or {})}
    data, version = _head(text)
    base_name = data.get("based_on", BASE_VERSION)
    if not isinstance(base_name, str) or base_name not in known:
        raise RulesError("based_on", "unknown_base", value=base_name, allowed=", ".join(sorted(known)))
    return _build(data, version, known[base_name], built_in[BASE_VERSION].reasons)


def _build(
    data: dict[str, Any], version: str, base: RulesDefinition, wording: Mapping[str, Mapping[str, str]]
) -> RulesDefinition:
    """``data`` over ``base``; a reason may be reworded where ``wording`` has it, with the same
    placeholders."""
    for section, allowed in SECTION_KEYS.items():
        if section in data:
            _unknown(_table(data[section], section), allowed, f"{section}.")

    levels = data.get("levels", {})
    acute = data.get("acute", {})
    needs = data.get("needs", {})
    orgs = data.get("orgs", {})
    thresholds = data.get("thresholds", {})

    challenge_level = _int(levels.get("challenge", base.challenge_level), "levels.challenge", *LEVEL_RANGE)
    acute_level = _int(levels.get("acute", base.acute_level), "levels.acute", *LEVEL_RANGE)
    acute_domains = (
        _names(acute["domains"], "acute.domains", DOMAIN_KEYS, "domain")
        if "domains" in acute
        else base.acute_domains
    )
    acute_flags = dict(base.acute_flags)
    for domain, flag in _table(acute.get("flags", {}), "acute.flags").items():
        key = f"acute.flags.{domain}"
        if domain not in DOMAIN_KEYS:
            raise RulesError(key, "unknown_domain", value=domain, allowed=", ".join(DOMAIN_KEYS))
        if flag not in ACUTE_FLAGS:
            raise RulesError(key, "unknown_flag", value=flag, allowed=", ".join(ACUTE_FLAGS))
        acute_flags[domain] = flag
    need_domains = {
        need: _names(needs[need], f"needs.{need}", DOMAIN_KEYS, "domain")
        if need in needs
        else base.need_domains.get(need, ())
        for need in NEED_KEYS
    }
    org_levels: dict[str, dict[str, int]] = {}
    org_needs: dict[str, tuple[str, ...]] = {}
    for org in ORG_KEYS:
        merged = dict(base.org_levels.get(org, {}))
        if org in orgs:
            merged.update(_domain_levels(orgs[org], f"orgs.{org}"))
        if merged:
            org_levels[org] = merged
        key = f"{org}_needs"
        chosen = (
            _names(orgs[key], f"orgs.{key}", NEED_KEYS, "need")
            if key in orgs
            else base.org_needs.get(org, ())
        )
        if chosen:
            org_needs[org] = chosen
    numbers = {
        name: _int(thresholds.get(name, getattr(base, name)), f"thresholds.{name}", *THRESHOLD_RANGE)
        for name in THRESHOLD_KEYS
    }
    reasons = {key: dict(texts) for key, texts in base.reasons.items()}
    for key, texts in _reason_overrides(data.get("reasons", {}), wording).items():
        reasons[key] = {**reasons.get(key, {}), **texts}

    return RulesDefinition(
        version=version,
        challenge_level=challenge_level,
        acute_level=acute_level,
        acute_domains=acute_domains,
        acute_flags=MappingProxyType(acute_flags),
        need_domains=MappingProxyType(need_domains),
        org_levels=MappingProxyType({o: MappingProxyType(t) for o, t in org_levels.items()}),
        org_needs=MappingProxyType(org_needs),
        all_orgs=base.all_orgs,
        reasons=MappingProxyType({k: MappingProxyType(v) for k, v in reasons.items()}),
        **numbers,
    )


def _catalog_reasons() -> Mapping[str, Mapping[str, str]]:
    """Rule or flag name → language → the built-in words, as the catalogs hold them."""
    reasons = catalog_part("fi", "reasons")
    names = [key.removeprefix(REASON_PREFIX) for key in reasons if key.startswith(REASON_PREFIX)]
    return MappingProxyType(
        {
            name: MappingProxyType(
                {lang: str(catalog_part(lang, "reasons")[REASON_PREFIX + name]) for lang in LANGUAGES}
            )
            for name in names
        }
    )


def _complete(text: str, reasons: Mapping[str, Mapping[str, str]]) -> RulesDefinition:
    """A built-in version: a file with no base, so every key must be there (an omission is a
    programming error, caught by the tests, not a region's mistake to word)."""
    data, version = _head(text)
    missing = [
        f"{section}.{key}"
        for section, keys in SECTION_KEYS.items()
        for key in keys
        if key not in data.get(section, {})
    ]
    if "based_on" in data or missing:
        raise ValueError(f"built-in rules {version}: no based_on and every key, missing {missing}")
    nothing = RulesDefinition(
        version=version,
        challenge_level=0,
        acute_level=0,
        acute_domains=(),
        acute_flags={},
        need_domains={},
        org_levels={},
        org_needs={},
        all_orgs=ORG_KEYS,
        min_assessed=0,
        bilateral_max_orgs=0,
        multi_support_min_challenges=0,
        joint_plan_min_challenges=0,
        joint_plan_employment_level=0,
        borderline_min_challenges=0,
        reasons=reasons,
    )
    return _build(data, version, nothing, reasons)


@cache
def built_in_rules() -> Mapping[str, RulesDefinition]:
    """Version → the rules shipped with consult, each file parsed once per process."""
    folder = Path(__file__).resolve().parent  # the built-in files beside this module
    reasons = _catalog_reasons()
    found = (_complete(folder.joinpath(name).read_text("utf-8"), reasons) for name in BUILT_IN_FILES)
    return MappingProxyType({rules.version: rules for rules in found})


def _string(value: str) -> str:
    # A TOML basic string reads JSON's escapes (\" \\ \n \uXXXX) the same way.
    return json.dumps(value, ensure_ascii=False)


def _strings(values: tuple[str, ...] | list[str]) -> str:
    return "[" + ", ".join(_string(v) for v in values) + "]"


def _inline(table: Mapping[str, object]) -> str:
    # In instrument order: the same rules always read as the same file.
    ordered = sorted(table.items(), key=lambda item: DOMAIN_KEYS.index(item[0]))
    items = [f"{k} = {_string(v) if isinstance(v, str) else v}" for k, v in ordered]
    return "{ " + ", ".join(items) + " }" if items else "{}"


def to_toml(rules: RulesDefinition, based_on: str = BASE_VERSION) -> str:
    """The complete file for ``rules``: every key written out, so it reads the same whatever
    the version it names as its base."""
    lines = [
        f"version = {_string(rules.version)}",
        f"based_on = {_string(based_on)}",
        "",
        "[levels]",
        f"challenge = {rules.challenge_level}",
        f"acute = {rules.acute_level}",
        "",
        "[acute]",
        f"domains = {_strings(rules.acute_domains)}",
        f"flags = {_inline(rules.acute_flags)}",
        "",
        "[needs]",
        *(f"{need} = {_strings(rules.need_domains.get(need, ()))}" for need in NEED_KEYS),
        "",
        "[orgs]",
        *(f"{org} = {_inline(rules.org_levels.get(org, {}))}" for org in ORG_KEYS),
        *(f"{org}_needs = {_strings(rules.org_needs.get(org, ()))}" for org in ORG_KEYS),
        "",
        "[thresholds]",
        *(f"{name} = {getattr(rules, name)}" for name in THRESHOLD_KEYS),
    ]
    for key in sorted(rules.reasons):
        lines += ["", f"[reasons.{_string(key)}]"]
        lines += [f"{lang} = {_string(text)}" for lang, text in rules.reasons[key].items()]
    return "\n".join(lines) + "\n"


def same_rules(first: RulesDefinition, second: RulesDefinition) -> bool:
    """True when two definitions decide and word alike, whatever their version names."""
    return to_toml(first, "-").splitlines()[1:] == to_toml(second, "-").splitlines()[1:]
