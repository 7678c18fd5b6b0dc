"""Files the app writes: never over another file, never through a planted link, always private.
And the database's own files: an empty one is refused on the home screen too."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from consult.system.files import create_unique, open_private, private_dir, write_replacing

posix = pytest.mark.skipif(os.name != "posix", reason="links and modes are POSIX")


def test_two_record_notes_in_the_same_second_are_two_files(settings) -> None:
    from consult.app import make_app

    app = make_app(settings)
    first = app.write_note_file("ensimmäinen kirjaus")
    second = app.write_note_file("toinen kirjaus")
    assert first != second
    assert first.read_text("utf-8") == "ensimmäinen kirjaus\n"
    assert second.read_text("utf-8") == "toinen kirjaus\n"


@posix
def test_a_link_planted_at_the_next_name_is_not_followed(tmp_path: Path) -> None:
    folder = private_dir(tmp_path / "notes")
    victim = tmp_path / "victim.txt"
    victim.write_text("keep", "utf-8")
    for name in ("kirjaus-1.txt", "kirjaus-1-2.txt"):
        (folder / name).symlink_to(victim)
    path, handle = create_unique(folder, "kirjaus-1", ".txt")
    with handle:
        handle.write("uusi")
    assert path.name == "kirjaus-1-3.txt" and not path.is_symlink()
    assert victim.read_text("utf-8") == "keep"
    assert path.stat().st_mode & 0o777 == 0o600


@posix
def test_open_private_refuses_what_is_already_there(tmp_path: Path) -> None:
    (tmp_path / "link").symlink_to(tmp_path / "nowhere")
    (tmp_path / "file").write_text("x", "utf-8")
    for name in ("link", "file"):
        with pytest.raises(FileExistsError):
            open_private(tmp_path / name)
    assert not (tmp_path / "nowhere").exists()


def test_a_failed_write_leaves_neither_the_target_nor_a_partial(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    target.write_text("old", "utf-8")

    def fail(out) -> None:
        out.write("half")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        write_replacing(target, fail)
    assert target.read_text("utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


@posix
def test_existing_folders_are_narrowed_and_new_parents_are_private(tmp_path: Path) -> None:
    loose = tmp_path / "loose"
    loose.mkdir()
    loose.chmod(0o777)
    private_dir(loose)
    assert loose.stat().st_mode & 0o777 == 0o700
    old = os.umask(0)
    try:
        private_dir(tmp_path / "x" / "y")
    finally:
        os.umask(old)
    for folder in (tmp_path / "x", tmp_path / "x" / "y"):
        assert folder.stat().st_mode & 0o777 == 0o700


async def test_the_home_screen_says_an_empty_database_was_not_replaced(settings) -> None:
    from consult.app import make_app
    from tests.screens.helpers import ready, screen_text

    settings.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    database = settings.data_dir / "consult.db"
    database.write_bytes(b"")
    app = make_app(settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(app, pilot)
        text = " ".join(screen_text(app).split())
        assert "tyhjä (0 tavua)" in text, text
    assert database.stat().st_size == 0
