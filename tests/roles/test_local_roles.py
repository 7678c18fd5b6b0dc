"""The local SQLite file needs no setup: its one worker holds every role, and the audit records
the OS account the app writes in the who-columns."""

from __future__ import annotations

import getpass
import json

import pytest

from consult.cli import main
from consult.scoring.rules import PS_2025_1
from consult.store import Store
from consult.store.rules import activate
from consult.system.settings import Settings


def test_whoami_on_a_sqlite_file_holds_every_role(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["whoami"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].endswith(getpass.getuser()) and len(out) == 2


def test_the_audit_on_a_sqlite_file_names_the_os_account(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    store = Store.open(settings.resolved_database_url)
    try:
        activate(store.engine, PS_2025_1)
        from consult.core.model import Context

        draft = store.create_draft(Context())
    finally:
        store.close()
    assert main(["audit", "--json"]) == 0
    entries = json.loads(capsys.readouterr().out)
    assert [(e["who"], e["what"], e["detail"]) for e in entries] == [
        (getpass.getuser(), "rules.activated", "ps-2025.1")
    ]
    assert draft.id  # a draft is no one's business in the audit until it is saved


def test_setup_needs_a_server(settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["admin", "setup"]) == 2
    assert "PostgreSQL" in capsys.readouterr().err
