"""The throwaway database behind ``consult demo``: its own folder, never the real database."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from consult.core.dates import team_day
from consult.core.model import NOT_STARTED_REASONS, Assessment, Case, Outcome, Scores, route_for_status
from consult.demo import demo_cases, stored_cases
from consult.exchange.bundle import Bundle, import_bundle
from consult.scoring import evaluate
from consult.store import Store
from consult.store.training import TraineeResult, save_result
from consult.system.settings import Settings


def demo_settings(settings: Settings, folder: Path) -> Settings:
    """The user's language, but a database of its own: CONSULT_DATABASE_URL is ignored. What
    the trainer exports or saves as a file outlives the throwaway folder: it goes to ``demo/``
    in the real data directory (never its database)."""
    return replace(
        settings, data_dir=folder, database_url=None, demo=True, output_dir=settings.files_dir / "demo"
    )


DEMO_PREFIX = "consult-demo-"
STALE_AFTER_S = 86_400  # a day: no demo runs that long untouched, and a running one is spared


def remove_stale_demo_folders(parent: Path | None = None, now: float | None = None) -> int:
    """Removes this user's demo folders that nothing has touched for a day: what a demo left
    when its terminal was closed or the machine went down before it could clean up. Returns how
    many went."""
    parent = parent or Path(tempfile.gettempdir())
    cutoff = (now if now is not None else time.time()) - STALE_AFTER_S
    removed = 0
    for folder in parent.glob(f"{DEMO_PREFIX}*"):
        try:
            if folder.is_symlink() or not folder.is_dir() or folder.stat().st_uid != os.getuid():
                continue
            # The newest of the folder and what is in it: a demo in use writes its database.
            touched = max([folder.stat().st_mtime, *(p.stat().st_mtime for p in folder.iterdir())])
        except OSError:
            continue  # gone meanwhile, or not ours to read
        if touched < cutoff:
            shutil.rmtree(folder, ignore_errors=True)
            removed += not folder.exists()
    return removed


def seed(settings: Settings) -> int:
    if not settings.demo:
        raise ValueError("demo cases go only into a demo database")
    store = Store.open(settings.resolved_database_url)
    try:
        added, _ = import_bundle(
            store.engine,
            Bundle(format="consult-cases", version=2, cases=with_outcomes(stored_cases(lang=settings.lang))),
        )
    finally:
        store.close()
    training = Store.open(settings.training_database_url)
    try:
        for result in demo_trainee_results():
            save_result(training.engine, result)
    finally:
        training.close()
    return added


def with_outcomes(cases: list[Case], now: datetime | None = None) -> list[Case]:
    """The demo cases with a route and, for most of them, what happened after the referral, so
    the follow-up's outcome figures and the bottleneck list have something to show."""
    today = team_day(now or datetime.now(UTC))
    out = []
    for index, case in enumerate(cases):
        saved = team_day(case.created_at)
        outcome = None
        if case.status != "draft" and index % 4 != 3:  # every fourth one still pending
            day = min(today, saved + timedelta(days=5 + 3 * (index % 5)))
            if index % 4 == 2:
                reason = NOT_STARTED_REASONS[index % len(NOT_STARTED_REASONS)]
                outcome = Outcome(started=False, reason=reason, on=day)
            else:
                path = case.team_decision.path if case.team_decision else case.recommendation.primary  # type: ignore[union-attr]
                outcome = Outcome(started=True, path=path, on=day)
        out.append(case.model_copy(update={"route": route_for_status(case.status), "outcome": outcome}))
    return out


def _shifted(scores: Scores, domain: str, step: int) -> Scores:
    level = getattr(scores, domain)
    if level is None:
        return scores
    return scores.model_copy(update={domain: min(5, max(1, level + step))})


def demo_trainee_results() -> list[TraineeResult]:
    """Three fictional trainees on the first six clients, so the agreement screen has data:
    one scores like the reference, one reads employment a level higher, one health lower."""
    out = []
    for case in demo_cases()[:6]:
        for pseudonym, domain, step in (
            ("Demo-Kettu", "", 0),
            ("Demo-Ilves", "employment", 1),
            ("Demo-Karhu", "health", -1),
        ):
            scores = _shifted(case.reference.scores, domain, step) if domain else case.reference.scores
            assessment = Assessment(scores=scores, answers=case.reference.answers, context=case.context)
            out.append(
                TraineeResult(
                    pseudonym=pseudonym,
                    case_id=case.id,
                    scores=scores,
                    answers=case.reference.answers,
                    primary=evaluate(assessment).primary,
                )
            )
    return out
