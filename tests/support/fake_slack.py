"""A fake Slack Web API on 127.0.0.1, spoken to over real HTTP by the real ``WebClient``.

It answers the methods ictui uses with Slack's request and response shapes: parameters
in the query string, form-encoded or JSON bodies; the token in ``Authorization: Bearer``
(or a ``token`` form field); ``{"ok": false, "error": "..."}`` with Slack's error codes;
``429`` with ``Retry-After``; channel ids where Slack requires them (names are
``channel_not_found`` there); the ``X-OAuth-Scopes`` header, and ``missing_scope`` when a
method's scope was not granted.

Switches make it misbehave the ways the real one does: rate limits (HTTP 429, and
chat.postMessage's HTTP-200 ``rate_limited``), 5xx, slowness, going away and coming back
on the same port, a revoked token, doing the work but never answering (the reply lost, as
when ictui dies between Slack's reply and its own commit), a workspace where only admins
create channels (``restricted_action``), guests the bot cannot invite
(``user_is_restricted``) and people Slack will not invite (``cant_invite``).

It keeps Slack's real limits, documented or not: 3,000 characters a section, 50 blocks,
and 12,000 characters of block text in all (``msg_blocks_too_long``, which Slack does not
document); and bot tokens cannot unarchive a channel (``not_allowed_token_type``).
Every call is recorded so that tests can assert what was sent, how often and in what order.
"""

from __future__ import annotations

import base64
import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

BOT_USER = "UBOT00001"
BOT_ID = "BBOT00001"
TEAM_URL = "https://fake-team.slack.com/"
TOKEN = "xoxb-fake-0000-secret-token"
APP_TOKEN = "xapp-1-fake-0000-secret-app-token"

METHOD_SCOPES = {
    "conversations.create": "channels:manage",
    "conversations.setTopic": "channels:manage",
    "conversations.invite": "channels:manage",
    "conversations.join": "channels:join",
    "conversations.history": "channels:history",
    "conversations.info": "channels:read",
    "conversations.list": "channels:read",
    "pins.list": "pins:read",
    "users.lookupByEmail": "users:read.email",
    "users.info": "users:read",
    "users.list": "users:read",
    "chat.postMessage": "chat:write",
    "chat.getPermalink": "chat:write",
    "conversations.unarchive": "channels:manage",
}
ALL_SCOPES = frozenset(METHOD_SCOPES.values()) | {"reactions:read"}

# Lower case letters of any script, digits, "-" and "_" (Slack allows non-Latin names).
_CHANNEL_NAME = re.compile(r"(?:[^\W]|-)+")
_SLACK_LIMITS = {"text": 40_000, "section": 3_000, "header": 150, "blocks": 50, "block_text": 12_000}


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    token: str
    status: int = 200
    error: str = ""
    at: float = 0.0
    dropped: bool = False

    @property
    def ok(self) -> bool:
        return self.status == 200 and not self.error


@dataclass
class FakeUser:
    id: str
    name: str
    real_name: str
    email: str
    deleted: bool = False
    bot: bool = False
    # A guest (multi-channel): the bot cannot invite them.
    guest: bool = False
    # Slack refuses to invite them for reasons of its own (cant_invite).
    uninvitable: bool = False

    def as_slack(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "team_id": "T0FAKE",
            "name": self.name,
            "deleted": self.deleted,
            "real_name": self.real_name,
            "is_bot": self.bot or self.id == BOT_USER,
            "is_restricted": self.guest,
            "profile": {
                "real_name": self.real_name,
                "display_name": self.name,
                "email": self.email,
            },
        }


@dataclass
class FakeChannel:
    id: str
    name: str
    creator: str
    created: int
    members: set[str] = field(default_factory=set)
    topic: str = ""
    archived: bool = False
    # Oldest first, as Slack stores them; history answers newest first.
    messages: list[dict[str, Any]] = field(default_factory=list)
    pins: list[dict[str, Any]] = field(default_factory=list)

    def as_slack(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "name_normalized": self.name,
            "is_channel": True,
            "is_group": False,
            "is_im": False,
            "is_private": False,
            "is_archived": self.archived,
            "is_member": BOT_USER in self.members,
            "created": self.created,
            "creator": self.creator,
            "num_members": len(self.members),
            "topic": {"value": self.topic, "creator": BOT_USER, "last_set": self.created},
            "purpose": {"value": "", "creator": "", "last_set": 0},
        }

    def message(self, ts: str) -> dict[str, Any] | None:
        return next((msg for msg in self.messages if msg["ts"] == ts), None)


class SlackError(Exception):
    def __init__(self, error: str, **extra: Any) -> None:
        super().__init__(error)
        self.error = error
        self.extra = extra


class FakeSlack:
    def __init__(self, token: str = TOKEN, scopes: frozenset[str] = ALL_SCOPES) -> None:
        self.token = token
        self.scopes = set(scopes)
        self.team_url = TEAM_URL
        self.calls: list[Call] = []
        self.users: dict[str, FakeUser] = {}
        self.channels: dict[str, FakeChannel] = {}
        self.port = 0
        self._lock = threading.RLock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._ids = 0
        self._last_ts = 0.0
        self._count = 0
        # Switches.
        self.rate_limit_every = 0
        self.retry_after = 1
        self._rate_limit_next = 0
        self._server_errors_next = 0
        self._server_error_status = 500
        self.delay = 0.0
        self.stall_after_work = 0.0
        self._unstall = threading.Event()
        self._drop_reply: dict[str, int] = {}
        self._fail_next: dict[str, list[str]] = {}
        self.revoked = False
        # Socket Mode: apps.connections.open takes the app-level token, hands out its URL.
        self.app_token = APP_TOKEN
        from support.fake_socket_mode import FakeSocketMode

        self.socket_mode = FakeSocketMode()
        # Only admins may create channels: conversations.create answers restricted_action.
        self.restrict_channel_creation = False
        # Answer chat.postMessage's next N calls with HTTP 200 {"error": "rate_limited"}.
        self._post_rate_limited_next = 0
        # Slack lets this bot token unarchive channels (it does not for bot tokens).
        self.bot_can_unarchive = False
        self.users[BOT_USER] = FakeUser(BOT_USER, "ictui", "ictui bot", "")

    # ------------------------------------------------------------------ lifecycle

    @property
    def url(self) -> str:
        """What ictui gets as ``SLACK_API_URL`` (``WebClient(base_url=...)``)."""
        return f"http://127.0.0.1:{self.port}/api/"

    def start(self) -> FakeSlack:
        if not self.socket_mode.port:
            self.socket_mode.start()
        server = _QuietServer(("127.0.0.1", self.port), _handler_for(self))
        server.daemon_threads = True
        self._unstall.clear()
        self.port = server.server_address[1]
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.02}, name="fake-slack", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._unstall.set()
        self.socket_mode.stop()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def go_down(self) -> None:
        """Stop accepting connections: clients get "connection refused"."""
        self._unstall.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def come_back(self) -> None:
        """Listen again on the same port, with the same state."""
        self.start()

    # ------------------------------------------------------------------ switches

    def rate_limit_next(self, count: int, retry_after: int = 1) -> None:
        self._rate_limit_next = count
        self.retry_after = retry_after

    def server_error_next(self, count: int, status: int = 500) -> None:
        self._server_errors_next = count
        self._server_error_status = status

    def drop_reply_next(self, method: str = "chat.postMessage", count: int = 1) -> None:
        """Do the work of the next ``count`` calls of ``method``, then hang up without a reply."""
        self._drop_reply[method] = count

    def post_rate_limited_next(self, count: int = 1) -> None:
        """chat.postMessage's own limit: HTTP 200, ``ok: false``, ``rate_limited``, no Retry-After."""
        self._post_rate_limited_next = count

    def archive(self, channel: str) -> None:
        with self._lock:
            self.channels[channel].archived = True

    def fail_next(self, method: str, error: str, count: int = 1) -> None:
        self._fail_next.setdefault(method, []).extend([error] * count)

    def revoke_token(self) -> None:
        self.revoked = True

    def stall(self, seconds: float) -> None:
        """Do the work of each call, then wait up to ``seconds`` (or :meth:`unstall`) before answering."""
        self._unstall.clear()
        self.stall_after_work = seconds

    def unstall(self) -> None:
        self.stall_after_work = 0.0
        self._unstall.set()

    # ------------------------------------------------------------------ state for tests

    def add_user(
        self,
        name: str,
        email: str,
        real_name: str | None = None,
        *,
        deleted: bool = False,
        bot: bool = False,
        guest: bool = False,
        uninvitable: bool = False,
    ) -> str:
        """A member of the workspace; ``deleted``: deactivated; ``bot``: an app's bot user;
        ``guest``: a guest account the bot cannot invite; ``uninvitable``: Slack says cant_invite."""
        with self._lock:
            user_id = self._new_id("U")
            self.users[user_id] = FakeUser(
                user_id, name, real_name or name.title(), email.lower(), deleted, bot, guest, uninvitable
            )
            return user_id

    def add_channel(self, name: str, *, bot_member: bool = True, creator: str = "UHUMAN001") -> str:
        with self._lock:
            channel_id = self._new_id("C")
            self.channels[channel_id] = FakeChannel(
                channel_id, name, creator, int(time.time()), {creator} | ({BOT_USER} if bot_member else set())
            )
            return channel_id

    def add_message(
        self,
        channel: str,
        text: str,
        *,
        user: str = "UHUMAN001",
        metadata: dict[str, Any] | None = None,
        bot: bool = False,
        subtype: str = "",
    ) -> str:
        with self._lock:
            ts = self._new_ts()
            message: dict[str, Any] = {"type": "message", "user": user, "text": text, "ts": ts}
            if subtype:
                message["subtype"] = subtype
            if bot:
                message["bot_id"] = BOT_ID
            if metadata is not None:
                message["metadata"] = metadata
            self.channels[channel].messages.append(message)
            return ts

    def edit_message(self, channel: str, ts: str, text: str, user: str = "UHUMAN001") -> None:
        with self._lock:
            message = self.channels[channel].message(ts)
            assert message is not None, f"no message {ts} in {channel}"
            message["text"] = text
            message["edited"] = {"user": user, "ts": self._new_ts()}

    def react(self, channel: str, ts: str, name: str, user: str = "UHUMAN001") -> None:
        with self._lock:
            message = self.channels[channel].message(ts)
            assert message is not None, f"no message {ts} in {channel}"
            reactions = message.setdefault("reactions", [])
            reaction = next((r for r in reactions if r["name"] == name), None)
            if reaction is None:
                reaction = {"name": name, "users": [], "count": 0}
                reactions.append(reaction)
            reaction["users"].append(user)
            reaction["count"] = len(reaction["users"])

    def pin(self, channel: str, ts: str, user: str = "UHUMAN001") -> None:
        with self._lock:
            found = self.channels[channel]
            message = found.message(ts)
            assert message is not None, f"no message {ts} in {channel}"
            message.setdefault("pinned_to", []).append(channel)
            found.pins.append({"ts": ts, "created": int(time.time()), "created_by": user})

    # ------------------------------------------------------------------ live (Socket Mode)

    def post_live(self, channel: str, text: str, user: str = "UHUMAN001") -> tuple[str, str]:
        """A person posts: the message is stored and its event sent; (ts, envelope id)."""
        ts = self.add_message(channel, text, user=user)
        envelope = self.socket_mode.event(
            {
                "type": "message",
                "channel": channel,
                "user": user,
                "text": text,
                "ts": ts,
                "channel_type": "channel",
                "event_ts": ts,
            }
        )
        return ts, envelope

    def react_live(self, channel: str, ts: str, name: str = "pushpin", user: str = "UHUMAN001") -> str:
        self.react(channel, ts, name, user)
        return self.socket_mode.event(
            {
                "type": "reaction_added",
                "user": user,
                "reaction": name,
                "item_user": user,
                "item": {"type": "message", "channel": channel, "ts": ts},
                "event_ts": self._new_ts(),
            }
        )

    def pin_live(self, channel: str, ts: str, user: str = "UHUMAN001") -> str:
        self.pin(channel, ts, user)
        message = self.channels[channel].message(ts) or {}
        return self.socket_mode.event(
            {
                "type": "pin_added",
                "user": user,
                "channel_id": channel,
                "item": {"type": "message", "channel": channel, "message": dict(message), "created_by": user},
                "event_ts": self._new_ts(),
            }
        )

    def channel_named(self, name: str) -> FakeChannel | None:
        with self._lock:
            return next((c for c in self.channels.values() if c.name == name.lstrip("#")), None)

    def messages(self, channel: str) -> list[dict[str, Any]]:
        """Every message of a channel, oldest first."""
        with self._lock:
            return list(self.channels[channel].messages)

    def bot_messages(self, channel: str) -> list[dict[str, Any]]:
        """What ictui posted in a channel, oldest first."""
        with self._lock:
            return [m for m in self.channels[channel].messages if m.get("bot_id") == BOT_ID]

    def calls_to(self, method: str, ok_only: bool = False) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method and (c.ok or not ok_only)]

    def permalink(self, channel: str, ts: str) -> str:
        return f"{self.team_url}archives/{channel}/p{ts.replace('.', '')}"

    # ------------------------------------------------------------------ one request

    def handle(
        self, method: str, params: dict[str, Any], token: str
    ) -> tuple[int, dict[str, str], Any, bool]:
        """(status, headers, body, drop the reply): the whole of Slack's behaviour for one call."""
        call = Call(method, params, token, at=time.monotonic())
        with self._lock:
            self.calls.append(call)
            self._count += 1
            count = self._count
        if self.delay:
            time.sleep(self.delay)
        headers = {"X-OAuth-Scopes": ",".join(sorted(self.scopes))}
        with self._lock:
            if self._server_errors_next:
                self._server_errors_next -= 1
                call.status = self._server_error_status
                return call.status, {}, "<html><body>Server error</body></html>", False
            limited = bool(self.rate_limit_every) and count % self.rate_limit_every == 0
            if self._rate_limit_next:
                self._rate_limit_next -= 1
                limited = True
            if limited:
                call.status, call.error = 429, "ratelimited"
                headers["Retry-After"] = str(self.retry_after)
                return 429, headers, {"ok": False, "error": "ratelimited"}, False
            try:
                body = self._answer(method, params, token)
            except SlackError as exc:
                call.error = exc.error
                return 200, headers, {"ok": False, "error": exc.error, **exc.extra}, False
            drop = self._drop_reply.get(method, 0) > 0
            if drop:
                self._drop_reply[method] -= 1
                call.dropped = True
        if self.stall_after_work:
            self._unstall.wait(self.stall_after_work)
        return 200, headers, {"ok": True, **body}, drop

    def _answer(self, method: str, params: dict[str, Any], token: str) -> dict[str, Any]:
        if method == "apps.connections.open":
            if token != self.app_token:
                raise SlackError("invalid_auth" if token else "not_authed")
            return {"url": self.socket_mode.url}
        if not token:
            raise SlackError("not_authed")
        if token != self.token:
            raise SlackError("invalid_auth")
        if self.revoked:
            raise SlackError("token_revoked")
        scope = METHOD_SCOPES.get(method)
        if scope and scope not in self.scopes:
            raise SlackError("missing_scope", needed=scope, provided=",".join(sorted(self.scopes)))
        if self._fail_next.get(method):
            raise SlackError(self._fail_next[method].pop(0))
        handler = getattr(self, "_m_" + method.replace(".", "_"), None)
        if handler is None:
            raise SlackError("unknown_method")
        return handler(params)

    # ------------------------------------------------------------------ methods

    def _m_auth_test(self, p: dict[str, Any]) -> dict[str, Any]:
        return {
            "url": self.team_url,
            "team": "Fake Co",
            "user": "ictui",
            "team_id": "T0FAKE",
            "user_id": BOT_USER,
            "bot_id": BOT_ID,
            "is_enterprise_install": False,
        }

    def _m_conversations_create(self, p: dict[str, Any]) -> dict[str, Any]:
        if self.restrict_channel_creation:
            raise SlackError("restricted_action")
        name = str(p.get("name", ""))
        if not name:
            raise SlackError("invalid_name_required")
        if len(name) > 80:
            raise SlackError("invalid_name_maxlength")
        if not _CHANNEL_NAME.fullmatch(name) or name != name.lower():
            raise SlackError("invalid_name_specials")
        if not re.search(r"[a-z0-9]", name):
            raise SlackError("invalid_name_punctuation")
        if any(c.name == name for c in self.channels.values()):
            raise SlackError("name_taken")
        channel_id = self._new_id("C")
        channel = FakeChannel(channel_id, name, BOT_USER, int(time.time()), {BOT_USER})
        self.channels[channel_id] = channel
        return {"channel": channel.as_slack()}

    def _m_conversations_setTopic(self, p: dict[str, Any]) -> dict[str, Any]:
        channel = self._member_channel(p)
        topic = str(p.get("topic", ""))
        if len(topic) > 250:
            raise SlackError("too_long")
        channel.topic = topic
        channel.messages.append(
            {
                "type": "message",
                "subtype": "channel_topic",
                "user": BOT_USER,
                "topic": topic,
                "text": f"set the channel topic: {topic}",
                "ts": self._new_ts(),
            }
        )
        return {"channel": channel.as_slack()}

    def _m_conversations_invite(self, p: dict[str, Any]) -> dict[str, Any]:
        channel = self._member_channel(p)
        users = [u for u in str(p.get("users", "")).split(",") if u]
        if not users:
            raise SlackError("no_user")
        if len(users) > 1000:
            raise SlackError("too_many_users")
        force = _truthy(p.get("force"))
        errors, invited = [], []
        for user in users:
            if user not in self.users:
                errors.append({"user": user, "ok": False, "error": "user_not_found"})
            elif user == BOT_USER:
                errors.append({"user": user, "ok": False, "error": "cant_invite_self"})
            elif user in channel.members:
                errors.append({"user": user, "ok": False, "error": "already_in_channel"})
            elif self.users[user].guest:
                errors.append({"user": user, "ok": False, "error": "user_is_restricted"})
            elif self.users[user].uninvitable:
                errors.append({"user": user, "ok": False, "error": "cant_invite"})
            else:
                invited.append(user)
        if errors and (not force or not invited):
            raise SlackError(errors[0]["error"], errors=errors)
        channel.members.update(invited)
        answer: dict[str, Any] = {"channel": channel.as_slack()}
        if errors:
            answer["errors"] = errors
        return answer

    def _m_conversations_join(self, p: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel_by_id(p)
        if channel.archived:
            raise SlackError("is_archived")
        answer: dict[str, Any] = {"channel": channel.as_slack()}
        if BOT_USER in channel.members:
            answer["warning"] = "already_in_channel"
            answer["response_metadata"] = {"warnings": ["already_in_channel"]}
        channel.members.add(BOT_USER)
        answer["channel"] = channel.as_slack()
        return answer

    def _m_conversations_history(self, p: dict[str, Any]) -> dict[str, Any]:
        channel = self._member_channel(p)
        oldest = float(p.get("oldest") or 0)
        latest = float(p.get("latest") or 0) or float("inf")
        inclusive = _truthy(p.get("inclusive"))
        with_metadata = _truthy(p.get("include_all_metadata"))

        def wanted(msg: dict[str, Any]) -> bool:
            ts = float(msg["ts"])
            if inclusive:
                return oldest <= ts <= latest
            return oldest < ts < latest

        messages = [m for m in reversed(channel.messages) if wanted(m)]
        page, next_cursor = _page(messages, p)
        shown = []
        for message in page:
            copy = json.loads(json.dumps(message))
            if not with_metadata:
                copy.pop("metadata", None)
            shown.append(copy)
        return {
            "messages": shown,
            "has_more": bool(next_cursor),
            "pin_count": len(channel.pins),
            "response_metadata": {"next_cursor": next_cursor},
        }

    def _m_conversations_unarchive(self, p: dict[str, Any]) -> dict[str, Any]:
        if not self.bot_can_unarchive:
            # "Bot tokens (xoxb-...) cannot currently be used to unarchive conversations."
            raise SlackError("not_allowed_token_type")
        channel = self._channel_by_id(p)
        if not channel.archived:
            raise SlackError("not_archived")
        channel.archived = False
        channel.members.add(BOT_USER)
        return {}

    def _m_conversations_info(self, p: dict[str, Any]) -> dict[str, Any]:
        return {"channel": self._channel_by_id(p).as_slack()}

    def _m_conversations_list(self, p: dict[str, Any]) -> dict[str, Any]:
        exclude_archived = _truthy(p.get("exclude_archived"))
        channels = [c.as_slack() for c in self.channels.values() if not (exclude_archived and c.archived)]
        page, next_cursor = _page(channels, p)
        return {"channels": page, "response_metadata": {"next_cursor": next_cursor}}

    def _m_pins_list(self, p: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel_by_id(p)
        items = []
        for pin in reversed(channel.pins):
            message = channel.message(pin["ts"])
            if message is None:
                continue
            shown = {**json.loads(json.dumps(message)), "permalink": self.permalink(channel.id, pin["ts"])}
            shown.pop("metadata", None)
            items.append(
                {
                    "type": "message",
                    "created": pin["created"],
                    "created_by": pin["created_by"],
                    "channel": channel.id,
                    "message": shown,
                }
            )
        return {"items": items}

    def _m_users_lookupByEmail(self, p: dict[str, Any]) -> dict[str, Any]:
        email = str(p.get("email", "")).lower()
        user = next((u for u in self.users.values() if u.email and u.email == email), None)
        if user is None:
            raise SlackError("users_not_found")
        return {"user": user.as_slack()}

    def _m_users_list(self, p: dict[str, Any]) -> dict[str, Any]:
        """Every member, deactivated ones and bots included (as Slack lists them), by pages."""
        page, next_cursor = _page([u.as_slack() for u in self.users.values()], p)
        return {
            "members": page,
            "cache_ts": int(time.time()),
            "response_metadata": {"next_cursor": next_cursor},
        }

    def _m_users_info(self, p: dict[str, Any]) -> dict[str, Any]:
        user = self.users.get(str(p.get("user", "")))
        if user is None:
            raise SlackError("user_not_found")
        return {"user": user.as_slack()}

    def _m_chat_postMessage(self, p: dict[str, Any]) -> dict[str, Any]:
        if self._post_rate_limited_next:
            self._post_rate_limited_next -= 1
            raise SlackError("rate_limited")
        target = str(p.get("channel", ""))
        channel = self.channels.get(target) or self.channel_named(target)
        if channel is None:
            raise SlackError("channel_not_found")
        if channel.archived:
            raise SlackError("is_archived")
        if BOT_USER not in channel.members:
            raise SlackError("not_in_channel")
        text = str(p.get("text") or "")
        blocks = p.get("blocks") or []
        if not text and not blocks:
            raise SlackError("no_text")
        if len(text) > _SLACK_LIMITS["text"]:
            raise SlackError("msg_too_long")
        _check_blocks(blocks)
        metadata = p.get("metadata")
        if metadata is not None and not (
            isinstance(metadata, dict)
            and metadata.get("event_type")
            and isinstance(metadata.get("event_payload"), dict)
        ):
            raise SlackError("invalid_metadata_format")
        message: dict[str, Any] = {
            "type": "message",
            "user": BOT_USER,
            "bot_id": BOT_ID,
            "app_id": "AFAKE0001",
            "text": text,
            "ts": self._new_ts(),
            "blocks": blocks,
        }
        if metadata is not None:
            message["metadata"] = metadata
        channel.messages.append(message)
        return {"channel": channel.id, "ts": message["ts"], "message": message}

    def _m_chat_getPermalink(self, p: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel_by_id(p)
        ts = str(p.get("message_ts", ""))
        if channel.message(ts) is None:
            raise SlackError("message_not_found")
        return {"channel": channel.id, "permalink": self.permalink(channel.id, ts)}

    # ------------------------------------------------------------------ helpers

    def _channel_by_id(self, p: dict[str, Any]) -> FakeChannel:
        channel = self.channels.get(str(p.get("channel", "")))
        if channel is None:
            raise SlackError("channel_not_found")
        return channel

    def _member_channel(self, p: dict[str, Any]) -> FakeChannel:
        channel = self._channel_by_id(p)
        if channel.archived:
            raise SlackError("is_archived")
        if BOT_USER not in channel.members:
            raise SlackError("not_in_channel")
        return channel

    def _new_id(self, prefix: str) -> str:
        self._ids += 1
        return f"{prefix}{self._ids:08X}"

    def _new_ts(self) -> str:
        with self._lock:
            self._last_ts = max(time.time(), self._last_ts + 0.000001)
            return f"{self._last_ts:.6f}"


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that went away mid-answer (killed, timed out) is part of the tests.
        return


def _truthy(value: Any) -> bool:
    return str(value).lower() in ("1", "true")


def _page(items: list[Any], p: dict[str, Any]) -> tuple[list[Any], str]:
    """Slack's cursor pagination: an opaque ``next_cursor``, empty on the last page."""
    limit = max(1, min(int(p.get("limit") or 100), 1000))
    cursor = str(p.get("cursor") or "")
    start = 0
    if cursor:
        try:
            start = int(base64.b64decode(cursor).decode().removeprefix("next:"))
        except ValueError:
            raise SlackError("invalid_cursor") from None
    page = items[start : start + limit]
    more = start + limit < len(items)
    next_cursor = base64.b64encode(f"next:{start + limit}".encode()).decode() if more else ""
    return page, next_cursor


def _check_blocks(blocks: Any) -> None:
    if not isinstance(blocks, list) or len(blocks) > _SLACK_LIMITS["blocks"]:
        raise SlackError("invalid_blocks")
    total = 0
    for block in blocks:
        for item in [block.get("text"), *block.get("fields", []), *block.get("elements", [])]:
            if isinstance(item, dict):
                total += len(str(item.get("text", "")))
    if total > _SLACK_LIMITS["block_text"]:
        # Slack's undocumented server-side cap (slackapi/bolt-js #2509, #2867).
        raise SlackError("msg_blocks_too_long")
    for block in blocks:
        kind = block.get("type")
        if kind == "section":
            texts = [block.get("text"), *block.get("fields", [])]
            if any(t and len(t.get("text", "")) > _SLACK_LIMITS["section"] for t in texts):
                raise SlackError("invalid_blocks", errors=["must be less than 3001 characters"])
        elif kind == "header" and len(block.get("text", {}).get("text", "")) > _SLACK_LIMITS["header"]:
            raise SlackError("invalid_blocks", errors=["must be less than 151 characters"])


def _handler_for(fake: FakeSlack) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            self._serve()

        def do_GET(self) -> None:
            self._serve()

        def log_message(self, format: str, *args: Any) -> None:
            return

        def _serve(self) -> None:
            url = urlsplit(self.path)
            if not url.path.startswith("/api/"):
                self._reply(404, {}, {"ok": False, "error": "unknown_method"})
                return
            method = url.path.removeprefix("/api/")
            params: dict[str, Any] = {k: v[-1] for k, v in parse_qs(url.query).items()}
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            content_type = self.headers.get("Content-Type", "")
            if raw and "application/json" in content_type:
                params.update(json.loads(raw))
            elif raw:
                params.update({k: v[-1] for k, v in parse_qs(raw.decode()).items()})
            # Form bodies carry structured fields as JSON strings.
            for key in ("blocks", "metadata", "attachments"):
                if isinstance(params.get(key), str):
                    try:
                        params[key] = json.loads(params[key])
                    except ValueError:
                        pass
            auth = self.headers.get("Authorization", "")
            token = (
                auth.removeprefix("Bearer ").strip()
                if auth.startswith("Bearer ")
                else str(params.pop("token", ""))
            )
            status, headers, body, drop = fake.handle(method, params, token)
            if drop:
                # The work is done; the caller never hears about it.
                self.close_connection = True
                self.connection.shutdown(2)
                return
            self._reply(status, headers, body)

        def _reply(self, status: int, headers: dict[str, str], body: Any) -> None:
            data = (json.dumps(body) if not isinstance(body, str) else body).encode()
            self.send_response(status)
            kind = "text/html" if isinstance(body, str) else "application/json; charset=utf-8"
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Connection", "close")
            for key, value in headers.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)
            self.close_connection = True

    return Handler
