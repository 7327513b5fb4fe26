"""Slack's events, live, over Socket Mode (an app-level token, ``xapp-…``; no public URL).

With ``SLACK_APP_TOKEN`` set, one process per database (a lease in the database, like the
poll's) holds a Socket Mode connection (slack_sdk's ``socket_mode.builtin`` client) and,
within a second of it happening in Slack:

- a message people write in the escalation channel is handed to ``on_escalation`` (the
  cockpit says so; ``E`` lists it);
- a :pushpin: reaction or a pin in an incident's channel lands on its timeline;
- ``/incident note TEXT`` typed in an incident's channel adds a note to its timeline,
  ``/incident status`` answers with where it stands, both answered in Slack.

Every envelope is acknowledged, as Slack requires (else it sends it again). Blocking:
``LiveEvents.run(stop)`` is a thread's body.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ictui.config import Settings
from ictui.domain.errors import IctuiError
from ictui.slack import render
from ictui.slack.channel_steps import is_broadcast
from ictui.slack.client import Gateway, check_api_url
from ictui.slack.sync import PUSHPIN, UserNames, is_people_message, message_time
from ictui.store.interface import StoreAPI

LIVE_LEASE = "slack-live"
LEASE_SECONDS = 30.0
RENEW_SECONDS = 10.0
COMMAND = "/incident"
USAGE = "Use `/incident note TEXT` (a note on this incident's timeline) or `/incident status`."
log = logging.getLogger("ictui.slack.live")
log.addHandler(logging.NullHandler())
log.propagate = False


@dataclass(frozen=True, slots=True)
class EscalationReport:
    """A message someone just wrote in the escalation channel."""

    ts: str
    author: str
    text: str


class LiveEvents:
    def __init__(
        self,
        store: StoreAPI,
        settings: Settings,
        owner: str,
        on_escalation: Callable[[EscalationReport], None],
    ) -> None:
        self.store = store
        self.settings = settings
        self.owner = owner
        self.on_escalation = on_escalation
        self.connected = threading.Event()
        self._gateway: Gateway | None = None
        self._names: UserNames | None = None
        self._escalation_id = ""

    @property
    def configured(self) -> bool:
        return bool(self.settings.slack_token and self.settings.slack_app_token)

    def run(self, stop: threading.Event) -> None:
        """Hold the lease and the connection until ``stop`` is set; another process's
        lease means this one waits and takes over if it lapses."""
        client = None
        try:
            while not stop.is_set():
                if self.store.hold_lease(LIVE_LEASE, self.owner, LEASE_SECONDS):
                    if client is None:
                        client = self._connect()
                elif client is not None:
                    client.close()  # another process took the lease: it listens now
                    client = None
                    self.connected.clear()
                stop.wait(RENEW_SECONDS)
        finally:
            if client is not None:
                client.close()
            self.connected.clear()
            try:
                self.store.release_lease(LIVE_LEASE, self.owner)
            except Exception:  # the database closing with the app: the lease lapses
                log.debug("live lease not released", exc_info=True)

    def _connect(self) -> Any:
        from slack_sdk import WebClient
        from slack_sdk.socket_mode.builtin import SocketModeClient

        check_api_url(self.settings.slack_api_url)
        self._gateway = Gateway(self.settings)
        self._names = UserNames(self._gateway)
        self._escalation_id = self._gateway.channel_id(self.settings.escalation_channel)
        client = SocketModeClient(
            app_token=self.settings.slack_app_token,
            web_client=WebClient(base_url=self.settings.slack_api_url, logger=log),
            logger=log,
            auto_reconnect_enabled=True,
        )
        client.socket_mode_request_listeners.append(self._on_request)
        client.connect()
        self.connected.set()
        return client

    # ------------------------------------------------------------------ envelopes

    def _on_request(self, client: Any, request: Any) -> None:
        from slack_sdk.socket_mode.response import SocketModeResponse

        payload: dict[str, Any] = {}
        try:
            if request.type == "events_api":
                self._event(dict(request.payload.get("event") or {}))
            elif request.type == "slash_commands":
                payload = self._command(dict(request.payload))
        except (IctuiError, KeyError, ValueError) as exc:
            log.info("Slack event not taken: %s", exc)
            if request.type == "slash_commands":
                payload = {"response_type": "ephemeral", "text": f"ictui could not do it: {exc}"}
        finally:
            client.send_socket_mode_response(
                SocketModeResponse(envelope_id=request.envelope_id, payload=payload or None)
            )

    def _event(self, event: dict[str, Any]) -> None:
        kind = event.get("type")
        if kind == "message" and event.get("channel") == self._escalation_id:
            assert self._gateway is not None and self._names is not None
            if not event.get("thread_ts") and is_people_message(event, self._gateway.identity()):
                text = render.to_plain(str(event.get("text") or ""), self._names)
                self.on_escalation(EscalationReport(str(event["ts"]), self._names.author(event), text))
        elif kind == "reaction_added" and event.get("reaction") == PUSHPIN:
            item = event.get("item") or {}
            if item.get("type") == "message":
                self._mark(str(item["channel"]), str(item["ts"]), None)
        elif kind == "pin_added":
            item = event.get("item") or {}
            message = item.get("message") or {}
            channel = str(item.get("channel") or event.get("channel_id") or "")
            if message.get("ts") and channel:
                self._mark(channel, str(message["ts"]), message)

    def _mark(self, channel: str, ts: str, message: dict[str, Any] | None) -> None:
        """A message marked in an incident's channel: onto its timeline."""
        number = self._incident_of(channel)
        if number is None:
            return
        assert self._gateway is not None and self._names is not None
        if message is None or "text" not in message:
            data = self._gateway.call(
                "conversations.history", channel=channel, latest=ts, oldest=ts, inclusive=True, limit=1
            )
            message = next((m for m in data.get("messages", []) if m.get("ts") == ts), None)
            if message is None:
                return
        if not is_people_message(message, self._gateway.identity()):
            return
        link = str(self._gateway.call("chat.getPermalink", channel=channel, message_ts=ts)["permalink"])
        self.store.upsert_slack_entry(
            number,
            slack_ts=ts,
            text=render.to_plain(str(message.get("text") or ""), self._names),
            author=self._names.author(message),
            at=message_time(ts),
            permalink=link,
        )

    def _command(self, command: dict[str, Any]) -> dict[str, Any]:
        if command.get("command") != COMMAND:
            return {"response_type": "ephemeral", "text": USAGE}
        number = self._incident_of(str(command.get("channel_id") or ""))
        if number is None:
            return {"response_type": "ephemeral", "text": "This is not an incident's channel. " + USAGE}
        verb, _, rest = str(command.get("text") or "").strip().partition(" ")
        assert self._names is not None
        if verb == "note" and rest.strip():
            author = self._names(str(command.get("user_id") or ""))
            self.store.add_entry(number, rest.strip(), author=author)
            return {"response_type": "ephemeral", "text": f"Noted on #{number}'s timeline."}
        if verb == "status":
            view = self.store.incident(number)
            ic = view.ic.name if view.ic else "no IC yet"
            return {
                "response_type": "ephemeral",
                "text": f"#{number} {view.title}: {view.severity}, {view.status}, IC {ic}.",
            }
        return {"response_type": "ephemeral", "text": USAGE}

    def _incident_of(self, channel: str) -> int | None:
        if not channel:
            return None
        for row in self.store.list_incidents(active_only=True):
            view = self.store.incident(row.number)
            if view.slack_channel_id == channel and not is_broadcast(view, self.settings):
                return row.number
        return None
