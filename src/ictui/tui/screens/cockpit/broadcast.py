"""The status update: the composer's drafts and ``ctrl+s`` (``c``), and the one-key
broadcast (``U``) that goes out after a 5-second countdown in which ``escape`` cancels.

What goes out is decided when it goes (``tui/sending.py``): one flow (``_send``) reads the
incident, asks what needs asking, and queues it; it reaches Slack through the outbox.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable

from textual.widgets import Static

from ictui.domain import clock
from ictui.domain.errors import RepeatedUpdate
from ictui.tui.flows import ask, flow, read, write
from ictui.tui.screens.cockpit.parts import CockpitParts
from ictui.tui.sending import (
    SendPlan,
    plan_send,
    questions_before,
    queue_update,
    repeated_question,
    reset_composer,
    where_it_goes,
)
from ictui.tui.shown import shown
from ictui.tui.widgets.composer import Composer
from ictui.tui.widgets.timeline import TimelineView

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
            reset_composer(self.query_one(Composer), self.state.view, self.state.entries)

    def on_composer_send_requested(self, event: Composer.SendRequested) -> None:
        composer = self.query_one(Composer)
        number = composer.number
        if number is None:
            return
        template = composer.template and not composer.edited
        text, basis = composer.text, composer.basis
        self._send(lambda: plan_send(self.store, number, text, template=template, basis=basis))

    @flow
    async def _send(self, plan_it: Callable[[], SendPlan]) -> None:
        """Read the incident once and decide what goes out (the keys typed meanwhile may
        be the answer to a question it raises); ask; queue it, in order after the drafts
        saved before it (one saved later would bring the text back)."""
        from ictui.tui.screens.forms import ConfirmModal

        plan = await read(self, plan_it, "reading the incident for the update")
        questions, again = questions_before(plan), plan.duplicate_at is not None
        user, store = self.ictui.settings.user, self.store
        while True:
            for question in questions:
                yes = await ask(self, ConfirmModal(question, confirm="Send", cancel="Don't send"))
                if not yes:
                    self.notify("Not sent", timeout=3)
                    return
            result = await write(
                self,
                functools.partial(queue_update, store, plan, user, again=again),
                "queueing the update",
                settle=self.show_written,
            )
            if not isinstance(result, RepeatedUpdate):
                break
            # Another send of the same text got there first (from here or elsewhere).
            questions, again = [repeated_question(plan, result)], True
        self.notify(f"Update for #{plan.number} {where_it_goes(self)}", timeout=5)
        composer = self.query_one(Composer)
        if composer.number == plan.number:
            # Sent: the composer empties; the next load shows the next template.
            composer.load(plan.number, "")
        self.ictui.deliver_outbox()

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
                number = self._broadcast_number
                self._send(lambda: plan_send(self.store, number, "", template=True, basis=None))

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
        if banner.has_class("-shown") != (seconds > 0):
            # The timeline above it grows or shrinks by a line: its newest entry stays in view.
            self.call_after_refresh(self.query_one(TimelineView).scroll_to_cursor)
        banner.set_class(seconds > 0, "-shown")
        if seconds > 0:
            banner.update(
                shown(f"Broadcasting the update for #{self._broadcast_number} in {seconds}s — escape cancels")
            )
