"""Slack messages: Block Kit with a plain-text fallback, and Slack's limits checked first.

Everything a person typed (titles, summaries, updates, notes, names) goes through
:func:`escape`: Slack's mrkdwn reads ``<...>`` as mentions and links, so ``&``, ``<`` and
``>`` become ``&amp;``, ``&lt;`` and ``&gt;``. Typed text can then never produce
``<!channel>``, ``<!here>``, ``<@U…>`` or a disguised ``<http…|…>`` link; the only
``<...>`` in a message are the ones written here (a channel link, a date, and the bare web
addresses of updates and notes, made links here since they carry no label). Text objects
are ``verbatim`` so that Slack does not turn a bare "@channel" into a mention.

The channel topic is plain text (Slack does not format topics): it is not escaped.

:func:`check_update_text` lets the composer and the CLI refuse an update that would
not fit *before* it is queued (domain/slack_text.py: Slack's 12,000 characters of block
text per message); the renderers raise the same ``InvalidInput``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ictui.domain.clock import to_utc
from ictui.domain.enums import Severity, Status
from ictui.domain.errors import InvalidInput
from ictui.domain.slack_text import BLOCK_TEXT_LIMIT, cap, check_update, escape, mrkdwn
from ictui.domain.text import clean_text
from ictui.domain.views import IncidentView

# Slack's limits (api.slack.com: chat.postMessage, Block Kit reference, setTopic).
TEXT_LIMIT = 40_000
SECTION_LIMIT = 3_000
FIELD_LIMIT = 2_000
CONTEXT_LIMIT = 3_000
BLOCKS_LIMIT = 50
TOPIC_LIMIT = 250
# The most of the incident's summary an announcement carries.
ANNOUNCED_SUMMARY = 3_000

SEVERITY_EMOJI = {
    Severity.SEV1: ":red_circle:",
    Severity.SEV2: ":large_orange_circle:",
    Severity.SEV3: ":large_yellow_circle:",
    Severity.SEV4: ":white_circle:",
}


@dataclass(frozen=True, slots=True)
class Message:
    """What ``chat.postMessage`` gets: ``text`` (notifications, screen readers) and ``blocks``."""

    text: str
    blocks: tuple[dict[str, Any], ...]


__all__ = ["escape", "mrkdwn"]


def check_update_text(text: str, incident: IncidentView | None = None) -> None:
    """Refuse, before anything is queued or sent, an update Slack would not take: all of
    its message's block text counted as Slack counts it (with the incident's title and names)."""
    if incident is None:
        check_update(text)
        return
    names = [incident.ic.name] if incident.ic else []
    check_update(text, incident.title, names)


def topic(incident: IncidentView) -> str:
    """The channel topic, plain text: ``SEV2 · investigating · IC Ana Ruiz``."""
    ic = f"IC {incident.ic.name}" if incident.ic else "no IC yet"
    return _cut_plain(f"{incident.severity} · {incident.status} · {ic}", TOPIC_LIMIT)


def status_update(
    incident: IncidentView,
    text: str,
    author: str,
    at: datetime,
    *,
    mirror_of: str = "",
    written_under: tuple[Severity, Status] | None = None,
) -> Message:
    """An update for the incident channel; ``mirror_of`` (a channel id) for the broadcast copy.

    ``written_under``: the severity and status when the update was queued; the heading says
    those, not the incident's at delivery (after an outage it may have moved on).
    """
    body = mrkdwn(clean_text(text))
    _check_body("the update", body)
    severity, status = written_under or (incident.severity, incident.status)
    head = (
        f"{SEVERITY_EMOJI[severity]} *{severity} · {str(status).capitalize()}* · {_incident_label(incident)}"
    )
    context = [f"Update by {escape(author or 'the IC')}", _date(at)]
    if incident.ic:
        context.insert(0, f"IC {escape(incident.ic.name)}")
    if mirror_of:
        context.append(f"Follow it in <#{mirror_of}>")
    blocks = [_section(head), *(_section(part) for part in _split(body)), _context(" · ".join(context))]
    fallback = f"{severity} {_incident_label(incident)} ({status}): {body}"
    return _message(fallback, blocks)


def announcement(incident: IncidentView, channel_id: str, *, in_broadcast: bool = False) -> Message:
    """The broadcast channel hears of a declared incident, with a link to its channel; or,
    ``in_broadcast`` (Slack would not let the bot create one), that updates follow here."""
    ic = escape(incident.ic.name) if incident.ic else "not assigned yet"
    head = f":rotating_light: *{incident.severity} incident declared* · {_incident_label(incident)}"
    where = "this channel (no incident channel could be created)" if in_broadcast else f"<#{channel_id}>"
    fields = [
        f"*Severity*\n{SEVERITY_EMOJI[incident.severity]} {incident.severity}",
        f"*Incident Controller*\n{ic}",
        f"*Status*\n{_status(incident)}",
        f"*Updates*\n{where}",
    ]
    blocks: list[dict[str, Any]] = [
        _section(head),
        {"type": "section", "fields": [_mrkdwn(f) for f in fields]},
    ]
    # The announcement must go out: a summary too long for it is cut (it is whole in ictui).
    summary = escape(cap(incident.summary, ANNOUNCED_SUMMARY, "…"))
    if summary:
        blocks.extend(_section(part) for part in _split(summary))
    follow = (
        "Slack did not let ictui create an incident channel: updates follow here, in this channel."
        if in_broadcast
        else f"Join <#{channel_id}> to help; updates follow there."
    )
    blocks.append(_context(follow))
    fallback = (
        f"{incident.severity} incident declared: {_incident_label(incident)}. IC: {ic}. "
        f"Updates: {'in this channel' if in_broadcast else f'<#{channel_id}>'}."
        + (f" {summary}" if summary else "")
    )
    return _message(fallback, blocks)


def shared_note(incident: IncidentView, text: str, author: str, at: datetime) -> Message:
    """A timeline note the IC chose to share with the channel."""
    body = mrkdwn(clean_text(text))
    _check_body("the note", body)
    who = escape(author or "the IC")
    blocks = [
        _context(f":memo: Timeline note by {who} · {_date(at)}"),
        *(_section(part) for part in _split(body)),
    ]
    return _message(f"Timeline note by {who}: {body}", blocks)


def prepared(mrkdwn: str) -> Message:
    """A message ictui composed in mrkdwn elsewhere, its user text already escaped there
    (the post-mortem summary): only cut into sections and checked against the limits."""
    if not mrkdwn.strip():
        raise InvalidInput("the message is empty")
    _check_body("the message", mrkdwn)
    return _message(mrkdwn, [_section(part) for part in _split(mrkdwn)])


# ---------------------------------------------------------------------- reading Slack's text

_TOKEN = re.compile(r"<([^<>]*)>")


def to_plain(text: str, user_name: Callable[[str], str] | None = None) -> str:
    """Slack's mrkdwn as a person reads it: ``<@U1>`` → ``@Ana``, ``<url|label>`` →
    ``label (url)``, entities decoded. ``user_name(id)`` names a user (None: keep the id)."""

    def replace(match: re.Match[str]) -> str:
        inner = match.group(1)
        target, _, label = inner.partition("|")
        if target.startswith("@"):
            name = label or (user_name(target[1:]) if user_name else "") or target[1:]
            return f"@{name}"
        if target.startswith("#"):
            return f"#{label or target[1:]}"
        if target.startswith("!subteam"):
            return label or "@group"
        if target.startswith("!date"):
            return label or ""
        if target.startswith("!"):
            return f"@{target[1:]}"
        return f"{label} ({target})" if label and label != target else target

    plain = _TOKEN.sub(replace, text)
    return plain.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


# ---------------------------------------------------------------------- internals


def _incident_label(incident: IncidentView) -> str:
    return f"#{incident.number} {escape(incident.title)}"


def _status(incident: IncidentView) -> str:
    return str(incident.status).capitalize()


def _date(at: datetime) -> str:
    """A time each reader sees in their own zone, with a UTC fallback."""
    utc = to_utc(at)
    return (
        f"<!date^{int(utc.timestamp())}^{{date_short_pretty}} {{time}}|{utc.format('YYYY-MM-DD HH:mm')} UTC>"
    )


def _mrkdwn(text: str) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": text, "verbatim": True}


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": _mrkdwn(text)}


def _context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [_mrkdwn(_cut(text, CONTEXT_LIMIT))]}


def _cut_plain(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip(" ·") + "…"


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    # Never leave half an entity ("&am") at the end.
    amp = cut.rfind("&")
    if amp != -1 and ";" not in cut[amp:]:
        cut = cut[:amp]
    return cut + "…"


def _check_body(what: str, body: str) -> None:
    """Slack counts the escaped text: ``&`` is five characters, ``<`` and ``>`` four."""
    if len(body) > BLOCK_TEXT_LIMIT:
        raise InvalidInput(
            f"{what} is {len(body):,} characters as Slack counts them (&, < and > count as 5, 4 "
            f"and 4); Slack takes at most {BLOCK_TEXT_LIMIT:,} in a message: shorten it by "
            f"{len(body) - BLOCK_TEXT_LIMIT:,}"
        )


def _split(body: str) -> list[str]:
    """Cut text into sections of at most 3,000 characters, at a line or a word if possible."""
    parts = []
    while len(body) > SECTION_LIMIT:
        window = body[:SECTION_LIMIT]
        cut = max(window.rfind("\n"), window.rfind(" "))
        if cut < SECTION_LIMIT // 2:
            cut = SECTION_LIMIT
            amp = window.rfind("&")
            if amp != -1 and ";" not in window[amp:]:
                cut = amp
        parts.append(body[:cut].rstrip())
        body = body[cut:].lstrip()
    if body:
        parts.append(body)
    return parts


def _message(fallback: str, blocks: list[dict[str, Any]]) -> Message:
    """The last check before sending: Slack's limits, with a message a person can act on."""
    if len(fallback) > TEXT_LIMIT:
        raise InvalidInput(f"the message is {len(fallback):,} characters; Slack takes at most {TEXT_LIMIT:,}")
    if len(blocks) > BLOCKS_LIMIT:
        raise InvalidInput(f"the message needs {len(blocks)} blocks; Slack takes at most {BLOCKS_LIMIT}")
    total = block_text_length(blocks)
    if total > BLOCK_TEXT_LIMIT:
        raise InvalidInput(
            f"the message holds {total:,} characters of text as Slack counts them; Slack takes at "
            f"most {BLOCK_TEXT_LIMIT:,}: shorten it by {total - BLOCK_TEXT_LIMIT:,}"
        )
    for block in blocks:
        texts = [block.get("text"), *block.get("fields", []), *block.get("elements", [])]
        for item in texts:
            if item and len(item["text"]) > SECTION_LIMIT:
                raise InvalidInput(
                    f"a part of the message is {len(item['text']):,} characters; Slack takes at most {SECTION_LIMIT:,}"
                )
        for item in block.get("fields", []):
            if len(item["text"]) > FIELD_LIMIT:
                raise InvalidInput(
                    f"a field is {len(item['text']):,} characters; Slack takes at most {FIELD_LIMIT:,}"
                )
    return Message(fallback, tuple(blocks))


def block_text_length(blocks: list[dict[str, Any]] | tuple[dict[str, Any], ...]) -> int:
    """All the text of a message's blocks (sections, fields, context), as sent."""
    total = 0
    for block in blocks:
        for item in [block.get("text"), *block.get("fields", []), *block.get("elements", [])]:
            if item:
                total += len(item.get("text", ""))
    return total
