"""What Slack did while the demo incidents ran, played through the store's outbox."""

from __future__ import annotations

from datetime import datetime, timedelta

from ictui.demo.organisation import BROADCAST_CHANNEL_ID, SLACK_WORKSPACE
from ictui.domain.clock import pinned
from ictui.domain.outbox import (
    ANNOUNCE,
    CREATE_CHANNEL,
    POST_NOTE,
    POST_UPDATE,
    Delivered,
    OutboxWork,
    SlackStep,
)
from ictui.slack.channels import channel_name
from ictui.store.interface import StoreAPI


def slack_history(store: StoreAPI) -> None:
    """What Slack did while these incidents ran: channels, announcements, updates, shared notes.

    The demo plays the Slack gateway's part through the store's outbox API, each item
    delivered two seconds after it was queued. So the demo opens with sent updates and
    their permalinks, and with nothing waiting: its made-up history can never reach a
    real workspace, even with a Slack token configured.
    """
    titles = {row.number: row.title for row in store.list_incidents()}
    while (work := store.outbox_claim()) is not None:
        at = work.created_at + timedelta(seconds=2)
        with pinned(at):
            store.outbox_delivered(work.id, _delivered(store, work, titles[work.incident_number], at))


def _delivered(store: StoreAPI, work: OutboxWork, title: str, at: datetime) -> Delivered:
    channel_id = f"C0DEMO{work.incident_number:05d}"
    name = channel_name("incident", work.incident_number, title)
    ts = f"{int(at.timestamp())}.{work.id:06d}"
    link = f"{SLACK_WORKSPACE}/archives/{channel_id}/p{ts.replace('.', '')}"
    if work.action == CREATE_CHANNEL:
        store.outbox_checkpoint(work.id, {"channel_id": channel_id}, channel=(channel_id, name))
        created = SlackStep(f"Slack channel #{name} created", f"{SLACK_WORKSPACE}/archives/{channel_id}", at)
        return Delivered(steps=(created,))
    if work.action == ANNOUNCE:
        link = f"{SLACK_WORKSPACE}/archives/{BROADCAST_CHANNEL_ID}/p{ts.replace('.', '')}"
        return Delivered(steps=(SlackStep("Announced in #rnd", link, at),))
    if work.action == POST_UPDATE:
        places = f"#{name}" + (" and #rnd" if work.payload.get("mirror") else "")
        return Delivered(
            steps=(SlackStep(f"Status update posted to {places}", link, at),), update_message=(ts, link)
        )
    if work.action == POST_NOTE:
        return Delivered(note_message=(ts, link))
    return Delivered()  # topics and invitations leave no message worth a link
