"""Text as Slack counts it, and the limits ictui checks before anything is queued. Pure.

Slack documents 3,000 characters per section and 40,000 for a message's ``text``, but it
refuses a message whose blocks hold more than about 12,000 characters of text in all
(``msg_blocks_too_long``, undocumented, server-side). It counts the text as sent, after
escaping: ``&`` is five characters (``&amp;``), ``<`` and ``>`` four. ictui refuses an
update, a note or a summary over that at once, with how much to cut, rather than queue
something Slack will never take.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ictui.domain.errors import InvalidInput
from ictui.domain.text import clean_text

# All the block text of one message (sections, fields, context), as Slack counts it.
BLOCK_TEXT_LIMIT = 12_000
# The heading and the context line around an update's text: emoji, severity, status, the
# date, the channel link of a mirrored copy (the title and the names are counted apart).
UPDATE_FRAME = 300
# What one pinned message, copied onto the timeline, may hold (the rest is cut, marked).
PIN_LIMIT = 4_000
CUT_MARKER = "… [cut: the whole message is in Slack]"


def escape(text: str) -> str:
    """Typed text made inert for mrkdwn: ``&`` first, so that nothing is escaped twice."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# A bare web address in typed text; ``|`` is left out so that no label can be smuggled in,
# and closing punctuation stays outside.
_URL = re.compile(r"https?://[^\s<>|\"]+[^\s<>|\".,;:!?)\]}'*_~]")


def mrkdwn(text: str) -> str:
    """Typed text as mrkdwn: escaped (mentions stay inert), its bare web addresses links."""
    parts = []
    last = 0
    for match in _URL.finditer(text):
        parts.append(escape(text[last : match.start()]))
        parts.append(f"<{escape(match.group())}>")
        last = match.end()
    parts.append(escape(text[last:]))
    return "".join(parts)


def slack_length(text: str) -> int:
    """How many characters Slack counts for typed text once made mrkdwn."""
    return len(mrkdwn(text))


def update_length(text: str, title: str = "", names: Iterable[str] = ()) -> int:
    """The block text of an update's message: its text, the title and names around it."""
    return (
        slack_length(clean_text(text))
        + slack_length(title)
        + sum(slack_length(n) for n in names)
        + UPDATE_FRAME
    )


def check_update(text: str, title: str = "", names: Iterable[str] = (), what: str = "the update") -> None:
    """Refuse an update whose message Slack would refuse, saying how much to cut."""
    total = update_length(text, title, names)
    if total > BLOCK_TEXT_LIMIT:
        over = total - BLOCK_TEXT_LIMIT
        raise InvalidInput(
            f"{what} is too long for Slack: its message would hold {total:,} characters as Slack "
            f"counts them (&, < and > count as 5, 4 and 4; the title and names included), and Slack "
            f"takes at most {BLOCK_TEXT_LIMIT:,}: shorten it by {over:,}"
        )


_COST = {"&": 5, "<": 4, ">": 4}


def cap(text: str, limit: int, marker: str = CUT_MARKER) -> str:
    """At most ``limit`` characters as Slack counts them, cut at a word, with a marker."""
    if slack_length(text) <= limit:
        return text
    room = max(limit - slack_length(marker), 0)
    kept: list[str] = []
    used = 0
    for char in text:
        used += _COST.get(char, 1)
        if used > room:
            break
        kept.append(char)
    cut = "".join(kept)
    space = cut.rfind(" ")
    if space > len(cut) * 3 // 4:
        cut = cut[:space]
    return cut.rstrip() + marker
