"""The cockpit's panes: which one has the keys (``tab``), maximising one, and the
small-terminal layout (below 100x30 the right side shows one pane at a time)."""

from __future__ import annotations

from textual.css.query import NoMatches
from textual.dom import DOMNode
from textual.widgets import Static

from ictui.tui.screens.cockpit.parts import CockpitParts
from ictui.tui.widgets.incident_list import IncidentList
from ictui.tui.widgets.timeline import TimelineView
from ictui.tui.widgets.triage_pane import TriagePane

# The panes `tab` cycles through, in order.
PANES = ("incident-list", "timeline-pane", "triage-pane", "composer")
NARROW_WIDTH = 100
SHORT_HEIGHT = 30


class CockpitPanes(CockpitParts):
    """The cockpit's part that lays out and focuses: mixed into :class:`CockpitScreen`."""

    def on_resize(self) -> None:
        self._fit_layout()

    def _fit_layout(self) -> None:
        """Below 100x30 the right side shows one pane at a time; tab switches it."""
        size = self.app.size
        self.set_class(size.width < NARROW_WIDTH or size.height < SHORT_HEIGHT, "-compact")

    def action_cycle_pane(self, step: int) -> None:
        current = self._current_pane()
        index = PANES.index(current) if current in PANES else 0
        self._focus_pane(PANES[(index + step) % len(PANES)])

    def _current_pane(self) -> str | None:
        focused: DOMNode | None = self.focused
        while focused is not None:
            if focused.id in PANES:
                return focused.id
            focused = focused.parent
        return None

    def _focus_pane(self, pane: str) -> None:
        if pane == "incident-list":
            self.query_one(IncidentList).focus()
        elif pane == "timeline-pane":
            self.query_one(TimelineView).focus()
        elif pane == "triage-pane":
            self.query_one(TriagePane).focus()
        else:
            self.query_one("#composer-text").focus()

    def on_descendant_focus(self) -> None:
        self._show_tabs()

    def _show_tabs(self) -> None:
        """In compact mode only the current right-hand pane shows; the tab line says which."""
        right = PANES[1:]
        try:
            panes = {pane: self.query_one(f"#{pane}") for pane in right}
        except NoMatches:
            return
        current = self._current_pane()
        if current not in right:
            current = next((p for p, w in panes.items() if w.has_class("-current")), "timeline-pane")
        for pane, widget in panes.items():
            widget.set_class(pane == current, "-current")
        bottom = self.query_one("#bottom")
        bottom.set_class(current != "timeline-pane", "-current")
        bottom.set_class(current == "composer", "-writing")
        labels = {"timeline-pane": "Timeline", "triage-pane": "Triage", "composer": "Update"}
        tabs = "  ".join(
            f"[reverse] {label} [/]" if pane == current else f" {label} " for pane, label in labels.items()
        )
        self.query_one("#pane-tabs", Static).update(tabs + "   [dim]tab switches[/]")

    def action_toggle_maximize(self) -> None:
        if self.maximized is not None:
            self.minimize()
            return
        pane = self._current_pane()
        if pane:
            self.maximize(self.query_one(f"#{pane}"), container=False)
