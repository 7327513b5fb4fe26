"""Incident channel names, by Slack's rules.

Slack channel names are lower case letters (of any script), digits, ``-`` and ``_``, at
most 80 characters. Ours read ``<prefix>-<number>-<slug of the title>``: Latin letters
transliterated (``Straße`` → ``strasse``, ``ł`` → ``l``, ``ø`` → ``o``), the letters of other
scripts kept, the slug cut at a word boundary; the number alone only when nothing of the
title is left (an emoji-only title). When the name is taken, ``-2``, ``-3`` ... is added.
"""

from __future__ import annotations

import re

from ictui.domain.text import slugify, transliterate

NAME_LIMIT = 80
PREFIX_LIMIT = 40
DEFAULT_PREFIX = "incident"
_NOT_ALLOWED = re.compile(r"[^a-z0-9_-]+")


def clean_prefix(prefix: str) -> str:
    """The configured prefix made valid: ``"Incident "`` → ``incident``; a long one cut at a
    word (``-`` or ``_``), never leaving a dangling ``-``."""
    ascii_text = transliterate(prefix).lower().encode("ascii", "ignore").decode()
    cleaned = re.sub(r"-{2,}", "-", _NOT_ALLOWED.sub("-", ascii_text).strip("-_"))
    if len(cleaned) > PREFIX_LIMIT:
        cut = cleaned[: PREFIX_LIMIT + 1]
        boundary = max(cut.rfind("-"), cut.rfind("_"))
        cleaned = cut[:boundary] if boundary > 0 else cleaned[:PREFIX_LIMIT]
    return cleaned.strip("-_") or DEFAULT_PREFIX


def channel_name(prefix: str, number: int, title: str, attempt: int = 1) -> str:
    """The name for the ``attempt``-th try: ``incident-42-checkout-fails``, then ``...-2``."""
    base = f"{clean_prefix(prefix)}-{number}"
    suffix = f"-{attempt}" if attempt > 1 else ""
    room = NAME_LIMIT - len(base) - len(suffix) - 1
    slug = slugify(title, room, any_script=True) if room > 0 else ""
    return f"{base}-{slug}{suffix}" if slug else f"{base}{suffix}"


def is_channel_id(value: str) -> bool:
    """``C024BE91L`` (public) or ``G…`` (private): what Slack wants where it needs an id."""
    return bool(re.fullmatch(r"[CG][A-Z0-9]{6,}", value))
