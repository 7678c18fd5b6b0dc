"""Cases and the team meetings held on them through the Store's own methods, as a convener
would hold them (fictional, anonymous): the data the report's and the follow-up screen's
meeting figures are checked on."""

from __future__ import annotations

from datetime import date

from consult.core.model import Case
from consult.store import Store
from tests.store.fixtures import make_case


def case_id(n: int) -> str:
    return f"00000000-0000-4000-8000-{n:012d}"


def meeting_cases() -> list[Case]:
    return [
        make_case(1, "3,3,2,4,3,3,2", "2026-03-02T10:15:00+02:00", "awaiting_team", "kuopio"),
        make_case(2, "3,3,2,4,3,3,5", "2026-03-04T10:15:00+02:00", "awaiting_team", "kuopio"),  # safety
        make_case(3, "2,2,5,2,2,2,2", "2026-03-10T10:15:00+02:00", "awaiting_team", "kuopio"),  # urgent
        make_case(4, "1,1,1,2,1,1,1", "2026-03-03T09:00:00+02:00", "referred_directly", "kuopio"),
        make_case(5, "3,3,2,4,3,3,2", "2026-03-05T12:00:00+02:00", "awaiting_team", "yla-savo"),
        make_case(6, "1,1,1,3,1,3,1", "2026-03-20T12:00:00+02:00", "awaiting_team", "yla-savo"),
        make_case(7, "3,3,2,4,3,3,2", "2026-03-25T12:00:00+02:00", "awaiting_team", None),
        make_case(8, "3,3,2,4,3,3,2", "2026-04-02T09:00:00+03:00", "awaiting_team", "kuopio"),
    ]


def hold_meetings(store: Store) -> None:
    """Four closed meetings in March and April and one still planned:

    - kuopio 17.3.: case 2 decided, 3 deferred, 1 not discussed; two actions on case 2;
    - yla-savo 26.3.: cases 5 and 6 decided; an action due 1.4. left open, one without a day
      later closed as not done;
    - kuopio 7.4.: the first meeting's actions reviewed (done, not possible), cases 3 and 1
      decided, 8 deferred with an action due 14.4. left open;
    - unknown (cases without an area) 9.4.: case 7 deferred;
    - kuopio 21.4. planned, never held: counts nowhere.
    """
    first = store.start_meeting(store.plan_meeting("kuopio", date(2026, 3, 17), "social").id).id
    store.decide_in_meeting(first, case_id(2), "tym", "")
    store.defer_item(first, case_id(3))
    kela = store.add_action(first, case_id(2), "kela", "palveluneuvoja", "ottaa yhteyttä", date(2026, 3, 24))
    office = store.add_action(
        first, case_id(2), "employment", "asiantuntija", "varaa ajan", date(2026, 4, 30)
    )
    store.close_meeting(first)

    second = store.start_meeting(store.plan_meeting("yla-savo", date(2026, 3, 26), "social").id).id
    store.decide_in_meeting(second, case_id(5), "bilateral", "")
    store.decide_in_meeting(second, case_id(6), "tym", "")
    store.add_action(second, case_id(5), "health", "lääkäri", "lausunto", date(2026, 4, 1))
    undated = store.add_action(second, case_id(6), "social", "sosiaalityöntekijä", "soittaa", None)
    store.close_meeting(second)
    store.close_action(undated.id, "not_done", date(2026, 4, 10))

    third = store.start_meeting(store.plan_meeting("kuopio", date(2026, 4, 7), "social").id).id
    store.close_action(kela.id, "done", date(2026, 4, 7), third)
    store.close_action(office.id, "not_possible", date(2026, 4, 7), third)
    store.decide_in_meeting(third, case_id(3), "social_services", "")
    store.decide_in_meeting(third, case_id(1), "tym", "")
    store.defer_item(third, case_id(8))
    store.add_action(third, case_id(8), "kela", "palveluneuvoja", "selvittää", date(2026, 4, 14))
    store.close_meeting(third)

    fourth = store.start_meeting(store.plan_meeting("unknown", date(2026, 4, 9), "health").id).id
    store.defer_item(fourth, case_id(7))
    store.close_meeting(fourth)

    store.plan_meeting("kuopio", date(2026, 4, 21), "social")
