"""The privacy guard: identity codes, e-mails and phones refused; realistic notes pass."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from consult.privacy.guard import check, refusals, warm_up

# The morphology costs seconds to import once; not inside a test's deadline.
warm_up()

CHECK_CHARS = "0123456789ABCDEFHJKLMNPRSTUVWXY"
SIGNS = {1800: "+", 1900: "-YXWVU", 2000: "ABCDEF"}
NOTES = [
    line
    for line in (Path(__file__).parent / "data" / "clean_notes_fi.txt").read_text("utf-8").splitlines()
    if line.strip() and not line.startswith("#")
]


@st.composite
def identity_codes(draw, correct_check: bool = True) -> str:
    born = draw(st.dates(min_value=date(1800, 1, 1), max_value=date(2099, 12, 31)))
    sign = draw(st.sampled_from(SIGNS[born.year // 100 * 100]))
    individual = draw(st.integers(min_value=2, max_value=899))
    digits = f"{born:%d%m}{born.year % 100:02d}{individual:03d}"
    check_char = CHECK_CHARS[int(digits) % 31]
    if not correct_check:
        check_char = draw(st.sampled_from(CHECK_CHARS.replace(check_char, "")))
    code = f"{digits[:6]}{sign}{digits[6:]}{check_char}"
    return code.lower() if draw(st.booleans()) else code


# Arbitrary surrounding text; the code is set off by a space or punctuation, as in a note.
surroundings = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40)
separators = st.sampled_from([" ", "\n", "(", ")", ":", ", ", ". ", "'", '"', "[", "]", "/", " – "])


@settings(max_examples=500)
@given(surroundings, separators, identity_codes(), separators, surroundings)
def test_every_valid_identity_code_is_refused_inside_any_text(before, open_, code, close, after) -> None:
    found = refusals(f"{before}{open_}{code}{close}{after}")
    assert any(f.kind == "identity_code" and f.text.upper() == code.upper() for f in found)


@settings(max_examples=300)
@given(separators, identity_codes(correct_check=False), separators)
def test_a_mistyped_check_character_is_refused_too(open_, code, close) -> None:
    found = refusals(f"hetu{open_}{code}{close}tarkistettu")
    assert any(f.kind.startswith("identity_code") for f in found)


@given(
    st.from_regex(r"[a-z]{1,10}(\.[a-z]{1,8})?", fullmatch=True),
    st.from_regex(r"[a-z]{2,10}\.(fi|com|org|net)", fullmatch=True),
)
def test_e_mail_addresses_are_refused(local: str, domain: str) -> None:
    assert [f.kind for f in refusals(f"yhteys: {local}@{domain} kiitos")] == ["email"]


@given(
    st.sampled_from(["040", "041", "044", "045", "046", "050", "09", "017", "(017)"]),
    st.integers(min_value=100, max_value=999),
    st.integers(min_value=1000, max_value=9999),
    st.sampled_from([" ", "-", ""]),
)
def test_finnish_phone_numbers_are_refused(prefix: str, middle: int, last: int, sep: str) -> None:
    assert [f.kind for f in refusals(f"soita {prefix}{sep}{middle}{sep}{last} arkisin")] == ["phone"]


@given(
    st.sampled_from(
        ["+358 40 123 4567", "+358401234567", "+46 8 123 456 78", "+44 20 7946 0958", "+1 212 555 0199"]
    )
)
def test_international_phone_numbers_are_refused(number: str) -> None:
    assert [f.kind for f in refusals(f"numero {number}.")] == ["phone"]


def test_a_hundred_realistic_notes_pass_without_refusal() -> None:
    assert len(NOTES) >= 100
    for note in NOTES:
        assert refusals(note) == [], note


def test_warnings_for_names_addresses_and_birth_dates() -> None:
    kinds = {
        f.kind for f in check("Virtasen Juha asuu Kauppakatu 12, syntynyt 3.4.1985", today=date(2026, 3, 1))
    }
    assert kinds == {"name", "address", "birth_date"}
    assert not any(f.refused for f in check("Virtasen Juha asuu Kauppakatu 12"))
    recent = (date(2026, 3, 1) - timedelta(days=30)).strftime("%-d.%-m.%Y")
    assert check(f"Tapaaminen {recent}", today=date(2026, 3, 1)) == []


@settings(max_examples=200)
@given(identity_codes(), st.text(alphabet="0123456789abcdefghijklmnopqrstuvwxyzäö", min_size=1, max_size=6))
def test_a_code_run_together_with_the_next_word_is_still_refused(code: str, tail: str) -> None:
    assert any(f.kind.startswith("identity_code") for f in refusals(f"tunnus {code}{tail} on"))


def test_dates_sums_and_law_numbers_are_not_phone_numbers() -> None:
    for text in (
        "1.3.2026 klo 12–14",
        "1 200 € velkaa",
        "laki 381/2023",
        "SHL 35 §",
        "500 päivää",
        "viikko 15",
    ):
        assert refusals(text) == [], text
