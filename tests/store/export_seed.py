"""A database holding every kind of value an export writes, made the same way each time, and
what ``consult export`` wrote from it before the exports were made fast (``tests/data/export/``,
written by ``python -m tests.store.export_seed`` with the code of that time: main's export of
version 3, before the fast paths learned services and meetings, for the files of now).

Fictional cases only: the notes are made-up worker phrases without names or identifiers.
"""

from __future__ import annotations

import io
import json
import sys
from datetime import date
from pathlib import Path

from sqlalchemy import Engine, text

from consult.core.model import Answers, Case, Outcome, TeamDecision
from consult.exchange.bundle import Bundle, import_bundle
from consult.store import Store
from tests.store.fixtures import make_case, march_cases

GOLDEN = Path(__file__).resolve().parents[1] / "data" / "export"
# (file name, format, --codes, drafts, language)
EXPORTS = (
    ("cases.json", "json", False, False, "fi"),
    ("cases-with-drafts.json", "json", False, True, "fi"),
    ("codes.csv", "csv", True, False, "fi"),
    ("codes-with-drafts.csv", "csv", True, True, "fi"),
    ("sheet-fi.csv", "csv", False, False, "fi"),
    ("sheet-sv.csv", "csv", False, False, "sv"),
    ("sheet-en.csv", "csv", False, False, "en"),
    ("sheet-en-with-drafts.csv", "csv", False, True, "en"),
)


def cases() -> list[Case]:
    made = march_cases()
    made.append(
        make_case(
            10, "5,4,3,2,1,-,3", "2026-05-31T21:00:00+00:00", "awaiting_team", "other",
            notes={"relations": "+ sovittu tapaaminen", "general": "@tiimi: kysy lisää", "housing": "  vuokra"},
        )
    )  # fmt: skip
    made.append(
        make_case(11, "2,2,2,2,2,2,2", "2026-06-01T06:07:08.123456+03:00", "referred_directly", "kuopio")
    )
    made.append(make_case(12, "-,-,-,-,-,-,1", "2026-02-28T12:00:00+02:00", "awaiting_team", "yla-savo"))
    made.append(make_case(13, "1,1,1,1,1,1,1", "2026-01-01T00:00:00+02:00", "referred_directly", None))
    made.append(
        make_case(
            14, "3,-,4,4,-,2,5", "2026-03-15T08:00:00+02:00", "draft", None, notes={"general": "kesken"}
        )
    )
    # Answers, another organisation and age band, and a worker who does not say "jobseeker".
    made[1] = made[1].model_copy(
        update={
            "answers": Answers(q_bilateral="yes", q_other_first="no", q_joint_plan="unsure"),
            "context": made[1].context.model_copy(
                update={"worker_org": "kela", "age_band": "under_25", "jobseeker": False}
            ),
        }
    )
    made[9] = made[9].model_copy(
        update={"context": made[9].context.model_copy(update={"jobseeker": None, "age_band": "25_plus"})}
    )
    return made


def _case_id(number: int) -> str:
    return f"00000000-0000-4000-8000-{number:012d}"


MEETINGS = ("00000000-0000-4000-9000-000000000001", "00000000-0000-4000-9000-000000000002")


def meeting_bundle() -> str:
    """A version-3 bundle: two cases with services (catalogue ids and a worker's words), one
    decided in a closed meeting that also deferred the other and did not reach an older case,
    its actions (one reviewed at the next, planned meeting), and that planned meeting."""
    decided = make_case(15, "3,3,2,4,3,3,5", "2026-03-20T10:15:00+02:00", "team_decided", "kuopio")
    waiting = make_case(16, "2,2,5,2,2,2,2", "2026-03-10T10:15:00+02:00", "awaiting_team", "kuopio")
    first = decided.model_dump(mode="json") | {"route": "to_team"}
    first["team_decision"] = {
        "path": "tym", "note": "tiimi sopi yhteisestä suunnitelmasta", "decided_at": "2026-04-02",
        "meeting_id": MEETINGS[0],
    }  # fmt: skip
    first["services"] = {
        "tried": [
            {"service": "kela-nuotti", "text": None, "result": "did_not_help"},
            {"service": None, "text": "seurakunnan ruoka-apu", "result": "helped"},
        ],
        "missing": [{"service": "kela-teak", "text": None, "domain": "employment", "reason": "waiting_list"}],
    }
    second = waiting.model_dump(mode="json") | {"route": "to_team"}
    second["services"] = {
        "tried": [],
        "missing": [
            {"service": None, "text": "päihdekuntoutus lähellä", "domain": "health", "reason": "not_in_area"}
        ],
    }
    action = {"owner_org": "kela", "owner_role": "palveluneuvoja", "by": "tiimi"}
    meetings = [
        {
            "id": MEETINGS[0], "area": "kuopio", "on": "2026-04-02", "status": "closed",
            "convener_org": "social", "present": ["social", "kela", "employment"], "apologies": ["health"],
            "note": "Etäkokous, kolme tapausta.",
            "items": [
                {"case_id": _case_id(15), "position": 1, "result": "decided"},
                {"case_id": _case_id(16), "position": 2, "result": "deferred"},
                {"case_id": _case_id(1), "position": 3, "result": "not_discussed"},
            ],
            "actions": [
                {
                    **action, "id": "00000000-0000-4000-a000-000000000001", "case_id": _case_id(15),
                    "what": "ottaa yhteyttä", "due": "2026-04-09", "status": "done",
                    "closed_on": "2026-04-16", "closed_in": MEETINGS[1],
                },
                {
                    **action, "id": "00000000-0000-4000-a000-000000000002", "case_id": _case_id(16),
                    "owner_org": "health", "owner_role": "", "what": "lausunto pyydetty", "due": None,
                    "status": "open", "closed_on": None, "closed_in": None,
                },
            ],
        },
        {
            "id": MEETINGS[1], "area": "kuopio", "on": "2026-04-16", "status": "planned",
            "convener_org": "employment", "present": [], "apologies": [], "note": "",
            "items": [{"case_id": _case_id(16), "position": 1, "result": None}],
            "actions": [],
        },
    ]  # fmt: skip
    return json.dumps(
        {"format": "consult-cases", "version": 3, "cases": [first, second], "meetings": meetings}
    )


def seed(engine: Engine) -> None:
    """The cases, then decisions and outcomes added as the team adds them (the newest counts),
    and texts no import lets in (an older consult's): C1 controls, a line separator. Then the
    version-3 bundle's cases with services and its meetings, the actions' "by" said the same
    on every machine and server (an import records the importing login)."""
    from consult.exchange.bundle import import_file
    from consult.i18n import Translator

    import_bundle(engine, Bundle(format="consult-cases", version=1, cases=cases()))
    import_file(engine, io.BytesIO(meeting_bundle().encode("utf-8")), Translator("en"))
    from consult.store import team

    ids = {case.code: case.id for case in cases()}
    team.add_team_decision(
        engine, ids["T01-AAA"], TeamDecision(path="bilateral", note="", decided_at=date(2026, 3, 4))
    )
    team.add_team_decision(
        engine, ids["T01-AAA"], TeamDecision(path="tym", note="uusi päätös; -1", decided_at=date(2026, 3, 6))
    )
    team.add_outcome(
        engine, ids["T03-AAA"], Outcome(started=True, path="social_services", on=date(2026, 3, 20))
    )
    team.add_outcome(
        engine,
        ids["T02-AAA"],
        Outcome(started=False, on=date(2026, 3, 10), reason="client_declined", note="ei halunnut nyt"),
    )
    team.add_outcome(engine, ids["T06-AAA"], Outcome(started=False, on=date(2026, 4, 2), reason="other"))
    team.add_outcome(
        engine, ids["T06-AAA"], Outcome(started=True, path="own_service", on=date(2026, 4, 9), note="=alkoi")
    )
    with engine.begin() as connection:
        connection.execute(
            text("UPDATE cases SET notes = :notes WHERE code = 'T13-AAA'"),
            {"notes": '{"general": "vanha\\u0085teksti\\u2028rivi\\u007f", "health": "\\u001b[31mpuna"}'},
        )
        connection.execute(
            text("UPDATE team_decisions SET note = :note WHERE case_id = :id"),
            {"note": "=vanha\u0085 huomio", "id": ids["T03-AAA"]},
        )
        # On a server the login who added a row is the server's to say, and never changes: the
        # seed steps past its triggers (the test's login owns the tables) to say one for both.
        server = connection.dialect.name == "postgresql"
        if server:
            connection.execute(text("ALTER TABLE meeting_actions DISABLE TRIGGER USER"))
        connection.execute(text("UPDATE meeting_actions SET created_by = 'tiimi'"))
        if server:
            connection.execute(text("ALTER TABLE meeting_actions ENABLE TRIGGER USER"))


def exported(url: str, kind: str, codes: bool, drafts: bool, lang: str) -> str:
    """What ``consult export`` writes for these options."""
    from consult.cli.cases import _writer
    from consult.i18n import Translator

    store = Store.open(url)
    try:
        out = io.StringIO(newline="")
        _writer(kind, codes, drafts, Translator(lang))(store.engine, out)
        return out.getvalue()
    finally:
        store.close()


def main(folder: Path) -> None:
    database = folder / "consult.db"
    url = f"sqlite:///{database}"
    store = Store.open(url)
    try:
        seed(store.engine)
    finally:
        store.close()
    GOLDEN.mkdir(parents=True, exist_ok=True)
    for name, kind, codes, drafts, lang in EXPORTS:
        (GOLDEN / name).write_bytes(exported(url, kind, codes, drafts, lang).encode("utf-8"))


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        main(Path(folder))
    sys.exit(0)
