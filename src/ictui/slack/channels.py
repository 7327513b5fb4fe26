"""Incident channel names, by Slack's rules.

Slack channel names are lower case, made of ``a-z``, ``0-9``, ``-`` and ``_``, at most 80
characters. Ours read ``<prefix>-<number>-<slug of the title>``, the slug cut at a word
boundary; when the name is taken, ``-2``, ``-3`` ... is added.
"""

from __future__ import annotations

import re
import unicodedata

from ictui.domain.text import slugify

NAME_LIMIT = 80
DEFAULT_PREFIX = "incident"
_NOT_ALLOWED = re.compile(r"[^a-z0-9_-]+")


def clean_prefix(prefix: str) -> str:
    """The configured prefix made valid: ``"Incident "`` → ``incident``."""
    ascii_text = unicodedata.normalize("NFKD", prefix).encode("ascii", "ignore").decode()
    cleaned = _NOT_ALLOWED.sub("-", ascii_text.lower()).strip("-_")
    return re.sub(r"-{2,}", "-", cleaned)[:40] or DEFAULT_PREFIX


def channel_name(prefix: str, number: int, title: str, attempt: int = 1) -> str:
    """The name for the ``attempt``-th try: ``incident-42-checkout-fails``, then ``...-2``."""
    base = f"{clean_prefix(prefix)}-{number}"
    suffix = f"-{attempt}" if attempt > 1 else ""
    room = NAME_LIMIT - len(base) - len(suffix) - 1
    slug = slugify(title, room) if room > 0 else ""
    return f"{base}-{slug}{suffix}" if slug else f"{base}{suffix}"


def is_channel_id(value: str) -> bool:
    """``C024BE91L`` (public) or ``G…`` (private): what Slack wants where it needs an id."""
    return bool(re.fullmatch(r"[CG][A-Z0-9]{6,}", value))
