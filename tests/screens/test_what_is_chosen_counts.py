"""What the worker chooses is exactly what is saved and counted (issue 9), pressed as a
caseworker presses it."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from rich.console import Console
from sqlalchemy import create_engine, text
from textual import events

from consult.app import ConsultApp
from consult.screens.confirm import ConfirmScreen
from consult.screens.context import ContextScreen
from consult.screens.domain import DomainScreen
from consult.screens.drafts import DraftsScreen
from consult.screens.help import HelpScreen
from consult.screens.home import HomeScreen
from consult.screens.note import NoteScreen
from consult.screens.questions import QuestionScreen
from consult.screens.result import ResultScreen
from consult.system.settings import Settings
from consult.widgets.choice_row import ChoiceRow
from consult.widgets.text_field import NoteArea
from tests.screens.helpers import press, rows, running, screen_text, settle, wait_until

TO_QUESTIONS = ["n", "enter", *"3333333", "enter"]


def visible_text(app: ConsultApp) -> str:
    """What the terminal shows right now: only what is drawn, not what is scrolled away."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), record=True, color_system=None)
    console.print(app.screen._compositor.render_update(full=True))
    return console.export_text(styles=False)


async def test_enter_on_a_question_keeps_the_answer_already_given(settings: Settings) -> None:
    async with running(settings) as (app, pilot):
        await press(app, pilot, *TO_QUESTIONS)
        assert isinstance(app.screen, QuestionScreen)
        await press(app, pilot, "y", "left")  # the worker's own "yes", then back to it
        assert app.screen.current == "q_bilateral"
        assert "vastaus: kyllä" in screen_text(app)
        await press(app, pilot, "enter")  # on, keeping it
        assert app.walk.state.answers["q_bilateral"] == "yes"
        await press(app, pilot, "left", *["enter"] * 6)
        assert isinstance(app.screen, ResultScreen)
        assert app.screen.recommendation.primary == "bilateral"  # the worker's yes counts
        await press(app, pilot, "t")
    ((answer, primary),) = rows(settings, "SELECT q_bilateral, recommended FROM cases")
    assert (answer, primary) == ("yes", "bilateral")


@pytest.mark.parametrize("size", [(60, 20), (80, 24), (120, 40)])
async def test_every_context_option_is_visible_and_the_chosen_one_shown(
    settings: Settings, size: tuple[int, int]
) -> None:
    async with running(settings, size=size) as (app, pilot):
        await press(app, pilot, "n")
        assert isinstance(app.screen, ContextScreen)
        for row in app.screen.query(ChoiceRow):
            row.focus()
            await pilot.pause()
            shown = visible_text(app)
            assert row.label in shown
            for _value, label in row.options:
                assert label in shown, (row.label, label, size)
        # Kela, the last organisation: chosen by its number and drawn in brackets.
        await press(app, pilot, "up", "up", "4")
        assert app.screen.query_one("#ctx-worker_org", ChoiceRow).value == "kela"
        assert "[4 Kela]" in visible_text(app)


async def test_going_back_never_changes_a_context_choice(settings: Settings) -> None:
    async with running(settings) as (app, pilot):
        await press(app, pilot, "n", "3", "down", "2", "enter", "4", "2")  # Kuopio, health; 2 domains
        await press(app, pilot, *["left"] * 8, *["backspace"] * 3)  # well past the first step
        assert isinstance(app.screen, ContextScreen)
        assert app.screen.current().area == "kuopio"
        assert app.screen.current().worker_org == "health"
    ((area, org, affairs, services),) = rows(
        settings, "SELECT area, worker_org, affairs, services FROM cases"
    )
    assert (area, org, affairs, services) == ("kuopio", "health", 4, 2)


async def test_a_context_choice_is_saved_before_the_first_enter(settings: Settings) -> None:
    async with running(settings) as (app, pilot):
        await press(app, pilot, "n", "2", "down", "down", "1")  # Keski-Savo, under 25; no Enter
        # What a dead process would leave: the database as it is now.
        assert rows(settings, "SELECT status, area, age_band FROM cases") == [
            ("draft", "keski-savo", "under_25")
        ]


async def test_keys_typed_ahead_of_the_result_never_save(settings: Settings) -> None:
    async with running(settings) as (app, pilot):
        await press(app, pilot, *TO_QUESTIONS, *["enter"] * 6, "m")
        assert isinstance(app.screen, NoteScreen)
        await press(app, pilot, *"Asunto kunnossa")
        # Keys read from the terminal before the result was back on view: Textual stamps each
        # key when it is read, so these are made (stamped) before Enter closes the dialog.
        typed_ahead = [events.Key(key, key) for key in "tdt"]
        await press(app, pilot, "enter")
        for key in typed_ahead:
            app.post_message(key)
        await settle(app, pilot)
        assert isinstance(app.screen, ResultScreen)
        assert rows(settings, "SELECT status FROM cases") == [("draft",)]
        assert app.screen.notes["general"] == "Asunto kunnossa"
        await press(app, pilot, "t")  # pressed with the result on view: it saves
    assert rows(settings, "SELECT status FROM cases") == [("awaiting_team",)]


async def test_a_bring_to_team_case_saved_directly_asks_once(settings: Settings) -> None:
    async with running(settings) as (app, pilot):
        # Borderline scores: the rules ask for the team.
        await press(app, pilot, "n", "enter", *"1113131", "enter", *["enter"] * 6)
        assert "bring_to_team" in app.screen.recommendation.flags
        await press(app, pilot, "d")
        assert isinstance(app.screen, ConfirmScreen)
        await press(app, pilot, "enter")  # Enter does not confirm
        assert isinstance(app.screen, ResultScreen)
        assert rows(settings, "SELECT status FROM cases") == [("draft",)]
        await press(app, pilot, "d", "y")
        assert rows(settings, "SELECT status FROM cases") == [("referred_directly",)]


async def test_every_draft_can_be_continued_or_discarded(settings: Settings) -> None:
    async with running(settings) as (app, pilot):
        await press(app, pilot, "n", "1", "enter", "4", "escape")  # the first walk, one domain
        await press(app, pilot, "n", "2", "enter", "escape")  # the second, context only
        assert isinstance(app.screen, HomeScreen)
        assert "2" in screen_text(app)
        (first,), (second,) = rows(settings, "SELECT code FROM cases ORDER BY created_at")
        await press(app, pilot, "c")
        assert isinstance(app.screen, DraftsScreen)
        listed = visible_text(app)
        assert first in listed and second in listed and "Osa-alue 2/7" in listed
        await press(app, pilot, "down", "enter")  # the older one, not only the newest
        assert isinstance(app.screen, DomainScreen)
        assert app.walk.state.code == first and app.screen.domain.key == "services"
        await press(app, pilot, "escape", "c", "down", "x")
        assert isinstance(app.screen, ConfirmScreen)
        await press(app, pilot, "n")
        assert len(rows(settings, "SELECT id FROM cases")) == 2
        await press(app, pilot, "x", "y")
        assert rows(settings, "SELECT code FROM cases") == [(second,)] or rows(
            settings, "SELECT code FROM cases"
        ) == [(first,)]
        assert len(rows(settings, "SELECT id FROM cases")) == 1


async def test_typed_note_is_kept_on_quit_and_a_name_is_asked_about(settings: Settings) -> None:
    async with running(settings) as (app, pilot):
        await press(app, pilot, "n", "enter", "m", *"Vuokra maksamatta")
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert rows(settings, "SELECT notes FROM cases") == [('{"affairs": "Vuokra maksamatta"}',)]

    async with running(settings) as (app, pilot):
        await press(app, pilot, "c", "enter", "m", "ctrl+e", *" soitti Matti")
        # The guard has a question: the text is kept, unconfirmed, apart from the notes, and
        # asked about again when the draft is continued.
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert rows(settings, "SELECT notes, unconfirmed_notes FROM cases") == [
        ('{"affairs": "Vuokra maksamatta"}', '{"affairs": "Vuokra maksamatta soitti Matti"}')
    ]
    async with running(settings) as (app, pilot):
        await press(app, pilot, "c", "enter")
        assert "Matti" in str(app.screen.query_one("#note-problem").content)


async def test_a_note_is_saved_as_it_is_typed(settings: Settings) -> None:
    saved = [('{"affairs": "Ei pankkitunnuksia"}',)]
    async with running(settings) as (app, pilot):
        await press(app, pilot, "n", "enter", "m", *"Ei pankkitunnuksia")
        # No Enter: saved a moment after the last key. A slow typist's earlier pause may have
        # saved a shorter text first; the whole of it is saved in the end.
        await wait_until(pilot, lambda: rows(settings, "SELECT notes FROM cases") == saved, str(saved))
        # Pasted at once over the whole text, so that no clean half of it is ever in the field.
        app.screen.query_one("#note", NoteArea).value = "Soita 040 123 4567"
        await wait_until(pilot, lambda: app.screen._autosave is None, "the autosave has looked at it")
        await settle(app, pilot)
        # An identifier is never saved on its own; the last clean text stays.
        assert rows(settings, "SELECT notes FROM cases") == saved


async def test_over_long_text_is_refused_with_a_counter_and_control_characters_stripped(
    settings: Settings,
) -> None:
    async with running(settings) as (app, pilot):
        await press(app, pilot, *TO_QUESTIONS, *["enter"] * 6, "m")
        field = app.screen.query_one(NoteArea)
        field.value = "tuki " * 1000  # 5,000 characters pasted
        await settle(app, pilot)
        assert "5000/500" in screen_text(app) or "4999/500" in screen_text(app)
        await press(app, pilot, "enter")
        assert isinstance(app.screen, NoteScreen)  # refused, nothing cut
        problem = str(app.screen.query_one("#problem").render())
        assert "500" in problem and "\n" not in problem.strip()
        assert len(field.value) == 5000
        field.value = "Asunto\x07 kunnossa\x1b[31m, vuokra\tmaksettu\x00"
        await press(app, pilot, "enter")
        assert isinstance(app.screen, ResultScreen)
        assert app.screen.notes["general"] == "Asunto kunnossa, vuokra maksettu"


async def test_help_lists_the_keys_of_the_screen_in_view(settings: Settings) -> None:
    async with running(settings) as (app, pilot):
        await press(app, pilot, "n", "enter", "f1")
        assert isinstance(app.screen, HelpScreen)
        shown = screen_text(app)
        assert "1–5" in shown and "Ei arvioitu" in shown and "Miten suositus syntyy" in shown
        assert "Scroll" not in shown and "Focus" not in shown  # nothing of Textual's English
        await press(app, pilot, "escape", "3", "3", "3", "3", "3", "3", "3", "enter", "question_mark")
        assert isinstance(app.screen, QuestionScreen)  # ? answers "unsure" here
        assert app.walk.state.answers["q_bilateral"] == "unsure"


async def test_ctrl_c_speaks_the_users_language(settings: Settings) -> None:
    async with running(settings) as (app, pilot):
        await pilot.press("ctrl+c")
        await pilot.pause()
        shown = " ".join(f"{n.title} {n.message}" for n in app._notifications)
        assert "Ctrl+Q" in shown and "Haluatko lopettaa" in shown and "Do you want" not in shown


async def test_the_record_note_is_dated_on_the_assessment_day_and_holds_next_steps(
    settings: Settings,
) -> None:
    async with running(settings) as (app, pilot):
        await press(app, pilot, "n", "1", "enter", "escape")
    engine = create_engine(settings.resolved_database_url)
    with engine.begin() as connection:  # begun on 15 January, continued today
        connection.execute(
            text("UPDATE cases SET created_at = :t"), {"t": datetime(2026, 1, 15, 9, tzinfo=UTC)}
        )
    engine.dispose()
    async with running(settings) as (app, pilot):
        await press(app, pilot, "c", "enter", *"3333333", "enter", *["enter"] * 6)
        note = app.screen.note
        assert "15.1.2026" in note.splitlines()[0]
        assert "Jatkotoimet:" in note and "TYPPI" in note
