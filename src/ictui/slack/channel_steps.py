"""The incident channel's part of delivery: create it, set its topic, invite people.

A mixin of the outbox's one-item delivery (slack/outbox.py, ``_Delivery``). What concerns
one part of an item never fails the item: a guest Slack will not let the bot invite, a
stale user id, a topic Slack refuses each become a line on the timeline, and the
channel, its announcement and the updates go on. Only Slack's own trouble (retried) or a
refused token stops the item.

When Slack will not let the bot create channels (``restricted_action``: only admins may,
in many workspaces), the incident is not hidden: the broadcast channel becomes where its
updates go, the announcement says so, and the timeline says what to ask the admin.

An archived incident channel is unarchived when Slack lets the bot (it rarely does: bot
tokens cannot call ``conversations.unarchive``); otherwise the item fails saying so.
"""

from __future__ import annotations

from typing import Any

from ictui.config import Settings
from ictui.domain.clock import now
from ictui.domain.outbox import Delivered, OutboxWork, SlackStep
from ictui.domain.views import IncidentView
from ictui.slack import render
from ictui.slack.channels import channel_name
from ictui.slack.client import Gateway, SlackFailure
from ictui.slack.errors import ADMIN, PART, RETRY, TOKEN, classify
from ictui.store.interface import StoreAPI

# Channel names tried before giving up: incident-42-x, incident-42-x-2, ... -10.
NAME_TRIES = 10
CLOCK_SKEW_SECONDS = 600
# Slack's cap on the users of one conversations.invite call.
INVITE_CHUNK = 1000
# Invitations that need nothing more: the person is there already (or is the bot).
_ALREADY_THERE = ("already_in_channel", "cant_invite_self")


class ChannelSteps:
    store: StoreAPI
    settings: Settings
    gateway: Gateway
    work: OutboxWork
    incident: IncidentView

    # ------------------------------------------------------------------ actions

    def _create_channel(self) -> Delivered:
        if not self.incident.slack_channel_id:
            try:
                channel_id, name = self._create()
            except SlackFailure as exc:
                if exc.kind != ADMIN:
                    raise
                return self._no_channel(exc)
            link = self.gateway.identity().channel_link(channel_id)
            self.store.outbox_checkpoint(
                self.work.id,
                {"channel_id": channel_id},
                channel=(channel_id, name),
                steps=[SlackStep(f"Slack channel #{name} created", link, now())],
            )
            self.incident = self.store.incident(self.work.incident_number)
        if self.in_broadcast():
            return Delivered()
        steps = self._part("set the channel topic", self._topic_steps)
        invited, users = self._invite(self._responder_emails())
        return Delivered(steps=tuple(steps + invited), slack_users=users)

    def _set_topic(self) -> Delivered:
        if self.in_broadcast():
            return Delivered()  # never the broadcast channel's topic
        return Delivered(steps=tuple(self._part("set the channel topic", self._topic_steps)))

    def _invite_action(self) -> Delivered:
        if self.in_broadcast():
            return Delivered()
        steps, users = self._invite([str(e).lower() for e in self.work.payload.get("emails", [])])
        return Delivered(steps=tuple(steps), slack_users=users)

    # ------------------------------------------------------------------ no channel of its own

    def in_broadcast(self) -> bool:
        """The incident's updates go to the broadcast channel (its own could not be made)."""
        return is_broadcast(self.incident, self.settings)

    def _no_channel(self, exc: SlackFailure) -> Delivered:
        """Slack refused to create the channel: updates go to the broadcast channel."""
        broadcast = self.gateway.channel_id(self.settings.broadcast_channel)
        where = self.settings.broadcast_channel.lstrip("#")
        step = SlackStep(
            f"Slack refused to create the incident channel ({exc}); updates go to #{where} instead. "
            "Run `ictui doctor` for what to ask the Slack admin",
            "",
            now(),
        )
        self.store.outbox_checkpoint(
            self.work.id,
            {"channel_id": broadcast, "admin_code": exc.code},
            channel=(broadcast, where),
            steps=[step],
        )
        self.incident = self.store.incident(self.work.incident_number)
        return Delivered(result={"admin_code": exc.code})

    # ------------------------------------------------------------------ channel

    def _create(self) -> tuple[str, str]:
        """Create the channel; a taken name gets a suffix, unless the taken one is ours
        (created by this bot after the item was queued: an earlier try whose answer was lost)."""
        identity = self.gateway.identity()
        since = self.work.created_at.timestamp() - CLOCK_SKEW_SECONDS
        names = []
        for attempt in range(1, NAME_TRIES + 1):
            name = channel_name(
                self.settings.channel_prefix, self.incident.number, self.incident.title, attempt
            )
            names.append(name)
            try:
                channel = self.gateway.call_once("conversations.create", name=name, is_private=False)[
                    "channel"
                ]
                return str(channel["id"]), str(channel["name"])
            except SlackFailure as exc:
                if exc.code != "name_taken":
                    raise
            taken = self.gateway.find_channel(name)
            if taken and taken.get("creator") == identity.user_id and float(taken.get("created", 0)) >= since:
                return str(taken["id"]), str(taken["name"])
        raise SlackFailure(
            f"the channel names #{names[0]} to #{names[-1]} are all taken; rename or archive some",
            code="name_taken",
            permanent=True,
        )

    def _channel(self) -> str:
        if not self.incident.slack_channel_id:
            raise SlackFailure(
                f"#{self.incident.number} has no Slack channel", code="no_channel", permanent=True
            )
        return self.incident.slack_channel_id

    def _part(self, what: str, step: Any) -> list[SlackStep]:
        """A part of an item: Slack refusing it is a line on the timeline, not a failure."""
        try:
            return list(step())
        except SlackFailure as exc:
            if exc.kind in (RETRY, TOKEN):
                raise
            return [SlackStep(f"Slack refused to {what}: {exc}", "", now())]

    def _topic_steps(self) -> list[SlackStep]:
        """Set the topic, unless it already reads so (a change queued twice, a retry)."""
        channel = self._channel()
        topic = render.topic(self.incident)
        current = self.gateway.call("conversations.info", channel=channel)["channel"].get("topic") or {}
        if current.get("value") in (topic, render.escape(topic)):
            return []
        self._in_channel(
            channel, lambda: self.gateway.call("conversations.setTopic", channel=channel, topic=topic)
        )
        link = self.gateway.identity().channel_link(channel)
        return [SlackStep(f"Channel topic set: {topic}", link, now())]

    def _responder_emails(self) -> list[str]:
        people = ([self.incident.ic] if self.incident.ic else []) + [p for _, p in self.incident.roles]
        return list(dict.fromkeys(p.email for p in people))

    def _invite(self, emails: list[str]) -> tuple[list[SlackStep], dict[str, str]]:
        """Invite people by email; anyone Slack will not invite is reported, never fatal."""
        if not emails:
            return [], {}
        channel = self._channel()
        known = {p.email: p for p in self.store.people(include_removed=True)}
        # Someone removed from the roster since the invitation was queued is not invited.
        removed = [e for e in emails if e in known and known[e].removed]
        emails = [e for e in emails if e not in removed]
        found: dict[str, str] = {}
        user_ids: dict[str, str] = {}
        missing = []
        for email in emails:
            user_id = known[email].slack_user_id if email in known else ""
            if not user_id:
                try:
                    user_id = str(self.gateway.call("users.lookupByEmail", email=email)["user"]["id"])
                except SlackFailure as exc:
                    if exc.kind in (RETRY, TOKEN):
                        raise
                    missing.append(email)
                    continue
                found[email] = user_id
            user_ids[email] = user_id
        problems: list[dict[str, Any]] = []
        ids = list(dict.fromkeys(user_ids.values()))
        for start in range(0, len(ids), INVITE_CHUNK):
            problems += self._invite_chunk(channel, ids[start : start + INVITE_CHUNK])
        not_invited = {str(e.get("user")) for e in problems}
        names = {user_id: (known[e].name if e in known else e) for e, user_id in user_ids.items()}
        refused = [
            f"{names.get(str(e.get('user')), e.get('user'))} ({_why(str(e.get('error')))})"
            for e in problems
            if e.get("error") not in _ALREADY_THERE
        ]
        invited = [e for e, user_id in user_ids.items() if user_id not in not_invited]
        link = self.gateway.identity().channel_link(channel)
        steps = []
        if invited:
            steps.append(
                SlackStep(
                    f"Invited to #{self.incident.slack_channel_name}: {', '.join(names[user_ids[e]] for e in invited)}",
                    link,
                    now(),
                )
            )
        if missing:
            steps.append(
                SlackStep(f"Not invited, no Slack account has the email: {', '.join(missing)}", "", now())
            )
        if removed:
            steps.append(
                SlackStep(
                    f"Not invited, removed from the roster: {', '.join(known[e].name for e in removed)}",
                    "",
                    now(),
                )
            )
        if refused:
            steps.append(SlackStep(f"Slack refused to invite: {', '.join(refused)}", "", now()))
        return steps, found

    def _invite_chunk(self, channel: str, ids: list[str]) -> list[dict[str, Any]]:
        """One conversations.invite call; what Slack refused, person by person."""
        try:
            answer = self._in_channel(
                channel,
                lambda: self.gateway.call(
                    "conversations.invite", channel=channel, users=",".join(ids), force=True
                ),
            )
            return list(answer.get("errors", []))
        except SlackFailure as exc:
            if exc.kind in (RETRY, TOKEN):
                raise
            # Slack lists who it refused; without a list (restricted_action, a lone guest),
            # no one of this call was invited.
            errors = [e for e in exc.data.get("errors", []) if isinstance(e, dict)]
            return errors or [{"user": u, "error": exc.code} for u in ids]

    def _in_channel(self, channel: str, call: Any) -> Any:
        """Run a call that needs the bot in the channel: on ``not_in_channel`` join, on
        ``is_archived`` unarchive (or say so), then try once more."""
        try:
            return call()
        except SlackFailure as exc:
            if exc.code == "is_archived" and channel == self.incident.slack_channel_id:
                self._unarchive(channel)
                return call()
            if exc.code != "not_in_channel":
                raise
        self.gateway.call("conversations.join", channel=channel)
        return call()

    def _unarchive(self, channel: str) -> None:
        try:
            self.gateway.call("conversations.unarchive", channel=channel)
        except SlackFailure as exc:
            if exc.code == "not_archived":
                return
            if exc.kind in (RETRY, TOKEN):
                raise
            raise SlackFailure(
                f"the incident channel #{self.incident.slack_channel_name} is archived (is_archived) and Slack does not let "
                f"the bot unarchive it ({exc.code}); unarchive it in Slack (the channel's settings), then "
                f"run `ictui outbox --retry {self.work.id}`",
                code="is_archived",
                permanent=True,
            ) from None
        link = self.gateway.identity().channel_link(channel)
        self.store.outbox_checkpoint(
            self.work.id,
            {},
            steps=[SlackStep(f"Slack channel #{self.incident.slack_channel_name} unarchived", link, now())],
        )


def is_broadcast(incident: IncidentView, settings: Settings) -> bool:
    """The incident has no channel of its own: its updates go to the broadcast channel."""
    name = settings.broadcast_channel.strip().lstrip("#")
    return bool(incident.slack_channel_id) and incident.slack_channel_name in (
        name,
        settings.broadcast_channel,
    )


def _why(code: str) -> str:
    c = classify(code)
    return f"{code}: {c.words}" if c.kind == PART else code
