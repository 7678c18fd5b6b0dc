"""The demo clients: fictional, well formed, covering what training needs; the demo database
is its own and the real one is never touched."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from consult.core.instrument import DOMAIN_KEYS
from consult.core.model import FLAGS, PRIMARIES
from consult.demo import demo_cases, stored_cases
from consult.scoring.engine import derive


def test_at_least_sixteen_fictional_clients_with_vignettes_of_80_to_200_words() -> None:
    cases = demo_cases()
    assert len(cases) >= 16
    assert len({c.id for c in cases}) == len(cases)
    for case in cases:
        assert case.fictional
        assert case.vignette["fi"].startswith("Kuvitteellinen asiakas.")
        assert case.vignette["en"].startswith("Fictional client.")
        for lang in ("fi", "en"):
            assert 80 <= len(case.vignette[lang].split()) <= 200, (case.id, lang)
            assert case.title[lang] and case.teaching_note[lang]


def test_the_reference_primary_is_what_the_rules_give() -> None:
    for case in demo_cases():
        assert case.recommendation().primary == case.reference_primary, case.id


def test_together_they_cover_every_path_flag_and_level() -> None:
    cases = demo_cases()
    results = [c.recommendation() for c in cases]
    assert {r.primary for r in results} == set(PRIMARIES)
    assert {f for r in results for f in r.flags} == set(FLAGS)
    for domain in DOMAIN_KEYS:
        levels = {getattr(c.reference.scores, domain) for c in cases}
        assert {1, 2, 3, 4, 5} <= levels, domain


def test_the_hard_cases_are_there() -> None:
    cases = demo_cases()
    reasons = [{r["text"] for r in c.recommendation("en").reasons} for c in cases]
    assert any("borderline" in text for texts in reasons for text in texts)
    assert any("differs from the scores’ suggestion" in text for texts in reasons for text in texts)
    assert any(
        c.context.jobseeker is False and "not_jobseeker" in {r["rule"] for r in c.recommendation().reasons}
        for c in cases
    )
    # a worker's "yes" where the scores show no challenge at all
    assert any(
        not derive(c.reference.scores).challenges and "yes" in c.reference.answers.model_dump().values()
        for c in cases
    )


def test_stored_demo_cases_show_every_status_and_a_changed_path() -> None:
    stored = stored_cases()
    assert {c.status for c in stored} == {"awaiting_team", "referred_directly", "team_decided"}
    decided = [c for c in stored if c.team_decision]
    assert any(c.team_decision.path != c.recommendation.primary for c in decided)
    assert all(c.code.startswith("DEM-") for c in stored)


def test_demo_list_agrees_with_consult_score(tmp_path: Path) -> None:
    env = {**os.environ, "CONSULT_DATA_DIR": str(tmp_path / "real")}
    listed = json.loads(
        subprocess.run(
            [sys.executable, "-m", "consult", "demo", "--list"],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
            check=True,
        ).stdout
    )
    assert len(listed) >= 16
    assessments = [
        {"scores": c["reference"]["scores"], "answers": c["reference"]["answers"], "context": c["context"]}
        for c in listed
    ]
    scored = json.loads(
        subprocess.run(
            [sys.executable, "-m", "consult", "score", "-"],
            input=json.dumps(assessments),
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
            check=True,
        ).stdout
    )
    assert [s["primary"] for s in scored] == [c["reference_primary"] for c in listed]
    assert not (tmp_path / "real").exists()  # listing touches no database


async def test_the_demo_app_has_data_and_leaves_the_real_database_alone(tmp_path: Path) -> None:
    from consult.app import make_app
    from consult.demo.database import demo_settings, seed
    from consult.screens.review import ReviewScreen
    from consult.system.settings import Settings
    from tests.screens.helpers import ready, screen_text, settle

    real = Settings(data_dir=tmp_path / "real", database_url="sqlite:////nonexistent/never-opened.db")
    settings = demo_settings(real, tmp_path / "demo")
    assert settings.database_url is None and settings.demo
    assert seed(settings) == len(demo_cases())
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(app, pilot)
        assert "DEMO" in screen_text(app)
        await pilot.press("r")
        await settle(app, pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert f"/ {len(demo_cases())}" in screen_text(app)
        await pilot.press(
            "escape", "n", "enter", "1", "1", "1", "2", "1", "1", "1", "enter", *["enter"] * 6, "t"
        )
        await settle(app, pilot)
        await pilot.press("escape", "k", "tab", "a")  # training, then the trainer's agreement
        await settle(app, pilot)
        assert "3 arvioijaa, 18 arviota" in screen_text(app)
    assert not (tmp_path / "real").exists()
