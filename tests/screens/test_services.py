"""Issue 21 where the worker and the team see it: the result and the record note name the
services of the client's area and whom to contact; the walk's optional step records services
tried and missing in a few keys (from the catalogue or typed, through the guard); the draft
keeps them; the team sees and edits them on the case."""

from __future__ import annotations

from consult.core.model import CaseServices, MissingService, TriedService
from consult.screens.case import CaseScreen
from consult.screens.result import ResultScreen
from consult.screens.services import CaseServicesScreen, ServicePicker, ServicesStepScreen
from consult.store import Store
from consult.system.settings import Settings
from tests.screens.helpers import TO_SERVICES, press, running, screen_text, settle

# Ylä-Savo (area 1), a social worker (1), 25 or over (2), a jobseeker (1); then the seven
# domains with finances 3 and health 4, the rest 1; the five suggestions taken.
YLA_SAVO_HEALTH_4_FINANCES_3 = [
    "n",
    "1",
    "down",
    "1",
    "down",
    "2",
    "down",
    "1",
    "enter",
    *"1111341",
    "enter",
    *["enter"] * 5,
]


def stored(settings: Settings) -> CaseServices:
    store = Store.open(settings.resolved_database_url)
    try:
        (draft,) = store.list_drafts() or [None]
        case = draft.case if draft is not None else store.get_case(only_case_id(store))
        return case.services
    finally:
        store.close()


def only_case_id(store: Store) -> str:
    from sqlalchemy import text

    with store.engine.connect() as connection:
        return connection.execute(text("SELECT id FROM cases")).scalar_one()


async def test_ylä_savo_health_4_and_finances_3_names_the_services_and_whom_to_contact(
    settings: Settings,
) -> None:
    async with running(settings, size=(80, 24)) as (app, pilot):
        await press(app, pilot, *YLA_SAVO_HEALTH_4_FINANCES_3)
        assert isinstance(app.screen, ServicesStepScreen)
        await press(app, pilot, "enter")  # nothing to record: on to the result
        assert isinstance(app.screen, ResultScreen)
        shown = screen_text(app)
        assert "Palvelut ja yhteystahot: Ylä-Savo" in shown
        # Kela's rehabilitation for the health domain, with the role to contact.
        assert "Kela · kela.fi" in shown
        assert "Työllistymistä edistävä ammatillinen kuntoutus (TEAK) — Kelan työkykyneuvoja" in shown
        # Ylä-Savo's own services for health and finances, each with its role.
        assert "Työkyvyn arviointi — Työkykykoordinaattori" in shown
        assert "Talous- ja velkaneuvonta — Talous- ja velkaneuvoja (oikeusaputoimisto)" in shown
        # Services for domains below 3 are not offered (work trial: employment only).
        assert "Työkokeilu" not in shown
        note = app.screen.note
        assert "Alueen palvelut ja yhteystahot (Ylä-Savo, palveluluettelo pshva-2026.1):" in note
        assert "Työllistymistä edistävä ammatillinen kuntoutus (TEAK) — Kelan työkykyneuvoja" in note
        assert "Työkyvyn arviointi — Työkykykoordinaattori" in note
        # A bilateral consultation: whom, how and when, for each of the two organisations.
        assert app.screen.recommendation.primary == "bilateral"
        assert "Kahdenvälinen konsultaatio – kenelle, miten, milloin:" in shown
        assert "Kela: Kelan työkykyneuvoja" in shown and "Kela: Kelan työkykyneuvoja" in note


async def test_tried_and_missing_in_a_few_keys_typed_through_the_guard_and_kept_in_the_draft(
    settings: Settings,
) -> None:
    async with running(settings) as (app, pilot):
        await press(app, pilot, *TO_SERVICES)
        assert isinstance(app.screen, ServicesStepScreen)
        # Tried: rehabilitative work activity, interrupted (k, a few letters, Enter, 3).
        await press(app, pilot, "k", *"kuntouttava", "enter", "3")
        # Missing: substance-abuse rehabilitation, for health (its domain of the client's
        # challenges, suggested), no capacity (p, letters, Enter, Enter, 2).
        await press(app, pilot, "p", *"päihdekuntou", "enter", "enter", "2")
        # Missing, in the worker's words: not found in the catalogue, so typed; relations (7),
        # waiting list (4).
        await press(app, pilot, "p", *"vertaistukiryhmä nuorille", "enter", "7", "4")
        # A phone number is refused in one line naming the field, and the dialog stays.
        await press(app, pilot, "k", *"soita 040 123 4567", "enter")
        assert isinstance(app.screen, ServicePicker)
        problem = str(app.screen.query_one("#problem").render())
        assert "Palvelu" in problem and "puhelinnumero" in problem and "040" not in problem
        await press(app, pilot, "escape")
        assert isinstance(app.screen, ServicesStepScreen)
        shown = screen_text(app)
        assert "Kuntouttava työtoiminta — keskeytyi" in shown
        assert "Päihdekuntoutus — Terveys: ei kapasiteettia" in shown
        assert "vertaistukiryhmä nuorille — Sosiaaliset suhteet: jonossa" in shown
        await press(app, pilot, "escape")  # away mid-walk: the draft keeps them
    expected = CaseServices(
        tried=(TriedService(service="kuntouttava-tyotoiminta", result="interrupted"),),
        missing=(
            MissingService(service="paihdekuntoutus", domain="health", reason="no_capacity"),
            MissingService(text="vertaistukiryhmä nuorille", domain="relations", reason="waiting_list"),
        ),
    )
    assert stored(settings) == expected

    async with running(settings) as (again, pilot):
        await press(again, pilot, "c", "enter")  # the newest draft, where it stopped
        assert isinstance(again.screen, ServicesStepScreen)
        assert "Kuntouttava työtoiminta — keskeytyi" in screen_text(again)
        await press(again, pilot, "enter")
        assert isinstance(again.screen, ResultScreen)
        note = again.screen.note
        assert "Aiemmin kokeillut palvelut: Kuntouttava työtoiminta — keskeytyi." in note
        assert "Päihdekuntoutus — Terveys: ei kapasiteettia" in note
        await press(again, pilot, "t")  # saved for the team, services and all
    assert stored(settings) == expected


async def test_the_team_sees_the_services_on_the_case_and_edits_them(settings: Settings) -> None:
    async with running(settings) as (app, pilot):
        await press(app, pilot, *TO_SERVICES, "k", *"kuntouttava", "enter", "3", "enter", "t", "escape")
        await press(app, pilot, "r", "enter")
        assert isinstance(app.screen, CaseScreen)
        shown = screen_text(app)
        assert "Kokeillut ja puuttuvat palvelut" in shown
        assert "Kuntouttava työtoiminta — keskeytyi" in shown
        await press(app, pilot, "s")
        assert isinstance(app.screen, CaseServicesScreen)
        # The team changes how it ended (e, Enter keeps the service, 2) and adds a missing one.
        await press(app, pilot, "e", "enter", "2", "p", *"työkyvyn arv", "enter", "enter", "3")
        await press(app, pilot, "escape")
        assert isinstance(app.screen, CaseScreen)
        shown = screen_text(app)
        assert "Kuntouttava työtoiminta — ei auttanut" in shown
        assert "Työkyvyn arviointi — Terveys: odottaa lääkäriä" in shown
        # The change is on the case's record of edits, in words (not as stored).
        assert "Muutoshistoria" in shown and '"tried"' not in shown
    assert stored(settings) == CaseServices(
        tried=(TriedService(service="kuntouttava-tyotoiminta", result="did_not_help"),),
        missing=(MissingService(service="tyokyvyn-arviointi", domain="health", reason="waiting_doctor"),),
    )


async def test_every_domain_is_in_view_when_a_long_name_wraps(tmp_path) -> None:
    """At 60 columns in Swedish a domain's name is longer than the row: the row grows with it,
    so the domains after it (and the one suggested) are not cut off."""
    settings = Settings(data_dir=tmp_path / "data", lang="sv")
    async with running(settings, size=(60, 20)) as (app, pilot):
        await press(app, pilot, *TO_SERVICES, "p", "enter")
        assert isinstance(app.screen, ServicePicker) and app.screen.stage == "domain"
        row = app.screen.query_one("#stage-domain")
        drawn = row.render().wrap(app.console, row.content_size.width)
        assert row.content_size.height == len(drawn) and "7 Sociala relationer" in drawn[-1].plain


async def test_a_yes_pressed_twice_on_the_last_question_opens_nothing(settings: Settings) -> None:
    """k is "yes" on a question and "tried" on the services step: a k read before the step was
    on view (a double press) is dropped, not taken as the start of a service."""
    from textual import events

    async with running(settings) as (app, pilot):
        await press(app, pilot, *TO_SERVICES[:-1])  # on the last question
        typed_ahead = events.Key("k", "k")  # stamped now: before the services step is shown
        await press(app, pilot, "k")
        assert isinstance(app.screen, ServicesStepScreen)
        app.post_message(typed_ahead)
        await settle(app, pilot)
        assert isinstance(app.screen, ServicesStepScreen)
        await press(app, pilot, "k")  # pressed with the step on view: it opens the dialog
        assert isinstance(app.screen, ServicePicker)
