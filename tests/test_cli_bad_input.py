"""Every verb answers bad input with one line naming what was wrong, exit status 2, nothing
on stdout and no traceback, before touching any database."""

from __future__ import annotations

from pathlib import Path

import pytest

from consult.cli import main

BAD = [
    (["nosuch"], "VERB"),
    (["purge", "--bogus"], "--bogus"),
    (["purge", "--draft-days", "1.5"], "--draft-days"),
    (["export", "--format", "xml"], "--format"),
    (["stats", "--since", "2026-13-01"], "--since"),
    (["stats", "--until", "eilen"], "--until"),
    (["score", "/no/such/file.json"], "/no/such/file.json"),
    (["import", "/no/such/bundle.json"], "/no/such/bundle.json"),
    (["import"], "FILE"),
]


@pytest.mark.parametrize(("argv", "named"), BAD, ids=[" ".join(a) for a, _ in BAD])
def test_bad_arguments_are_one_line(
    argv: list[str], named: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert len(err.strip().splitlines()) == 1 and named in err and "Traceback" not in err
    assert not (tmp_path / "data").exists()  # refused before any database was created


@pytest.mark.parametrize(
    ("variable", "value"),
    [("CONSULT_LANG", "de"), ("CONSULT_DATABASE_URL", "consult.db"), ("CONSULT_RETENTION_DAYS", "2y")],
)
def test_a_bad_setting_is_one_line_for_every_verb(
    variable: str, value: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(variable, value)
    for argv in (["stats"], ["purge", "--dry-run"], ["export"]):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert len(err.strip().splitlines()) == 1 and variable in err
