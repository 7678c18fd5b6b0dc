"""`consult meeting agenda | list | minutes` on real databases (SQLite and PostgreSQL): three
meetings of Kuopio held through the store as a convener would, one of Ylä-Savo, and what the
command line says of them in each language; the minutes name only their own meeting's cases,
hold nothing the privacy guard would refuse or warn about, and the HTML renders in a real
headless Chromium; bad input is one line, exit status 2."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from consult.cli import main
from consult.exchange.bundle import Bundle, import_bundle
from consult.privacy.guard import check
from consult.store import Store
from tests.browser import chromium, needs_chromium
from tests.store.fixtures import make_case, march_cases

TYM = "3,3,2,4,3,3,2"
NAMED_NOTE = "Kela ja sosiaalipalvelut yhdessä. Matti Virtanen soittaa asiakkaalle."


@dataclass
class Held:
    """The meetings held, by name, and the cases' codes by name."""

    first: str  # Kuopio 10.3.2026: decided, deferred, decided, not discussed; two actions
    second: str  # Kuopio 24.3.2026: reviews both actions, decides the deferred case; one action
    planned: str  # Kuopio 7.4.2026, not held yet
    elsewhere: str  # Ylä-Savo 12.3.2026


def hold(url: str) -> Held:
    extra = [
        make_case(11, TYM, "2026-03-03T09:00:00+02:00", "awaiting_team", "kuopio"),
        make_case(12, TYM, "2026-03-04T09:00:00+02:00", "awaiting_team", "kuopio"),
        make_case(13, TYM, "2026-03-05T09:00:00+02:00", "awaiting_team", "kuopio"),
        make_case(14, TYM, "2026-03-20T09:00:00+02:00", "awaiting_team", "kuopio"),
        make_case(15, TYM, "2026-03-02T09:00:00+02:00", "awaiting_team", "yla-savo"),
    ]
    cases = [c.model_copy(update={"route": "to_team"}) if c.status == "awaiting_team" else c for c in extra]
    ids = {c.code: c.id for c in [*march_cases(), *cases]}
    store = Store.open(url)
    try:
        import_bundle(store.engine, Bundle(format="consult-cases", version=1, cases=march_cases()))
        import_bundle(store.engine, Bundle(format="consult-cases", version=2, cases=cases))
        first = store.plan_meeting("kuopio", date(2026, 3, 10), "social")
        store.set_items(first.id, [ids["T01-AAA"], ids["T11-AAA"], ids["T12-AAA"], ids["T13-AAA"]])
        store.set_attendance(first.id, ["employment", "social", "kela"], ["health"])
        store.start_meeting(first.id)
        store.decide_in_meeting(first.id, ids["T01-AAA"], "bilateral", NAMED_NOTE)
        store.defer_item(first.id, ids["T11-AAA"])
        store.decide_in_meeting(first.id, ids["T12-AAA"], "tym", "")
        contact = store.add_action(
            first.id,
            ids["T01-AAA"],
            "kela",
            "palveluneuvoja",
            "ottaa yhteyttä asiakkaaseen",
            date(2026, 3, 20),
        )
        statement = store.add_action(first.id, ids["T11-AAA"], "health", "lääkäri", "lääkärinlausunto", None)
        store.close_meeting(first.id)

        elsewhere = store.plan_meeting("yla-savo", date(2026, 3, 12), "employment")
        store.start_meeting(elsewhere.id)
        store.defer_item(elsewhere.id, ids["T15-AAA"])
        store.close_meeting(elsewhere.id)

        second = store.plan_meeting("kuopio", date(2026, 3, 24), "employment")
        store.set_items(second.id, [ids["T11-AAA"], ids["T13-AAA"]])
        store.set_attendance(second.id, ["employment", "social", "health", "kela"], [])
        store.start_meeting(second.id)
        store.close_action(contact.id, "done", date(2026, 3, 24), second.id)
        store.close_action(statement.id, "not_possible", date(2026, 3, 24), second.id)
        store.decide_in_meeting(second.id, ids["T11-AAA"], "social_services", "")
        store.add_action(
            second.id,
            ids["T13-AAA"],
            "employment",
            "työkykykoordinaattori",
            "työkyvyn arvio",
            date(2026, 3, 31),
        )
        store.close_meeting(second.id)

        planned = store.plan_meeting("kuopio", date(2026, 4, 7), "social")
    finally:
        store.close()
    return Held(first.id, second.id, planned.id, elsewhere.id)


@pytest.fixture
def held(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Held:
    monkeypatch.setenv("CONSULT_DATABASE_URL", database_url)
    return hold(database_url)


def consult(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def one_line(code: int, out: str, err: str) -> str:
    assert code == 2 and out == "" and "Traceback" not in err
    assert err.startswith("consult: ") and err.count("\n") == 1, err
    return err


def codes_in(text: str) -> set[str]:
    return set(re.findall(r"\bT\d\d-AAA\b", text))


# --- list ---------------------------------------------------------------------------------------


def test_the_list_counts_items_and_actions_newest_first(
    held: Held, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, err = consult(capsys, "meeting", "list", "--json")
    assert code == 0, err
    listed = json.loads(out)
    assert [(m["id"], m["on"], m["status"]) for m in listed] == [
        (held.planned, "2026-04-07", "planned"),
        (held.second, "2026-03-24", "closed"),
        (held.elsewhere, "2026-03-12", "closed"),
        (held.first, "2026-03-10", "closed"),
    ]
    first = listed[-1]
    assert first == {
        "id": held.first,
        "area": "kuopio",
        "on": "2026-03-10",
        "status": "closed",
        "items": {"decided": 2, "deferred": 1, "not_discussed": 1, "pending": 0},
        # Both were reviewed in the second meeting: counted by their status now.
        "actions": {"open": 0, "done": 1, "not_possible": 1, "not_done": 0},
    }
    code, out, _ = consult(capsys, "meeting", "list", "--area", "yla-savo", "--json")
    assert code == 0 and [m["id"] for m in json.loads(out)] == [held.elsewhere]
    code, out, _ = consult(capsys, "meeting", "list", "--area", "other", "--json")
    assert code == 0 and json.loads(out) == []

    monkeypatch.setenv("CONSULT_LANG", "fi")
    code, out, _ = consult(capsys, "meeting", "list")
    lines = out.splitlines()
    assert code == 0 and len(lines) == 5
    assert lines[0].split()[:3] == ["Päivä", "Alue", "Tila"]
    assert lines[1].startswith("7.4.2026") and "suunniteltu" in lines[1] and lines[1].endswith(held.planned)
    assert lines[4].split()[:3] == ["10.3.2026", "Kuopio", "päättynyt"] and lines[4].endswith(held.first)
    code, out, _ = consult(capsys, "meeting", "list", "--area", "other")
    assert code == 0 and out == "Ei kokouksia.\n"


# --- agenda -------------------------------------------------------------------------------------


def test_the_agenda_after_the_meetings(held: Held, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = consult(capsys, "meeting", "agenda", "--area", "kuopio", "--on", "7.4.2026", "--json")
    assert code == 0, err
    agenda = json.loads(out)
    assert agenda["last_meeting"] == "2026-03-24"
    # T13 was reached by neither meeting, T14 came in between; T01, T11 and T12 are decided.
    assert [(c["code"], c["deferred"], c["waiting_days"]) for c in agenda["cases"]] == [
        ("T13-AAA", 0, 33),
        ("T14-AAA", 0, 18),
    ]
    # The first meeting's two were reviewed in the second; the second's own is overdue.
    assert [(a["case_code"], a["owner_org"], a["due"], a["overdue"]) for a in agenda["actions"]] == [
        ("T13-AAA", "employment", "2026-03-31", True)
    ]
    # T06 and T07, saved directly on the last evening of March and just after midnight.
    assert agenda["direct_since_last"] == 2

    code, out, err = consult(
        capsys, "meeting", "agenda", "--area", "yla-savo", "--on", "2026-03-20", "--json"
    )
    assert code == 0, err
    agenda = json.loads(out)
    assert [(c["code"], c["deferred"]) for c in agenda["cases"]] == [("T15-AAA", 1)]
    assert agenda["last_meeting"] == "2026-03-12" and agenda["direct_since_last"] == 0


def test_the_agenda_as_a_table(
    held: Held, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CONSULT_LANG", "en")
    code, out, err = consult(capsys, "meeting", "agenda", "--area", "kuopio", "--on", "2026-04-07")
    assert code == 0, err
    assert out.splitlines()[:2] == ["Agenda: Kuopio 2026-04-07", "Last closed meeting: 2026-03-24"]
    rows = out.split("Cases waiting for the team\n")[1].split("\n\n")[0].splitlines()
    assert rows[0].split() == [
        "No.",
        "Code",
        "Recommendation",
        "Flags",
        "Waited",
        "(days)",
        "Deferred",
        "(times)",
    ]
    assert [row.split() for row in rows[1:]] == [
        ["1", "T13-AAA", "TYM", "33", "0"],
        ["2", "T14-AAA", "TYM", "18", "0"],
    ]
    actions = out.split("Open actions\n")[1].split("\n\n")[0].splitlines()
    assert actions[0].split() == ["Code", "Owner", "Role", "What", "Due"]
    assert actions[1].split() == [
        "T13-AAA", "employment", "authority", "työkykykoordinaattori", "työkyvyn", "arvio", "2026-03-31", "(overdue)"
    ]  # fmt: skip
    assert out.endswith("Cases referred directly since the last meeting: 2\n")
    code, out, err = consult(capsys, "meeting", "agenda", "--area", "other", "--on", "2026-04-07")
    assert code == 0, err
    assert "No cases are waiting for the team." in out and "No open actions." in out
    assert "The area has no earlier closed meeting." in out


# --- minutes ------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_minutes_name_only_their_meetings_cases_and_nobody(
    lang: str, held: Held, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CONSULT_LANG", lang)
    code, first, err = consult(capsys, "meeting", "minutes", held.first)
    assert code == 0, err
    assert codes_in(first) == {"T01-AAA", "T11-AAA", "T12-AAA", "T13-AAA"}
    code, second, err = consult(capsys, "meeting", "minutes", held.second, "--format", "markdown")
    assert code == 0, err
    # Its items, and the cases of the actions it reviewed: not the first meeting's T12 and T13…
    assert codes_in(second) == {"T11-AAA", "T13-AAA", "T01-AAA"}
    for text in (first, second):
        assert check(text) == [], text
        assert "Matti" not in text and "Virtanen" not in text
    words = {
        "fi": ("siirretty seuraavaan kokoukseen", "ei käsitelty", "tehty", "luottamuksellinen", "20.3.2026"),
        "sv": ("uppskjutet till nästa möte", "inte behandlat", "utförd", "konfidentiellt", "20.3.2026"),
        "en": ("deferred to the next meeting", "not discussed", "done", "confidential", "2026-03-20"),
    }[lang]
    assert all(word in first + second for word in words), first + second


def test_the_minutes_as_files(
    held: Held, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CONSULT_LANG", "en")
    markdown, html = tmp_path / "minutes.md", tmp_path / "minutes.html"
    code, out, err = consult(capsys, "meeting", "minutes", held.second, "--output", str(markdown))
    assert code == 0 and out == "" and err == f"Minutes written: {markdown}\n"
    text = markdown.read_text("utf-8")
    assert text.startswith("# Minutes of the consultation team") and "## Confidentiality" in text
    assert "T01-AAA · Kela, palveluneuvoja: ottaa yhteyttä asiakkaaseen (due 2026-03-20) — done" in text
    assert "not possible, as circumstances changed" in text
    code, out, err = consult(capsys, "meeting", "minutes", held.first, "--output", str(html))
    assert code == 0, err
    page = html.read_text("utf-8")
    assert page.startswith("<!doctype html>") and '<html lang="en">' in page
    assert not re.search(r"""(src|href)\s*=|<script|@import|url\(""", page)  # nothing fetched, nothing run
    assert "@media print" in page and "@page" in page
    assert check(page) == []
    assert oct(markdown.stat().st_mode & 0o777) == "0o600"


def test_bad_minutes_input_is_one_line(
    held: Held, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CONSULT_LANG", "en")
    folder = tmp_path / "out"
    folder.mkdir()
    err = one_line(*consult(capsys, "meeting", "minutes", held.planned))
    assert "the meeting is planned; minutes are written for a closed meeting" in err
    unknown = "00000000-0000-4000-8000-00000000beef"
    err = one_line(*consult(capsys, "meeting", "minutes", unknown))
    assert f"{unknown}: there is no meeting with this identifier" in err
    err = one_line(*consult(capsys, "meeting", "minutes", "131052-308T"))
    assert "131052" not in err and "is not a meeting's identifier" in err
    err = one_line(*consult(capsys, "meeting", "minutes", held.first, "--output", str(folder / "m.txt")))
    assert "--output" in err and ".md or .html" in err
    err = one_line(
        *consult(
            capsys, "meeting", "minutes", held.first, "--output", str(folder / "m.md"), "--format", "text"
        )
    )
    assert "--format" in err
    err = one_line(
        *consult(capsys, "meeting", "minutes", held.first, "--output", str(folder / "no" / "m.md"))
    )
    assert str(folder / "no" / "m.md") in err
    assert list(folder.iterdir()) == []


def test_bad_agenda_and_list_input_is_one_line(
    held: Held, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CONSULT_LANG", "en")
    allowed = "yla-savo, keski-savo, kuopio, other, unknown"
    err = one_line(*consult(capsys, "meeting", "agenda", "--area", "Kuopio"))
    assert err == f"consult: --area: 'Kuopio' is not allowed; allowed: {allowed}\n"
    err = one_line(*consult(capsys, "meeting", "list", "--area", "savo"))
    assert "--area" in err and allowed in err
    err = one_line(*consult(capsys, "meeting", "agenda", "--area", "kuopio", "--on", "31.2.2026"))
    assert err.startswith("consult: --on: '31.2.2026' is not a date; give e.g.")
    err = one_line(*consult(capsys, "meeting", "agenda", "--area", "kuopio", "--on", "040 1234567"))
    assert "--on" in err and "040" not in err  # a phone number is never echoed
    err = one_line(*consult(capsys, "meeting", "agenda", "--on", "2026-03-10"))
    assert "--area" in err
    err = one_line(*consult(capsys, "meeting"))
    assert "ACTION" in err or "action" in err


@needs_chromium
@pytest.mark.parametrize(
    ("lang", "statement"),
    [
        ("fi", "Tämä muistio on luottamuksellinen"),
        ("sv", "Detta protokoll är konfidentiellt"),
        ("en", "These minutes are confidential"),
    ],
)
def test_the_html_minutes_render_in_chromium(
    lang: str,
    statement: str,
    held: Held,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CONSULT_LANG", lang)
    page = tmp_path / "muistio.html"
    code, _, err = consult(capsys, "meeting", "minutes", held.second, "--output", str(page))
    assert code == 0, err
    dom = chromium(tmp_path, "--dump-dom", page.as_uri())
    assert dom.returncode == 0
    assert (
        '<span class="code">T11-AAA</span>' in dom.stdout
        and '<span class="code">T13-AAA</span>' in dom.stdout
    )
    assert statement in dom.stdout
    assert "CONSOLE" not in dom.stderr, dom.stderr
    shot = tmp_path / "muistio.png"
    taken = chromium(tmp_path, f"--screenshot={shot}", "--window-size=900,1300", page.as_uri())
    assert taken.returncode == 0 and "CONSOLE" not in taken.stderr
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000


@pytest.mark.postgres
def test_a_login_that_may_not_hold_the_areas_meetings_is_told_in_one_line(
    postgres_available: None, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.roles.server import fresh_server

    monkeypatch.setenv("CONSULT_LANG", "en")
    with fresh_server() as server:
        worker, yla_savo = server.login("worker"), server.login("team", "yla-savo")
        monkeypatch.setenv("CONSULT_DATABASE_URL", server.url(worker))
        err = one_line(*consult(capsys, "meeting", "agenda", "--area", "kuopio", "--on", "2026-03-10"))
        assert err == f"consult: {worker} (worker) may not plan and hold the team's meetings: Kuopio\n"
        monkeypatch.setenv("CONSULT_DATABASE_URL", server.url(yla_savo))
        err = one_line(*consult(capsys, "meeting", "agenda", "--area", "kuopio", "--on", "2026-03-10"))
        assert err == f"consult: {yla_savo} (team member) may not plan and hold the team's meetings: Kuopio\n"
        code, out, err = consult(
            capsys, "meeting", "agenda", "--area", "yla-savo", "--on", "2026-03-10", "--json"
        )
        assert code == 0 and json.loads(out)["cases"] == [], err
        code, out, err = consult(capsys, "meeting", "list", "--json")
        assert code == 0 and json.loads(out) == [], err


def test_the_command_lines_meeting_areas_are_the_meetings() -> None:
    """The parser names the figures' area buckets without building the meeting's model."""
    from consult.core.meeting import MEETING_AREAS
    from consult.core.vocabulary import AREA_BUCKETS

    assert MEETING_AREAS == AREA_BUCKETS
