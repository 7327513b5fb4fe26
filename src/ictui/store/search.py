"""Full-text search over every incident's texts: its title, timeline, updates and post-mortem.

One index, ``search_text``, holds a row per text: SQLite's FTS5 virtual table, or on
PostgreSQL a table with a ``tsvector`` column and a GIN index. Triggers on the tables
that hold the texts keep it current inside each write's own transaction, whichever path
wrote (the ORM, the fast note path of store/note_writes.py, a copy, a migration): no
write can forget it. A row's id says which text it is: the text's own id times four
plus its kind (0 a title, 1 a timeline entry, 2 an update, 3 a post-mortem), so that a
trigger finds its row by key. Deleted timeline entries and update drafts are not
indexed. The migration ``_search_everything`` (migrations.py) creates it and fills it from
what is there.

The query (:func:`search`) runs on a driver connection (store/everyday.py): SQLite's own,
or psycopg's speaking as it (store/pg.py).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from typing import Any

from ictui.domain.enums import Severity, Status
from ictui.domain.search import SearchHit, Where, fts5_query, matching_line, ts_query, words
from ictui.store.views import read_time

TABLE = "search_text"
KINDS = {0: Where.TITLE, 1: Where.TIMELINE, 2: Where.UPDATE, 3: Where.POSTMORTEM}
# A match in the title counts for more than one in a long note.
_WEIGHT = {0: 2.0, 1: 1.0, 2: 1.0, 3: 1.0}
_TIES = {0: 0, 2: 1, 3: 2, 1: 3}
# The newest matching texts read and ranked: at least CANDIDATES, more until they name
# enough incidents (one long timeline can hold the newest thousand), never more than
# MAX_CANDIDATES. See _SQLITE_QUERY.
CANDIDATES = 500
MAX_CANDIDATES = 5_000
_BATCH = 250

_POSTMORTEM_FIELDS = (
    "summary",
    "impact",
    "root_cause",
    "contributing_factors",
    "went_well",
    "went_badly",
    "got_lucky",
    "kudos",
)


def _postmortem_body(row: str, newline: str) -> str:
    return f" || {newline} || ".join(f"{row}.{field}" for field in _POSTMORTEM_FIELDS)


# ---------------------------------------------------------------------------- SQLite

_SQLITE_TABLE = (
    f"CREATE VIRTUAL TABLE {TABLE} USING fts5("
    "body, incident_id UNINDEXED, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')"
)


def _sqlite_triggers() -> list[str]:
    pm_new = _postmortem_body("new", "char(10)")
    put = f"INSERT INTO {TABLE} (rowid, body, incident_id)"
    return [
        f"CREATE TRIGGER search_incident_in AFTER INSERT ON incident BEGIN "
        f"{put} VALUES (new.id * 4, new.title, new.id); END",
        f"CREATE TRIGGER search_incident_up AFTER UPDATE OF title ON incident BEGIN "
        f"DELETE FROM {TABLE} WHERE rowid = old.id * 4; {put} VALUES (new.id * 4, new.title, new.id); END",
        f"CREATE TRIGGER search_incident_del AFTER DELETE ON incident BEGIN "
        f"DELETE FROM {TABLE} WHERE rowid = old.id * 4; END",
        f"CREATE TRIGGER search_entry_in AFTER INSERT ON timelineentry WHEN new.deleted_at IS NULL BEGIN "
        f"{put} VALUES (new.id * 4 + 1, new.text, new.incident_id); END",
        f"CREATE TRIGGER search_entry_up AFTER UPDATE OF text, deleted_at ON timelineentry BEGIN "
        f"DELETE FROM {TABLE} WHERE rowid = old.id * 4 + 1; "
        f"{put} SELECT new.id * 4 + 1, new.text, new.incident_id WHERE new.deleted_at IS NULL; END",
        f"CREATE TRIGGER search_entry_del AFTER DELETE ON timelineentry BEGIN "
        f"DELETE FROM {TABLE} WHERE rowid = old.id * 4 + 1; END",
        f"CREATE TRIGGER search_update_in AFTER INSERT ON statusupdate "
        f"WHEN new.state <> 'DRAFT' AND new.text <> '' BEGIN "
        f"{put} VALUES (new.id * 4 + 2, new.text, new.incident_id); END",
        f"CREATE TRIGGER search_update_up AFTER UPDATE OF text, state ON statusupdate BEGIN "
        f"DELETE FROM {TABLE} WHERE rowid = old.id * 4 + 2; "
        f"{put} SELECT new.id * 4 + 2, new.text, new.incident_id WHERE new.state <> 'DRAFT' AND new.text <> ''; END",
        f"CREATE TRIGGER search_update_del AFTER DELETE ON statusupdate BEGIN "
        f"DELETE FROM {TABLE} WHERE rowid = old.id * 4 + 2; END",
        f"CREATE TRIGGER search_postmortem_in AFTER INSERT ON postmortem BEGIN "
        f"{put} VALUES (new.id * 4 + 3, {pm_new}, new.incident_id); END",
        f"CREATE TRIGGER search_postmortem_up AFTER UPDATE ON postmortem BEGIN "
        f"DELETE FROM {TABLE} WHERE rowid = old.id * 4 + 3; {put} VALUES (new.id * 4 + 3, {pm_new}, new.incident_id); END",
        f"CREATE TRIGGER search_postmortem_del AFTER DELETE ON postmortem BEGIN "
        f"DELETE FROM {TABLE} WHERE rowid = old.id * 4 + 3; END",
    ]


def _fill(key: str, newline: str) -> list[str]:
    """What is already there, into the index (the migration; a salvaged file)."""
    put = f"INSERT INTO {TABLE} ({key}, body, incident_id)"
    return [
        f"{put} SELECT id * 4, title, id FROM incident",
        f"{put} SELECT id * 4 + 1, text, incident_id FROM timelineentry WHERE deleted_at IS NULL",
        f"{put} SELECT id * 4 + 2, text, incident_id FROM statusupdate WHERE state <> 'DRAFT' AND text <> ''",
        f"{put} SELECT id * 4 + 3, {_postmortem_body('postmortem', newline)}, incident_id FROM postmortem",
    ]


# ---------------------------------------------------------------------------- PostgreSQL

# Cut into words as SQLite's tokenizer and domain/search.py cut them: at anything but a
# letter or a digit ("db-01" is "db" and "01", not PostgreSQL's hyphenated word). The
# ASCII ranges are spelled out: [:alnum:] depends on the server's locale (in the C locale
# "é" is not a letter).
_PG_TABLE = f"""
CREATE TABLE {TABLE} (
  id bigint PRIMARY KEY,
  incident_id integer NOT NULL,
  body text NOT NULL,
  doc tsvector GENERATED ALWAYS AS
    (to_tsvector('simple', regexp_replace(body, '[\\x01-\\x2f\\x3a-\\x40\\x5b-\\x60\\x7b-\\x7f]+', ' ', 'g'))) STORED
)
"""
_PG_INDEX = f"CREATE INDEX ix_{TABLE}_doc ON {TABLE} USING GIN (doc)"


def _pg_trigger(table: str, code: int, body: str, indexed: str) -> list[str]:
    """A row function and trigger for ``table``: its text ``body`` (of NEW) is indexed while
    ``indexed`` (of NEW) holds, and its row removed otherwise."""
    function = f"ictui_search_{table}"
    return [
        f"""
CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' OR NOT ({indexed}) THEN
    DELETE FROM {TABLE} WHERE id = OLD.id * 4 + {code} AND TG_OP <> 'INSERT';
  ELSE
    INSERT INTO {TABLE} (id, body, incident_id) VALUES (NEW.id * 4 + {code}, {body}, NEW.incident_id)
    ON CONFLICT (id) DO UPDATE SET body = EXCLUDED.body, incident_id = EXCLUDED.incident_id;
  END IF;
  RETURN NULL;
END
$$ LANGUAGE plpgsql
""",
        f"CREATE OR REPLACE TRIGGER {function} AFTER INSERT OR UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {function}()",
    ]


def _pg_triggers() -> list[str]:
    incident = _pg_trigger("incident", 0, "NEW.title", "TRUE")
    # The incident's own id is its incident_id.
    incident[0] = incident[0].replace("NEW.incident_id", "NEW.id")
    return [
        *incident,
        *_pg_trigger("timelineentry", 1, "NEW.text", "NEW.deleted_at IS NULL"),
        *_pg_trigger("statusupdate", 2, "NEW.text", "NEW.state <> 'DRAFT' AND NEW.text <> ''"),
        *_pg_trigger("postmortem", 3, _postmortem_body("NEW", "chr(10)"), "TRUE"),
    ]


# ---------------------------------------------------------------------------- the schema


def create_index(connection: Any, *, fill: bool) -> None:
    """Create the index and its triggers on ``connection`` (SQLAlchemy's, in the schema's
    transaction); ``fill``: with what the database already holds."""
    postgres = connection.dialect.name == "postgresql"
    statements = [_PG_TABLE, _PG_INDEX, *_pg_triggers()] if postgres else [_SQLITE_TABLE, *_sqlite_triggers()]
    if fill:
        statements += _fill("id", "chr(10)") if postgres else _fill("rowid", "char(10)")
    for statement in statements:
        connection.exec_driver_sql(statement)


def refill_sqlite(connection: Any) -> None:
    """Empty the index and fill it again from the tables (sqlite3; salvage.py)."""
    connection.execute(f"DELETE FROM {TABLE}")
    for statement in _fill("rowid", "char(10)"):
        connection.execute(statement)


def is_index_table(name: str) -> bool:
    """The index or one of FTS5's own tables behind it (search_text_data, ...)."""
    return name == TABLE or name.startswith(TABLE + "_")


# ---------------------------------------------------------------------------- the query

# The newest matching texts first, read until there are enough (see search): the index
# walks its lists backwards and stops, whatever the number of matches (a word in a tenth
# of a million notes costs about what a rare one does). They are then ranked. On SQLite,
# by BM25 computed here (:func:`_bm25`) on the texts read: FTS5's own bm25() first counts
# every text that holds each word (the words' rarity), as long again as the walk itself
# for a common word at a million entries, and that rarity does not order texts that all
# hold every word. On PostgreSQL by ts_rank, on the texts' keys only: the texts
# themselves (a post-mortem is long) are read for the best text of each incident shown.
_SQLITE_QUERY = f"""
SELECT rowid, incident_id, body FROM {TABLE} WHERE {TABLE} MATCH ?
ORDER BY rowid DESC
"""
# The index's own record of its size: how many texts, how many words in all (FTS5's
# "averages" record, id 1 of its data table), for the average length of a text.
_SQLITE_AVERAGES = f"SELECT block FROM {TABLE}_data WHERE id = 1"
# ts_rank is higher for a better match; negated, lower is better, as bm25.
_PG_QUERY = f"""
SELECT id, incident_id, -ts_rank(doc, query) AS score
FROM {TABLE}, to_tsquery('simple', ?) AS query WHERE doc @@ query
ORDER BY id DESC LIMIT {{}}
"""
_PG_BODIES = f"SELECT id, body FROM {TABLE} WHERE id IN ({{}})"
_INCIDENTS = "SELECT id, number, title, status, severity FROM incident WHERE id IN ({})"
_ENTRY_TIMES = "SELECT id, occurred_at FROM timelineentry WHERE id IN ({})"
_UPDATE_TIMES = "SELECT id, COALESCE(sent_at, queued_at, created_at) FROM statusupdate WHERE id IN ({})"


def search(connection: Any, text: str, limit: int = 50) -> list[SearchHit]:
    """The incidents whose texts hold every word of ``text``, best first, at most ``limit``:
    ranked among the newest matching texts (:func:`_candidates`; every one, when fewer match)."""
    found = words(text)
    if not found or limit <= 0:
        return []
    on_server = getattr(connection, "on_server", False)
    texts: dict[int, str] = {}  # SQLite: the texts read with the candidates
    if on_server:
        rows = _pg_candidates(connection, ts_query(found), limit)
    else:
        cursor = connection.execute(_SQLITE_QUERY, (fts5_query(found),))
        read = _candidates(cursor, limit)
        texts = {key: body for key, _, body in read}
        rows = _bm25(connection, read, found)
    best: dict[int, tuple[tuple[float, int], int]] = {}
    counts: dict[int, int] = {}
    for key, incident_id, score in rows:
        # Equal scores: the title, then an update (its text is on the timeline too).
        kind = key % 4
        weighted = (float(score) * _WEIGHT[kind], _TIES[kind])
        counts[incident_id] = counts.get(incident_id, 0) + 1
        known = best.get(incident_id)
        if known is None or weighted < known[0]:
            best[incident_id] = (weighted, key)
    incidents = _by_id(connection, _INCIDENTS, list(best))
    ranked = sorted(best.items(), key=lambda item: (item[1][0], -incidents[item[0]][0]))[:limit]
    shown = [key for _, (_score, key) in ranked]
    bodies = _by_id(connection, _PG_BODIES, shown) if on_server else {key: (texts[key],) for key in shown}
    times = _times(connection, shown)
    hits = []
    for incident_id, (_score, key) in ranked:
        if key not in bodies:
            continue  # deleted since the index was read
        number, title, status, severity = incidents[incident_id]
        line, spans = matching_line(bodies[key][0], found)
        hits.append(
            SearchHit(
                number=number,
                title=title,
                status=Status[status],
                severity=Severity[severity],
                where=KINDS[key % 4],
                at=times.get(key),
                line=line,
                spans=spans,
                matches=counts[incident_id],
            )
        )
    return hits


_TOKEN = re.compile(r"[^\W_]+")
_K1, _B = 1.2, 0.75  # FTS5's bm25() constants


def _bm25(connection: Any, rows: list[Any], found: list[str]) -> list[tuple[int, int, float]]:
    """Each text's (key, incident id, score) as FTS5's bm25() scores it (lower is better),
    but for the words' rarity, the same for every text here: each holds every word. A word
    counts where a word of the text starts with it (case and accents aside, as the index)."""
    if not rows:
        return []
    words_folded = [_fold(word) for word in found]
    average = _average_length(connection)
    scored = []
    for key, incident_id, body in rows:
        tokens = _TOKEN.findall(_fold(body))
        if average is None:
            average = max(1.0, sum(len(_TOKEN.findall(_fold(r[2]))) for r in rows) / len(rows))
        norm = _K1 * (1 - _B + _B * len(tokens) / average)
        score = 0.0
        for word in words_folded:
            frequency = sum(1 for token in tokens if token.startswith(word)) or 1
            score += frequency * (_K1 + 1) / (frequency + norm)
        scored.append((key, incident_id, -score))
    return scored


def _fold(text: str) -> str:
    text = text.casefold()
    if text.isascii():
        return text
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _average_length(connection: Any) -> float | None:
    """The average number of words in an indexed text, from the index's own record of its
    size; None if it cannot be read (then the texts read give it)."""
    try:
        row = connection.execute(_SQLITE_AVERAGES).fetchone()
        texts, words_in_all = _varints(bytes(row[0]))[:2]
    except Exception:  # noqa: BLE001 (an FTS5 of another layout: the texts read give the average)
        return None
    return words_in_all / texts if texts and words_in_all else None


def _varints(blob: bytes) -> list[int]:
    """SQLite's variable-length integers, one after the other."""
    values, at = [], 0
    while at < len(blob):
        value = 0
        for index in range(9):
            byte = blob[at]
            at += 1
            if index == 8:
                value = (value << 8) | byte
                break
            value = (value << 7) | (byte & 0x7F)
            if not byte & 0x80:
                break
        values.append(value)
    return values


def _pg_candidates(connection: Any, query: str, limit: int) -> list[Any]:
    """:func:`_candidates` on PostgreSQL, which ranks every row a query returns before the
    first is read: the newest 2 × CANDIDATES, and MAX_CANDIDATES only when those name too
    few incidents (the same rows as one query of MAX_CANDIDATES)."""
    rows: list[Any] = []
    for cap in (2 * CANDIDATES, MAX_CANDIDATES):
        rows = _candidates(connection.execute(_PG_QUERY.format(cap), (query,)), limit)
        if len(rows) < cap or len({row[1] for row in rows}) >= limit:
            break
    return rows


def _candidates(cursor: Any, limit: int) -> list[Any]:
    """The newest matching texts: CANDIDATES of them, or more until they name ``limit``
    incidents, at most MAX_CANDIDATES."""
    rows: list[Any] = []
    named: set[int] = set()
    try:
        while len(rows) < MAX_CANDIDATES:
            batch = cursor.fetchmany(_BATCH)
            if not batch:
                break
            rows.extend(batch)
            named.update([row[1] for row in batch])
            if len(rows) >= CANDIDATES and len(named) >= limit:
                break
    finally:
        cursor.close()
    return rows[:MAX_CANDIDATES]


def _by_id(connection: Any, sql: str, ids: list[int]) -> dict[int, tuple[Any, ...]]:
    if not ids:
        return {}
    rows = connection.execute(sql.format(", ".join("?" * len(ids))), tuple(ids)).fetchall()
    return {row[0]: tuple(row[1:]) for row in rows}


def _times(connection: Any, keys: list[int]) -> dict[int, datetime]:
    times: dict[int, datetime] = {}
    for code, sql in ((1, _ENTRY_TIMES), (2, _UPDATE_TIMES)):
        ids = [key // 4 for key in keys if key % 4 == code]
        for row_id, (value,) in _by_id(connection, sql, ids).items():
            if value is not None:
                times[row_id * 4 + code] = read_time(value)
    return times
