"""What the command line prints — figures, rules, a purge's count, an export, a team meeting's
agenda, list and minutes, its refusals — speaks only the user's language, as the screens do
(the same check of other languages' words)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from consult.cli import main
from tests.screens.test_languages import leaks
from tests.test_cli_bundles import write_bundle


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_every_verbs_output_and_errors_speak_the_language(
    lang: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CONSULT_LANG", lang)
    monkeypatch.setenv("CONSULT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("CONSULT_DATABASE_URL", raising=False)
    bundle = write_bundle(tmp_path / "march.json")
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"format": "consult-cases", "version": 2, "cases": [{"id": 1}]}), "utf-8")
    runs = [
        ["import", str(bundle)],
        ["stats", "--since", "1.3.2026", "--until", "31.3.2026"],
        ["rules", "show"],
        ["purge", "--dry-run"],
        ["export", "--format", "csv", "--output", str(tmp_path / "out.csv")],
        ["import", str(bad)],
        ["stats", "--since", "2026-12-01", "--until", "2026-11-01"],
    ]
    said = []
    for argv in runs:
        main(argv)
        captured = capsys.readouterr()
        said.append(captured.out + captured.err)
    meeting = _a_closed_meeting()
    for argv in [
        ["meeting", "agenda", "--area", "kuopio", "--on", "24.3.2026"],
        ["meeting", "list"],
        ["meeting", "minutes", meeting],
        ["meeting", "minutes", meeting, "--format", "markdown"],
        ["meeting", "agenda", "--area", "savo"],
        ["meeting", "agenda", "--area", "kuopio", "--on", "31.2.2026"],
        ["meeting", "minutes", "00000000-0000-4000-8000-00000000beef"],
    ]:
        main(argv)
        captured = capsys.readouterr()
        said.append(captured.out + captured.err)
    shown = "\n".join(said)
    assert leaks(shown, lang) == [], shown


def _a_closed_meeting() -> str:
    """Kuopio's meeting of 10.3.2026 on the imported cases: one decided, one action agreed
    and reviewed at the next, closed."""
    from datetime import date

    from consult.store import Store
    from consult.system.settings import Settings

    store = Store.open(Settings.from_env().resolved_database_url)
    try:
        first = store.plan_meeting("kuopio", date(2026, 3, 10), "social")
        store.start_meeting(first.id)
        case = first.items[0].case_id
        store.decide_in_meeting(first.id, case, "tym", "")
        action = store.add_action(first.id, case, "kela", "palveluneuvoja", "yhteydenotto", date(2026, 3, 20))
        store.close_meeting(first.id)
        second = store.plan_meeting("kuopio", date(2026, 3, 24), "employment")
        store.start_meeting(second.id)
        store.close_action(action.id, "not_done", date(2026, 3, 24), second.id)
        store.close_meeting(second.id)
        return second.id
    finally:
        store.close()
