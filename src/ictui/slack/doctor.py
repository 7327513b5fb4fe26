"""``ictui doctor``: can ictui do its Slack work with this token, and if not, what is missing.

Only reads: ``auth.test`` (who the token is, and its scopes from Slack's
``X-OAuth-Scopes`` header), then the configured channels (found, readable, the bot a
member). Methods that change things (create, post, invite) are judged by their scopes.

Then what the outbox met that only a Slack admin can fix (``restricted_action``,
``missing_scope``, ``ekm_access_denied`` …, slack/errors.py), with what to ask for.

Public API (blocking, HTTP): ``run_doctor(settings, store=None) -> list[Check]``;
``admin_requests(store) -> list[str]`` (no network).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ictui.config import Settings
from ictui.slack.client import Gateway, Identity, SlackFailure, check_api_url
from ictui.slack.errors import ADMIN, classify
from ictui.slack.manifest import LIVE_SCOPES, REQUIRED_SCOPES
from ictui.store.interface import StoreAPI


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    ok: bool
    detail: str


def run_doctor(settings: Settings, store: StoreAPI | None = None) -> list[Check]:
    asks = (
        [Check("ask the Slack admin", False, ask) for ask in admin_requests(store)]
        if store is not None
        else []
    )
    if not settings.slack_configured:
        return [
            Check(
                "token",
                False,
                "no token: set SLACK_BOT_TOKEN (a bot token, xoxb-...) or [slack] token in the config",
            ),
            *asks,
        ]
    checks = []
    if not settings.slack_token.startswith("xoxb-"):
        checks.append(
            Check("token", False, "the token is not a bot token (xoxb-...); ictui needs the bot's token")
        )
    try:
        check_api_url(settings.slack_api_url)
    except SlackFailure as exc:
        return [*checks, Check("api url", False, str(exc)), *asks]
    gateway = Gateway(settings)
    try:
        identity = gateway.identity()
    except SlackFailure as exc:
        return [*checks, Check("auth.test", False, str(exc))]
    checks.append(Check("auth.test", True, f"bot @{identity.user} in {identity.team} ({identity.team_url})"))
    checks.extend(_scopes(identity, {**REQUIRED_SCOPES, **(LIVE_SCOPES if settings.slack_app_token else {})}))
    checks.append(_broadcast(gateway, settings, identity))
    checks.append(_escalation(gateway, settings))
    checks.append(_app_token(settings))
    return checks + asks


def _app_token(settings: Settings) -> Check:
    """The app-level token for Slack's events over Socket Mode (optional)."""
    name = "live events"
    token = settings.slack_app_token
    if not token:
        return Check(name, True, "no SLACK_APP_TOKEN: Slack is polled every 30 s (set one for live events)")
    if not token.startswith("xapp-"):
        return Check(
            name,
            False,
            "SLACK_APP_TOKEN is not an app-level token (xapp-…, Basic Information → App-Level Tokens)",
        )
    from slack_sdk import WebClient
    from slack_sdk.errors import SlackApiError

    try:
        WebClient(base_url=settings.slack_api_url, timeout=10).apps_connections_open(app_token=token)
    except SlackApiError as exc:
        code = (
            (exc.response.data or {}).get("error", "refused")
            if isinstance(exc.response.data, dict)
            else "refused"
        )
        return Check(
            name,
            False,
            f"Slack refused the app-level token ({code}); make one with the connections:write "
            "scope and turn Socket Mode on (`ictui slack manifest` does)",
        )
    except Exception as exc:  # noqa: BLE001 (the network): said in one line, never the token
        return Check(name, False, f"cannot reach Slack for Socket Mode ({type(exc).__name__})")
    return Check(name, True, "Socket Mode: Slack's events arrive live")


_CODE = re.compile(r"\(([a-z_.]+): ([a-z_]+)\)")


def admin_requests(store: StoreAPI | None) -> list[str]:
    """What to ask a Slack admin, from what the outbox met (newest items, one line a code)."""
    if store is None:
        return []
    found: dict[str, str] = {}
    for item in reversed(store.outbox_items(include_done=True, limit=500)):
        codes = [item.admin_code] + [code for _, code in _CODE.findall(item.last_error)]
        if "lacks the" in item.last_error and "scope" in item.last_error:
            codes.append("missing_scope")
        for code in codes:
            if code and classify(code).kind == ADMIN and code not in found:
                where = f"#{item.incident_number} " if item.incident_number else ""
                found[code] = f"{code} ({where}{item.label}): {classify(code).words}"
    return list(found.values())


def _scopes(identity: Identity, wanted: dict[str, str]) -> list[Check]:
    if identity.scopes is None:
        return [
            Check(
                "scopes", True, "Slack did not list the token's scopes; the channel checks below still apply"
            )
        ]
    return [
        Check(
            f"scope {scope}",
            scope in identity.scopes,
            purpose
            if scope in identity.scopes
            else f"missing: cannot {purpose}; add it to the Slack app and reinstall it",
        )
        for scope, purpose in wanted.items()
    ]


def _broadcast(gateway: Gateway, settings: Settings, identity: Identity) -> Check:
    name = f"broadcast {settings.broadcast_channel}"
    try:
        channel = gateway.call("conversations.info", channel=gateway.channel_id(settings.broadcast_channel))[
            "channel"
        ]
    except SlackFailure as exc:
        return Check(name, False, str(exc))
    if channel.get("is_member"):
        return Check(name, True, f"{channel['id']}: the bot is a member")
    if identity.scopes is None or "channels:join" in identity.scopes:
        return Check(
            name, True, f"{channel['id']}: the bot is not a member yet and will join on its first post"
        )
    return Check(name, False, f"the bot is not a member and cannot join; invite it: /invite @{identity.user}")


def _escalation(gateway: Gateway, settings: Settings) -> Check:
    name = f"escalation {settings.escalation_channel}"
    try:
        channel = gateway.channel_id(settings.escalation_channel)
        gateway.call("conversations.history", channel=channel, limit=1)
    except SlackFailure as exc:
        if exc.code == "not_in_channel":
            return Check(
                name, False, f"the bot cannot read it: invite the bot to {settings.escalation_channel}"
            )
        return Check(name, False, str(exc))
    return Check(name, True, f"{channel}: readable")
