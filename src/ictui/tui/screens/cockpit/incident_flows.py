"""The incident-wide forms: declare (``D``), status (``s``, then the post-mortem date on
resolving), severity (``v``), roles (``i``) and the triage decision (``t``, ``enter``).

Each is a flow (``tui/flows.py``), read top to bottom: a form, a write in order, a
notification; the keys typed meanwhile act on what the write shows.
"""

from __future__ import annotations

from ictui.domain.clock import to_local
from ictui.domain.enums import Severity, Status
from ictui.domain.views import IncidentView
from ictui.tui.flows import ask, flow, read, write
from ictui.tui.screens.cockpit.parts import CockpitParts
from ictui.tui.screens.cockpit.status_choices import confirm_severity, status_choices
from ictui.tui.widgets.triage_pane import TriagePane


class IncidentFlows(CockpitParts):
    """The cockpit's incident forms: mixed into :class:`CockpitScreen`."""

    # ------------------------------------------------------------------ declare

    @flow
    async def action_declare(self) -> None:
        from ictui.tui.screens.forms import DeclareModal

        people, components = await read(
            self, lambda: (self.store.people(), self.store.components()), "loading people"
        )
        form = await ask(self, DeclareModal(people, self.ictui.settings.user, components))
        if form is None:
            return
        view = await write(
            self,
            lambda: self.store.declare(
                form.title,
                severity=form.severity,
                summary=form.summary,
                ic_email=form.ic_email,
                author=self.ictui.settings.user,
                components=list(form.components),
            ),
            "declaring the incident",
            settle=self.show_written,
            retarget=True,
        )
        self.notify(f"Declared #{view.number} {view.title}", timeout=4)
        # The keys typed after ctrl+s wait until the list and the new incident show:
        # they are meant for it.
        self.number = view.number
        self.ictui.deliver_outbox()

    # ------------------------------------------------------------------ status, severity, roles

    @flow
    async def action_status(self) -> None:
        from ictui.tui.screens.forms import ChoiceModal

        view = self._need_incident("status")
        if view is None:
            return
        choices, highlight, back = status_choices(view.status)
        if not choices:
            self.notify(f"#{view.number} is {view.status}: that is final", severity="warning")
            return
        user = self.ictui.settings.user
        answer = await ask(
            self,
            ChoiceModal(
                f"#{view.number}: {view.status} → ?",
                choices,
                note_label="Why (needed to go back)" if back else "Why (optional)",
                highlight=highlight,
                needs_reason=back,
            ),
        )
        if answer is None:
            return
        new = await write(
            self,
            lambda: self.store.change_status(view.number, answer[0], user, answer[1]),
            "changing the status",
            settle=self.show_written,
        )
        self.show_committed(new)
        self.notify(f"#{new.number} is now {new.status}", timeout=3)
        self.ictui.deliver_outbox()
        if new.status is Status.RESOLVED and new.postmortem_scheduled_at:
            await self._ask_postmortem_date(new)

    async def _ask_postmortem_date(self, view: IncidentView) -> None:
        from ictui.tui.screens.forms import DateModal

        scheduled = view.postmortem_scheduled_at
        if scheduled is None:  # never: asked only when the resolve scheduled one
            return
        default = to_local(scheduled).format("YYYY-MM-DD HH:mm")
        when = await ask(
            self, DateModal(f"Post-mortem for #{view.number}: when? (within 3 business days)", default)
        )
        if when is None:
            return
        await write(
            self,
            lambda: self.store.schedule_postmortem(view.number, when),
            "scheduling the post-mortem",
            settle=self.show_written,
        )
        self.notify(
            f"Post-mortem for #{view.number} set for {to_local(when).format('ddd D MMM HH:mm')}", timeout=3
        )

    @flow
    async def action_severity(self) -> None:
        from ictui.tui.screens.forms import Choice, ChoiceModal

        view = self._need_incident("severity")
        if view is None:
            return
        choices = [Choice(sev, str(sev)) for sev in Severity if sev != view.severity]
        user = self.ictui.settings.user
        answer = await ask(
            self,
            ChoiceModal(
                f"#{view.number}: severity {view.severity} → ?", choices, note_label="Why (optional)"
            ),
        )
        if answer is None:
            return
        changed = await write(
            self,
            lambda: self.store.change_severity(view.number, answer[0], user, answer[1]),
            "changing the severity",
            settle=self.show_written,
        )
        self.show_committed(changed)
        self.notify(f"#{view.number} is now {answer[0]}", timeout=3)

    @flow
    async def action_roles(self) -> None:
        from ictui.tui.screens.forms import RoleModal

        view = self._need_incident("roles")
        if view is None:
            return
        settings, store = self.ictui.settings, self.store
        people, suggested = await read(
            self, lambda: (store.people(), store.suggest_responders(view.number)), "loading people"
        )
        answer = await ask(self, RoleModal(view, people, suggested))
        if answer is None:
            return
        role, email, new_name = answer

        def assign() -> IncidentView:
            # Someone typed in is added to the roster first (looked up in Slack by email).
            from ictui.slack.people import ensure_person

            ensure_person(store, settings, email, new_name)
            return store.assign_role(view.number, role, email, settings.user)

        self.show_committed(await write(self, assign, "assigning the role", settle=self.show_written))
        self.notify(f"{role} assigned on #{view.number}", timeout=3)

    # ------------------------------------------------------------------ triage

    def action_triage(self) -> None:
        if self._need_incident("triage") is not None:
            self._focus_pane("triage-pane")

    @flow
    async def on_triage_pane_confirmed(self, event: TriagePane.Confirmed) -> None:
        view = self._need_incident()
        if view is None:
            return
        user = self.ictui.settings.user
        apply_severity = await confirm_severity(self, view, event.answers)
        if apply_severity is None:
            return
        result = await write(
            self,
            lambda: self.store.record_triage(view.number, event.answers, user, apply_severity=apply_severity),
            "recording the triage decision",
            settle=self.show_written,
        )
        self.notify(f"Triage recorded: {result.summary}", timeout=3)
