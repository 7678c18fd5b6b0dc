from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from consult.core.dates import day_start, parse_day, parse_period, team_day
from consult.i18n.formats import show


@pytest.mark.parametrize(
    "text,expected",
    [
        ("", (None, None)),
        ("1.3.2026–31.3.2026", (date(2026, 3, 1), date(2026, 3, 31))),
        ("1.3.2026 - 31.3.2026", (date(2026, 3, 1), date(2026, 3, 31))),
        ("2026-03-01..2026-03-31", (date(2026, 3, 1), date(2026, 3, 31))),
        ("1.3.2026–", (date(2026, 3, 1), None)),
        ("–31.3.2026", (None, date(2026, 3, 31))),
        ("9.3.2026", (date(2026, 3, 9), date(2026, 3, 9))),
    ],
)
def test_periods_as_a_convener_types_them(text: str, expected: tuple) -> None:
    assert parse_period(text) == expected


@pytest.mark.parametrize("text", ["huomenna", "31.2.2026", "31.3.2026–1.3.2026", "1.3.26"])
def test_bad_periods_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_period(text)


def test_finnish_days_in_utc() -> None:
    assert day_start(date(2026, 1, 15)) == datetime(2026, 1, 14, 22, tzinfo=UTC)  # winter: UTC+2
    assert day_start(date(2026, 7, 15)) == datetime(2026, 7, 14, 21, tzinfo=UTC)  # summer: UTC+3
    assert team_day(datetime(2026, 3, 31, 21, 30)) == date(2026, 4, 1)
    assert parse_day("2026-03-09") == date(2026, 3, 9)
    assert show(date(2026, 3, 2), "fi") == "2.3.2026" and show(date(2026, 3, 2), "en") == "2026-03-02"


@given(st.dates(min_value=date(1000, 1, 1)), st.sampled_from(["fi", "sv", "en"]))
def test_every_language_reads_back_the_dates_it_shows(day: date, lang: str) -> None:
    # What a screen shows is what its date fields and period field accept, in every language.
    assert parse_day(show(day, lang)) == day
    assert parse_period(f"{show(day, lang)}–{show(day, lang)}") == (day, day)


def test_fi_and_sv_write_dates_as_finland_does_and_en_in_one_format() -> None:
    assert [show(date(2026, 3, 2), lang) for lang in ("fi", "sv", "en")] == [
        "2.3.2026",
        "2.3.2026",
        "2026-03-02",
    ]


def test_clock_times_follow_the_language() -> None:
    from consult.i18n.formats import show_time

    moment = datetime(2026, 3, 2, 12, 5, tzinfo=UTC)  # 14.05 in Finland
    assert [show_time(moment, lang) for lang in ("fi", "sv", "en")] == ["14.05", "14.05", "14:05"]
