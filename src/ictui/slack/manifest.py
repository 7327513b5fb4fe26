"""The Slack app's manifest: exactly the scopes ictui's calls need, as YAML to paste.

A workspace admin pastes it at api.slack.com/apps → Create New App → From a manifest,
installs the app, and gives ictui the bot token (``SLACK_BOT_TOKEN``). The scopes here
are the ones :mod:`ictui.slack.doctor` checks: one list, so they cannot drift apart.
"""

from __future__ import annotations

# Each bot scope ictui's calls need, and what fails without it.
REQUIRED_SCOPES = {
    "channels:manage": "create incident channels, set their topic, invite people (conversations.create, .setTopic, .invite)",
    "channels:join": "join the broadcast channel when the bot is not a member (conversations.join)",
    "channels:read": "find channels by name (conversations.list, conversations.info)",
    "channels:history": "read incident and escalation channels (conversations.history)",
    "chat:write": "post announcements, updates and notes (chat.postMessage, chat.getPermalink)",
    "pins:read": "pull pinned messages onto the timeline (pins.list)",
    "users:read": "name the authors of Slack messages (users.info)",
    "users:read.email": "invite people by their email (users.lookupByEmail)",
}
# For a broadcast or escalation channel that is private (configured by its id, G… or C…,
# with the bot invited): reading it and its history.
PRIVATE_SCOPES = {
    "groups:read": "see a private broadcast or escalation channel (conversations.info)",
    "groups:history": "read a private escalation channel (conversations.history)",
}
# For Slack's events over Socket Mode (SLACK_APP_TOKEN): the slash command and reactions.
LIVE_SCOPES = {
    "commands": "take `/incident note …` and `/incident status` typed in Slack",
    "reactions:read": "hear of :pushpin: reactions as they are added (reaction_added)",
}
# The events ictui listens to (message.channels for the escalation channel; pins and
# :pushpin: reactions in incident channels), and its slash command.
BOT_EVENTS = ("message.channels", "pin_added", "reaction_added")
PRIVATE_EVENTS = ("message.groups",)
SLASH_COMMAND = "/incident"
APP_NAME = "ictui"
DESCRIPTION = "The Incident Controller's cockpit: incident channels, announcements and status updates."


def manifest(*, private_channels: bool = True) -> str:
    """The app manifest as YAML (Slack's manifest schema, version 1)."""
    scopes = sorted({*REQUIRED_SCOPES, *LIVE_SCOPES}) + (sorted(PRIVATE_SCOPES) if private_channels else [])
    events = sorted(BOT_EVENTS + (PRIVATE_EVENTS if private_channels else ()))
    lines = [
        "# The ictui Slack app. Paste at https://api.slack.com/apps → Create New App → From a manifest,",
        "# install it to the workspace, then set SLACK_BOT_TOKEN to its Bot User OAuth Token (xoxb-…)",
        "# and SLACK_APP_TOKEN to an app-level token (Basic Information → App-Level Tokens, scope",
        "# connections:write; xapp-…) for live events, and run `ictui doctor`.",
        "_metadata:",
        "  major_version: 1",
        "  minor_version: 1",
        "display_information:",
        f"  name: {APP_NAME}",
        f'  description: "{DESCRIPTION}"',
        "features:",
        "  bot_user:",
        f"    display_name: {APP_NAME}",
        "    always_online: false",
        "  slash_commands:",
        f"    - command: {SLASH_COMMAND}",
        "      description: Add a note to this incident's timeline, or read its status",
        '      usage_hint: "note TEXT | status"',
        "      should_escape: false",
        "oauth_config:",
        "  scopes:",
        "    bot:",
        *(f"      - {scope}" for scope in scopes),
        "settings:",
        "  event_subscriptions:",
        "    bot_events:",
        *(f"      - {event}" for event in events),
        "  org_deploy_enabled: false",
        "  socket_mode_enabled: true",
        "  token_rotation_enabled: false",
    ]
    return "\n".join(lines) + "\n"
