"""The selected incident at a glance, with the countdown to the next update."""

from __future__ import annotations

from datetime import datetime

from rich.style import Style
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from ictui.domain.clock import countdown, now, short_duration, to_local
from ictui.domain.enums import Status
from ictui.domain.slack_light import held_back_for
from ictui.domain.views import IncidentView
from ictui.tui.shown import plain
from ictui.tui.widgets.styles import severity_style


class IncidentHeader(Widget):
    """Number, title, severity, status, IC, channel, time since declared, and a countdown.

    The countdown ticks every second and turns into a warning once the update is overdue.
    """

    COMPONENT_CLASSES = {
        "incident-header--title",
        "incident-header--dim",
        "incident-header--due",
        "incident-header--overdue",
    }

    incident: reactive[IncidentView | None] = reactive(None)
    clock: reactive[datetime] = reactive(now, always_update=True)

    def on_mount(self) -> None:
        self.set_interval(1.0, self._tick)

    def _tick(self) -> None:
        self.clock = now()

    def watch_clock(self) -> None:
        self.set_class(self.overdue_seconds() is not None, "-overdue")

    def watch_incident(self) -> None:
        self.set_class(self.overdue_seconds() is not None, "-overdue")

    def overdue_seconds(self) -> float | None:
        incident = self.incident
        if incident is None:
            return None
        due = incident.as_row().next_update_due()
        if due is None:
            return None
        late = (self.clock - due).total_seconds()
        return late if late > 0 else None

    def render(self) -> Text:
        incident = self.incident
        if incident is None:
            return Text("No incident selected. Press D to declare one.", style="dim")
        title = self.get_component_rich_style("incident-header--title")
        dim = self.get_component_rich_style("incident-header--dim")
        ic = f"IC {plain(incident.ic.name)}" if incident.ic else "no IC yet (i assigns)"
        lines = Text(no_wrap=True, overflow="ellipsis")
        lines.append(f"#{incident.number} ", style=title)
        lines.append(plain(incident.title), style=title)
        lines.append("\n")
        lines.append(f" {incident.severity} ", style=severity_style(incident.severity, badge=True))
        lines.append(f" {incident.status}", style="bold")
        lines.append(f" · {ic} · ", style=dim)
        lines.append(plain(incident.channel_label), style=dim)
        lines.append("\n")
        lines.append_text(self._timing_line(incident, dim))
        return lines

    def _held(self, incident: IncidentView) -> str:
        """This incident's updates held behind an item Slack refused, as the Slack light
        last read the outbox (no query of its own)."""
        from ictui.tui.widgets.status_bar import StatusBar

        health = next((bar.health for bar in self.screen.query(StatusBar) if bar.health is not None), None)
        return held_back_for(health, incident.number, short=True) if health is not None else ""

    def _timing_line(self, incident: IncidentView, dim: Style) -> Text:
        line = Text()
        held = self._held(incident)
        if held:
            line.append(
                f"⚠ {plain(held)} · ", style=self.get_component_rich_style("incident-header--overdue")
            )
        clock = self.clock
        if incident.declared_at:
            line.append(
                f"declared {short_duration((clock - incident.declared_at).total_seconds())} ago", style=dim
            )
        else:
            line.append(
                f"reported {short_duration((clock - incident.created_at).total_seconds())} ago", style=dim
            )
        if incident.status in (Status.RESOLVED, Status.CLOSED):
            if incident.resolved_at:
                line.append(f" · resolved {to_local(incident.resolved_at).format('ddd HH:mm')}", style=dim)
            if incident.postmortem_held_at:
                held = to_local(incident.postmortem_held_at).format("ddd D MMM")
                line.append(f" · post-mortem held {held}", style=dim)
            elif incident.postmortem_scheduled_at:
                due_day = to_local(incident.postmortem_scheduled_at).format("ddd D MMM")
                line.append(f" · post-mortem due {due_day}", style="bold")
            return line
        due = incident.as_row().next_update_due()
        if due is None:
            line.append(" · no update cadence", style=dim)
            return line
        left = (due - clock).total_seconds()
        if left >= 0:
            line.append(" · next update in ", style=dim)
            line.append(countdown(left), style=self.get_component_rich_style("incident-header--due"))
            line.append(f" (at {to_local(due).format('HH:mm')})", style=dim)
        else:
            line.append(
                f" ⚠ UPDATE OVERDUE by {countdown(-left)} — press U ",
                style=self.get_component_rich_style("incident-header--overdue"),
            )
        return line
