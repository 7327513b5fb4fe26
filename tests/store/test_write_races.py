"""Writes that race: the invariants hold inside the write, whoever writes at the same moment.

Several writers, each with its own connections (as separate cockpits and shells have),
write at once on SQLite and on PostgreSQL. On a server the writers' lock is taken before
the snapshot the write reads from, so a concurrent commit never refuses a note ("could
not serialize access"); and the same update text for an incident is queued once, however
many sends race, unless the IC said to send it again.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from ictui.domain.errors import RepeatedUpdate
from ictui.store import Store
from ictui.store.lazy import LazyStore
from ictui.store.lazy_server import ServerLazyStore

WRITERS = 4
NOTES_EACH = 60


def opened_like_the_cockpit(store: Store) -> Any:
    """Another process's store on the same database, as `ictui` opens it (the note fast path)."""
    return ServerLazyStore(store.server) if store.on_server else LazyStore(store.path)


def test_notes_from_four_writers_at_once_are_all_stored_once(any_store: Store) -> None:
    store = any_store
    number = store.declare("Checkout returns 500s", author="ana").number
    start = threading.Barrier(WRITERS + 1)
    refused: list[str] = []

    def write(writer: int) -> None:
        mine = opened_like_the_cockpit(store)
        try:
            start.wait()
            for n in range(NOTES_EACH):
                try:
                    mine.add_note(number, f"w{writer}-{n:03d}", author=f"w{writer}")
                except Exception as exc:  # noqa: BLE001 - counted: there must be none
                    refused.append(f"w{writer}-{n:03d}: {exc}")
        finally:
            mine.close()

    def meddle() -> None:
        # Other kinds of write meanwhile, from yet another store: the revision row and
        # the incident row change under the notes.
        other = Store(store.server if store.on_server else store.path)
        start.wait()
        for n in range(20):
            other.edit_incident(number, title=f"Checkout returns 500s ({n})")
            other.add_entry(number, f"edit-{n}", author="bo")

    with ThreadPoolExecutor(WRITERS + 1) as pool:
        futures = [pool.submit(write, w) for w in range(WRITERS)] + [pool.submit(meddle)]
        for future in futures:
            future.result()

    assert refused == []
    texts = [e.text for e in store.timeline(number)]
    for writer in range(WRITERS):
        written = [t for t in texts if t.startswith(f"w{writer}-")]
        # Every note once, none joined to another, in the order each writer wrote them.
        assert written == [f"w{writer}-{n:03d}" for n in range(NOTES_EACH)]


def test_the_same_update_racing_from_two_cockpits_is_queued_once(any_store: Store) -> None:
    store = any_store
    number = store.declare("Search is slow", author="ana").number
    stores = [opened_like_the_cockpit(store) for _ in range(WRITERS)]
    start = threading.Barrier(WRITERS)

    def send(mine: Any) -> str:
        start.wait()
        try:
            mine.queue_update(number, "We rolled back; search recovers", "ana")
            return "queued"
        except RepeatedUpdate:
            return "refused"

    with ThreadPoolExecutor(WRITERS) as pool:
        outcomes = list(pool.map(send, stores))
    for mine in stores:
        mine.close()
    assert sorted(outcomes) == ["queued"] + ["refused"] * (WRITERS - 1)
    updates = [e for e in store.timeline(number) if e.kind.name == "UPDATE"]
    assert [u.text for u in updates] == ["We rolled back; search recovers"]


def test_the_same_update_goes_again_when_the_ic_says_so(any_store: Store) -> None:
    store = any_store
    number = store.declare("Search is slow", author="ana").number
    store.queue_update(number, "Still investigating", "ana")
    with pytest.raises(RepeatedUpdate, match=f"#{number}"):
        store.queue_update(number, "  Still   investigating ", "ana")  # the same, spaced out
    store.queue_update(number, "Still investigating", "ana", again=True)
    store.queue_update(number, "Found it", "ana")  # another text is never asked about
    updates = [e.text for e in store.timeline(number) if e.kind.name == "UPDATE"]
    assert updates == ["Still investigating", "Still investigating", "Found it"]
