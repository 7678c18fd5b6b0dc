"""Versioned rules definitions: thresholds, the domain→organisation map and reason wording.

``ps-2025.1`` is built in; a region tunes the rules with a TOML file (``rules_file``) that the
database keeps in force. Stored cases keep the version that scored them, so nothing is
re-scored silently.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType


def _frozen(d: Mapping) -> Mapping:
    return MappingProxyType(dict(d))


@dataclass(frozen=True, slots=True)
class RulesDefinition:
    version: str
    challenge_level: int
    acute_level: int
    # Acute domains send the client to social services first; some also raise a flag.
    acute_domains: tuple[str, ...]
    acute_flags: Mapping[str, str]
    need_domains: Mapping[str, tuple[str, ...]]
    # An organisation is implicated when any listed domain reaches its level...
    org_levels: Mapping[str, Mapping[str, int]]
    # ...or, for the welfare area, when the client has any of its service needs.
    org_needs: Mapping[str, tuple[str, ...]]
    all_orgs: tuple[str, ...]
    min_assessed: int
    bilateral_max_orgs: int
    multi_support_min_challenges: int
    joint_plan_min_challenges: int
    joint_plan_employment_level: int
    borderline_min_challenges: int
    reasons: Mapping[str, Mapping[str, str]] = field(default_factory=dict)


PS_2025_1 = RulesDefinition(
    version="ps-2025.1",
    challenge_level=3,
    acute_level=5,
    acute_domains=("housing", "relations", "health"),
    acute_flags=_frozen({"relations": "safety", "housing": "urgent"}),
    need_domains=_frozen(
        {
            "social": ("affairs", "services", "housing", "finances", "relations"),
            "health": ("health",),
        }
    ),
    org_levels=_frozen(
        {
            "employment": _frozen({"employment": 3}),
            "kela": _frozen({"finances": 3, "affairs": 4, "health": 3}),
        }
    ),
    org_needs=_frozen({"welfare": ("social", "health")}),
    all_orgs=("employment", "kela", "welfare"),
    min_assessed=5,
    bilateral_max_orgs=2,
    multi_support_min_challenges=3,
    joint_plan_min_challenges=3,
    joint_plan_employment_level=3,
    borderline_min_challenges=3,
    reasons=_frozen(
        {
            "social_services.acute": {
                "fi": "Akuutti tilanne (taso 5): {domains}. Turvallisuus ja perustarpeet ensin; "
                "TYM ei ole nyt ajankohtainen.",
                "en": "Acute situation (level 5): {domains}. Safety and basic needs come first; "
                "TYM is not current now.",
            },
            "social_services.other_first": {
                "fi": "Asiakas tarvitsee muita palveluita ennen kuin hän hyötyy TYM:istä.",
                "en": "The client needs other services before they can benefit from TYM.",
            },
            "tym": {
                "fi": "Asiakas hyötyy työvoimaviranomaisen, Kelan ja hyvinvointialueen palveluiden "
                "yhteensovittamisesta ja tarvitsee monialaista tukea; kahden organisaation "
                "yhteistyö ei riitä.",
                "en": "The client benefits from coordinating the services of the employment "
                "authority, Kela and the welfare area and needs multi-professional support; "
                "cooperation between two organisations is not enough.",
            },
            "not_jobseeker": {
                "fi": "TYM:n ehdot täyttyvät, mutta asiakas ei ole työtön työnhakija, joten TYM "
                "ei sovellu (laki 381/2023 koskee työttömiä työnhakijoita).",
                "en": "The conditions for TYM are met, but the client is not an unemployed "
                "jobseeker, so TYM does not apply (Act 381/2023 concerns unemployed jobseekers).",
            },
            "bilateral.answer": {
                "fi": "Kahden organisaation välinen yhteistyö tai konsultaatio riittää.",
                "en": "Cooperation or consultation between two organisations is enough.",
            },
            "bilateral.challenges": {
                "fi": "Haasteita {count} osa-alueella ({domains}): kahden organisaation välinen "
                "yhteistyö tai konsultaatio.",
                "en": "Challenges in {count} domain(s) ({domains}): cooperation or consultation "
                "between two organisations.",
            },
            "bilateral.answers": {
                "fi": "Pisteissä ei ole haasteita, mutta vastauksesi osoittavat tarpeen ({questions}).",
                "en": "The scores show no challenge, but your answers show a need ({questions}).",
            },
            "own_service": {
                "fi": "Ei haasteita eikä kyllä-vastauksia: ei yhteensovittamisen tarvetta. "
                "Asiakas jatkaa omassa palvelussasi.",
                "en": "No challenges and no 'yes' answers: no need for coordination. The client "
                "continues in your own service.",
            },
            "safety": {
                "fi": "TURVALLISUUS: Sosiaaliset suhteet tasolla 5 (lähisuhdeväkivaltaa, "
                "turvattomuutta). Toimi heti, turvallisuus ensin.",
                "en": "SAFETY: Social relationships at level 5 (domestic violence, insecurity). "
                "Act now, safety first.",
            },
            "urgent": {
                "fi": "KIIREELLINEN: Asuminen tasolla 5 (häätö, asunnottomuus).",
                "en": "URGENT: Housing at level 5 (eviction, homelessness).",
            },
            "insufficient_data": {
                "fi": "Arvioitu {assessed}/7 osa-aluetta; luotettava suositus vaatii vähintään {minimum}.",
                "en": "{assessed}/7 domains assessed; a reliable recommendation needs at least {minimum}.",
            },
            "bring_to_team.unsure": {
                "fi": "Tuo tiimiin: vastaus \u201den osaa sanoa\u201d ({questions}).",
                "en": "Bring to the team: answered 'unsure' ({questions}).",
            },
            "bring_to_team.disagrees": {
                "fi": "Tuo tiimiin: vastauksesi poikkeaa pisteiden ehdotuksesta ({questions}).",
                "en": "Bring to the team: your answer differs from the scores' suggestion ({questions}).",
            },
            "bring_to_team.insufficient_data": {
                "fi": "Tuo tiimiin: arvio on puutteellinen.",
                "en": "Bring to the team: the assessment is incomplete.",
            },
            "bring_to_team.borderline": {
                "fi": "Tuo tiimiin: rajatapaus ({count} haastetta, {orgs} organisaatiota).",
                "en": "Bring to the team: a borderline case ({count} challenges, {orgs} organisations).",
            },
            "bring_to_team.not_jobseeker": {
                "fi": "Tuo tiimiin: asiakas ei ole työnhakija, vaikka TYM:n ehdot täyttyvät.",
                "en": "Bring to the team: the client is not a jobseeker although the conditions "
                "for TYM are met.",
            },
            "question": {"fi": "kysymys {number}", "en": "question {number}"},
        }
    ),
)

BUILT_IN: Mapping[str, RulesDefinition] = _frozen({PS_2025_1.version: PS_2025_1})
RULES = BUILT_IN
# The default where no database says otherwise (a bare ``evaluate`` call, training).
CURRENT_RULES = PS_2025_1
