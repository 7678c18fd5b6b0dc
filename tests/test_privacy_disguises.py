"""The guard against the ways identifiers are actually written and pasted: every disguise of
issue 10, generated; realistic notes full of numbers never refused; a megabyte in under a
second; names found in their inflected forms."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

import consult.privacy.guard
from consult.privacy.guard import (
    IdentifierRefused,
    check,
    check_case,
    identity_codes_in_identifier,
    identity_codes_written,
    phones_in_identifier,
    refusals,
    refuse_case_identifiers,
)
from consult.privacy.phones import _TO_SPACE
from consult.privacy.phones import phone_library as _phone_library
from tests.test_privacy import CHECK_CHARS, NOTES, identity_codes

FULLWIDTH = {
    ord(c): chr(ord(c) + 0xFEE0) for c in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz@.+-"
}
INVISIBLE = ["\u200b", "\u00ad", "\u200c", "\u200d", "\u2060", "\ufeff"]
DASHES = ["\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2212", "\ufe63", "\uff0d"]


def _percent(text: str) -> str:
    return "".join(f"%{byte:02X}" for byte in text.encode())


@st.composite
def disguised(draw: st.DrawFn, value: str, structure: list[str]) -> str:
    """``value`` (already in one of the structural forms) with character-level disguises."""
    if draw(st.booleans()):
        value = value.translate(FULLWIDTH)
    elif draw(st.integers(0, 5)) == 0:  # Cyrillic and Greek letters drawn like Latin ones
        value = value.translate(str.maketrans("ACEHKMOPTXY", "АСЕНКМОРТХУ"))
    if draw(st.booleans()):
        for _ in range(draw(st.integers(1, 3))):
            at = draw(st.integers(1, len(value) - 1))
            value = value[:at] + draw(st.sampled_from(INVISIBLE)) + value[at:]
    encoding = draw(st.integers(0, 9))
    if encoding == 0:
        value = _percent(value)
    elif encoding == 1:  # HTML character references, as pasted from a web page's source
        value = "".join(f"&#{ord(c)};" if not c.isalnum() or draw(st.booleans()) else c for c in value)
    return value


@st.composite
def disguised_codes(draw: st.DrawFn) -> str:
    code = draw(identity_codes())  # a valid check character: every written form must be caught
    date_part, sign, rest = code[:6], code[6], code[7:]
    form = draw(
        st.sampled_from(["plain", "spaced sign", "space for sign", "other sign", "no sign", "dots", "glued"])
    )
    if sign == "-" and draw(st.booleans()):
        sign = draw(st.sampled_from(DASHES))
    value = {
        "plain": f"{date_part}{sign}{rest}",
        "spaced sign": f"{date_part}{draw(st.sampled_from([' ', '', '  ']))}{sign}{draw(st.sampled_from([' ', '']))}{rest}",
        "space for sign": f"{date_part} {rest}",
        "other sign": f"{date_part}{draw(st.sampled_from(['.', '/', '_', ':', ' / ']))}{rest}",
        "no sign": f"{date_part}{rest}",
        "dots": f"{date_part[:2]}.{date_part[2:4]}.{date_part[4:]}{sign}{rest}",
        "glued": f"{draw(st.integers(0, 9))}{date_part}{sign}{rest}",
    }[form]
    return draw(disguised(value, [form]))


@st.composite
def disguised_phones(draw: st.DrawFn) -> str:
    prefix = draw(
        st.sampled_from(["040", "041", "044", "045", "046", "050", "09", "017", "+358 40", "+35840"])
    )
    middle, last = draw(st.integers(100, 999)), draw(st.integers(1000, 9999))
    sep = draw(st.sampled_from([" ", "-", ".", "", "  ", "/", " - "]))
    value = f"{prefix}{sep}{middle}{sep}{last}"
    return draw(disguised(value, []))


@st.composite
def disguised_emails(draw: st.DrawFn) -> str:
    local = draw(st.from_regex(r"[a-z]{1,10}(\.[a-z]{1,8})?", fullmatch=True))
    domain = draw(st.from_regex(r"[a-z]{2,10}", fullmatch=True))
    tld = draw(st.sampled_from(["fi", "com", "org", "net"]))
    at = draw(st.sampled_from(["@", " at ", "(at)", " (at) ", "[at]", " [ät] ", "＠", " @ ", "{at}", "(a)"]))
    dot = draw(st.sampled_from([".", " dot ", "(dot)", " [piste] ", " . "])) if at != "@" else "."
    return draw(disguised(f"{local}{at}{domain}{dot}{tld}", []))


before = st.sampled_from(
    ["", "hetu ", "tunnus: ", "Asiakas (", "puh", "soita ", "url https://x.fi/?q=", "\n"]
)
after = st.sampled_from(["", " kiitos", ") tarkistettu.", ", sovittu.", "\n", " ja muuta"])


def _refused(text: str) -> set[str]:
    return {f.kind for f in refusals(text)}


@settings(max_examples=600, deadline=None)
@given(before, disguised_codes(), after)
def test_an_identity_code_is_refused_however_it_is_written(prefix: str, code: str, suffix: str) -> None:
    # Without its sign a code that starts 0 may also be a phone number: refused either way.
    assert _refused(f"{prefix}{code}{suffix}") & {"identity_code", "identity_code_mistyped", "phone"}


@settings(max_examples=300, deadline=None)
@given(before, disguised_phones(), after)
def test_a_phone_number_is_refused_however_it_is_written(prefix: str, phone: str, suffix: str) -> None:
    assert _refused(f"{prefix}{phone}{suffix}") & {"phone", "identity_code"}


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["", "yhteys ", "laita viesti: "]), disguised_emails(), after)
# Found by the generator: an address whose own name is "at", spelled out and percent-encoded.
@example("yhteys ", "%61%74%20%61%74%20%61%61%2E%66%69", "")
@example("", "at at aa.fi", " kiitos")
@example("yhteys ", "%61%74%20%28%61%74%29%20%61%61%2E%66%69", "")
@example("", "ät [ät] aa dot fi", "")
def test_an_e_mail_address_is_refused_however_it_is_written(prefix: str, email: str, suffix: str) -> None:
    assert "email" in _refused(f"{prefix}{email}{suffix}")


def test_each_disguise_of_the_issue_is_refused_and_reported_as_written() -> None:
    for text in [
        "131052 -308T",
        "13.10.52-308T",
        "131052 308T",
        "131052308T",
        "１３１０５２－３０８Ｔ",
        "1310\u200b52-308T",
        "131052\u00ad-308T",
        "131052\u2011308T",
        "131052–308T",
        "131052−308T",
        "9131052-308T",
        "https://example.fi/?hetu=131052%2D308T",
        "040.123.4567",
        "puh0401234567",
        "０４０ １２３ ４５６７",
        "040\u200b123\u200b4567",
        "matti.virtanen at example dot fi",
        "matti(at)example.fi",
        "matti＠example.fi",
        "matti@exa\u200bmple.fi",
        # Beyond the issue's list: HTML references, other separators for the sign.
        "131052&#8209;308T",
        "hetu&nbsp;131052&#x2D;308T",
        "131052.308T",
        "131052/308T",
        "040/123 4567",
        "matti @ example . fi",
        "matti&#64;example.fi",
        "131052-308Т",  # a Cyrillic Т for the check character
        "1\u03323\u03321\u03320\u03325\u03322\u0332-308T",  # combining underline on every digit
        "hetu 131052-308.",  # no check character: date, sign and number still name a person
        "matti [at] example [.] fi",
    ]:
        found = refusals(f"Muistiin: {text} ok")
        assert found, text
        assert all(f.text in f"Muistiin: {text} ok" for f in found), text


def test_every_identifier_in_a_note_is_named() -> None:
    found = check("hetu 131052-308T, puh 040 123 4567 tai a.b@example.fi; toinen 010203A123X")
    assert [f.kind for f in found if f.refused] == [
        "identity_code",
        "phone",
        "email",
        "identity_code_mistyped",
    ]


def test_a_case_id_holding_an_identity_code_is_caught_unless_it_is_a_random_uuids_chance() -> None:
    today = date(2026, 3, 1)
    # The first individual number that gives 010199 a decimal check character.
    individual, check_char = next(
        (n, c) for n in range(2, 900) if (c := CHECK_CHARS[int(f"010199{n:03d}") % 31]).isdigit()
    )
    uuid = f"0c010199-{individual:03d}{check_char}-0000-0000-000000000000"
    assert [f.text for f in identity_codes_in_identifier(uuid, today)] == [
        f"010199-{individual:03d}{check_char}"
    ]
    wrong = str((int(check_char) + 1) % 10)
    assert (
        identity_codes_in_identifier(
            uuid.replace(f"-{individual:03d}{check_char}", f"-{individual:03d}{wrong}"), today
        )
        == []
    )
    assert identity_codes_in_identifier("00000000-0000-4000-8000-000000000000", today) == []
    # The same code in a random (version 4) UUID: generators make such ids by chance, once
    # in 40,000; a bundle of exported cases must not be refused for them.
    random_shape = uuid.replace("-0000-0000-", "-4000-8000-")
    assert identity_codes_in_identifier(random_shape, today) == []
    assert identity_codes_written(random_shape, today)


@pytest.mark.parametrize("sign", list("ABCDEF"))
def test_a_code_with_an_a_to_f_sign_hidden_in_a_random_uuid_is_caught(sign: str) -> None:
    """A version-4 id whose last group spells a code: made on purpose, not by chance."""
    today = date(2026, 3, 1)
    century = 2000  # A–F
    for day in ("010105", "150308", "311209"):
        individual, check_char = next(
            (n, c)
            for n in range(2, 900)
            if (c := CHECK_CHARS[int(f"{day}{n:03d}") % 31]) in "0123456789ABCDEF"
        )
        assert century + int(day[4:]) <= today.year - 15
        hidden = f"{day}{sign}{individual:03d}{check_char}".lower()
        case_id = f"3f0c2a1e-9b7d-4c11-8e2a-{hidden}0"
        assert [f.text.upper() for f in identity_codes_in_identifier(case_id, today)] == [hidden.upper()]


# Pieces of realistic notes: dates, times, sums, law sections, case codes, counts, durations.
clean_pieces = st.one_of(
    st.builds("{}.{}.{}".format, st.integers(1, 31), st.integers(1, 12), st.integers(2020, 2030)),
    st.builds("{:02d}.{:02d}.{}".format, st.integers(1, 28), st.integers(1, 12), st.integers(2020, 2030)),
    st.builds(
        "{}.{}.–{}.{}.".format, st.integers(1, 28), st.integers(1, 12), st.integers(1, 28), st.integers(1, 12)
    ),
    st.builds("klo {:02d}.{:02d}".format, st.integers(7, 20), st.sampled_from([0, 15, 30, 45])),
    st.builds(
        "klo {:02d}.{:02d}–{:02d}.{:02d}".format,
        st.integers(7, 12),
        st.sampled_from([0, 30]),
        st.integers(13, 18),
        st.sampled_from([0, 30]),
    ),
    st.builds("{} {:03d} €".format, st.integers(1, 99), st.integers(0, 999)),
    st.builds("{},{:02d} €".format, st.integers(1, 9999), st.integers(0, 99)),
    st.builds("laki {}/{}".format, st.integers(1, 1999), st.integers(1990, 2026)),
    st.builds("SHL {} §".format, st.integers(1, 99)),
    st.from_regex(r"[ACDEFGHJKMNPQRTUVWXY34679]{3}-[ACDEFGHJKMNPQRTUVWXY34679]{3}", fullmatch=True),
    st.builds("TYM-{}-{:04d}.".format, st.integers(2020, 2030), st.integers(0, 9999)),
    st.builds("{}.".format, st.integers(0, 99999)),
    st.builds("{} × {:03d} min".format, st.integers(1, 9), st.integers(10, 120)),
    st.builds("{} %".format, st.integers(0, 100)),
    st.builds("{} pv/vko".format, st.integers(1, 5)),
    st.builds("{}/{}".format, st.integers(1, 12), st.integers(2020, 2030)),
    st.builds(
        "{:02d}/{}{}{:02d}/{}".format,
        st.integers(1, 12),
        st.integers(2020, 2030),
        st.sampled_from(["-", "–", " – "]),
        st.integers(1, 12),
        st.integers(2020, 2030),
    ),
    st.builds(
        "klo {}.{:02d} / {}.{:02d}".format,
        st.integers(7, 20),
        st.integers(0, 59),
        st.integers(7, 20),
        st.integers(0, 59),
    ),
    st.builds("{} h {} min".format, st.integers(0, 12), st.integers(0, 59)),
    st.sampled_from(["Asiakas kertoi", "sovittiin", "tapaaminen", "velkaa", "jatko", "ja", ",", "."]),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(clean_pieces, min_size=1, max_size=10))
def test_generated_clean_notes_are_never_refused(pieces: list[str]) -> None:
    note = " ".join(pieces)
    assert refusals(note) == [], note


def test_the_clean_notes_corpus_neither_refuses_nor_warns() -> None:
    assert len(NOTES) >= 150
    assert [note for note in NOTES if check(note, today=date(2026, 3, 1))] == []


def _best_of_three(text: str) -> float:
    """CPU seconds, the best of three: the machine running the tests is shared, and waiting
    for a core is not the guard's time."""
    times = []
    for _ in range(3):
        start = time.process_time()
        check(text)
        times.append(time.process_time() - start)
    return min(times)


@pytest.mark.parametrize("kind", ["ones", "notes"])
def test_a_megabyte_is_checked_in_under_a_second(kind: str) -> None:
    if kind == "ones":
        text = "1" * 1_000_000
    else:
        joined = " ".join(NOTES) + " "
        text = (joined * (1_000_000 // len(joined) + 1))[:1_000_000]
    assert _best_of_three(text) < 1.0


def test_time_grows_linearly() -> None:
    small, large = _best_of_three("1" * 50_000), _best_of_three("1" * 400_000)
    assert large < small * 8 * 2.5  # 8 times the text, well under 64 times the time


# Names of the issue's examples in their inflected forms; the held-out list is in bench/.
NAMED = [
    "Riikan", "Riikalle", "Virtasella", "Virtaselle", "Mäkisen", "Juhaa", "Ellenin", "Merjan",
    "Tuijalle", "Saaran", "Jutan", "Erjalta", "Matin", "Virtasen", "Nieminen", "Anttia", "Laineen",
]  # fmt: skip


@pytest.mark.parametrize("word", NAMED)
def test_a_name_is_warned_in_its_inflected_forms(word: str) -> None:
    if word == "Laineen":  # an everyday word (a wave), but "kanssa" after it makes it a name
        assert [f.text for f in check(f"Asia sovittu, {word} kanssa.")] == [word]
        assert check("Laineen korkeus oli metri.") == []
        return
    assert [f.text for f in check(f"Asia sovittu, {word} kanssa.")] == [word]


def test_everyday_words_are_not_names() -> None:
    note = (
        "Toivo ja Onni: Satu kertoi, että Aino auttaa. Mäki, Koski ja Aalto ovat lähellä. Anna lisää aikaa."
    )
    assert check(note) == []
    # Word forms the stemmer would read as an inflected name, at the start of a sentence.
    for sentence in (
        "Päiviä on jäljellä 112.",
        "Toinen tapaaminen sovittu.",
        "Erikseen sovitaan.",
        "Ennen kaikkea.",
    ):
        assert check(sentence) == [], sentence


def test_the_name_list_holds_no_excluded_word() -> None:
    data = Path(consult.privacy.guard.__file__).parent.parent / "data"

    def listed(name: str) -> set[str]:
        lines = (data / name).read_text("utf-8").splitlines()
        return {line.strip().lower() for line in lines if line.strip() and not line.startswith("#")}

    names = listed("names_fi.txt")
    assert len(names) > 900
    assert not names & listed("names_fi_exclude.txt")
    assert listed("names_fi_extra.txt") - listed("names_fi_exclude.txt") <= names


# --- Issue 17: families, not spellings ------------------------------------------------------
# Each strategy composes the ways a hurried worker writes an identifier: separators of any
# kind, digits of other scripts, letters for digits, months in words, bidi controls, and the
# parts split across two fields. The guard must find every one by structure and checksum.

SCRIPTS = {
    "ascii": "0123456789",
    "arabic-indic": "٠١٢٣٤٥٦٧٨٩",
    "devanagari": "०१२३४५६७८९",
    "fullwidth": "０１２３４５６７８９",
}
MONTHS = {
    "fi": ["tammikuuta", "helmikuuta", "maaliskuuta", "huhtikuuta", "toukokuuta", "kesäkuuta",
           "heinäkuuta", "elokuuta", "syyskuuta", "lokakuuta", "marraskuuta", "joulukuuta"],
    "sv": ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september",
           "oktober", "november", "december"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"],
}  # fmt: skip
CODE_SEPARATORS = ["-", "\n-", "\t", ",", "|", ")-(", "--", " / ", ": ", "_", " - ", "\n", "; ", "A", "+"]
BIDI = ["\u202e", "\u202d", "\u2066", "\u2067", "\u2068", "\u2069", "\u200f", "\u200e", "\u061c"]


def _script(text: str, script: str) -> str:
    return text.translate(str.maketrans("0123456789", SCRIPTS[script]))


@st.composite
def code_parts(draw: st.DrawFn) -> tuple[str, str, date]:
    """(date part as written, individual part as written) of a valid code, and the birthday."""
    born = draw(st.dates(min_value=date(1901, 1, 1), max_value=date(2010, 12, 31)))
    individual = draw(st.integers(min_value=2, max_value=899))
    digits = f"{born:%d%m}{born.year % 100:02d}{individual:03d}"
    check_char = CHECK_CHARS[int(digits) % 31]
    form = draw(st.sampled_from(["compact", "compact4", "dots", "dots4", "month"]))
    if form == "compact":
        date_part = f"{born:%d%m}{born.year % 100:02d}"
    elif form == "compact4":
        date_part = f"{born:%d%m%Y}"
    elif form == "dots":
        date_part = f"{born:%d.%m.}{born.year % 100:02d}"
    elif form == "dots4":
        date_part = f"{born.day}.{born.month}.{born.year}"
    else:
        language = draw(st.sampled_from(sorted(MONTHS)))
        dot = "." if language == "fi" else draw(st.sampled_from(["", "."]))
        date_part = f"{born.day}{dot} {MONTHS[language][born.month - 1]} {born.year}"
    sign = "-" if born.year < 2000 else "A"
    separator = draw(st.sampled_from(CODE_SEPARATORS))
    if separator in ("A", "+") or (separator == "-" and born.year >= 2000):
        separator = sign
    if form in ("dots4", "month", "compact4") and separator == "A":
        separator = draw(st.sampled_from(["-", ",", "|", "\n-"]))
    rest = f"{individual:03d}{check_char}"
    if form.startswith("compact") and draw(st.booleans()):  # letters for digits: O for 0, I for 1
        date_part = date_part.replace("0", "O", 1).replace("1", "I", 1)
        rest = rest[:3].replace("0", "O", 1) + rest[3:]
    script = draw(st.sampled_from(sorted(SCRIPTS)))
    return _script(date_part, script), separator + _script(rest, script), born


@settings(max_examples=400, deadline=None)
@given(code_parts(), before, after)
def test_a_code_of_any_family_is_refused(parts: tuple[str, str, date], prefix: str, suffix: str) -> None:
    date_part, rest, _ = parts
    text = f"{prefix}{date_part}{rest}{suffix}"
    assert _refused(text) & {"identity_code", "identity_code_mistyped", "phone"}, text


@settings(max_examples=200, deadline=None)
@given(code_parts(), st.sampled_from(BIDI), st.booleans())
def test_a_code_behind_a_bidi_control_is_refused(
    parts: tuple[str, str, date], control: str, reverse: bool
) -> None:
    code = f"{parts[0]}{parts[1]}"
    # Stored backwards behind a right-to-left override, it displays as the code.
    # (An override ends at a line break: a code across one does not display as a code.)
    text = (
        f"hetu \u202e{code[::-1]}\u202c ok"
        if reverse and "\n" not in code
        else f"hetu {control}{code}{control} ok"
    )
    assert _refused(text) & {"identity_code", "identity_code_mistyped", "phone"}, text


@settings(max_examples=200, deadline=None)
@given(
    code_parts(),
    st.sampled_from(["syntymäaika ", "s. ", "pvm ", ""]),
    st.sampled_from(["loppuosa ", "", "tunnuksen loppu: "]),
)
def test_a_code_split_across_two_fields_is_refused_naming_both(
    parts: tuple[str, str, date], lead: str, tail_lead: str
) -> None:
    date_part, rest, _ = parts
    # Alone in its field the end of a code is written as one: with its sign or a letter.
    rest = rest.lstrip(" \t\n,|;:_/()")
    if rest[0] not in "-+ABCDEF" and not rest[-1].isalpha():
        rest = "-" + rest
    texts = {
        "general": f"{lead}{date_part}",
        "decision": f"{tail_lead}{rest.lstrip()}",
        "note": "Sovittu 14.3.",
    }
    found = [f for f in check_case(texts, today=date(2026, 3, 1)) if f.refused]
    assert found, texts
    assert any(set(f.fields) >= {"general", "decision"} or f.kind == "phone" for f in found) or any(
        "general" in f.fields or "decision" in f.fields for f in found
    )


MOBILE = ["040", "041", "042", "044", "045", "046", "050"]
LANDLINE = ["09", "02", "03", "05", "06", "08", "013", "014", "015", "016", "017", "019"]
PHONE_SEPARATORS = [" ", "-", ".", "/", "_", ":", "", " / ", "  "]


@st.composite
def phone_numbers(draw: st.DrawFn) -> str:
    if draw(st.booleans()):
        area = draw(st.sampled_from(MOBILE))
        subscriber = f"{draw(st.integers(1000000, 9999999))}"
    else:
        area = draw(st.sampled_from(LANDLINE))
        subscriber = f"{draw(st.integers(1, 9))}{draw(st.integers(100000, 999999))}"
    grouping = draw(st.sampled_from([(3, 4), (3, 2, 2), (7,), (2, 3, 2)]))
    groups, at = [], 0
    for size in grouping:
        groups.append(subscriber[at : at + size])
        at += size
    inner = draw(st.sampled_from([" ", ".", "_", "-", ""])) if len(groups) > 1 else ""
    number = f"{area}{draw(st.sampled_from(PHONE_SEPARATORS))}{inner.join(groups)}"
    # Only numbers that exist: the library's own judgement of what Finland dials.
    assume(_phone_library().is_valid_number(_phone_library().parse(number.translate(_TO_SPACE), "FI")))
    international = draw(st.integers(0, 3))
    if international == 1:
        number = "+358 " + number[1:]
    elif international == 2:
        number = "358 " + number[1:]
    if draw(st.integers(0, 3)) == 0:
        number = number.replace("0", "O", 2)
    return _script(number, draw(st.sampled_from(sorted(SCRIPTS))))


@settings(max_examples=400, deadline=None)
@given(
    st.sampled_from(["puh. ", "soita ", "numero: ", "(", ""]),
    phone_numbers(),
    st.sampled_from(["", " arkisin", ")", ". Kiitos"]),
)
def test_a_phone_number_of_any_family_is_refused(prefix: str, number: str, suffix: str) -> None:
    # Refused as a phone, or as a code its digits also spell: refused either way.
    assert _refused(f"{prefix}{number}{suffix}") - {"email"}, number


AT_WORDS = ["@", " @ ", "@ ", " @", "@@", "＠", "&#64;", "&amp;#64;", " ät-merkki ", " kissanhäntä ",
            " miukumauku ", " snabel-a ", " (at) ", " [ät] "]  # fmt: skip


@st.composite
def addresses(draw: st.DrawFn) -> str:
    local = draw(st.from_regex(r"[a-z]{2,10}(\.[a-z]{2,8})?", fullmatch=True))
    if draw(st.integers(0, 4)) == 0:
        local = f'"{local} {draw(st.from_regex(r"[a-z]{2,6}", fullmatch=True))}"'
    at = draw(st.sampled_from(AT_WORDS))
    host = draw(st.from_regex(r"[a-z]{3,12}", fullmatch=True))
    written_at = at.strip() in ("@", "@@", "＠", "&#64;", "&amp;#64;")
    tld = draw(st.sampled_from([".fi", ".com", ". fi", ",fi", "。fi", " piste fi", ""]))
    if not written_at and tld in ("", "。fi"):
        tld = ".fi"
    return f"{local}{at}{host}{tld}"


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(["yhteys ", "sähköposti: ", "", "laita viesti "]), addresses(), after)
def test_an_address_of_any_family_is_refused(prefix: str, address: str, suffix: str) -> None:
    assert "email" in _refused(f"{prefix}{address}{suffix}"), address


def _business_id(seven: int) -> str | None:
    digits = f"{seven:07d}"
    remainder = sum(int(d) * w for d, w in zip(digits, (7, 9, 10, 5, 8, 4, 2), strict=True)) % 11
    return None if remainder == 1 else f"{digits}-{0 if remainder == 0 else 11 - remainder}"


clean_number_pieces = st.one_of(
    clean_pieces,
    st.builds(
        "klo {:02d}{:02d}–{:02d}{:02d}".format,
        st.integers(7, 11),
        st.sampled_from([0, 15, 30, 45]),
        st.integers(12, 18),
        st.sampled_from([0, 15, 30, 45]),
    ),
    st.builds(
        "klo {}.{:02d}-{}.{:02d}".format,
        st.integers(7, 11),
        st.sampled_from([0, 30]),
        st.integers(12, 18),
        st.sampled_from([0, 30]),
    ),
    st.builds(
        lambda word, seven: f"{word} {_business_id(seven) or '0246246-0'}",
        st.sampled_from(["Y-tunnus", "Kelan Y-tunnus", "FO-nummer", "business ID", "työnantajan Y-tunnus"]),
        st.integers(100000, 9999999),
    ),
    st.builds("{} päivää".format, st.integers(1, 999)),
    st.builds("{:,} €".format, st.integers(1000, 99999)),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(clean_number_pieces, min_size=1, max_size=8))
def test_generated_clean_notes_with_times_and_business_ids_are_never_refused(pieces: list[str]) -> None:
    note = " ".join(pieces)
    assert refusals(note) == [], note


NUMBER_NOTES = [
    line
    for line in (Path(__file__).parent / "data" / "clean_notes_numbers_fi.txt")
    .read_text("utf-8")
    .splitlines()
    if line.strip() and not line.startswith("#")
]


def test_the_number_heavy_corpus_neither_refuses_nor_warns() -> None:
    assert len(NUMBER_NOTES) >= 45
    assert [note for note in NUMBER_NOTES if check(note, today=date(2026, 3, 1))] == []


# Names of people living in Finland that no list holds whole: the issue's and invented ones of
# the same families (regional Finnish, Swedish-speaking, immigrant), in sentences and forms.
UNCOMMON_NAMES = [
    "Saima Kauhanen", "Oiva Miettunen", "Aatu Ikäheimo", "Ulrika Åkerblom", "Torbjörn Nyholm",
    "Abdirahman Warsame", "Hodan Farah", "Mehmet Yilmaz", "Lempi Huovinen", "Eero Kämäräinen",
    "Vilho Tolvanen", "Selma Kervinen", "Göran Lindqvist", "Birgitta Sjöholm", "Kerstin Blomqvist",
    "Fadumo Abdi", "Zeynep Aydın", "Nguyen Van Minh", "Olena Kovalenko", "Dmitri Volkov",
    "Amina Hassan", "Jamal Osman", "Priya Raman", "Chiara Bianchi", "Aleksi Pirttimaa",
]  # fmt: skip
SENTENCES = ["Tapaaminen {}:n kanssa sovittu.", "Asiakas {} kävi toimistolla.", "{} soitti aamulla."]


def test_at_least_nine_in_ten_uncommon_names_are_warned_about() -> None:
    warned = 0
    for name in UNCOMMON_NAMES:
        for sentence in SENTENCES:
            warned += any(f.kind == "name" for f in check(sentence.format(name)))
    assert warned >= 0.9 * len(UNCOMMON_NAMES) * len(SENTENCES)


def test_a_case_id_holding_a_phone_number_is_caught_but_random_ids_pass() -> None:
    import uuid

    assert [f.kind for f in phones_in_identifier("040-123-4567")] == ["phone"]
    assert phones_in_identifier("3f0c2a1e-9b7d-4c11-8e2a-358401234567")
    assert [case_id for _ in range(2000) if phones_in_identifier(case_id := str(uuid.uuid4()))] == []
    found = check_case({"general": "ok"}, case_id="0401234567")
    assert [(f.fields, f.kind) for f in found] == [(("id",), "phone")]


def test_a_case_finding_names_the_fields_and_never_the_text() -> None:
    try:
        refuse_case_identifiers({"general": "syntymäaika 131052", "decision": "loppuosa -308T"})
    except IdentifierRefused as error:
        assert "131052" not in str(error) and "308T" not in str(error)
        assert "general" in str(error) and "decision" in str(error)
    else:
        raise AssertionError("not refused")


def test_a_compound_place_is_no_name_but_a_double_name_still_is() -> None:
    """The areas the team meets for (Ylä-Savo, Keski-Savo) are known to the lexicon whole,
    though "Ylä" alone is no word: a note or the minutes naming them is not warned about."""
    for text in ("Asiakas asuu Ylä-Savossa.", "Alue: Keski-Savo", "Pohjois-Savon hyvinvointialue"):
        assert check(text) == [], text
    for text, name in (
        ("Virtanen-Mäkinen soitti.", "Virtanen-Mäkinen"),
        ("Anna-Liisa soitti.", "Anna-Liisa"),
        ("Warsame-Yilmaz soitti.", "Warsame-Yilmaz"),
    ):
        assert [f.text for f in check(text)] == [name], text
