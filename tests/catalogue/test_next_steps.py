"""The services a result names: the client's area, the domains at level 3 and above, grouped by
organisation, Kela's wherever their domains are concerned; and the consultation roles."""

from __future__ import annotations

from consult.catalogue.file import parse_catalogue, starter_catalogue
from consult.catalogue.next_steps import concerned_domains, consultation_roles, services_for
from consult.core.model import Assessment, Context, Scores
from consult.scoring import evaluate

YLA_SAVO = Scores(affairs=1, services=2, housing=1, employment=2, finances=3, health=4, relations=2)


def test_a_yla_savo_client_with_health_4_and_finances_3_sees_the_areas_and_kelas_services() -> None:
    recommendation = evaluate(Assessment(scores=YLA_SAVO, context=Context(area="yla-savo")), "fi")
    groups = services_for(starter_catalogue(), "yla-savo", YLA_SAVO, recommendation)
    named = {org: [s.id for s in services] for org, services in groups}
    assert concerned_domains(YLA_SAVO) == ["finances", "health"]
    assert "kela" in named and "kela-ammatillinen-kuntoutus" in named["kela"]
    assert "health" in named and "mielenterveys-paihdepalvelut" in named["health"]
    assert "social" in named and "talous-ja-velkaneuvonta" in named["social"]
    for _, services in groups:
        for service in services:
            assert service.serves("yla-savo") and service.active
            assert {"finances", "health"} & set(service.domains)
            assert service.role_in("fi") and service.channel


def test_kela_is_offered_even_where_the_rules_do_not_involve_it() -> None:
    recommendation = evaluate(Assessment(scores=YLA_SAVO, context=Context(area="yla-savo")), "fi")
    without_kela = recommendation.model_copy(update={"orgs": ["welfare"]})
    orgs = [org for org, _ in services_for(starter_catalogue(), "yla-savo", YLA_SAVO, without_kela)]
    assert orgs[:2] == ["social", "health"] and "kela" in orgs and "employment" not in orgs


def test_nothing_at_level_3_names_nothing_and_another_area_only_what_serves_all() -> None:
    calm = Scores(affairs=1, services=2, housing=1, employment=2, finances=2, health=2, relations=1)
    assert services_for(starter_catalogue(), "kuopio", calm, None) == []
    groups = services_for(starter_catalogue(), "other", YLA_SAVO, None)
    assert groups and all("all" in s.areas for _, services in groups for s in services)


def test_inactive_services_are_not_offered() -> None:
    text = starter_catalogue().text.replace(
        'id = "kela-ammatillinen-kuntoutus"\nname = { fi = "Kelan ammatillinen kuntoutus", sv = "FPA:s yrkesinriktade rehabilitering", en = "Kela\'s vocational rehabilitation" }\norganisation = "kela"\nareas = ["all"]\ndomains = ["employment", "health"]\nstatus = "active"',
        'id = "kela-ammatillinen-kuntoutus"\nname = { fi = "Kelan ammatillinen kuntoutus", sv = "FPA:s yrkesinriktade rehabilitering", en = "Kela\'s vocational rehabilitation" }\norganisation = "kela"\nareas = ["all"]\ndomains = ["employment", "health"]\nstatus = "temporarily_closed"',
    )
    catalogue, _ = parse_catalogue(text)
    assert catalogue.get("kela-ammatillinen-kuntoutus").status == "temporarily_closed"  # type: ignore[union-attr]
    offered = {s.id for _, services in services_for(catalogue, "kuopio", YLA_SAVO, None) for s in services}
    assert "kela-ammatillinen-kuntoutus" not in offered and "kela-teak" in offered


def test_a_bilateral_consultation_names_whom_how_and_when_for_each_organisation() -> None:
    roles = consultation_roles(starter_catalogue(), "keski-savo", ["welfare", "kela"])
    assert [(org, s.id) for org, s in roles] == [
        ("social", "sosiaaliohjaus"),
        ("health", "terveysasema"),
        ("kela", "kela-tyokykyneuvonta"),
    ]
    for _, service in roles:
        assert service.role_in("fi") and service.channel
        assert "konsultaatio" in (service.how_to_reach_in("fi") or "").lower()
    employment = consultation_roles(starter_catalogue(), "kuopio", ["employment"])
    assert [s.id for _, s in employment] == ["tyollisyys-konsultaatio"]
    assert consultation_roles(starter_catalogue(), "other", ["employment"]) == []
