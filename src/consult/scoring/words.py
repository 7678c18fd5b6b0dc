"""Rules and their comparison in words, for ``consult rules`` and the rules screen alike."""

from __future__ import annotations

from consult.core.instrument import load_instrument, localized
from consult.core.model import PRIMARIES
from consult.i18n import Translator
from consult.scoring.compare import Comparison, TeamAgreement, paths_moving
from consult.scoring.rules import RulesDefinition
from consult.scoring.rules_file import RulesError
from consult.scoring.search import TOO_FEW_DECIDED, Search


def domain_names(keys: tuple[str, ...] | list[str], t: Translator) -> str:
    instrument = load_instrument()
    return ", ".join(localized(instrument.domain(k).title, t.lang) for k in keys) or t("rules.none")


def rules_error(error: RulesError, t: Translator) -> str:
    """One line naming the key and what is allowed there, each allowed name with its meaning
    in the user's language; a TOML problem as where it is and what kind it is."""
    params = dict(error.params)
    if "problem" in params:
        params["problem"] = t(f"rules.toml.{params['problem']}")
    allowed = str(params.get("allowed", "")).split(", ")
    if error.code == "unknown_key" and "table" in params:
        table = params["table"]
        params["allowed"] = "; ".join(f"{k} ({t(f'rules.key.{table}.{k}')})" for k in allowed)
    elif error.code == "unknown_domain":
        params["allowed"] = "; ".join(f"{k} ({domain_names([k], t)})" for k in allowed)
    elif error.code == "unknown_flag":
        params["allowed"] = "; ".join(f"{k} ({t(f'flag.{k}')})" for k in allowed)
    elif error.code == "unknown_need":
        params["allowed"] = "; ".join(f"{k} ({t(f'need.{k}')})" for k in allowed)
    key = "rules.error." + error.code
    return f"{error.key}: {t(key, **params)}"


def describe(rules: RulesDefinition, t: Translator) -> list[str]:
    """The thresholds of ``rules`` as sentences a caseworker reads."""
    lines = [
        t("rules.words.challenge", level=rules.challenge_level),
        t("rules.words.acute", level=rules.acute_level, domains=domain_names(rules.acute_domains, t)),
    ]
    for domain, flag in rules.acute_flags.items():
        lines.append(t("rules.words.flag", domain=domain_names([domain], t), flag=t(f"flag.{flag}")))
    for need, domains in rules.need_domains.items():
        lines.append(t("rules.words.need", need=t(f"need.{need}"), domains=domain_names(domains, t)))
    for org in rules.all_orgs:
        parts = [
            f"{domain_names([d], t)} ≥ {level}" for d, level in rules.org_levels.get(org, {}).items()
        ] + [t("rules.words.org_need", need=t(f"need.{n}")) for n in rules.org_needs.get(org, ())]
        line = t("rules.words.org", org=t(f"org.{org}"), when=t("rules.words.or").join(parts) or "–")
        lines.append(line[:1].upper() + line[1:])
    lines += [
        t("rules.words.min_assessed", number=rules.min_assessed),
        t("rules.words.bilateral_max_orgs", number=rules.bilateral_max_orgs),
        t("rules.words.multi_support", number=rules.multi_support_min_challenges),
        t(
            "rules.words.joint_plan",
            number=rules.joint_plan_min_challenges,
            level=rules.joint_plan_employment_level,
        ),
        t("rules.words.borderline", number=rules.borderline_min_challenges),
    ]
    return lines


def change_words(key: str, value: int, t: Translator) -> str:
    """One changed setting of a rules file in words, its key after it for the file."""
    name = key.replace(".", "_")
    return t(f"rules.change.{name}", value=value) + f" ({key} = {value})"


def kappa_text(value: float | None, t: Translator) -> str:
    """Kappa as every place shows it: two decimals in the reader's locale (0,85), "–" only
    when there is nothing to compare."""
    return "–" if value is None else t.number(value, 2)


def share_text(part: int, whole: int, t: Translator) -> str:
    return "–" if not whole else f"{t.number(round(100 * part / whole))} %"


def comparison_lines(c: Comparison, stored_version: str, t: Translator, max_codes: int = 40) -> list[str]:
    """The comparison as a readable table: the moves between paths, the cases that change (by
    code) and the agreement with the team before and after."""
    short = {p: t(f"primary_short.{p}") for p in PRIMARIES}
    width = max(len(s) for s in short.values()) + 1
    lines = [
        t(
            "rules.compare.head",
            candidate=c.candidate,
            stored=stored_version,
            cases=c.cases,
            changed=c.changed_primary,
        ),
        "",
        t("rules.compare.transitions"),
        " " * (width + 2) + "".join(short[p].rjust(width) for p in PRIMARIES),
    ]
    for a in PRIMARIES:
        lines.append(
            f"  {short[a].ljust(width)}" + "".join(str(c.transitions[a][b]).rjust(width) for b in PRIMARIES)
        )
    if c.changed_primary == 0:
        # "0 cases change" alone reads like a failed run: say what it means.
        lines += ["", t("rules.compare.nothing_changed", cases=c.cases)]
    moves = paths_moving(c.transitions)
    if moves:
        lines += ["", t("rules.compare.moves")]
        lines += [f"  {short[a]} → {short[b]}: {n}" for a, b, n in moves]
    if c.changes:
        lines += ["", t("rules.compare.changed_cases")]
        for change in c.changes[:max_codes]:
            team = t("rules.compare.team_chose", path=short[change.team]) if change.team else ""
            lines.append(f"  {change.code}: {short[change.stored]} → {short[change.candidate]}{team}")
        if len(c.changes) > max_codes:
            lines.append("  " + t("rules.compare.more", count=len(c.changes) - max_codes))
    lines += ["", t("rules.compare.team", count=c.decided)]
    if c.decided:
        lines += [
            "  "
            + t(
                "rules.compare.agree",
                version=stored_version,
                agree=c.stored_agree,
                share=share_text(c.stored_agree, c.decided, t),
                kappa=kappa_text(c.stored_kappa, t),
            ),
            "  "
            + t(
                "rules.compare.agree",
                version=c.candidate,
                agree=c.candidate_agree,
                share=share_text(c.candidate_agree, c.decided, t),
                kappa=kappa_text(c.candidate_kappa, t),
            ),
        ]
    return lines


def agreement_line(a: TeamAgreement, t: Translator) -> str:
    """One period's agreement with the team in a sentence."""
    if not a.decided:
        return t("rules.team.none")
    line = t(
        "rules.team.line",
        count=a.decided,
        agree=a.agree,
        share=share_text(a.agree, a.decided, t),
        kappa=kappa_text(a.kappa, t),
    )
    if a.overruled is not None:
        stored, chosen, count = a.overruled
        line += " " + t(
            "rules.team.overruled",
            stored=t(f"primary_short.{stored}"),
            chosen=t(f"primary_short.{chosen}"),
            count=count,
        )
    return line


def search_lines(found: Search, in_force: str, t: Translator) -> list[str]:
    """``consult rules suggest`` as text: the rules in force, the candidates, a warning when the
    decided cases are too few, and a reminder that nothing was applied."""
    lines = [t("rules.suggest.head", version=in_force, cases=found.cases, decided=found.decided)]
    if found.too_few:
        lines.append("⚠ " + t("rules.suggest.too_few", decided=found.decided, minimum=TOO_FEW_DECIDED))
    base = found.baseline
    lines.append(
        t(
            "rules.suggest.baseline",
            version=in_force,
            agree=base.agree,
            share=share_text(base.agree, found.decided, t),
            kappa=kappa_text(base.kappa, t),
        )
    )
    # Only what agrees with the team better than the rules in force is a suggestion: an equal
    # score is no improvement, and saying so plainly saves the convener a round of compares.
    better = [c for c in found.candidates if c.agree > base.agree]
    if not better:
        lines += ["", t("rules.suggest.none_better", version=in_force)]
    for number, c in enumerate(better, start=1):
        lines += [
            "",
            t(
                "rules.suggest.candidate",
                number=number,
                changes="; ".join(change_words(k, v, t) for k, v in c.changes),
                agree=c.agree,
                share=share_text(c.agree, found.decided, t),
                kappa=kappa_text(c.kappa, t),
                changed=c.changed_cases,
            ),
        ]
        lines += ["    " + line for line in c.toml(f"suggest-{number}", in_force).splitlines()]
    lines += ["", t("rules.suggest.never_applied")]
    return lines
