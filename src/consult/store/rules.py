"""The rules in force, kept in the database so every worker on a shared server scores alike,
their history of activations, and the completed cases read as re-scoring needs them."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import Engine, String, Table, and_, func, select

from consult.core.dates import team_day
from consult.core.instrument import DOMAIN_KEYS, QUESTION_KEYS
from consult.privacy.gate import exact
from consult.scoring.compare import StoredCase
from consult.scoring.rules import BUILT_IN, PS_2025_1, RulesDefinition
from consult.scoring.rules_file import RulesError, parse_rules, same_rules, strings, to_toml
from consult.store.activations import Activation, Activations
from consult.store.db import aware, table_of
from consult.store.review import CaseFilter, conditions
from consult.store.tables import CaseRow, RulesActivationRow


class VersionTaken(ValueError):
    """The version name already stands for other rules: a new wording needs a new name."""

    def __init__(self, version: str) -> None:
        super().__init__(version)
        self.version = version


_ACTIVATED = Activations(RulesActivationRow, "definition", parse_rules, RulesError)


def rules_in_force(engine: Engine) -> RulesDefinition:
    """The newest activated rules, or the built-in ``ps-2025.1`` when none was ever activated."""
    rules = _ACTIVATED.in_force(engine)
    return PS_2025_1 if rules is None else rules


def known_rules(engine: Engine) -> dict[str, RulesDefinition]:
    """Every version a case may have been scored under: the built-in ones and every one ever
    activated here (a file may be ``based_on`` any of them)."""
    known = dict(BUILT_IN)
    known.update((rules.version, rules) for rules in _ACTIVATED.every(engine))
    return known


def activate(engine: Engine, rules: RulesDefinition, who: str | None = None) -> Activation:
    """Puts ``rules`` in force for every new assessment from now on. A version name already
    used for different rules is refused, so a stored case's version always means one thing."""
    for key, text in strings(rules):  # the store's last line: the command line said it in words
        exact(key, text)
    existing = known_rules(engine).get(rules.version)
    if existing is not None and not same_rules(existing, rules):
        raise VersionTaken(rules.version)
    return _ACTIVATED.add(engine, rules.version, to_toml(rules), who)


def activations(engine: Engine) -> list[Activation]:
    """Every activation, newest first."""
    return _ACTIVATED.history(engine)


def _stored_suggestions(engine: Engine, table: Table) -> list:
    """The stored recommendation's suggested answers, read in SQL: decoding each stored
    recommendation (reasons and all) in Python took most of a comparison's time. SQLite reads
    all five from one parse of the JSON (a JSON array); elsewhere one text column each."""
    if engine.dialect.name == "sqlite":
        paths = [f"$.suggested_answers.{k}" for k in QUESTION_KEYS]
        return [func.json_extract(table.c.recommendation, *paths, type_=String)]
    return [table.c.recommendation[("suggested_answers", k)].as_string() for k in QUESTION_KEYS]


def stored_cases(engine: Engine, since: date | None = None, until: date | None = None) -> list[StoredCase]:
    """The completed cases created in the period (Finnish days, both ends included), as
    re-scoring reads them: plain columns and the five stored suggestions, never a whole stored
    recommendation (``bench/rules.py`` measures 100,000)."""
    table = table_of(CaseRow)
    columns = [table.c[k] for k in DOMAIN_KEYS] + [table.c[k] for k in QUESTION_KEYS]
    query = select(
        table.c.code,
        table.c.jobseeker,
        table.c.recommended,
        table.c.decision_path,
        table.c.status,
        *columns,
        *_stored_suggestions(engine, table),
    ).where(and_(*conditions(CaseFilter(since=since, until=until))), table.c.recommended.is_not(None))
    out: list[StoredCase] = []
    n_domains, n_questions = len(DOMAIN_KEYS), len(QUESTION_KEYS)
    one_array = engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        # All at once (fetching row by row cost more than the query), and in the table's own
        # order: sorting by date made SQLite visit the rows through the index, a third slower.
        rows = connection.execute(query).all()
    for row in rows:
        code, jobseeker, recommended, decision, status = row[:5]
        values = tuple(row[5 : 5 + n_domains + n_questions])
        if one_array:
            stored = tuple(json.loads(row[-1])) if row[-1] else None
        else:
            stored = tuple(row[5 + n_domains + n_questions :])
        out.append(
            StoredCase(
                code=code,
                levels=values[:n_domains],
                answers=values[n_domains:],
                jobseeker=jobseeker,
                suggested=stored if stored and any(stored) else None,
                primary=recommended,
                team=decision if status == "team_decided" else None,
            )
        )
    return out


def decided_pairs(
    engine: Engine, since: date | None = None, until: date | None = None
) -> list[tuple[str, str, str]]:
    """(month of the case, recommended primary, the team's path) for every decided case of the
    period: what the follow-up's agreement with the team counts."""
    table = table_of(CaseRow)
    query = select(table.c.created_at, table.c.recommended, table.c.decision_path).where(
        and_(*conditions(CaseFilter(since=since, until=until))),
        table.c.status == "team_decided",
        table.c.recommended.is_not(None),
        table.c.decision_path.is_not(None),
    )
    with engine.connect() as connection:
        rows = connection.execute(query).all()
    return [(team_day(aware(at)).strftime("%Y-%m"), primary, path) for at, primary, path in rows]
