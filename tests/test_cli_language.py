"""The command line speaks the user's language: argparse's usage, headings and errors come
through the catalogs like every other line."""

from __future__ import annotations

import pytest

from consult.cli import main


@pytest.mark.parametrize(
    ("lang", "words", "english"),
    [("fi", "käyttö:", "usage:"), ("sv", "användning:", "usage:")],
)
def test_help_speaks_the_language(
    lang: str, words: str, english: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CONSULT_LANG", lang)
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert words in out and english not in out and "options" not in out


@pytest.mark.parametrize(
    ("lang", "argv", "words"),
    [
        ("fi", ["report"], "nämä puuttuvat: --output"),
        ("sv", ["export", "--format", "xml"], "godtas inte"),
        ("fi", ["purge", "--bogus"], "tuntemattomia argumentteja"),
        ("en", ["report"], "the following arguments are required: --output"),
    ],
)
def test_argument_errors_speak_the_language(
    lang: str,
    argv: list[str],
    words: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("CONSULT_LANG", lang)
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert words in err and len(err.strip().splitlines()) == 1
