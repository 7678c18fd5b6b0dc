"""The one store object the app is built with and hands down: screens and flows call its
methods (from a worker thread: each is one short unit of work) and never see an engine.

Light to import: SQLModel and Alembic load when the store is opened, off the UI thread, so the
factory can build it before the first screen at no cost.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from consult.catalogue.model import Catalogue
    from consult.core.meeting import Action, ActionStatus, Agenda, Meeting, MeetingItem, MeetingSummary
    from consult.core.model import (
        Answers,
        Case,
        CaseServices,
        Context,
        Draft,
        Outcome,
        Recommendation,
        Scores,
        TeamDecision,
    )
    from consult.scoring.compare import StoredCase
    from consult.scoring.rules import RulesDefinition
    from consult.store.activations import Activation
    from consult.store.audit import AuditEntry
    from consult.store.purge import PurgeResult
    from consult.store.review import CaseFilter, CasePage, Cursor
    from consult.store.roles import Identity
    from consult.store.team import CaseEdit
    from consult.store.training import TraineeResult


# Held while a database is being opened (the page check, migrations, the first reads), which
# writes beside the file: whoever removes the file's folder (the demo, when its terminal is
# closed mid-start) waits for that to end, or the folder is written again as it is removed.
OPENING = threading.RLock()


class StoreNotOpen(RuntimeError):
    """The database has not been opened (yet), or could not be."""


class MeetingRefused(PermissionError):
    """The signed-in login may not hold meetings (``roles.ACTIONS["meet"]``), or not of this
    area: ``str()`` is one line naming the login, its role and the area."""

    def __init__(self, login: str, role: str, area: str | None) -> None:
        super().__init__(f"meet: {login} ({role})" + (f", area {area}" if area else ""))
        self.login, self.role, self.area = login, role, area


class Store:
    """A database by its URL: opened once (migrated to the app's schema), then used by method."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.backup: Path | None = None
        """The copy of a SQLite file made before this start migrated its schema."""
        self._engine: Engine | None = None
        self._identity: Identity | None = None

    @classmethod
    def open(cls, url: str, *, check: bool = False) -> Store:
        store = cls(url)
        store.connect(check=check)
        return store

    def connect(self, *, check: bool = False) -> None:
        """Opens and migrates the database; slow (imports, migrations): call it off the UI thread.
        ``check``: SQLite's quick check of every page first (the app's start, an import), so a
        damaged file is said in one line before anything reads or writes it."""
        with OPENING:
            self._connect(check)

    def _connect(self, check: bool) -> None:
        from consult.store.db import check_integrity, make_engine
        from consult.store.migrate import upgrade

        engine = make_engine(self.url)
        try:
            if check:
                check_integrity(engine)
            self.backup = upgrade(engine)
        except BaseException:
            engine.dispose()
            raise
        self._engine = engine

    @property
    def is_open(self) -> bool:
        return self._engine is not None

    @property
    def engine(self) -> Engine:
        """For the command line and the store's own modules; screens call methods instead."""
        if self._engine is None:
            raise StoreNotOpen(self.url)
        return self._engine

    def identity(self) -> Identity:
        """Who is signed in and the role held here (read once: a grant takes effect at the
        next start)."""
        if self._identity is None:
            from consult.store import roles

            self._identity = roles.identity(self.engine)
        return self._identity

    def audit(self, since: date | None = None, until: date | None = None) -> list[AuditEntry]:
        from consult.store import audit

        return audit.entries(self.engine, since, until)

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()

    # --- the draft lifecycle ------------------------------------------------------------------

    def create_draft(self, context: Context, step: int = 1) -> Case:
        from consult.store import drafts

        return drafts.create_draft(self.engine, context, step)

    def update_draft(
        self,
        case_id: str,
        *,
        step: int,
        context: Context | None = None,
        scores: Scores | None = None,
        answers: Answers | None = None,
        notes: Mapping[str, str] | None = None,
        unconfirmed: Mapping[str, str] | None = None,
    ) -> None:
        from consult.store import drafts

        drafts.update_draft(
            self.engine,
            case_id,
            step=step,
            context=context,
            scores=scores,
            answers=answers,
            notes=notes,
            unconfirmed=unconfirmed,
        )

    def complete(self, case_id: str, status: str, recommendation: Recommendation) -> Case:
        from consult.store import drafts

        return drafts.complete(self.engine, case_id, status, recommendation)

    def latest_draft(self) -> Draft | None:
        from consult.store import drafts

        return drafts.latest_draft(self.engine)

    def list_drafts(self) -> list[Draft]:
        from consult.store import drafts

        return drafts.list_drafts(self.engine)

    def count_drafts(self) -> int:
        from consult.store import drafts

        return drafts.count_drafts(self.engine)

    def discard_draft(self, case_id: str) -> bool:
        from consult.store import drafts

        return drafts.discard_draft(self.engine, case_id)

    # --- reading saved cases ------------------------------------------------------------------

    def get_case(self, case_id: str) -> Case | None:
        from consult.store import reads

        return reads.get_case(self.engine, case_id)

    def count_cases(self) -> int:
        from consult.store import reads

        return reads.count_cases(self.engine)

    def team_decisions(self, case_id: str) -> list[TeamDecision]:
        from consult.store import reads

        return reads.team_decisions(self.engine, case_id)

    def case_edits(self, case_id: str) -> list[CaseEdit]:
        from consult.store import reads

        return reads.case_edits(self.engine, case_id)

    def outcomes(self, case_id: str) -> list[Outcome]:
        from consult.store import reads

        return reads.outcomes(self.engine, case_id)

    def review_page(
        self, case_filter: CaseFilter, sort: str, descending: bool, after: Cursor | None, limit: int
    ) -> CasePage:
        from consult.store import review

        return review.page(self.engine, case_filter, sort, descending, after, limit)

    def review_count(self, case_filter: CaseFilter) -> int:
        from consult.store import review

        return review.count(self.engine, case_filter)

    # --- the team's additions -----------------------------------------------------------------

    def add_team_decision(self, case_id: str, decision: TeamDecision) -> Case:
        from consult.store import team

        return team.add_team_decision(self.engine, case_id, decision)

    def add_outcome(self, case_id: str, outcome: Outcome) -> Case:
        from consult.store import team

        return team.add_outcome(self.engine, case_id, outcome)

    def edit_note(self, case_id: str, key: str, text: str) -> Case:
        from consult.store import team

        return team.edit_note(self.engine, case_id, key, text)

    def correct_route(self, case_id: str, route: str) -> Case:
        """A worker's own saved case, not yet decided by the team, switched to ``route``
        (kept in its edit history); ``corrections.AlreadyDecided`` once the team has decided."""
        from consult.store import corrections

        return corrections.correct_route(self.engine, case_id, route)

    # --- the team's meetings (product.md, "Team meetings"; consult.store.meetings) ----------------
    # Writing is the team role's, for the login's areas, where roles exist; the server's own
    # policies hold the same (a login sees no meeting of another area), this says it first.

    def _may_meet(self, area: str | None = None) -> None:
        who = self.identity()
        if not who.may("meet") or (area is not None and not who.holds_every_role and area not in who.areas):
            raise MeetingRefused(who.login, who.role, area)

    def propose_agenda(self, area: str, on: date) -> Agenda:
        """The agenda product.md describes for ``area`` on ``on``; writes nothing."""
        from consult.store import meetings

        self._may_meet(area)
        return meetings.propose_agenda(self.engine, area, on)

    def plan_meeting(self, area: str, on: date, convener_org: str) -> Meeting:
        """A planned meeting whose items are the proposed agenda's cases, in order."""
        from consult.store import meetings

        self._may_meet(area)
        return meetings.plan_meeting(self.engine, area, on, convener_org)

    def set_items(self, meeting_id: str, case_ids: Sequence[str]) -> Meeting:
        """The whole ordered list of items (add, remove, reorder) while planned or open; an
        item with a result keeps it and cannot be removed."""
        from consult.store import meetings

        self._may_meet()
        return meetings.set_items(self.engine, meeting_id, case_ids)

    def set_attendance(
        self,
        meeting_id: str,
        present: Sequence[str],
        apologies: Sequence[str],
        convener_org: str | None = None,
    ) -> Meeting:
        from consult.store import meetings

        self._may_meet()
        return meetings.set_attendance(self.engine, meeting_id, present, apologies, convener_org)

    def set_meeting_note(self, meeting_id: str, note: str) -> Meeting:
        """The meeting's own note (through the privacy gate) while planned or open."""
        from consult.store import meetings

        self._may_meet()
        return meetings.set_note(self.engine, meeting_id, note)

    def start_meeting(self, meeting_id: str) -> Meeting:
        """planned -> open."""
        from consult.store import meetings

        self._may_meet()
        return meetings.start_meeting(self.engine, meeting_id)

    def decide_in_meeting(self, meeting_id: str, case_id: str, path: str, note: str) -> Meeting:
        """The team's decision on an item of the open meeting (it names the meeting; decided on
        the meeting's day) and the item's result ``decided``."""
        from consult.store import meetings

        self._may_meet()
        return meetings.decide_in_meeting(self.engine, meeting_id, case_id, path, note)

    def defer_item(self, meeting_id: str, case_id: str) -> Meeting:
        from consult.store import meetings

        self._may_meet()
        return meetings.defer_item(self.engine, meeting_id, case_id)

    def add_action(
        self,
        meeting_id: str,
        case_id: str,
        owner_org: str,
        owner_role: str,
        what: str,
        due: date | None,
    ) -> Action:
        """An action agreed in the open meeting on one of its items' cases; texts through the
        privacy gate."""
        from consult.store import meetings

        self._may_meet()
        return meetings.add_action(self.engine, meeting_id, case_id, owner_org, owner_role, what, due)

    def close_action(
        self, action_id: str, status: ActionStatus, on: date, meeting_id: str | None = None
    ) -> Action:
        """Closes an open action on ``on``; ``meeting_id``: the open meeting reviewing it."""
        from consult.store import meetings

        self._may_meet()
        return meetings.close_action(self.engine, action_id, status, on, meeting_id)

    def close_meeting(self, meeting_id: str) -> Meeting:
        """Items without a result become ``not_discussed`` (``decided`` where the case was decided
        in the meeting); the meeting is closed and nothing of it changes afterwards."""
        from consult.store import meetings

        self._may_meet()
        return meetings.close_meeting(self.engine, meeting_id)

    def get_meeting(self, meeting_id: str) -> Meeting | None:
        from consult.store import meetings

        return meetings.get_meeting(self.engine, meeting_id)

    def list_meetings(self, area: str | None = None) -> list[MeetingSummary]:
        """Newest first."""
        from consult.store import meetings

        return meetings.list_meetings(self.engine, area)

    def case_meetings(self, case_id: str) -> list[tuple[Meeting, MeetingItem]]:
        """The meetings where the case was an item, oldest first."""
        from consult.store import meetings

        return meetings.case_meetings(self.engine, case_id)

    def case_actions(self, case_id: str) -> list[Action]:
        from consult.store import meetings

        return meetings.case_actions(self.engine, case_id)

    def reviewed_actions(self, meeting_id: str) -> list[Action]:
        """The actions closed in (reviewed at) this meeting."""
        from consult.store import meetings

        return meetings.reviewed_actions(self.engine, meeting_id)

    def open_actions(self, area: str) -> list[Action]:
        """The open actions of the area's cases, by due day, then the case's code."""
        from consult.store import meetings

        return meetings.open_actions(self.engine, area)

    # --- services (product.md, "Services") --------------------------------------------------

    def catalogue_in_force(self) -> Catalogue:
        """The service catalogue in force: the starter until another is activated."""
        from consult.store import services

        return services.catalogue_in_force(self.engine)

    def known_catalogues(self) -> dict[str, Catalogue]:
        """Version → catalogue, for every version activated here and the starter: a saved
        case's service id stays readable after a newer catalogue is activated."""
        from consult.store import services

        return services.known_catalogues(self.engine)

    def activate_catalogue(self, text: str) -> Catalogue:
        """Puts the catalogue file ``text`` in force. Only an administrator, where roles exist
        (PermissionError; the server refuses too). CatalogueError for a bad file,
        CatalogueVersionTaken for a version that already names another file."""
        from consult.store import services

        if not self.identity().may("activate_catalogue"):
            raise PermissionError("activate_catalogue")
        return services.activate_catalogue(self.engine, text)

    def catalogue_activations(self) -> list[Activation]:
        from consult.store import services

        return services.catalogue_activations(self.engine)

    def set_case_services(self, case_id: str, services: CaseServices) -> Case:
        """A case's tried and missing services (a draft's or a saved case's), replacing what
        it had; texts through the guard (IdentifierRefused naming the field), ids known to a
        catalogue activated here (UnknownService naming the field)."""
        from consult.store import services as module

        return module.set_case_services(self.engine, case_id, services)

    # --- rules and upkeep ---------------------------------------------------------------------

    def rules_in_force(self) -> RulesDefinition:
        from consult.store import rules

        return rules.rules_in_force(self.engine)

    def known_rules(self) -> dict[str, RulesDefinition]:
        from consult.store import rules

        return rules.known_rules(self.engine)

    def activations(self) -> list[Activation]:
        from consult.store import rules

        return rules.activations(self.engine)

    def stored_cases(self, since: date | None = None, until: date | None = None) -> list[StoredCase]:
        from consult.store import rules

        return rules.stored_cases(self.engine, since, until)

    def decided_pairs(
        self, since: date | None = None, until: date | None = None
    ) -> list[tuple[str, str, str]]:
        from consult.store import rules

        return rules.decided_pairs(self.engine, since, until)

    def last_purge(self) -> PurgeResult | None:
        from consult.store import purge

        return purge.last_purge(self.engine)

    # --- training (on the training database's store) ------------------------------------------

    def training_results(self) -> list[TraineeResult]:
        from consult.store import training

        return training.results(self.engine)

    def save_training_result(self, result: TraineeResult, result_id: int | None = None) -> int:
        from consult.store import training

        return training.save_result(self.engine, result, result_id)
