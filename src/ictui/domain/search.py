"""Search everything: what the IC typed as words to look for, and the line that matched.

Pure: the store (store/search.py) turns :func:`words` into SQLite's FTS5 query or
PostgreSQL's ``tsquery``; the CLI and the cockpit show a :class:`SearchHit`.

A word is a run of letters and digits, as both engines cut text into words: "db-01,"
is the words "db" and "01", whatever punctuation, quotes or operators the IC typed
around them. Every word must be found, as the start of a word ("payment" finds
"payments"), anywhere in one text of the incident: its title, a timeline entry, a status
update or its post-mortem.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from ictui.domain.enums import Severity, Status

# More words than this narrow nothing further: the rest are ignored.
MAX_WORDS = 12
# What a matching line is cut to, around its first match.
LINE_WIDTH = 160

_WORD = re.compile(r"[^\W_]+")


class Where:
    """Which of the incident's texts matched."""

    TITLE = "title"
    TIMELINE = "timeline"
    UPDATE = "update"
    POSTMORTEM = "post-mortem"


@dataclass(frozen=True)
class SearchHit:
    """One incident found, with its best-matching text."""

    number: int
    title: str
    status: Status
    severity: Severity
    # Which text matched best (a Where value), and when that text is from (a timeline
    # entry's time, an update's), if it has one.
    where: str
    at: datetime | None
    # The matching line of that text, and where the words are in it (start, end).
    line: str
    spans: tuple[tuple[int, int], ...]
    # How many of the incident's texts matched (among those read).
    matches: int = 1


def words(text: str) -> list[str]:
    """The words to look for, each once (whatever its case), in the order typed. Their case is
    kept: each engine folds it as it folds the texts it indexed."""
    found: dict[str, str] = {}
    for word in _WORD.findall(text):
        found.setdefault(word.casefold(), word)
    return list(found.values())[:MAX_WORDS]


def fts5_query(found: list[str]) -> str:
    """SQLite FTS5: every word as a quoted prefix (a quoted term is never an operator)."""
    return " ".join('"' + word.replace('"', '""') + '"*' for word in found)


def ts_query(found: list[str]) -> str:
    """PostgreSQL ``to_tsquery('simple', ...)``: every word as a quoted prefix, all required."""
    return " & ".join("'" + word.replace("'", "''").replace("\\", "\\\\") + "':*" for word in found)


def matching_line(
    text: str, found: list[str], width: int = LINE_WIDTH
) -> tuple[str, tuple[tuple[int, int], ...]]:
    """The line of ``text`` that holds most of the words (the first such), cut to ``width``
    around its first match, and where the words are in it."""
    pattern = _pattern(tuple(found))
    best_line, best_count = "", -1
    best_spans: tuple[tuple[int, int], ...] = ()
    for line in text.splitlines() or [""]:
        line = line.strip()
        if not line:
            continue
        spans = tuple(m.span() for m in pattern.finditer(line)) if pattern else ()
        count = len({line[a:b].casefold() for a, b in spans})
        if count > best_count:
            best_line, best_spans, best_count = line, spans, count
            if count == len(found):
                break
    return _cut(best_line, best_spans, width)


@lru_cache(maxsize=32)
def _pattern(found: tuple[str, ...]) -> re.Pattern[str] | None:
    if not found:
        return None
    # The start of a word: not after a letter or digit.
    alternatives = "|".join(re.escape(w) for w in sorted(found, key=len, reverse=True))
    return re.compile(rf"(?<![^\W_])(?:{alternatives})", re.IGNORECASE)


def _cut(
    line: str, spans: tuple[tuple[int, int], ...], width: int
) -> tuple[str, tuple[tuple[int, int], ...]]:
    if len(line) <= width:
        return line, spans
    first = spans[0][0] if spans else 0
    start = max(0, min(first - width // 4, len(line) - width + 1))
    prefix = "…" if start else ""
    room = width - len(prefix) - 1
    cut = prefix + line[start : start + room] + "…"
    shift = len(prefix) - start
    kept = tuple(
        (a + shift, min(b + shift, len(cut) - 1)) for a, b in spans if a >= start and a + shift < len(cut) - 1
    )
    return cut, kept
