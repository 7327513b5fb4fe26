"""The one door to Slack: ``slack_sdk.WebClient`` with retries, and Slack's errors in plain words.

``slack_sdk`` is imported only when a :class:`Gateway` is made, that is when something is
sent: the cockpit and the CLI start without paying for it.

Two clients share the token. The one for reads and idempotent calls retries on
``429`` (honouring ``Retry-After``), on ``500``/``503`` and on connection errors. The one
for calls that must not happen twice (``chat.postMessage``, ``conversations.create``)
retries only when Slack surely did nothing: a ``429`` or a refused connection. After any
other failure the outcome is unknown, and the outbox looks in Slack before trying again.

The token never appears in an error message: every message here is made from Slack's
error code, the method and the API host, and Slack's own exceptions are not chained.
"""

from __future__ import annotations

import http.client
import logging
import random
from dataclasses import dataclass
from typing import Any
from urllib.error import URLError
from urllib.parse import urlsplit

from ictui.config import Settings
from ictui.domain.errors import IctuiError
from ictui.slack.channels import is_channel_id
from ictui.slack.errors import ERRORS, TOKEN, classify

TIMEOUT_SECONDS = 10
RATE_LIMIT_RETRIES = 2
SERVER_ERROR_RETRIES = 2
CONNECTION_RETRIES = 1
LIST_PAGES = 20

# The token is refused: nothing will work until it is replaced, so a delivery run stops.
AUTH_ERRORS = frozenset(code for code, c in ERRORS.items() if c.kind == TOKEN)
# Slack's own troubles and rate limits: try again later.
TRANSIENT_ERRORS = frozenset(code for code, c in ERRORS.items() if c.retried)

_LOG = logging.getLogger("ictui.slack.sdk")
# slack_sdk logs failed requests at ERROR; with no handler Python would print them on
# stderr, over the cockpit's screen. ictui reports failures itself, in plain words.
_LOG.addHandler(logging.NullHandler())
_LOG.propagate = False


class SlackFailure(IctuiError):
    """Slack did not do what was asked. ``code`` is Slack's error code (or ``unreachable``,
    ``server_error``); ``permanent`` means trying again will not help."""

    def __init__(
        self,
        message: str,
        *,
        code: str,
        permanent: bool,
        retry_after: float = 0.0,
        data: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.permanent = permanent
        self.retry_after = retry_after
        # Slack's answer (its "errors" list of a partly failed invitation, "needed" ...).
        self.data = data or {}

    @property
    def kind(self) -> str:
        """retry, token, admin, final, part or bug (slack/errors.py)."""
        return classify(self.code).kind

    @property
    def fatal(self) -> bool:
        """Nothing will work until the token or the API URL is fixed: stop trying."""
        return self.code in AUTH_ERRORS


@dataclass(frozen=True, slots=True)
class Identity:
    """Who the token is (``auth.test``)."""

    team: str
    team_url: str
    user_id: str
    bot_id: str
    user: str
    scopes: frozenset[str] | None

    def channel_link(self, channel_id: str) -> str:
        return f"{self.team_url.rstrip('/')}/archives/{channel_id}"


class Gateway:
    def __init__(self, settings: Settings, *, wait_on_rate_limit: bool = True) -> None:
        """``wait_on_rate_limit=False``: a 429 is raised at once (``SlackFailure.retry_after``
        says how long to leave Slack alone) instead of slept through: for the poll, whose
        thread must never keep anything else waiting."""
        from slack_sdk import WebClient
        from slack_sdk.http_retry.builtin_handlers import (
            ConnectionErrorRetryHandler,
            RateLimitErrorRetryHandler,
            ServerErrorRetryHandler,
        )
        from slack_sdk.http_retry.builtin_interval_calculators import BackoffRetryIntervalCalculator
        from slack_sdk.http_retry.jitter import Jitter

        class ShortJitter(Jitter):
            # slack-sdk's default adds up to a whole second to every wait.
            def recalculate(self, duration: float) -> float:
                return duration * (1 + random.random() / 2)

        class RefusedConnectionRetryHandler(ConnectionErrorRetryHandler):
            """Retries only a connection Slack refused: the request surely never arrived."""

            def _can_retry(
                self, *, state: Any, request: Any, response: Any = None, error: Any = None
            ) -> bool:
                return isinstance(error, URLError) and isinstance(error.reason, ConnectionRefusedError)

        interval = BackoffRetryIntervalCalculator(backoff_factor=0.5, jitter=ShortJitter())
        check_api_url(settings.slack_api_url)
        self.api_url = settings.slack_api_url
        self._host = urlsplit(settings.slack_api_url).netloc or settings.slack_api_url
        rate_limits = RateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES)
        # The token is passed straight from the settings (whose repr hides it), never kept
        # in a local of ours: a crash report that prints locals must not show it.
        self._retrying = WebClient(
            token=settings.slack_token,
            base_url=settings.slack_api_url,
            timeout=TIMEOUT_SECONDS,
            logger=_LOG,
            retry_handlers=[
                *([rate_limits] if wait_on_rate_limit else []),
                ServerErrorRetryHandler(max_retry_count=SERVER_ERROR_RETRIES, interval_calculator=interval),
                ConnectionErrorRetryHandler(max_retry_count=CONNECTION_RETRIES, interval_calculator=interval),
            ],
        )
        self._once = WebClient(
            token=settings.slack_token,
            base_url=settings.slack_api_url,
            timeout=TIMEOUT_SECONDS,
            logger=_LOG,
            retry_handlers=[rate_limits, RefusedConnectionRetryHandler(CONNECTION_RETRIES, interval)],
        )
        self._identity: Identity | None = None
        # Channel names resolved to ids, for the life of this gateway (one delivery run).
        self._channel_ids: dict[str, str] = {}

    # ------------------------------------------------------------------ calls

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        """Call a Web API method that is safe to repeat; returns Slack's answer."""
        return self._call(self._retrying, method, params)[0]

    def call_once(self, method: str, **params: Any) -> dict[str, Any]:
        """Call a method that must not run twice (post, create): no retry after an unknown outcome."""
        return self._call(self._once, method, params)[0]

    def call_with_headers(self, method: str, **params: Any) -> tuple[dict[str, Any], dict[str, str]]:
        return self._call(self._retrying, method, params)

    def _call(
        self, client: Any, method: str, params: dict[str, Any]
    ) -> tuple[dict[str, Any], dict[str, str]]:
        from slack_sdk.errors import SlackApiError, SlackClientError

        try:
            response = getattr(client, method.replace(".", "_"))(**params)
        except SlackApiError as exc:
            raise self._api_failure(method, exc.response) from None
        except (URLError, OSError, http.client.HTTPException) as exc:
            raise self._network_failure(method, exc) from None
        except (SlackClientError, ValueError) as exc:
            raise SlackFailure(
                f"the Slack API URL {self.api_url!r} cannot be used ({type(exc).__name__})",
                code="bad_url",
                permanent=True,
            ) from None
        except Exception as exc:  # noqa: BLE001 - re-raised as one line: see below
            # Anything else out of slack_sdk is cut off here: its frames hold the request
            # headers, token included, and a crash report showing locals would print them.
            raise SlackFailure(
                f"the Slack client failed on {method} ({type(exc).__name__})",
                code="client_error",
                permanent=True,
            ) from None
        return dict(response.data), {k.lower(): v for k, v in response.headers.items()}

    def _api_failure(self, method: str, response: Any) -> SlackFailure:
        status = response.status_code
        data = response.data if isinstance(response.data, dict) else {}
        headers = {k.lower(): v for k, v in (response.headers or {}).items()}
        if status == 429:
            retry_after = _seconds(headers.get("retry-after"))
            return SlackFailure(
                f"Slack is rate limiting ictui ({method}); it asked to wait {retry_after:g} s",
                code="ratelimited",
                permanent=False,
                retry_after=retry_after,
            )
        if status >= 500:
            return SlackFailure(
                f"Slack answered {status}, a server error ({method})", code="server_error", permanent=False
            )
        code = str(data.get("error") or f"http_{status}")
        if code == "missing_scope":
            needed = f"the {data['needed']} scope" if data.get("needed") else "a scope"
            message = (
                f"the bot token lacks {needed} that {method} needs; add it to the Slack app "
                f"(`ictui slack manifest` lists them all) and reinstall it ({method}: {code})"
            )
        else:
            message = f"{classify(code).words} ({method}: {code})"
        return SlackFailure(message, code=code, permanent=code not in TRANSIENT_ERRORS, data=dict(data))

    def _network_failure(self, method: str, exc: BaseException) -> SlackFailure:
        reason = exc.reason if isinstance(exc, URLError) else exc
        if isinstance(reason, ConnectionRefusedError):
            what = "connection refused"
        elif isinstance(reason, TimeoutError):
            what = f"no answer within {TIMEOUT_SECONDS} s"
        elif isinstance(reason, (ConnectionResetError, http.client.HTTPException)):
            what = "the connection was dropped before Slack answered"
        else:
            what = type(reason).__name__
        return SlackFailure(
            f"cannot reach Slack at {self._host}: {what} ({method})", code="unreachable", permanent=False
        )

    # ------------------------------------------------------------------ helpers

    def identity(self) -> Identity:
        if self._identity is None:
            data, headers = self.call_with_headers("auth.test")
            scopes = headers.get("x-oauth-scopes")
            self._identity = Identity(
                team=str(data.get("team", "")),
                team_url=str(data.get("url", "")),
                user_id=str(data.get("user_id", "")),
                bot_id=str(data.get("bot_id", "")),
                user=str(data.get("user", "")),
                scopes=frozenset(s.strip() for s in scopes.split(",") if s.strip())
                if scopes is not None
                else None,
            )
        return self._identity

    def channel_id(self, channel: str) -> str:
        """A configured channel (``#rnd``, ``rnd`` or an id) as the id Slack needs."""
        name = channel.strip().lstrip("#")
        if is_channel_id(name):
            return name
        if name not in self._channel_ids:
            found = self.find_channel(name)
            if found is None:
                raise SlackFailure(
                    f"no public channel named #{name} is visible to the bot; check the config "
                    "(a private channel needs its id and the bot invited)",
                    code="channel_not_found",
                    permanent=True,
                )
            self._channel_ids[name] = str(found["id"])
        return self._channel_ids[name]

    def find_channel(self, name: str) -> dict[str, Any] | None:
        """The public channel of that name (``conversations.list``, a bounded number of pages)."""
        cursor = ""
        for _ in range(LIST_PAGES):
            data = self.call(
                "conversations.list",
                types="public_channel",
                exclude_archived=True,
                limit=1000,
                **({"cursor": cursor} if cursor else {}),
            )
            for channel in data.get("channels", []):
                if channel.get("name") == name:
                    return dict(channel)
            cursor = next_cursor(data)
            if not cursor:
                return None
        return None


_LOOPBACK_NAMES = ("localhost", "localhost.localdomain")


def check_api_url(url: str) -> None:
    """The token goes out with every call: only over https://, or to this machine."""
    import ipaddress

    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return
    host = (parts.hostname or "").lower()
    loopback = host in _LOOPBACK_NAMES
    try:
        loopback = loopback or ipaddress.ip_address(host).is_loopback
    except ValueError:
        pass
    if parts.scheme == "http" and loopback:
        return
    raise SlackFailure(
        f"SLACK_API_URL must start with https:// (or be http:// on a loopback address such as 127.0.0.1), "
        f"so that the token never travels in clear; got {parts.scheme or 'no'} scheme for {host or 'no host'}",
        code="bad_url",
        permanent=True,
    )


def next_cursor(data: dict[str, Any]) -> str:
    return str((data.get("response_metadata") or {}).get("next_cursor") or "")


def _seconds(value: Any) -> float:
    if isinstance(value, list):
        value = value[0] if value else None
    try:
        return max(float(value), 0.0)
    except (TypeError, ValueError):
        return 1.0
