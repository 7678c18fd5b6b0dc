"""Notes are written in a field that wraps and grows: a 300-character note (or a refused longer
one being edited) is read whole at 80×24, with its counter."""

from __future__ import annotations

from consult.screens.domain import DomainScreen
from consult.system.settings import Settings
from consult.widgets.text_field import NoteArea
from tests.screens.helpers import press, running, screen_text, wait_until

NOTE = ("Asiakas kertoo vuokrarästeistä ja siitä, että toimeentulotukihakemus on vireillä. " * 4)[:300]


async def test_a_full_note_is_in_view_at_80x24(settings: Settings) -> None:
    async with running(settings, size=(80, 24)) as (app, pilot):
        await press(app, pilot, "n", "enter", "m", *NOTE[:40])
        field = app.screen.query_one("#note", NoteArea)
        field.value = NOTE
        await wait_until(pilot, lambda: field.size.height >= field.wrapped_document.height, "the note grew")
        assert field.wrapped_document.height > 1
        assert field.region.bottom <= app.screen.region.bottom - 1  # above the key bar
        assert "300/300" in screen_text(app)
        await press(app, pilot, "enter")  # Enter keeps the note, it adds no line
        assert isinstance(app.screen, DomainScreen) and "\n" not in field.text
        await press(app, pilot, "3")
        assert app.screen.domain.key == "services"
