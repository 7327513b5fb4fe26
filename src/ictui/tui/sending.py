"""Sending a status update from the cockpit: what goes out is true when it goes.

An untouched template is built again, at the moment the IC sends it, from one read of
the incident (status, severity, next-update time, latest notes). A text the IC wrote or
edited goes as written, after a question if the incident changed under it. The same
text sent again within a minute is asked about too: a second ``ctrl+s`` is a slip. The
store refuses it inside the write that queues it (``RepeatedUpdate``), so two sends that
race (a double ``ctrl+s`` in one burst, two cockpits) cannot both go; the question is
then asked, and only a "yes" sends it again. The flow that asks and sends is the
cockpit's (``screens/cockpit/broadcast.py``); the keys typed after ``ctrl+s`` wait until the
update is queued and shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ictui.domain.clock import now, to_local
from ictui.domain.enums import EntryKind
from ictui.domain.errors import RepeatedUpdate
from ictui.domain.templates import DUPLICATE_WINDOW, UpdateBasis, recent_duplicate, update_text
from ictui.domain.views import EntryView, IncidentView, UpdateView
from ictui.tui.widgets.composer import Composer
from ictui.tui.widgets.status_bar import StatusBar


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


def questions_before(plan: SendPlan) -> list[str]:
    """What the IC is asked before ``plan`` goes out (each "yes" leads to the next)."""
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
    return questions


def queue_update(store: Any, plan: SendPlan, user: str, *, again: bool) -> UpdateView | RepeatedUpdate:
    """In the writer's thread: queue the update, or say the same text just went (another
    send of it got there first, from here or elsewhere): the IC is asked about that."""
    try:
        queued: UpdateView = store.queue_update(plan.number, plan.text, user, again=again)
        return queued
    except RepeatedUpdate as repeated:  # asked about: not an error
        return repeated


def repeated_question(plan: SendPlan, repeated: RepeatedUpdate) -> str:
    return (
        f"The same update for #{plan.number} was sent at "
        f"{to_local(repeated.queued_at).format('HH:mm:ss')}. Send it again?"
    )


def reset_composer(composer: Composer, view: IncidentView, entries: list[EntryView]) -> None:
    """``ctrl+r``: the template again, and the stored draft emptied (else it would win)."""
    composer.load(
        view.number, template_for(view, entries), template=True, basis=UpdateBasis.of(view, entries)
    )
    composer.post_message(Composer.DraftChanged(view.number, ""))


def where_it_goes(screen: Any) -> str:
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
