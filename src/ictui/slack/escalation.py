"""Reports in the escalation channel, and a triage started from one of them.

Public API (blocking, HTTP: call from a worker thread):

``fetch_escalations(settings, limit=30, *, store=None) -> list[EscalationMessage]``
    The newest messages people wrote in the escalation channel, newest first, following
    Slack's ``next_cursor`` over a bounded number of pages. With ``store``, each says
    which incident it was already imported into (``imported_as``).
``import_escalation(store, settings, ref, *, author="") -> IncidentView``
    ``ref`` is an ``EscalationMessage``, a message ``ts`` (``1700000000.123456``) or a
    permalink. Starts a triage whose first timeline entry is the message (text, author,
    permalink), reported at the message's time. A message is imported once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from ictui.config import Settings
from ictui.domain.enums import Status
from ictui.domain.errors import InvalidInput, NotFound
from ictui.domain.text import clean_line
from ictui.domain.views import IncidentView
from ictui.slack import render
from ictui.slack.client import Gateway, next_cursor
from ictui.slack.sync import UserNames, is_people_message, message_time
from ictui.store.interface import StoreAPI

MAX_PAGES = 10
PAGE_SIZE = 100
TITLE_LIMIT = 80
_TS = re.compile(r"\d{9,}\.\d{6}")
_PERMALINK = re.compile(
    r"https?://[^/\s]+/archives/(?P<channel>[A-Z0-9]+)/p(?P<seconds>\d{9,})(?P<micros>\d{6})"
)


@dataclass(frozen=True, slots=True)
class EscalationMessage:
    channel_id: str
    ts: str
    author: str
    text: str
    posted_at: datetime
    reply_count: int = 0
    imported_as: int | None = None

    @property
    def title(self) -> str:
        return triage_title(self.text)


def triage_title(text: str) -> str:
    """The first line of a report, cut at a word boundary: the triage's title."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    line = clean_line(first)
    if len(line) <= TITLE_LIMIT:
        return line or "Escalation from Slack"
    cut = line[: TITLE_LIMIT - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,.;:-") + "…"


def parse_message_ref(ref: str) -> tuple[str, str]:
    """(channel id or "", ts) from a ``ts`` or a Slack permalink."""
    ref = ref.strip()
    if _TS.fullmatch(ref):
        return "", ref
    match = _PERMALINK.match(ref)
    if match:
        return match["channel"], f"{match['seconds']}.{match['micros']}"
    raise InvalidInput(
        f"{ref!r} is neither a message ts (1700000000.123456) nor a Slack permalink "
        "(https://team.slack.com/archives/C0123/p1700000000123456)"
    )


def fetch_escalations(
    settings: Settings, limit: int = 30, *, store: StoreAPI | None = None
) -> list[EscalationMessage]:
    gateway = _gateway(settings)
    channel = gateway.channel_id(settings.escalation_channel)
    identity = gateway.identity()
    names = UserNames(gateway)
    found: list[EscalationMessage] = []
    cursor = ""
    for _ in range(MAX_PAGES):
        data = gateway.call(
            "conversations.history",
            channel=channel,
            limit=min(max(limit, 1), PAGE_SIZE),
            **({"cursor": cursor} if cursor else {}),
        )
        for message in data.get("messages", []):
            if not is_people_message(message, identity):
                continue
            ts = str(message["ts"])
            found.append(
                EscalationMessage(
                    channel_id=channel,
                    ts=ts,
                    author=names.author(message),
                    text=render.to_plain(str(message.get("text") or ""), names),
                    posted_at=message_time(ts),
                    reply_count=int(message.get("reply_count") or 0),
                    imported_as=store.incident_for_slack_message(ts) if store else None,
                )
            )
            if len(found) >= limit:
                return found
        cursor = next_cursor(data)
        if not cursor:
            break
    return found


def import_escalation(
    store: StoreAPI, settings: Settings, ref: str | EscalationMessage, *, author: str = ""
) -> IncidentView:
    channel, ts = (ref.channel_id, ref.ts) if isinstance(ref, EscalationMessage) else parse_message_ref(ref)
    existing = store.incident_for_slack_message(ts)
    if existing is not None:
        raise InvalidInput(f"that message was already imported as #{existing}")
    gateway = _gateway(settings)
    channel = channel or gateway.channel_id(settings.escalation_channel)
    data = gateway.call(
        "conversations.history", channel=channel, latest=ts, oldest=ts, inclusive=True, limit=1
    )
    message = next((m for m in data.get("messages", []) if m.get("ts") == ts), None)
    if message is None:
        raise NotFound(
            f"no message {ts} in that channel (a reply in a thread cannot be imported; use its parent)"
        )
    names = UserNames(gateway)
    text = render.to_plain(str(message.get("text") or ""), names)
    link = str(gateway.call("chat.getPermalink", channel=channel, message_ts=ts)["permalink"])
    return store.declare(
        triage_title(text),
        status=Status.TRIAGE,
        author=author,
        first_entry=(text, names.author(message), link, ts),
        reported_at=message_time(ts),
    )


def _gateway(settings: Settings) -> Gateway:
    if not settings.slack_configured:
        raise InvalidInput("no Slack token: set SLACK_BOT_TOKEN to read the escalation channel")
    return Gateway(settings)
