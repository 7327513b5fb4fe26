"""The incident-wide forms: declare (``D``), status (``s``, then the post-mortem date on
resolving), severity (``v``), roles (``i``) and the triage decision (``t``, ``enter``).

Each is ``ask_then_write``: a form, a write in a thread, a notification.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ictui.domain.clock import to_local
from ictui.domain.enums import IncidentRole, Severity, Status
from ictui.domain.views import IncidentView, PersonView
from ictui.tui.screens.cockpit.ask_then_write import ask_then_write, read_then_ask, write_then_show
from ictui.tui.screens.cockpit.parts import CockpitParts
from ictui.tui.status_choices import confirm_severity, status_choices
from ictui.tui.widgets.triage_pane import TriagePane

if TYPE_CHECKING:
    from ictui.tui.screens.forms import DeclareForm


class IncidentFlows(CockpitParts):
    """The cockpit's incident forms: mixed into :class:`CockpitScreen`."""

    # ------------------------------------------------------------------ declare

    def action_declare(self) -> None:
        from ictui.tui.screens.forms import DeclareModal

        def write(form: DeclareForm) -> IncidentView:
            return self.store.declare(
                form.title,
                severity=form.severity,
                summary=form.summary,
                ic_email=form.ic_email,
                author=self.ictui.settings.user,
                components=list(form.components),
            )

        def declared(_: DeclareForm, view: IncidentView) -> None:
            # The keys typed after ctrl+s wait until the list and the new incident show:
            # they are meant for it.
            self.number = view.number
            self.ictui.deliver_outbox()

        def ask(loaded: tuple[list[PersonView], list[str]]) -> None:
            people, components = loaded
            ask_then_write(
                self,
                DeclareModal(people, self.ictui.settings.user, components),
                write,
                lambda _, view: f"Declared #{view.number} {view.title}",
                then=declared,
                seconds=4,
                description="declaring the incident",
                retarget=True,
            )

        read_then_ask(
            self, lambda: (self.store.people(), self.store.components()), ask, description="loading people"
        )

    # ------------------------------------------------------------------ status, severity, roles

    def action_status(self) -> None:
        from ictui.tui.screens.forms import ChoiceModal

        view = self._need_incident("status")
        if view is None:
            return
        choices, highlight, back = status_choices(view.status)
        if not choices:
            self.notify(f"#{view.number} is {view.status}: that is final", severity="warning")
            return
        user = self.ictui.settings.user
        ask_then_write(
            self,
            ChoiceModal(
                f"#{view.number}: {view.status} → ?",
                choices,
                note_label="Why (needed to go back)" if back else "Why (optional)",
                highlight=highlight,
                needs_reason=back,
            ),
            lambda answer: self.store.change_status(view.number, answer[0], user, answer[1]),
            lambda _, new: f"#{new.number} is now {new.status}",
            then=lambda _, new: self._status_changed(new),
            description="changing the status",
        )

    def _status_changed(self, view: IncidentView) -> None:
        self.ictui.deliver_outbox()
        if view.status is Status.RESOLVED and view.postmortem_scheduled_at:
            self._ask_postmortem_date(view)

    def _ask_postmortem_date(self, view: IncidentView) -> None:
        from ictui.tui.screens.forms import DateModal

        scheduled = view.postmortem_scheduled_at
        if scheduled is None:  # never: asked only when the resolve scheduled one
            return
        default = to_local(scheduled).format("YYYY-MM-DD HH:mm")
        ask_then_write(
            self,
            DateModal(f"Post-mortem for #{view.number}: when? (within 3 business days)", default),
            lambda when: self.store.schedule_postmortem(view.number, when),
            lambda when, _: (
                f"Post-mortem for #{view.number} set for {to_local(when).format('ddd D MMM HH:mm')}"
            ),
            description="scheduling the post-mortem",
        )

    def action_severity(self) -> None:
        from ictui.tui.screens.forms import Choice, ChoiceModal

        view = self._need_incident("severity")
        if view is None:
            return
        choices = [Choice(sev, str(sev)) for sev in Severity if sev != view.severity]
        user = self.ictui.settings.user
        ask_then_write(
            self,
            ChoiceModal(
                f"#{view.number}: severity {view.severity} → ?", choices, note_label="Why (optional)"
            ),
            lambda answer: self.store.change_severity(view.number, answer[0], user, answer[1]),
            lambda answer, _: f"#{view.number} is now {answer[0]}",
            description="changing the severity",
        )

    def action_roles(self) -> None:
        from ictui.tui.screens.forms import RoleModal

        view = self._need_incident("roles")
        if view is None:
            return
        settings, store = self.ictui.settings, self.store

        def assign(answer: tuple[IncidentRole, str, str]) -> IncidentView:
            role, email, new_name = answer
            # Someone typed in is added to the roster first (looked up in Slack by email).
            from ictui.slack.people import ensure_person

            ensure_person(store, settings, email, new_name)
            return store.assign_role(view.number, role, email, settings.user)

        read_then_ask(
            self,
            lambda: (self.store.people(), self.store.suggest_responders(view.number)),
            lambda loaded: ask_then_write(
                self,
                RoleModal(view, *loaded),
                assign,
                lambda answer, _: f"{answer[0]} assigned on #{view.number}",
                description="assigning the role",
            ),
            description="loading people",
        )

    # ------------------------------------------------------------------ triage

    def action_triage(self) -> None:
        if self._need_incident("triage") is not None:
            self._focus_pane("triage-pane")

    def on_triage_pane_confirmed(self, event: TriagePane.Confirmed) -> None:
        view = self._need_incident()
        if view is None:
            return
        user = self.ictui.settings.user

        def record(apply_severity: bool) -> None:
            write_then_show(
                self,
                lambda: self.store.record_triage(
                    view.number, event.answers, user, apply_severity=apply_severity
                ),
                lambda result: f"Triage recorded: {result.summary}",
                description="recording the triage decision",
            )

        confirm_severity(self, view, event.answers, record)
