"""The next steps name only organisations the recommendation lists."""

from __future__ import annotations

from consult.assessment.record_note import bilateral_pair
from consult.core.model import Answers, Assessment, Context, Recommendation, Scores
from consult.i18n import Translator


def test_a_non_jobseekers_pair_leaves_the_employment_authority_out() -> None:
    t = Translator("fi")
    assessment = Assessment(
        scores=Scores(), answers=Answers(), context=Context(worker_org="employment", jobseeker=False)
    )
    recommendation = Recommendation(
        primary="bilateral",
        needs=["social"],
        orgs=["welfare", "kela"],
        flags=[],
        suggested_answers={},
        reasons=[],
        rules_version="ps-2025.1",
    )
    first, second = bilateral_pair(assessment, recommendation, t)
    assert t("org.employment") not in (first, second)
    assert {first, second} == {t("org.welfare"), t("org.kela")}
