"""The settings file: the worker's choices, read once; a bad file is one line and the defaults."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from consult.system.settings import Settings, preferences_path, read_preferences, write_preferences


def _env(tmp_path: Path, **variables: str) -> dict[str, str]:
    return {"CONSULT_CONFIG_DIR": str(tmp_path / "config"), "CONSULT_DATA_DIR": str(tmp_path), **variables}


def test_the_saved_choices_are_read_and_the_environment_wins(tmp_path: Path) -> None:
    env = _env(tmp_path)
    write_preferences(preferences_path(env), {"lang": "sv", "area": "kuopio", "worker_org": "kela"})
    settings = Settings.from_env(env)
    assert (settings.lang, settings.area, settings.worker_org) == ("sv", "kuopio", "kela")
    assert settings.preferences_problem is None
    overridden = Settings.from_env({**env, "CONSULT_LANG": "en", "CONSULT_AREA": "other"})
    assert (overridden.lang, overridden.area, overridden.worker_org) == ("en", "other", "kela")
    assert overridden.from_environment == {"lang", "area"}


def test_no_file_is_no_problem(tmp_path: Path) -> None:
    settings = Settings.from_env(_env(tmp_path))
    assert (settings.lang, settings.area, settings.preferences_problem) == ("fi", None, None)


def test_a_bad_value_names_the_field_and_what_is_allowed(tmp_path: Path) -> None:
    env = _env(tmp_path)
    path = preferences_path(env)
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"lang": "sv", "area": "Helsinki"}), "utf-8")
    settings = Settings.from_env(env)
    assert (settings.lang, settings.area) == ("fi", None)  # the defaults, not half the file
    problem = settings.preferences_problem
    assert problem is not None and problem.field == "area" and problem.value == "Helsinki"
    assert "kuopio" in problem.allowed


@given(st.one_of(st.binary(max_size=60), st.text(max_size=60).map(str.encode)))
def test_any_file_content_gives_settings_never_an_exception(content: bytes) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "settings.json"
        path.write_bytes(content)
        chosen, problem = read_preferences(path)
        assert chosen == {} or problem is None
        settings = Settings.from_env({"CONSULT_CONFIG_DIR": folder, "CONSULT_DATA_DIR": folder})
        assert settings.lang in ("fi", "sv", "en")


def test_writing_replaces_the_file_whole(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "settings.json"
    write_preferences(path, {"lang": "en", "area": None, "worker_org": None})
    write_preferences(path, {"lang": "sv", "area": "other", "worker_org": None})
    assert json.loads(path.read_text("utf-8")) == {"lang": "sv", "area": "other", "worker_org": None}
    assert [p.name for p in path.parent.iterdir()] == ["settings.json"]
