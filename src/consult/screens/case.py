"""One case for the team: profile, answers beside their suggestions, every reason, notes, and
the team's decisions and the outcomes, newest last. ``p`` records a decision, ``o`` what happened
after the referral; nothing the worker saved changes."""

from __future__ import annotations

import asyncio

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import Static

from consult.assessment.record_note import context_words
from consult.assessment.service_words import case_lines
from consult.catalogue.model import Catalogue
from consult.core.dates import team_day
from consult.core.instrument import DOMAIN_KEYS, QUESTION_KEYS, load_instrument, localized
from consult.core.meeting import Action, Meeting, MeetingItem
from consult.core.model import Assessment, Case, CaseServices, Outcome, TeamDecision
from consult.i18n.formats import show
from consult.scoring import evaluate
from consult.scoring.compare import rescored_assessment
from consult.scoring.engine import derive
from consult.scoring.explain import explain
from consult.scoring.rules import BUILT_IN, PS_2025_1, RulesDefinition
from consult.screens.base import ConsultScreen
from consult.screens.services import catalogues_of
from consult.store import team
from consult.widgets.key_bar import KeyBar
from consult.widgets.profile import ProfileView, joined
from consult.widgets.text import hanging
from consult.widgets.title_bar import TitleBar


class CaseScreen(ConsultScreen[None]):
    BINDINGS = [
        Binding("p", "decide", "binding.decide"),
        Binding("o", "outcome", "binding.outcome"),
        Binding("m", "edit_note", "binding.note"),
        Binding("s", "services", "services.key.case"),
        Binding("escape,left", "back", "binding.back", key_display="esc"),
    ]

    def __init__(self, case_id: str) -> None:
        super().__init__()
        self.case_id = case_id
        self.case: Case | None = None
        self.history: list[TeamDecision] = []
        self.edits: list[team.CaseEdit] = []
        self.outcomes: list[Outcome] = []
        self.known: dict[str, RulesDefinition] = dict(BUILT_IN)
        self.in_force: RulesDefinition = PS_2025_1
        self.may_decide = False  # until the store says the role may: a worker is never offered it
        self.meetings: list[tuple[Meeting, MeetingItem]] = []
        self.actions: list[Action] = []
        # The catalogue in force first, then every version activated before: older ids resolve.
        self.catalogues: list[Catalogue] = []

    def compose(self) -> ComposeResult:
        yield TitleBar(self.app.title, self.t("review.title"))
        yield VerticalScroll(Static(self.t("review.loading")), id="case", classes="step")
        yield KeyBar()

    def on_mount(self) -> None:
        self._load()

    @work(exclusive=True, group="case")
    async def _load(self) -> None:
        store = self.host.store
        (
            self.case,
            self.history,
            self.edits,
            self.outcomes,
            self.known,
            self.in_force,
            self.may_decide,
            self.meetings,
            self.actions,
            self.catalogues,
        ) = await asyncio.to_thread(
            lambda: (
                store.get_case(self.case_id),
                store.team_decisions(self.case_id),
                store.case_edits(self.case_id),
                store.outcomes(self.case_id),
                store.known_rules(),
                store.rules_in_force(),
                store.identity().may("decide"),
                store.case_meetings(self.case_id),
                store.case_actions(self.case_id),
                catalogues_of(store),
            )
        )
        self.refresh_bindings()
        await self._show()

    async def _show(self) -> None:
        case, t = self.case, self.t
        if case is None:
            return
        container = self.query_one("#case", VerticalScroll)
        await container.remove_children()
        r = case.recommendation
        assessment = Assessment(scores=case.scores, answers=case.answers, context=case.context)
        scored_by = self.known.get(r.rules_version, PS_2025_1) if r else self.in_force
        facts = derive(case.scores, scored_by)
        widgets: list[Widget] = [
            Static(t("case.title", code=case.code), classes="step-title"),
            Static(
                t(
                    "case.meta",
                    date=show(team_day(case.created_at), t.lang),
                    status=t(f"status.{case.status}"),
                )
            ),
            Static(t("case.context", context=context_words(case.context, t))),
        ]
        if case.route is not None:
            widgets.append(Static(t("case.route", route=t(f"routes.{case.route}"))))
        if r is not None:
            for flag in ("safety", "urgent"):
                if flag in r.flags:
                    widgets.append(Static(f"⚠ {t('flag.' + flag)} ⚠", classes=f"alarm {flag}"))
            widgets.append(
                Static(t("case.recommendation", primary=t(f"primary.{r.primary}")), classes="primary")
            )
        widgets += [
            ProfileView(facts, t),
            Static(
                f"{t('profile.needs')}: {joined(facts.needs, 'need', t)} · {t('profile.orgs')}: {joined(facts.orgs, 'org', t)}"
            ),
            Static(t("case.answers"), classes="section"),
        ]
        for number, key in enumerate(QUESTION_KEYS, start=1):
            given = getattr(case.answers, key)
            suggested = r.suggested_answers.get(key) if r else None
            widgets.append(
                Static(
                    t(
                        "case.answer_line",
                        number=number,
                        answer=t(f"answer.{given}") if given else t("case.not_answered"),
                        suggested=t(f"answer.{suggested}") if suggested else "–",
                    )
                )
            )
        if r is not None:
            widgets.append(Static(t("result.reasons"), classes="section"))
            widgets += [
                Static(hanging("•", reason["text"]), classes="reason")
                for reason in explain(r, assessment, t.lang, self.known)
            ]
            widgets += self._under_rules_in_force(case)
        if case.notes:
            widgets.append(Static(t("case.notes"), classes="section"))
            for note_key, text in case.notes.items():
                widgets.append(Static(hanging(f"{self._note_label(note_key)}:", text)))
        widgets += self._services_lines(case)
        widgets.append(Static(t("case.decisions"), classes="section"))
        if not self.history:
            widgets.append(Static(t("case.no_decision")))
        for decision in self.history:
            agree = t("case.agrees") if r is not None and decision.path == r.primary else ""
            widgets.append(
                Static(
                    t(
                        "case.decision_line",
                        date=show(decision.decided_at, t.lang),
                        path=t(f"primary.{decision.path}"),
                        agree=agree,
                        note=decision.note or "–",
                    )
                )
            )
        if self.meetings or self.actions:
            widgets += self._meeting_lines()
        if case.status != "draft":
            widgets += self._outcome_lines()
        if self.edits:
            widgets.append(Static(t("case.edits"), classes="section"))
            for edit in self.edits:
                widgets.append(
                    Static(
                        hanging(
                            "•",
                            t(
                                "case.edit_line",
                                date=show(team_day(edit.edited_at), t.lang),
                                field=self._edited_field(edit.field),
                                old=self._edited_value(edit.field, edit.old_value),
                                new=self._edited_value(edit.field, edit.new_value),
                            ),
                        )
                    )
                )
        await container.mount_all(widgets)

    def _meeting_lines(self) -> list[Static]:
        """The team meetings where the case was an item, and the actions agreed for it."""
        from consult.screens.meeting_common import due_words, org_word

        t = self.t
        lines = [Static(t("meeting.case.meetings"), classes="section")]
        for meeting, item in sorted(self.meetings, key=lambda pair: pair[0].on):
            result = t(f"meeting.result.{item.result}") if item.result else t("meeting.result.pending")
            lines.append(
                Static(
                    hanging(
                        "•",
                        t(
                            "meeting.case.meeting_line",
                            date=show(meeting.on, t.lang),
                            area=t(f"area.{meeting.area}"),
                            result=result,
                        ),
                    )
                )
            )
        if self.actions:
            lines.append(Static(t("meeting.case.actions"), classes="section"))
        for action in self.actions:
            lines.append(
                Static(
                    hanging(
                        "•",
                        t(
                            "meeting.action_line",
                            org=org_word(t, action.owner_org),
                            role=action.owner_role,
                            what=action.what,
                            due=due_words(t, action.due),
                            status=t(f"meeting.action_status.{action.status}"),
                        ),
                    )
                )
            )
        return lines

    def _services_lines(self, case: Case) -> list[Static]:
        """The services tried before and those missing, as the worker or the team recorded them."""
        t = self.t
        tried, missing = case_lines(case.services, t, self.catalogues)
        lines = [Static(t("services.case.section"), classes="section", id="case-services")]
        if not tried and not missing:
            lines.append(Static(t("services.case.none")))
        for title, entries in ((t("services.tried"), tried), (t("services.missing"), missing)):
            if entries:
                lines.append(Static(f"{title}:"))
                lines += [Static(hanging("•", entry)) for entry in entries]
        return lines

    def _outcome_lines(self) -> list[Static]:
        t = self.t
        lines = [Static(t("case.outcomes"), classes="section")]
        if not self.outcomes:
            lines.append(Static(t("case.no_outcome")))
        for outcome in self.outcomes:
            day, note = show(outcome.on, t.lang), outcome.note or "–"
            if outcome.started:
                text = t("case.outcome_started", date=day, path=t(f"primary.{outcome.path}"), note=note)
            else:
                text = t(
                    "case.outcome_not_started", date=day, reason=t(f"reason.{outcome.reason}"), note=note
                )
            lines.append(Static(hanging("•", text)))
        return lines

    def _under_rules_in_force(self, case: Case) -> list[Static]:
        """For a case scored under another version: what the rules in force would say and why
        (its own answers kept, accepted suggestions re-suggested; nothing stored changes)."""
        t, r, rules = self.t, case.recommendation, self.in_force
        if r is None or r.rules_version == rules.version:
            return []
        now = evaluate(rescored_assessment(case), t.lang, rules)
        out = [
            Static(t("rules.case.title", version=rules.version, stored=r.rules_version), classes="section"),
            Static(
                t("rules.case.same", primary=t(f"primary.{now.primary}"))
                if now.primary == r.primary
                else t("rules.case.changes", primary=t(f"primary.{now.primary}")),
                id="under-in-force",
            ),
        ]
        out += [Static(hanging("•", reason["text"]), classes="reason") for reason in now.reasons]
        return out

    def _edited_field(self, field: str) -> str:
        if field == "services":
            return self.t("services.case.section")
        return self._note_label(field.removeprefix("notes."))

    def _edited_value(self, field: str, value: str | None) -> str:
        """An edit's value as the case shows it: the services as lines, not as stored JSON."""
        if field != "services" or not value:
            return value or "–"
        try:
            services = CaseServices.model_validate_json(value)
        except ValueError:
            return "–"
        tried, missing = case_lines(services, self.t, self.catalogues)
        return "; ".join([*tried, *missing]) or "–"

    def _note_label(self, key: str) -> str:
        if key in DOMAIN_KEYS:
            return localized(load_instrument().domain(key).title, self.t.lang)
        return self.t("general_note.field")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("decide", "outcome") and not self.may_decide:
            return False  # the team's decisions and outcomes: not offered to another role
        if action in ("decide", "edit_note", "outcome", "services"):
            return self.case is not None and self.case.status != "draft"
        return True

    def action_decide(self) -> None:
        from consult.screens.decision import DecisionScreen

        if self.case is None or self.case.recommendation is None:
            return
        self.app.push_screen(
            DecisionScreen(self.case.code, self.case.recommendation.primary, others=_texts(self.case)),
            self._decided,
        )

    def _decided(self, decision: TeamDecision | None) -> None:
        if decision is not None:
            self._record(decision)

    @work(exclusive=True, group="case")
    async def _record(self, decision: TeamDecision) -> None:
        store = self.host.store
        try:
            await asyncio.to_thread(store.add_team_decision, self.case_id, decision)
        except Exception as error:  # said in one line; the dialog's text is the team's to retype
            self.notify(self.t("walk.save_failed", error=error.__class__.__name__), severity="error")
            return
        if self.case is not None:
            self.notify(self.t("decision.saved", code=self.case.code))
        self._load()

    def action_outcome(self) -> None:
        from consult.screens.outcome import OutcomeScreen

        case = self.case
        if case is None or case.status == "draft":
            return
        path = (
            case.team_decision.path
            if case.team_decision
            else (case.recommendation.primary if case.recommendation else None)
        )
        self.app.push_screen(
            OutcomeScreen(case.code, team_day(case.created_at), path, others=_texts(case)),
            self._outcome_chosen,
        )

    def _outcome_chosen(self, outcome: Outcome | None) -> None:
        if outcome is not None:
            self._record_outcome(outcome)

    @work(exclusive=True, group="case")
    async def _record_outcome(self, outcome: Outcome) -> None:
        store = self.host.store
        try:
            await asyncio.to_thread(store.add_outcome, self.case_id, outcome)
        except Exception as error:
            self.notify(self.t("walk.save_failed", error=error.__class__.__name__), severity="error")
            return
        if self.case is not None:
            self.notify(self.t("outcome.saved", code=self.case.code))
        self._load()

    def action_edit_note(self) -> None:
        from consult.screens.note import NoteScreen

        if self.case is None:
            return
        screen = NoteScreen(
            self.t("general_note.edit_title", code=self.case.code),
            self.t("general_note.field"),
            self.case.notes.get("general", ""),
            others=_texts(self.case),
        )
        self.app.push_screen(screen, self._note_edited)

    def _note_edited(self, text: str | None) -> None:
        if text is not None:
            self._save_note(text)

    @work(exclusive=True, group="case")
    async def _save_note(self, text: str) -> None:
        store = self.host.store
        try:
            await asyncio.to_thread(store.edit_note, self.case_id, "general", text)
        except Exception as error:
            self.notify(self.t("walk.save_failed", error=error.__class__.__name__), severity="error")
            return
        self.notify(self.t("general_note.saved"))
        self._load()

    def action_services(self) -> None:
        from consult.screens.services import CaseServicesScreen

        case = self.case
        if case is None or case.status == "draft":
            return
        screen = CaseServicesScreen(
            case.id,
            case.code,
            case.services,
            area=case.context.area,
            challenges=[key for key in DOMAIN_KEYS if (getattr(case.scores, key) or 0) >= 3],
            catalogues=self.catalogues,
        )
        self.app.push_screen(screen, self._services_closed)

    def _services_closed(self, _: None) -> None:
        self._load()

    def action_back(self) -> None:
        self.dismiss(None)


def _texts(case: Case) -> dict[str, str]:
    """The case's notes for the guard to read beside a new text (keys as plain text)."""
    return {key: text for key, text in case.notes.items()}
