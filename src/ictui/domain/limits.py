"""How long each kind of text may be: the one table, and the one check every path uses.

The store checks every text it is given against this table inside its write, whichever
way it came: the command line, the cockpit, a CSV file, Slack's members, on SQLite or on
PostgreSQL. A refusal is one line that quotes at most the first 60 characters of what
was given (a 70,000-character value is not printed back whole).
"""

from __future__ import annotations

from ictui.domain.errors import InvalidInput
from ictui.domain.text import clean_line, clean_text

# Characters, once cleaned (controls taken out, spaces folded on one-line text).
LIMITS: dict[str, int] = {
    "title": 200,  # an incident's, an action item's
    "note": 40_000,  # a timeline note, a status or severity note, a summary, a section
    "update": 38_500,  # a status update for Slack: its 40,000, less the line ictui adds
    "name": 100,  # a person's, an author's, a facilitator's
    "email": 254,  # RFC 5321's longest address
    "team": 100,
    "part": 100,  # a part of the product a team owns
    "role": 100,  # a person's role on the roster (EM, tech lead)
    "owner": 100,  # an action item's owner
    "ticket key": 50,  # OPS-123
    "link": 2_000,  # a ticket's link
    "slack handle": 100,
}
# Kinds whose text may span lines; the others are one line.
MULTILINE = frozenset({"note", "update"})
# How much of a refused value a refusal quotes.
QUOTED = 60

_WHAT = {
    "title": "the title",
    "note": "the note",
    "update": "the update",
    "name": "the name",
    "email": "the email",
    "team": "the team name",
    "part": "the part's name",
    "role": "the role",
    "owner": "the owner",
    "ticket key": "the ticket key",
    "link": "the link",
    "slack handle": "the Slack handle",
}


def quoted(value: object) -> str:
    """``value`` on one line, cut at 60 characters, in quotes: what a refusal shows of it."""
    text = " ".join(str(value).split())
    return repr(text[:QUOTED] + ("…" if len(text) > QUOTED else ""))


def check_length(kind: str, text: str, what: str | None = None) -> str:
    """``text`` (already cleaned) if it is within the limit of ``kind``; else a refusal."""
    limit = LIMITS[kind]
    if len(text) > limit:
        raise InvalidInput(
            f"{what or _WHAT[kind]} is {len(text):,} characters; the limit is {limit}: {quoted(text)}"
        )
    return text


def checked(kind: str, text: str | None, *, required: bool = False, what: str | None = None) -> str:
    """``text`` cleaned as its kind is stored (one line, or lines for notes and updates),
    refused if too long, or if ``required`` and it shows nothing."""
    cleaned = (clean_text if kind in MULTILINE else clean_line)(text or "")
    if required and not cleaned:
        raise InvalidInput(f"{what or _WHAT[kind]} is required")
    return check_length(kind, cleaned, what)


def author_name(text: str | None) -> str:
    """Who wrote something ($ICTUI_USER, a Slack name): one line, cut to a name's limit
    rather than refused (the note they wrote is what matters)."""
    return clean_line(text or "")[: LIMITS["name"]]


def checked_list(kind: str, items: list[str] | tuple[str, ...] | None) -> list[str]:
    """Each item cleaned and checked; the empty ones dropped, repeats too, order kept."""
    cleaned = (checked(kind, item) for item in items or [])
    return list(dict.fromkeys(item for item in cleaned if item))
