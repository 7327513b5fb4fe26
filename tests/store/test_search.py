"""Search everything: every incident's title, timeline, updates and post-mortem, found by
any of their words, ranked, with the matching line; kept current by every write,
whichever path made it; built for databases made before it. On SQLite and on PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ictui.domain.enums import Status
from ictui.domain.search import Where
from ictui.store import Store
from ictui.store.lazy import LazyStore
from ictui.store.migrations import MIGRATIONS, _search_everything
from ictui.store.salvage import salvage
from support.dumps import DUMPS, load_dump


def _found(store: Any, text: str) -> list[tuple[int, str, str]]:
    return [(hit.number, hit.where, hit.line) for hit in store.search(text)]


def test_each_kind_of_text_is_found_with_its_matching_line(any_store: Store) -> None:
    store = any_store
    title = store.declare("Payments time out at checkout", author="ana").number
    note = store.declare("Login page slow", author="ana").number
    store.add_entry(
        note, "First look at the graphs\nThe card processor answers in 30 s\nPaged the owner", author="ana"
    )
    update = store.declare("Search results empty", author="ana").number
    store.queue_update(update, "We restarted the indexer; results are back for most customers.", author="ana")
    review = store.declare("Emails delayed", author="ana").number
    store.change_status(review, Status.RESOLVED, "ana", "queue drained")
    store.save_postmortem(review, root_cause="A mailer queue filled up\nafter the Kubernetes upgrade")

    assert _found(store, "payments") == [(title, Where.TITLE, "Payments time out at checkout")]
    assert _found(store, "processor") == [(note, Where.TIMELINE, "The card processor answers in 30 s")]
    assert _found(store, "indexer") == [
        (update, Where.UPDATE, "We restarted the indexer; results are back for most customers.")
    ]
    assert _found(store, "kubernetes") == [(review, Where.POSTMORTEM, "after the Kubernetes upgrade")]
    [hit] = store.search("card processor")
    assert [hit.line[a:b] for a, b in hit.spans] == ["card", "processor"]
    assert hit.at is not None and hit.title == "Login page slow"


def test_every_word_must_be_found_each_as_the_start_of_a_word(any_store: Store) -> None:
    store = any_store
    one = store.declare("Payments time out", author="ana").number
    store.declare("Payment page typo", author="ana")
    assert [n for n, _, _ in _found(store, "payment timed")] == []
    assert [n for n, _, _ in _found(store, "PAYMENT tim")] == [one]
    assert _found(store, "ayment") == []  # not the middle of a word


def test_the_best_match_comes_first(any_store: Store) -> None:
    store = any_store
    mention = store.declare("Checkout errors", author="ana").number
    store.add_entry(mention, "Someone asked whether the certificate expired; it had not", author="ana")
    titled = store.declare("Certificate expired on the API gateway", author="ana").number
    store.declare("Unrelated", author="ana")
    assert [n for n, _, _ in _found(store, "certificate expired")] == [titled, mention]


def test_the_index_follows_every_write(any_store: Store) -> None:
    store = any_store
    number = store.declare("Disk full", author="ana").number
    entry = store.add_entry(number, "Rotated the zebra logs", author="ana")
    _, _ = store.add_note(number, "Quokka cache cleared", author="ana")  # the fast note path
    assert [n for n, _, _ in _found(store, "quokka")] == [number]

    store.edit_entry(entry.id, text="Rotated the giraffe logs", editor="ana")
    assert _found(store, "zebra") == []
    assert _found(store, "giraffe") == [(number, Where.TIMELINE, "Rotated the giraffe logs")]
    store.delete_entry(entry.id, editor="ana")
    assert _found(store, "giraffe") == []
    store.restore_entry(entry.id, editor="ana")
    assert _found(store, "giraffe") == [(number, Where.TIMELINE, "Rotated the giraffe logs")]

    store.edit_incident(number, title="Disk full on the wombat host")
    assert (number, Where.TITLE, "Disk full on the wombat host") in _found(store, "wombat")


def test_a_draft_update_is_not_searched_until_it_is_queued(any_store: Store) -> None:
    store = any_store
    number = store.declare("Disk full", author="ana").number
    store.save_draft(number, "Half-written platypus sentence", author="ana")
    assert _found(store, "platypus") == []
    store.queue_update(number, "The platypus service is back", author="ana")
    assert _found(store, "platypus") == [(number, Where.UPDATE, "The platypus service is back")]


HOSTILE = [
    '"',
    "'",
    '"unclosed',
    "AND",
    "OR NOT",
    "NEAR(a b)",
    "*",
    "a*",
    "^x",
    "col:text",
    "(",
    ")",
    "-",
    "--",
    "\\",
    "%",
    "_",
    "'; DROP TABLE incident; --",
    "!&|:*<->",
    "\x00",
    "\u200b",
    "ÉTÉ",
    "   ",
    "payments & | ! ( )",
    "''",
    "a'b",
    "x:*",
    "{body}: y",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_punctuation_quotes_and_operators_are_only_text(any_store: Store, text: str) -> None:
    store = any_store
    store.declare("Unrelated", author="ana")
    number = store.declare(f"Payments {text} (a*b) o'brien", author="ana").number
    assert isinstance(store.search(text), list)
    # Whatever the words among the punctuation, the incident that holds them is found.
    assert [n for n, _, _ in _found(store, text + " payments")] == [number]


def test_the_cockpits_store_searches_too(tmp_path: Path) -> None:
    Store(tmp_path / "ictui.db").close()
    full = Store(tmp_path / "ictui.db")
    full.declare("Payments time out", author="ana")
    full.close()
    lazy = LazyStore(tmp_path / "ictui.db")
    try:
        assert [hit.number for hit in lazy.search("payments")] == [1]
        assert lazy._full is None  # on SQLite's own connection, no database layer loaded
    finally:
        lazy.close()


# The schema that brought the index (whatever number it has among the migrations).
SEARCH_SCHEMA = next(version for version, step in MIGRATIONS.items() if step is _search_everything)


def test_a_database_made_before_search_is_indexed_when_it_opens(tmp_path: Path) -> None:
    older = [d for d in DUMPS if int(d.stem.split("_v")[1]) < SEARCH_SCHEMA]
    store = Store(load_dump(older[-1], tmp_path / "old.db"))
    try:
        assert _found(store, "slow load") == [(1, Where.TITLE, "Slow app load times")]
        assert _found(store, "p95 page") == [(1, Where.TIMELINE, "p95 page load up from 2 s to 9 s")]
        assert _found(store, "investigating slow") == [
            (1, Where.UPDATE, "We are investigating slow load times.")
        ]
        store.add_note(2, "Safari 17 only", author="ana")
        assert [n for n, _, _ in _found(store, "safari")] == [2]
    finally:
        store.close()


def test_a_server_database_made_before_search_is_indexed_when_it_opens(pg_url: str) -> None:
    store = Store(pg_url)
    number = store.declare("Payments time out", author="ana").number
    store.add_entry(number, "Card processor slow", author="ana")
    with store._writer.begin() as connection:  # as schema 3 left it: no index, no triggers
        connection.exec_driver_sql("DROP TABLE search_text")
        for table in ("incident", "timelineentry", "statusupdate", "postmortem"):
            connection.exec_driver_sql(f"DROP TRIGGER ictui_search_{table} ON {table}")
            connection.exec_driver_sql(f"DROP FUNCTION ictui_search_{table}")
        connection.exec_driver_sql(
            f"UPDATE ictui_meta SET value = '{SEARCH_SCHEMA - 1}' WHERE key = 'schema_version'"
        )
    store.close()
    reopened = Store(pg_url)
    try:
        assert reopened.migrated_from == SEARCH_SCHEMA - 1
        assert _found(reopened, "processor") == [(number, Where.TIMELINE, "Card processor slow")]
        reopened.add_note(number, "Quokka", author="ana")
        assert [n for n, _, _ in _found(reopened, "quokka")] == [number]
    finally:
        reopened.close()


def test_a_recovered_database_searches_what_was_saved(tmp_path: Path) -> None:
    store = Store(tmp_path / "ictui.db")
    number = store.declare("Payments time out", author="ana").number
    store.add_entry(number, "Card processor slow", author="ana")
    store.close()
    salvage(tmp_path / "ictui.db", tmp_path / "recovered.db")
    recovered = Store(tmp_path / "recovered.db")
    try:
        assert _found(recovered, "processor") == [(number, Where.TIMELINE, "Card processor slow")]
        recovered.add_note(number, "Quokka", author="ana")  # and the index follows new writes
        assert [n for n, _, _ in _found(recovered, "quokka")] == [number]
    finally:
        recovered.close()
