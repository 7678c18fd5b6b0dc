"""Databases as each released schema made them, for the upgrade tests.

`python -m tests.store.schema_fixtures` writes `tests/data/schemas/consult-<revision>.db` for
every revision and `cases.json`, what each of them must hold after an upgrade. The files are
committed and never regenerated for an old revision: they stand for databases already out
there, which later code must open as they are. The same builder also makes old-schema
databases on PostgreSQL at test time.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from datetime import UTC, date, datetime
from pathlib import Path

from alembic import command
from sqlalchemy import Engine, MetaData, insert

from consult.core.model import Case, Recommendation, TeamDecision
from consult.demo import stored_cases
from consult.store.bulk import case_row
from consult.store.db import make_engine
from consult.store.migrate import _MIGRATING, alembic_config

FOLDER = Path(__file__).parents[1] / "data" / "schemas"
RELEASED = (
    "0001",
    "0002",
    "0003",
    "0004",
    "0005r",
    "0006",
    "0007",
    "0008",
    "0009",
    "0010",
    "0011",
    "0012",
    "0013",
)
MOMENT = datetime(2026, 6, 15, 9, 30, tzinfo=UTC)

# Fictional and clean: these pass the privacy guard like any note a worker would write.
_NOTES = {
    0: {
        "housing": "Asuu tukiasunnossa, vuokrarästejä kaksi kuukautta.",
        "general": "Sovittu uusi tapaaminen.",
    },
    3: {"health": "Uniongelmia, lääkäriaika varattu ensi viikolle."},
    6: {"finances": "Toimeentulotuen päätös odottaa liitteitä."},
}
_FIRST_DECISION = TeamDecision(
    path="bilateral", note="Palataan asiaan, kun lausunto tulee.", decided_at=date(2026, 5, 1)
)


def cases() -> list[Case]:
    # The recommendations as released (their reasons' wording included), not as today's
    # catalogs word them: a database built now must hold what the reference holds.
    released = (
        {c["id"]: c["recommendation"] for c in expected()["cases"]}
        if (FOLDER / "cases.json").exists()
        else {}
    )
    out = []
    for index, case in enumerate(stored_cases(now=MOMENT, lang="fi")):
        update: dict = {"notes": _NOTES.get(index, {})}
        if released.get(case.id) is not None:
            update["recommendation"] = Recommendation.model_validate(released[case.id])
        out.append(case.model_copy(update=update))
    draft = out[-1]
    out[-1] = draft.model_copy(update={"status": "draft", "recommendation": None, "team_decision": None})
    return out


def build(engine: Engine, revision: str) -> None:
    """Migrates an empty database to ``revision`` and fills it through that schema's tables."""
    with _MIGRATING, engine.begin() as connection:
        command.upgrade(alembic_config(connection), revision)
    with engine.begin() as connection:
        tables = MetaData()
        tables.reflect(connection)
        columns = {c.name for c in tables.tables["cases"].columns}
        for case in cases():
            row = {k: v for k, v in case_row(case).items() if k in columns}
            connection.execute(insert(tables.tables["cases"]), row)
            decisions = [case.team_decision] if case.team_decision else []
            if case.team_decision and case.code == "DEM-003":
                decisions.insert(0, _FIRST_DECISION)  # the team decided twice: both are history
            for decision in decisions:
                connection.execute(
                    insert(tables.tables["team_decisions"]),
                    {
                        "case_id": case.id,
                        "path": decision.path,
                        "note": decision.note,
                        "decided_at": decision.decided_at,
                        "recorded_at": MOMENT,
                    },
                )


def expected() -> dict:
    return json.loads((FOLDER / "cases.json").read_text("utf-8"))


def _write() -> None:
    from consult.store.reads import iter_case_dicts, team_decisions

    FOLDER.mkdir(parents=True, exist_ok=True)
    for revision in RELEASED:
        path = FOLDER / f"consult-{revision}.db"
        if path.exists():
            continue  # an old schema's file stands for databases already out there: keep it
        engine = make_engine(f"sqlite:///{path}")
        build(engine, revision)
        engine.dispose()
        # One self-contained file to commit: no -wal beside it.
        with closing(sqlite3.connect(path)) as plain:
            plain.execute("PRAGMA journal_mode=DELETE")
            plain.execute("VACUUM")
    if not (FOLDER / "cases.json").exists():
        reference = make_engine("sqlite://")
        build(reference, "head")
        listing = {
            "cases": list(iter_case_dicts(reference)),
            "decisions": {
                c.id: [d.model_dump(mode="json") for d in team_decisions(reference, c.id)] for c in cases()
            },
        }
        (FOLDER / "cases.json").write_text(json.dumps(listing, ensure_ascii=False, indent=1) + "\n", "utf-8")


if __name__ == "__main__":
    _write()
