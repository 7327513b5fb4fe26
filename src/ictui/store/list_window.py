"""The incident list a window at a time, filtered in the database.

The cockpit shows a screenful of a list that may hold 100,000 incidents: it reads the
rows around what is on screen, never the whole list. The list's order is the incident
number, newest first; the number is unique, so a page goes on from the last number of
the page before it (keyset paging: ``number < last``, which the number's index answers
at any depth, where OFFSET would count every row above it).

The filter has the meaning of :mod:`ictui.domain.incident_filter`, made into SQL here:
severities and statuses by their stored names, and each free word looked for in
``#number title IC`` lower-cased, as :func:`~ictui.domain.incident_filter.searchable`
builds it. SQL's ``lower`` changes ASCII letters only (on SQLite; on PostgreSQL what
the database's locale says), so a word with other letters is looked for in text
lower-cased by Python's own rules on SQLite (:func:`_python_lower`), and by ICU's on
PostgreSQL where the server has it.

Everything here runs on a DB-API connection speaking SQLite's dialect, so on a SQLite
file and on PostgreSQL (through store/pg.py's ``PgConnection``) alike.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from typing import Any

from ictui.domain.enums import ACTIVE_STATUSES, Status
from ictui.domain.incident_filter import IncidentFilter
from ictui.domain.views import IncidentRow, ListWindow
from ictui.store import title_index
from ictui.store.bulk_reads import LIST_COLUMNS, LIST_TABLES, incident_rows_of
from ictui.store.driver import read_transaction

_TEXT = "lower('#' || i.number || ' ' || i.title || ' ' || coalesce(p.name, ''))"
_PYTHON_TEXT = _TEXT.replace("lower(", "ictui_lower(", 1)
_ICU = "SELECT 1 FROM pg_collation WHERE collname = 'und-x-icu'"
_COUNT_TABLES = "incident AS i LEFT OUTER JOIN person AS p ON p.id = i.ic_id"
NO_FILTER = IncidentFilter()


def _python_lower(text: str | None) -> str | None:
    return None if text is None else text.lower()


def _unicode_text(connection: Any) -> str:
    """The searchable text lower-cased as Python does, for a word with non-ASCII letters."""
    if not getattr(connection, "on_server", False):
        connection.create_function("ictui_lower", 1, _python_lower, deterministic=True)
        return _PYTHON_TEXT
    # PostgreSQL: ICU's root locale where the server has it (a cluster made with
    # --locale=C lower-cases ASCII letters only).
    if connection.execute(_ICU).fetchone() is not None:
        return _TEXT.replace("coalesce(p.name, ''))", "coalesce(p.name, '') COLLATE \"und-x-icu\")")
    return _TEXT


def _conditions(connection: Any, flt: IncidentFilter) -> tuple[list[str], list[Any]]:
    """The filter as SQL conditions on ``i`` (incident) and ``p`` (its IC), with their
    parameters."""
    where: list[str] = []
    params: list[Any] = []
    if flt.severities:
        severities = sorted(flt.severities, key=lambda s: s.rank)
        where.append(f"i.severity IN ({', '.join('?' * len(severities))})")
        params += [severity.name for severity in severities]
    if flt.statuses or flt.active_only:
        statuses = (flt.statuses or frozenset(Status)) & (
            ACTIVE_STATUSES if flt.active_only else frozenset(Status)
        )
        if not statuses:
            where.append("1 = 0")
        else:
            names = sorted(status.name for status in statuses)
            where.append(f"i.status IN ({', '.join('?' * len(names))})")
            params += names
    for word in flt.words:
        pattern = "%" + word.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%"
        if word.isascii():
            condition, word_params = _ascii_word(connection, word, pattern)
            where.append(condition)
            params += word_params
        else:
            text = _TEXT if word.isascii() else _unicode_text(connection)
            where.append(f"{text} LIKE ? ESCAPE '!'")
            params.append(pattern)
    return where, params


def _indexed(connection: Any, word: str) -> bool:
    """Whether the trigram index answers for ``word``: three characters or more (a
    trigram), ASCII (whose case SQL's ``lower`` and ``LIKE`` fold as Python does), and, on
    SQLite, no ``%`` or ``_`` (FTS5 uses its index for a ``LIKE`` without ESCAPE only)."""
    on_server = getattr(connection, "on_server", False)
    return len(word) >= 3 and word.isascii() and (on_server or not ("%" in word or "_" in word))


def _ascii_word(connection: Any, word: str, pattern: str) -> tuple[str, list[Any]]:
    """``word`` (ASCII) in ``#number title IC``. It holds no space, so it is in one of the
    three: in the title (by the trigram index, store/title_index.py, for three characters
    or more), in the IC's name among the people on the roster (then their incidents by
    the IC index), and, only for a word that could be part of ``#number``, in the number."""
    on_server = getattr(connection, "on_server", False)
    ics = "SELECT id FROM incident WHERE ic_id IN (SELECT id FROM person WHERE lower(name) LIKE ? ESCAPE '!')"
    if not _indexed(connection, word):
        # SQLite's LIKE folds ASCII letters, as its lower() does; PostgreSQL's folds none.
        title = "lower(i.title) LIKE ? ESCAPE '!'" if on_server else "i.title LIKE ? ESCAPE '!'"
        condition, word_params = f"({title} OR i.id IN ({ics})", [pattern, pattern]
    elif on_server:
        titles = "SELECT id FROM incident WHERE lower(title) LIKE ? ESCAPE '!'"
        condition, word_params = f"(i.id IN ({titles} UNION {ics})", [pattern, pattern]
    else:
        titles = f"SELECT rowid FROM {title_index.TABLE} WHERE title LIKE ?"
        condition, word_params = f"(i.id IN ({titles} UNION {ics})", [f"%{word}%", pattern]
    if _NUMBER.fullmatch(word):
        return f"{condition} OR ('#' || i.number) LIKE ?)", [*word_params, f"%{word}%"]
    return condition + ")", word_params


_NUMBER = re.compile(r"#?[0-9]*")


def _tables(where: list[str]) -> str:
    """The tables a count reads: the IC's row only where a condition looks at it."""
    return _COUNT_TABLES if any("p.name" in condition for condition in where) else "incident AS i"


def _where(conditions: list[str], *more: str) -> str:
    every = [*conditions, *more]
    return ("WHERE " + " AND ".join(every)) if every else ""


def count(connection: Any, flt: IncidentFilter = NO_FILTER) -> int:
    """How many incidents pass the filter."""
    where, params = _conditions(connection, flt)
    tables = _tables(where)
    (found,) = connection.execute(f"SELECT count(*) FROM {tables} {_where(where)}", params).fetchone()
    return int(found)


def position(connection: Any, flt: IncidentFilter, number: int) -> int | None:
    """Where incident ``number`` is in the filtered list (0: first), or None if it is not
    in it: how many that pass the filter come before it (newer ones)."""
    where, params = _conditions(connection, flt)
    tables = _tables(where)
    listed = connection.execute(
        f"SELECT 1 FROM {tables} {_where(where, 'i.number = ?')}", [*params, number]
    ).fetchone()
    if listed is None:
        return None
    (before,) = connection.execute(
        f"SELECT count(*) FROM {tables} {_where(where, 'i.number > ?')}", [*params, number]
    ).fetchone()
    return int(before)


def page(
    connection: Any,
    flt: IncidentFilter,
    limit: int,
    *,
    after: int | None = None,
    before: int | None = None,
    at: int | None = None,
) -> list[IncidentRow]:
    """Up to ``limit`` rows of the filtered list, in its order (newest first).

    ``after``: the rows that follow incident ``after`` (numbers below it); ``before``:
    the ``limit`` rows just above incident ``before``; ``at``: the rows from position
    ``at`` on (a jump: the scrollbar dragged far from any row read); none: the first.
    """
    where, params = _conditions(connection, flt)
    if before is not None:
        query = (
            f"SELECT {LIST_COLUMNS} FROM {LIST_TABLES} {_where(where, 'i.number > ?')} "
            "ORDER BY i.number ASC LIMIT ?"
        )
        rows = incident_rows_of(connection.execute(query, [*params, before, limit]))
        rows.reverse()
        return rows
    if at is not None and at > 0:
        first = _number_at(connection, flt, at)
        if first is None:
            return []
        return _from(connection, where, params, "i.number <= ?", first, limit)
    if after is not None:
        return _from(connection, where, params, "i.number < ?", after, limit)
    query = f"SELECT {LIST_COLUMNS} FROM {LIST_TABLES} {_where(where)} ORDER BY i.number DESC LIMIT ?"
    return incident_rows_of(connection.execute(query, [*params, limit]))


def _from(
    connection: Any, where: list[str], params: list[Any], key: str, number: int, limit: int
) -> list[IncidentRow]:
    query = f"SELECT {LIST_COLUMNS} FROM {LIST_TABLES} {_where(where, key)} ORDER BY i.number DESC LIMIT ?"
    return incident_rows_of(connection.execute(query, [*params, number, limit]))


def _number_at(connection: Any, flt: IncidentFilter, at: int) -> int | None:
    """The number at position ``at``: for a jump only, the one read that counts its way
    along the number index (the rows are then read by key, as every page is)."""
    where, params = _conditions(connection, flt)
    tables = _tables(where)
    found = connection.execute(
        f"SELECT i.number FROM {tables} {_where(where)} ORDER BY i.number DESC LIMIT 1 OFFSET ?",
        [*params, at],
    ).fetchone()
    return None if found is None else int(found[0])


def window(
    connection: Any,
    flt: IncidentFilter,
    keep: int | None,
    fallback: int,
    page_size: int,
    pages: int = 3,
    superseded: Callable[[], bool] | None = None,
) -> ListWindow:
    """What the list shows after a reload, in one read transaction: the counts, where
    ``keep`` is, and ``pages`` pages of ``page_size`` rows starting a page above the one
    with ``keep`` (or, when ``keep`` is not listed, the one at position ``fallback``).

    ``superseded``: asked once the counts are read; if it says the read is no longer
    wanted (the IC typed on: a newer filter will be read), the rows are not read.
    """
    with read_transaction(connection):
        total, newest = connection.execute("SELECT count(*), max(number) FROM incident").fetchone()
        if any(_indexed(connection, word) for word in flt.words):
            # The filter's words looked up in the index once: the numbers that pass, in
            # order, give the count, the position and which rows to read.
            listed = _numbers(connection, flt)
            matching = len(listed)
            found = _place(listed, keep)
        elif flt == NO_FILTER:
            listed = None
            matching = total
            found = position(connection, flt, keep) if keep is not None and total else None
        else:
            listed = None
            # One pass over what the filter selects: how many, and where ``keep`` is.
            matching, found = _count_and_position(connection, flt, keep)
        at = found if found is not None else max(0, min(fallback, matching - 1))
        start = max(0, (at // page_size - 1) * page_size)
        limit = page_size * pages
        if not matching or (superseded is not None and superseded()):
            rows = []  # nothing passes (no other read would find anything), or not wanted
        elif listed is not None:
            rows = _rows_numbered(connection, listed[start : start + limit])
        elif found is not None and keep is not None:
            above = page(connection, flt, found - start, before=keep) if found > start else []
            rows = above + page(connection, flt, limit - len(above), after=keep + 1)
        else:
            rows = page(connection, flt, limit, at=start)
    return ListWindow(total, matching, found, start, tuple(rows), int(newest or 0))


def _numbers(connection: Any, flt: IncidentFilter) -> list[int]:
    """The numbers of the incidents that pass the filter, newest first."""
    where, params = _conditions(connection, flt)
    query = f"SELECT i.number FROM {_tables(where)} {_where(where)} ORDER BY i.number DESC"
    return [int(number) for (number,) in connection.execute(query, params)]


def _place(numbers: list[int], keep: int | None) -> int | None:
    """Where ``keep`` is in ``numbers`` (descending), or None."""
    if keep is None:
        return None
    at = bisect.bisect_left(numbers, -keep, key=lambda number: -number)
    return at if at < len(numbers) and numbers[at] == keep else None


def _rows_numbered(connection: Any, numbers: list[int]) -> list[IncidentRow]:
    """The rows of these incidents (a window's, at most a few hundred), newest first."""
    if not numbers:
        return []
    query = (
        f"SELECT {LIST_COLUMNS} FROM {LIST_TABLES} WHERE i.number IN ({', '.join('?' * len(numbers))}) "
        "ORDER BY i.number DESC"
    )
    return incident_rows_of(connection.execute(query, numbers))


def _count_and_position(connection: Any, flt: IncidentFilter, keep: int | None) -> tuple[int, int | None]:
    """How many incidents pass the filter, and where ``keep`` is among them (None: not
    listed), read in one query."""
    where, params = _conditions(connection, flt)
    number = -1 if keep is None else keep
    matching, before, listed = connection.execute(
        "SELECT count(*), count(*) FILTER (WHERE i.number > ?), count(*) FILTER (WHERE i.number = ?) "
        f"FROM {_tables(where)} {_where(where)}",
        [number, number, *params],
    ).fetchone()
    return int(matching), (int(before) if listed else None)


def pages(
    connection: Any, flt: IncidentFilter, asks: list[tuple[int, dict[str, int]]], limit: int
) -> list[tuple[int, list[IncidentRow]]]:
    """Several pages, each asked for as ``(page index, anchor)``: ``page``'s keywords, and
    ``limit`` for a page of another size (the last page: ``before=0``, its size)."""
    with read_transaction(connection):
        return [
            (
                index,
                page(
                    connection,
                    flt,
                    anchor.get("limit", limit),
                    **{k: v for k, v in anchor.items() if k != "limit"},
                ),
            )
            for index, anchor in asks
        ]
