from consult.core.instrument import DOMAIN_KEYS, LANGUAGES, QUESTION_KEYS, load_instrument, localized


def test_seven_domains_of_five_levels_in_finnish_and_english() -> None:
    instrument = load_instrument()
    assert tuple(d.key for d in instrument.domains) == DOMAIN_KEYS
    for domain in instrument.domains:
        assert len(domain.levels) == 5
        for level in domain.levels:
            assert level["fi"].strip() and level["en"].strip()
        for text in (domain.title, domain.good, domain.bad):
            assert text["fi"].strip() and text["en"].strip()


def test_wording_is_the_instruments_own() -> None:
    instrument = load_instrument()
    assert localized(instrument.title, "fi") == "Sosiaalisen tilanteen tunnistaminen ja puheeksiotto"
    housing = instrument.domain("housing")
    assert housing.level_text(5, "fi") == "Häätöjä, asunnottomuutta"
    # The seed dropped the "ei"; the instrument restores it.
    assert instrument.domain("employment").level_text(4, "fi").endswith("TE-palveluihin ei ole onnistunut")
    assert localized(instrument.question("q_coordination").text, "fi") == (
        "Hyötyykö asiakas työvoimaviranomaisen, Kelan ja hyvinvointialueen palveluiden yhteensovittamisesta?"
    )


def test_five_referral_questions() -> None:
    assert tuple(q.key for q in load_instrument().questions) == QUESTION_KEYS


def test_a_missing_translation_falls_back_to_finnish() -> None:
    assert "sv" in LANGUAGES
    assert localized({"fi": "Asuminen"}, "sv") == "Asuminen"


def test_the_models_literals_match_the_instrument_and_constants() -> None:
    from typing import get_args

    from consult.core import model
    from consult.core.instrument import DOMAIN_KEYS, QUESTION_KEYS

    assert get_args(model.NoteKey) == ("general", *DOMAIN_KEYS)
    assert get_args(model.QuestionKey) == QUESTION_KEYS
    assert (get_args(model.Flag), get_args(model.Need), get_args(model.Org)) == (
        model.FLAGS,
        model.NEEDS,
        model.ORGS,
    )
