"""A fake PagerDuty on 127.0.0.1: the Events API v2 and the REST API's incidents, spoken
to over real HTTP by PagerDuty's own client (the ``pagerduty`` package).

Built from PagerDuty's published reference (developer.pagerduty.com, "Events API v2
Overview" and "Send an Alert Event"):

- ``POST /v2/enqueue`` takes ``routing_key`` (32 characters), ``event_action`` (trigger,
  acknowledge, resolve), ``dedup_key`` (at most 255 characters; required but for a
  trigger), and for a trigger ``payload.summary`` (at most 1024), ``payload.source``,
  ``payload.severity`` (critical, error, warning, info). Accepted: ``202`` with
  ``{"status": "success", "message": "Event processed", "dedup_key": ...}``. Invalid:
  ``400`` with ``{"status": "invalid event", "message": "Event object is invalid",
  "errors": [...]}`` (also for a routing key no service has). Throttled: ``429``; broken: ``5xx``.
- Deduplication: a trigger with the dedup key of an open alert (same routing key) is
  added to that alert, not a new one; once resolved, a trigger opens a new alert, and an
  acknowledge or resolve for a key with no open alert is dropped (still ``202``).
  Events for a key sent with another routing key do not touch the alert.
- ``GET /incidents?incident_key=KEY`` (``Authorization: Token token=...``) lists the
  incidents of the alerts with that key: ``status`` and ``acknowledgements`` with
  ``acknowledger.summary``.

Switches make it misbehave: 429s, 5xx, doing the work and hanging up (the reply lost),
going away. Every event is recorded so that tests can assert what was sent and how often.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

API_TOKEN = "fake-pagerduty-rest-token"
ROUTING_KEY = "R01" + "A1B2C3D4E5F6G7H8I9J0K1L2M" + "89AB"
OTHER_KEY = "P" * 28 + "0000"
_SEVERITIES = ("critical", "error", "warning", "info")


@dataclass
class Alert:
    routing_key: str
    dedup_key: str
    summary: str
    severity: str
    source: str
    links: list[dict[str, Any]]
    status: str = "triggered"
    # Triggers folded into this alert by deduplication (the first one counts).
    triggers: int = 1
    acknowledged_by: str = ""
    incident_id: str = ""


@dataclass
class Event:
    body: dict[str, Any]
    status: int
    dropped: bool = False


@dataclass
class FakePagerDuty:
    token: str = API_TOKEN
    alerts: list[Alert] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    rest_calls: list[dict[str, Any]] = field(default_factory=list)
    # The integration keys of the services that exist; an event for another key is refused.
    services: set[str] = field(default_factory=lambda: {ROUTING_KEY, OTHER_KEY})
    port: int = 0

    def __post_init__(self) -> None:
        self._lock = threading.RLock()
        self._server: ThreadingHTTPServer | None = None
        self._throttle_next = 0
        self._errors_next = 0
        self._error_status = 503
        self._drop_next = 0

    # ------------------------------------------------------------------ lifecycle

    @property
    def url(self) -> str:
        """``PAGERDUTY_EVENTS_URL`` and ``PAGERDUTY_API_URL`` (one server answers both)."""
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> FakePagerDuty:
        server = _QuietServer(("127.0.0.1", self.port), _handler_for(self))
        server.daemon_threads = True
        self.port = server.server_address[1]
        self._server = server
        threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.02}, name="fake-pagerduty", daemon=True
        ).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    # ------------------------------------------------------------------ switches

    def throttle_next(self, count: int) -> None:
        self._throttle_next = count

    def fail_next(self, count: int, status: int = 503) -> None:
        self._errors_next = count
        self._error_status = status

    def drop_reply_next(self, count: int = 1) -> None:
        """Process the next ``count`` events, then hang up without answering."""
        self._drop_next = count

    def acknowledge(self, dedup_key: str, by: str) -> None:
        """Someone acknowledged the incident in PagerDuty's app."""
        with self._lock:
            for alert in self._open(dedup_key):
                alert.status, alert.acknowledged_by = "acknowledged", by

    # ------------------------------------------------------------------ for assertions

    def accepted(self, action: str = "trigger") -> list[Event]:
        return [e for e in self.events if e.status == 202 and e.body.get("event_action") == action]

    def open_alerts(self) -> list[Alert]:
        return [a for a in self.alerts if a.status != "resolved"]

    # ------------------------------------------------------------------ the APIs

    def enqueue(self, body: Any) -> tuple[int, dict[str, Any], bool]:
        """(status, body, hang up): the Events API v2's behaviour for one event."""
        with self._lock:
            if self._errors_next:
                self._errors_next -= 1
                self.events.append(Event(body if isinstance(body, dict) else {}, self._error_status))
                return self._error_status, {"status": "error", "message": "Service unavailable"}, False
            if self._throttle_next:
                self._throttle_next -= 1
                self.events.append(Event(body if isinstance(body, dict) else {}, 429))
                return (
                    429,
                    {
                        "status": "throttle event",
                        "message": "Requests for this service are arriving too quickly",
                    },
                    False,
                )
            errors = _invalid(body)
            if not errors and body["routing_key"] not in self.services:
                errors = ["Invalid routing key"]
            event = Event(body if isinstance(body, dict) else {}, 400 if errors else 202)
            self.events.append(event)
            if errors:
                return (
                    400,
                    {"status": "invalid event", "message": "Event object is invalid", "errors": errors},
                    False,
                )
            key = self._apply(body)
            drop = self._drop_next > 0
            if drop:
                self._drop_next -= 1
                event.dropped = True
            return 202, {"status": "success", "message": "Event processed", "dedup_key": key}, drop

    def incidents(self, token: str, params: dict[str, str]) -> tuple[int, dict[str, Any]]:
        with self._lock:
            self.rest_calls.append(dict(params))
            if token != self.token:
                return 401, {"error": {"message": "Invalid Credentials", "code": 2006}}
            key = params.get("incident_key", "")
            found = [a for a in self.alerts if not key or a.dedup_key == key]
            incidents = [
                {
                    "id": a.incident_id,
                    "type": "incident",
                    "incident_key": a.dedup_key,
                    "title": a.summary,
                    "status": a.status,
                    "acknowledgements": (
                        [
                            {
                                "at": "2026-12-07T03:12:00Z",
                                "acknowledger": {
                                    "id": "PUSER01",
                                    "type": "user_reference",
                                    "summary": a.acknowledged_by,
                                },
                            }
                        ]
                        if a.status == "acknowledged"
                        else []
                    ),
                }
                for a in found
            ]
            return 200, {"incidents": incidents, "limit": 25, "offset": 0, "more": False, "total": None}

    def _apply(self, body: dict[str, Any]) -> str:
        action = body["event_action"]
        routing = body["routing_key"]
        key = body.get("dedup_key") or f"generated-{len(self.events)}"
        open_alert = next((a for a in self._open(key) if a.routing_key == routing), None)
        if action == "trigger":
            if open_alert is not None:
                open_alert.triggers += 1
            else:
                payload = body["payload"]
                self.alerts.append(
                    Alert(
                        routing,
                        key,
                        payload["summary"],
                        payload["severity"],
                        payload["source"],
                        list(body.get("links") or []),
                        incident_id=f"PINC{len(self.alerts) + 1:04d}",
                    )
                )
        elif open_alert is not None:
            # An acknowledge or resolve with no open alert (or another routing key) is dropped.
            open_alert.status = "acknowledged" if action == "acknowledge" else "resolved"
        return key

    def _open(self, key: str) -> list[Alert]:
        return [a for a in self.alerts if a.dedup_key == key and a.status != "resolved"]


def _invalid(body: Any) -> list[str]:
    """The validation errors the Events API v2 reports, in its own words."""
    if not isinstance(body, dict):
        return ["Event object is not valid JSON"]
    errors = []
    routing = body.get("routing_key")
    if not isinstance(routing, str) or len(routing) != 32:
        errors.append("Length of 'routing_key' is incorrect (should be 32 characters)")
    action = body.get("event_action")
    if action not in ("trigger", "acknowledge", "resolve"):
        errors.append(
            "'event_action' is invalid (must be one of the following: 'trigger', 'acknowledge' or 'resolve')"
        )
    key = body.get("dedup_key")
    if key is not None and (not isinstance(key, str) or len(key) > 255):
        errors.append("'dedup_key' must be a string of at most 255 characters")
    if action in ("acknowledge", "resolve") and not key:
        errors.append("'dedup_key' is missing or blank")
    if action == "trigger":
        payload = body.get("payload")
        if not isinstance(payload, dict):
            errors.append("'payload' is missing or blank")
        else:
            summary = payload.get("summary")
            if not summary:
                errors.append("'payload.summary' is missing or blank")
            elif len(summary) > 1024:
                errors.append("'payload.summary' is too long (maximum is 1024 characters)")
            if not payload.get("source"):
                errors.append("'payload.source' is missing or blank")
            if payload.get("severity") not in _SEVERITIES:
                errors.append(
                    "'payload.severity' is invalid (must be one of the following: "
                    "'critical', 'warning', 'error' or 'info')"
                )
    return errors


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        return


def _handler_for(fake: FakePagerDuty) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            return

        def do_POST(self) -> None:
            if urlsplit(self.path).path != "/v2/enqueue":
                self._reply(404, {"status": "error", "message": "Not found"})
                return
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                body = json.loads(raw)
            except ValueError:
                body = None
            status, answer, drop = fake.enqueue(body)
            if drop:
                self.close_connection = True
                self.connection.shutdown(2)
                return
            self._reply(status, answer)

        def do_GET(self) -> None:
            url = urlsplit(self.path)
            if url.path != "/incidents":
                self._reply(404, {"error": {"message": "Not Found", "code": 2100}})
                return
            auth = self.headers.get("Authorization", "")
            token = auth.removeprefix("Token token=").strip() if auth.startswith("Token token=") else ""
            params = {k: v[-1] for k, v in parse_qs(url.query).items()}
            status, answer = fake.incidents(token, params)
            self._reply(status, answer)

        def _reply(self, status: int, body: Any) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(data)
            self.close_connection = True

    return Handler
