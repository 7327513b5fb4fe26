"""Sending a status update from the cockpit: what goes out is true when it goes.

An untouched template is built again, at the moment the IC sends it, from one read of
the incident (status, severity, next-update time, latest notes). A text the IC wrote or
edited goes as written, after a question if the incident changed under it. The same
text sent again within a minute is asked about too: a second ``ctrl+s`` is a slip. The
store refuses it inside the write that queues it (``RepeatedUpdate``), so two sends that
race (a double ``ctrl+s`` in one burst, two cockpits) cannot both go; the question is
then asked, and only a "yes" sends it again. The keys typed after ``ctrl+s`` wait until
the update is queued and shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ictui.domain.clock import now, to_local
from ictui.domain.enums import EntryKind
from ictui.domain.errors import RepeatedUpdate
from ictui.domain.templates import DUPLICATE_WINDOW, UpdateBasis, recent_duplicate, update_text
from ictui.domain.views import EntryView, IncidentView, UpdateView
from ictui.tui.ask_then_write import write_answer
from ictui.tui.typeahead import open_after_read
from ictui.tui.widgets.composer import Composer
from ictui.tui.widgets.status_bar import StatusBar

if TYPE_CHECKING:
    from ictui.tui.screens.cockpit import CockpitScreen


@dataclass(frozen=True)
class SendPlan:
    """What would go out, and what the IC is asked before it does."""

    number: int
    text: str
    # How the incident changed since an edited text was started ([] if it did not, or
    # the text is a fresh template).
    changes: tuple[str, ...]
    # When the same text was queued less than a minute ago.
    duplicate_at: datetime | None
    # A template going out less than a minute after another update (a second ctrl+s
    # after the composer refilled): when that one went.
    just_sent_at: datetime | None = None


def template_for(view: IncidentView, entries: list[EntryView]) -> str:
    return update_text(view, entries, now())


def fill_composer(composer: Composer, view: IncidentView, entries: list[EntryView]) -> None:
    """Show the incident's draft if it has one, else its template (which follows changes)."""
    basis = UpdateBasis.of(view, entries)
    if view.draft:
        composer.load(view.number, view.draft, basis=basis)
    else:
        composer.load(view.number, template_for(view, entries), template=True, basis=basis)


def plan_send(store: Any, number: int, text: str, *, template: bool, basis: UpdateBasis | None) -> SendPlan:
    """In a thread: read the incident once and decide what goes out."""
    view, entries = store.incident_with_timeline(number)
    at = now()
    if template:
        text = update_text(view, entries, at)
        changes: tuple[str, ...] = ()
    else:
        changes = tuple(UpdateBasis.of(view, entries).changes_since(basis)) if basis is not None else ()
    sent = [(e.text, e.occurred_at) for e in entries if e.kind is EntryKind.UPDATE]
    duplicate_at = recent_duplicate(text, sent, at)
    just_sent_at = None
    if template and duplicate_at is None and sent:
        latest = max(when for _, when in sent)
        just_sent_at = latest if at - latest < DUPLICATE_WINDOW else None
    return SendPlan(number, text, changes, duplicate_at, just_sent_at)


class UpdateSender:
    """The cockpit's sending of updates (composer ``ctrl+s``, broadcast ``U``)."""

    def __init__(self, screen: CockpitScreen) -> None:
        self.screen = screen

    def send_composer(self, composer: Composer) -> None:
        number = composer.number
        if number is None:
            return
        template = composer.template and not composer.edited
        text, basis = composer.text, composer.basis
        self._plan(lambda: plan_send(self.screen.store, number, text, template=template, basis=basis))

    def send_template(self, number: int) -> None:
        self._plan(lambda: plan_send(self.screen.store, number, "", template=True, basis=None))

    def reset(self, composer: Composer, view: IncidentView, entries: list[EntryView]) -> None:
        """``ctrl+r``: the template again, and the stored draft emptied (else it would win)."""
        composer.load(
            view.number, template_for(view, entries), template=True, basis=UpdateBasis.of(view, entries)
        )
        composer.post_message(Composer.DraftChanged(view.number, ""))

    def _plan(self, work: Any) -> None:
        # The keys typed meanwhile wait: they may be the answer to a question it raises.
        open_after_read(
            self.screen,
            self.screen.ictui.typeahead,
            work,
            self._ask,
            description="reading the incident for the update",
        )

    def _ask(self, plan: SendPlan) -> None:
        questions = []
        if plan.changes:
            questions.append(
                f"#{plan.number} changed since this update was written: {'; '.join(plan.changes)}. "
                "Send it as written? (n: keep editing; ctrl+r refills the template)"
            )
        if plan.duplicate_at is not None:
            questions.append(
                f"The same update for #{plan.number} was sent at "
                f"{to_local(plan.duplicate_at).format('HH:mm:ss')}. Send it again?"
            )
        if plan.just_sent_at is not None:
            questions.append(
                f"An update for #{plan.number} went out at {to_local(plan.just_sent_at).format('HH:mm:ss')}. "
                "Send another one now?"
            )
        self._confirm(plan, questions)

    def _confirm(self, plan: SendPlan, questions: list[str], *, again: bool = False) -> None:
        from ictui.tui.screens.forms import ConfirmModal

        if not questions:
            self._queue(plan, again=again or plan.duplicate_at is not None)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._confirm(plan, questions[1:], again=again)
            else:
                self.screen.notify("Not sent", timeout=3)

        self.screen.app.push_screen(ConfirmModal(questions[0], confirm="Send", cancel="Don't send"), answered)

    def _queue(self, plan: SendPlan, *, again: bool) -> None:
        """Queue it, in order after the drafts saved before it (one saved later would bring
        the text back); the keys typed meanwhile wait until it shows."""
        screen = self.screen
        user = screen.ictui.settings.user
        store = screen.store

        def write() -> UpdateView | RepeatedUpdate:
            try:
                return store.queue_update(plan.number, plan.text, user, again=again)
            except RepeatedUpdate as repeated:  # asked about, below: not an error
                return repeated

        def queued(result: UpdateView | RepeatedUpdate) -> None:
            if isinstance(result, RepeatedUpdate):
                # Another send of the same text got there first (from here or elsewhere).
                question = (
                    f"The same update for #{plan.number} was sent at "
                    f"{to_local(result.queued_at).format('HH:mm:ss')}. Send it again?"
                )
                self._confirm(plan, [question], again=True)
                return
            screen.notify(f"Update for #{plan.number} {_where_it_goes(screen)}", timeout=5)
            composer = screen.query_one(Composer)
            if composer.number == plan.number:
                # Sent: the composer empties; the next load shows the next template.
                composer.load(plan.number, "")
            screen.ictui.deliver_outbox()

        write_answer(
            screen, write, None, then=queued, description="queueing the update", settle=screen.show_written
        )


def _where_it_goes(screen: Any) -> str:
    """What happens to an update just queued, as the Slack light knows it now."""
    if not screen.ictui.settings.slack_configured:
        return "queued in the outbox: Slack is not configured, it goes out once it is"
    bars = screen.query(StatusBar)
    light = bars.first().light if bars else None
    if light is not None and light.word == "refused":
        return f"queued in the outbox: Slack refuses ({light.detail}); it goes out once that is fixed"
    if light is not None and light.word == "retrying":
        return "queued in the outbox: Slack is not answering; it goes out when it does"
    return "sending to Slack"
