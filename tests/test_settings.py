"""Settings are read once from CONSULT_* variables and refused in one line when wrong."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from consult.system.settings import Settings, SettingsError


def test_defaults_and_overrides(tmp_path: Path) -> None:
    settings = Settings.from_env({"CONSULT_DATA_DIR": str(tmp_path), "CONSULT_LANG": "EN"})
    assert settings.data_dir == tmp_path and settings.lang == "en"
    assert settings.resolved_database_url == f"sqlite:///{tmp_path / 'consult.db'}"
    assert Settings.from_env({}).lang == "fi"


def test_a_shared_server_is_shown_without_its_password() -> None:
    settings = Settings.from_env(
        {"CONSULT_DATABASE_URL": "postgresql+psycopg://team:secret@db.example/consult"}
    )
    assert settings.resolved_database_url.endswith("@db.example/consult")
    assert "secret" not in settings.where()


@pytest.mark.parametrize("variable,value", [("CONSULT_LANG", "de"), ("CONSULT_DATABASE_URL", "consult.db")])
def test_a_bad_setting_is_refused(variable: str, value: str) -> None:
    with pytest.raises(SettingsError) as error:
        Settings.from_env({variable: value})
    assert error.value.variable == variable


def test_a_bad_setting_is_one_line_from_the_command_line(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "consult", "score", "-"],
        input="{}",
        capture_output=True,
        text=True,
        env={"CONSULT_LANG": "de", "CONSULT_DATA_DIR": str(tmp_path)},
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "CONSULT_LANG" in done.stderr and "fi" in done.stderr
    assert "Traceback" not in done.stderr


async def test_an_unreachable_database_is_one_line_on_home(tmp_path: Path) -> None:
    from consult.app import make_app
    from tests.screens.helpers import ready, screen_text

    settings = Settings(data_dir=tmp_path, database_url="postgresql+psycopg://nobody@127.0.0.1:1/none")
    app = make_app(settings)
    async with app.run_test() as pilot:
        await ready(app, pilot)
        assert "Tietokantaa ei voitu avata" in screen_text(app)
