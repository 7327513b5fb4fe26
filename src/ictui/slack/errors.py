"""Every error code the Slack methods ictui calls can return, classified in one table.

From Slack's method reference (docs.slack.dev, the "Errors" table of each method ictui
calls: auth.test, chat.postMessage, chat.getPermalink, conversations.create, .setTopic,
.invite, .join, .unarchive, .history, .info, .list, pins.list, users.info, .list,
.lookupByEmail) and its common errors, plus ``msg_blocks_too_long``, which Slack returns
without documenting it (a message whose blocks hold more than about 12,000 characters).

Each code is one of:

``retry``  Slack's own trouble or a rate limit: the item is tried again later, by itself.
``token``  The token is refused: nothing works until it is replaced; a delivery run stops.
``admin``  A workspace setting, a scope or a grant that only a Slack admin can change; the
           item fails with the fix in words (it can be retried once it is done, or dropped).
``final``  Slack will never take this one item as it is: it fails, and can be edited and
           sent again, or dropped. Nothing else waits for it unless its kind holds back.
``part``   Concerns one part of an item (one invitee): reported on the timeline, the rest
           of the item goes on.
``bug``    ictui's request was malformed: final for the item, and worth reporting.

A code not in the table is final for its item (Slack adds codes; none should block for ever).
"""

from __future__ import annotations

from dataclasses import dataclass

RETRY = "retry"
TOKEN = "token"
ADMIN = "admin"
FINAL = "final"
PART = "part"
BUG = "bug"

_REINSTALL = "add it to the Slack app (`ictui slack manifest` lists them all) and reinstall the app"
_ADMIN_POSTING = "ask a Slack admin to let the ictui app post there"


@dataclass(frozen=True, slots=True)
class ErrorClass:
    kind: str
    # What it means, in words; for ``admin`` and ``token``: what to ask or do.
    words: str

    @property
    def retried(self) -> bool:
        return self.kind == RETRY

    @property
    def stops_the_run(self) -> bool:
        return self.kind == TOKEN


ERRORS: dict[str, ErrorClass] = {
    # --- retried: Slack's own trouble, rate limits (ratelimited is HTTP 429; rate_limited,
    # chat.postMessage's "too many messages", comes as HTTP 200).
    "ratelimited": ErrorClass(RETRY, "Slack is rate limiting ictui; it will try again"),
    "rate_limited": ErrorClass(RETRY, "Slack says ictui posted too many messages; it will try again"),
    "message_limit_exceeded": ErrorClass(
        RETRY, "Slack's limit of messages in the channel was reached; it will try again"
    ),
    "internal_error": ErrorClass(RETRY, "Slack had an internal error; it will try again"),
    "fatal_error": ErrorClass(RETRY, "Slack had a serious error; it will look before trying again"),
    "service_unavailable": ErrorClass(RETRY, "Slack is unavailable; it will try again"),
    "request_timeout": ErrorClass(RETRY, "Slack timed out; it will try again"),
    "server_error": ErrorClass(RETRY, "Slack answered with a server error; it will try again"),
    "unreachable": ErrorClass(RETRY, "Slack cannot be reached; it will try again"),
    "team_added_to_org": ErrorClass(
        RETRY, "the workspace is moving into an Enterprise org; it will try again"
    ),
    "external_channel_migrating": ErrorClass(
        RETRY, "the channel is being migrated by Slack; it will try again"
    ),
    # --- the token: stop until it is replaced.
    "invalid_auth": ErrorClass(
        TOKEN, "Slack refused the bot token; set a valid SLACK_BOT_TOKEN, then run `ictui outbox --retry all`"
    ),
    "not_authed": ErrorClass(TOKEN, "no token reached Slack; set SLACK_BOT_TOKEN"),
    "token_revoked": ErrorClass(
        TOKEN, "the bot token was revoked; set a new SLACK_BOT_TOKEN, then run `ictui outbox --retry all`"
    ),
    "token_expired": ErrorClass(
        TOKEN, "the bot token expired; set a new SLACK_BOT_TOKEN, then run `ictui outbox --retry all`"
    ),
    "account_inactive": ErrorClass(TOKEN, "the bot's Slack account is deactivated; reinstall the Slack app"),
    "bad_url": ErrorClass(TOKEN, "the Slack API URL cannot be used; fix SLACK_API_URL"),
    # --- for the admin, with the fix in words.
    "restricted_action": ErrorClass(
        ADMIN,
        "a workspace setting forbids the bot this (often: only admins may create channels); ask a Slack admin to allow the ictui app to create channels and post, or create the channel by hand",
    ),
    "restricted_action_read_only_channel": ErrorClass(
        ADMIN, "the channel is read-only for the bot; " + _ADMIN_POSTING
    ),
    "restricted_action_thread_only_channel": ErrorClass(
        ADMIN, "the channel takes only thread replies; " + _ADMIN_POSTING
    ),
    "restricted_action_non_threadable_channel": ErrorClass(
        ADMIN, "the channel takes no threads; " + _ADMIN_POSTING
    ),
    "restricted_action_thread_locked": ErrorClass(ADMIN, "the thread is locked; " + _ADMIN_POSTING),
    "missing_scope": ErrorClass(ADMIN, "the bot token lacks a scope; " + _REINSTALL),
    "not_allowed_token_type": ErrorClass(
        ADMIN, "Slack does not take a bot token for this; a Slack admin or member must do it by hand in Slack"
    ),
    "ekm_access_denied": ErrorClass(
        ADMIN,
        "the workspace's administrators have suspended posting (Enterprise Key Management); ask a Slack admin",
    ),
    "team_access_not_granted": ErrorClass(
        ADMIN, "the app was not granted this workspace of the org; ask a Slack admin to add it"
    ),
    "access_denied": ErrorClass(
        ADMIN, "Slack denied access to it; ask a Slack admin to grant the ictui app access"
    ),
    "accesslimited": ErrorClass(
        ADMIN,
        "Slack limits this method on the network ictui runs on; ask a Slack admin about IP restrictions",
    ),
    "no_permission": ErrorClass(
        ADMIN, "the bot lacks the permission; ask a Slack admin to grant it to the ictui app"
    ),
    "enterprise_is_restricted": ErrorClass(
        ADMIN, "the Enterprise org forbids this method; ask a Slack admin"
    ),
    "org_login_required": ErrorClass(
        ADMIN, "the workspace is migrating to an Enterprise org; ask a Slack admin to finish it"
    ),
    "two_factor_setup_required": ErrorClass(
        ADMIN, "the workspace requires two-factor authentication set up; ask a Slack admin"
    ),
    "invalid_name_specials_for_enterprise": ErrorClass(
        ADMIN, "the org's channel naming rules refuse the name; set channel_prefix to one they allow"
    ),
    "invitee_cant_see_channel": ErrorClass(
        ADMIN, "the person is not in a workspace the channel is shared with; ask a Slack admin"
    ),
    "no_external_invite_permission": ErrorClass(
        ADMIN, "the bot may not invite people from outside the organisation; ask a Slack admin"
    ),
    "method_deprecated": ErrorClass(ADMIN, "Slack retired a method ictui uses; update ictui"),
    "deprecated_endpoint": ErrorClass(ADMIN, "Slack retired a method ictui uses; update ictui"),
    # --- final for that one item: edit it and send it again, or drop it.
    "invalid_blocks": ErrorClass(FINAL, "Slack refused the message layout"),
    "invalid_blocks_format": ErrorClass(FINAL, "Slack refused the message layout"),
    "msg_too_long": ErrorClass(FINAL, "the message is too long for Slack"),
    "msg_blocks_too_long": ErrorClass(
        FINAL, "the message holds more text than Slack takes (12,000 characters); edit it shorter"
    ),
    "no_text": ErrorClass(FINAL, "the message is empty"),
    "too_many_attachments": ErrorClass(FINAL, "the message has too many attachments"),
    "attachment_payload_limit_exceeded": ErrorClass(FINAL, "the message's attachments are too large"),
    "invalid_metadata_format": ErrorClass(FINAL, "Slack refused the message metadata"),
    "invalid_metadata_schema": ErrorClass(FINAL, "Slack refused the message metadata"),
    "metadata_too_large": ErrorClass(FINAL, "the message metadata is too large"),
    "metadata_must_be_sent_from_app": ErrorClass(FINAL, "message metadata needs an app's token"),
    "channel_not_found": ErrorClass(
        FINAL, "the channel was not found (deleted, private, or misspelt in the config)"
    ),
    "is_archived": ErrorClass(FINAL, "the channel is archived"),
    "not_in_channel": ErrorClass(FINAL, "the bot is not a member of the channel; invite it with /invite"),
    "is_private": ErrorClass(FINAL, "the channel is private; invite the bot to it"),
    "too_many_members": ErrorClass(FINAL, "the channel has too many members for the bot to join"),
    "method_not_supported_for_channel_type": ErrorClass(
        FINAL, "this kind of conversation cannot be used here"
    ),
    "messages_tab_disabled": ErrorClass(FINAL, "the conversation's messages tab is turned off"),
    "cannot_reply_to_message": ErrorClass(FINAL, "Slack does not take replies to that message"),
    "duplicate_channel_not_found": ErrorClass(FINAL, "the channel of the message was not found"),
    "duplicate_message_not_found": ErrorClass(FINAL, "the message was not found"),
    "message_not_found": ErrorClass(FINAL, "the message was not found (deleted?)"),
    "too_long": ErrorClass(FINAL, "the text is too long for Slack"),
    "not_archived": ErrorClass(FINAL, "the channel is not archived"),
    "name_taken": ErrorClass(FINAL, "a channel of that name exists"),
    "invalid_name": ErrorClass(FINAL, "Slack refused the channel name"),
    "invalid_name_maxlength": ErrorClass(FINAL, "the channel name is too long"),
    "invalid_name_punctuation": ErrorClass(FINAL, "the channel name is only punctuation"),
    "invalid_name_required": ErrorClass(FINAL, "the channel name is empty"),
    "invalid_name_specials": ErrorClass(FINAL, "the channel name has characters Slack refuses"),
    "no_channel": ErrorClass(FINAL, "no channel name was given"),
    "users_not_found": ErrorClass(FINAL, "no Slack user has that email"),
    "user_not_visible": ErrorClass(FINAL, "the bot cannot see that user"),
    "cant_update_message": ErrorClass(FINAL, "the message cannot be changed"),
    "slack_connect_file_link_sharing_blocked": ErrorClass(FINAL, "the shared channel refuses links to files"),
    "slack_connect_canvas_sharing_blocked": ErrorClass(FINAL, "the shared channel refuses canvases"),
    "slack_connect_lists_sharing_blocked": ErrorClass(FINAL, "the shared channel refuses lists"),
    "team_not_found": ErrorClass(FINAL, "the workspace was not found"),
    "unknown_action": ErrorClass(FINAL, "ictui does not know this kind of item"),
    "client_error": ErrorClass(FINAL, "the Slack client failed"),
    # --- a part of an item (one invitee): on the timeline, the rest goes on.
    "user_is_restricted": ErrorClass(
        PART, "a guest account, which the bot cannot invite; a Slack admin or a member can"
    ),
    "user_is_ultra_restricted": ErrorClass(
        PART, "a single-channel guest, which the bot cannot invite; a Slack admin can"
    ),
    "ura_max_channels": ErrorClass(PART, "a single-channel guest already in a channel"),
    "cant_invite": ErrorClass(PART, "Slack refused to invite them to this channel"),
    "cant_invite_app_user": ErrorClass(PART, "an app's user, which cannot be invited"),
    "user_not_found": ErrorClass(PART, "no such Slack user (removed from the workspace?)"),
    "user_disabled": ErrorClass(PART, "a deactivated Slack account"),
    "already_in_channel": ErrorClass(PART, "already in the channel"),
    "cant_invite_self": ErrorClass(PART, "the bot itself"),
    "no_user": ErrorClass(PART, "no one to invite"),
    # --- ictui's own request is malformed: final for the item.
    "invalid_arguments": ErrorClass(BUG, "ictui sent arguments Slack refused (please report it)"),
    "invalid_arg_name": ErrorClass(BUG, "ictui sent an argument Slack refused (please report it)"),
    "invalid_array_arg": ErrorClass(BUG, "ictui sent an argument Slack refused (please report it)"),
    "invalid_charset": ErrorClass(BUG, "ictui sent text in a charset Slack refused (please report it)"),
    "invalid_form_data": ErrorClass(BUG, "ictui sent a form Slack refused (please report it)"),
    "invalid_post_type": ErrorClass(BUG, "ictui sent a request type Slack refused (please report it)"),
    "missing_post_type": ErrorClass(BUG, "ictui sent a request without its type (please report it)"),
    "invalid_cursor": ErrorClass(BUG, "ictui sent a page cursor Slack refused (please report it)"),
    "invalid_limit": ErrorClass(BUG, "ictui asked for a page size Slack refused (please report it)"),
    "invalid_types": ErrorClass(BUG, "ictui asked for channel types Slack refused (please report it)"),
    "invalid_ts_latest": ErrorClass(BUG, "ictui sent a time Slack refused (please report it)"),
    "invalid_ts_oldest": ErrorClass(BUG, "ictui sent a time Slack refused (please report it)"),
    "too_many_users": ErrorClass(
        BUG, "ictui invited more people in one call than Slack takes (please report it)"
    ),
    "unknown_method": ErrorClass(BUG, "Slack does not know a method ictui called (please report it)"),
}

_UNKNOWN = ErrorClass(FINAL, "Slack refused it")


def classify(code: str) -> ErrorClass:
    """The class of Slack's error code; a code not in the table is final for its item."""
    return ERRORS.get(code, _UNKNOWN)


def for_the_admin() -> dict[str, str]:
    """The codes only a Slack admin can fix, with what to ask (for `ictui doctor` and the docs)."""
    return {code: c.words for code, c in ERRORS.items() if c.kind == ADMIN}
