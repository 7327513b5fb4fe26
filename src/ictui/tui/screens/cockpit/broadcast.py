"""The status update: the composer's drafts and ``ctrl+s`` (``c``), and the one-key
broadcast (``U``) that goes out after a 5-second countdown in which ``escape`` cancels.

What goes out is decided when it goes (``tui/sending.py``); it reaches Slack through the
outbox.
"""

from __future__ import annotations

import math

from textual.widgets import Static

from ictui.domain import clock
from ictui.tui.screens.cockpit.parts import CockpitParts
from ictui.tui.shown import shown
from ictui.tui.widgets.composer import Composer

BROADCAST_UNDO_SECONDS = 5


class CockpitBroadcast(CockpitParts):
    """The cockpit's updates: mixed into :class:`CockpitScreen`."""

    # ------------------------------------------------------------------ the composer

    def action_compose(self) -> None:
        if self._need_incident("compose") is not None:
            self._focus_pane("composer")

    def on_composer_draft_changed(self, event: Composer.DraftChanged) -> None:
        user = self.ictui.settings.user
        self.ictui.writes.submit(
            lambda: self.store.save_draft(event.number, event.text, user), description="saving the draft"
        )

    def on_composer_reset_requested(self, event: Composer.ResetRequested) -> None:
        if self.state is not None and self.state.view.number == event.number:
            self._sender.reset(self.query_one(Composer), self.state.view, self.state.entries)

    def on_composer_send_requested(self, event: Composer.SendRequested) -> None:
        self._sender.send_composer(self.query_one(Composer))

    # ------------------------------------------------------------------ the countdown

    def action_broadcast(self) -> None:
        """One key: the templated update goes out after a 5-second undo window."""
        if self._need_incident("broadcast") is None or self.state is None:
            return
        if self.pending_broadcast:
            return
        self._broadcast_number = self.state.view.number
        # A deadline on the clock, not a count of ticks: a busy machine delays ticks, and
        # the window must still close when the banner said it would.
        self._broadcast_due = clock.now().add(seconds=BROADCAST_UNDO_SECONDS)
        self.pending_broadcast = BROADCAST_UNDO_SECONDS
        self._broadcast_timer = self.set_interval(0.25, self._broadcast_tick)

    def _broadcast_tick(self) -> None:
        left = (self._broadcast_due - clock.now()).total_seconds()
        self.pending_broadcast = max(0, math.ceil(left))
        if self.pending_broadcast <= 0:
            self._stop_broadcast_timer()
            if self._broadcast_number is not None:
                # Built when it goes, from the incident as it is then (sending.py).
                self._sender.send_template(self._broadcast_number)

    def _stop_broadcast_timer(self) -> None:
        if self._broadcast_timer is not None:
            self._broadcast_timer.stop()
            self._broadcast_timer = None

    def _cancel_broadcast(self) -> None:
        self._stop_broadcast_timer()
        self.pending_broadcast = 0
        self.notify("Broadcast cancelled: nothing was sent", timeout=3)

    def watch_pending_broadcast(self, seconds: int) -> None:
        banner = self.query_one("#broadcast-banner", Static)
        banner.set_class(seconds > 0, "-shown")
        if seconds > 0:
            banner.update(
                shown(f"Broadcasting the update for #{self._broadcast_number} in {seconds}s — escape cancels")
            )
