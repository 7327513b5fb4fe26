"""SQLite's own connections, set up as the engine sets up its own (engine.py).

The cockpit's everyday work (store/everyday.py) runs on these without SQLAlchemy; the
engine runs :func:`configure` on each connection it opens, so that both kinds behave
alike: the same busy timeout, foreign keys, durability, and transactions begun by us.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

BUSY_TIMEOUT_MS = 15_000


def configure(connection: sqlite3.Connection) -> None:
    # Autocommit: BEGIN is issued by whoever opens a transaction (pysqlite would delay it).
    connection.isolation_level = None
    connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    connection.execute("PRAGMA foreign_keys = ON")
    # FULL: a note acknowledged to the IC survives a power cut, not only a crash.
    connection.execute("PRAGMA synchronous = FULL")


@contextmanager
def read_transaction(connection: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """Several reads that see one state of the database (or the caller's transaction's)."""
    if connection.in_transaction:  # inside a write: its own changes are what to read
        yield connection
        return
    connection.execute("BEGIN")
    try:
        yield connection
    finally:
        connection.execute("ROLLBACK")


class ConnectionPool:
    """Connections to one file, one per thread at a time, kept for the next caller.

    The cockpit reads and writes from short-lived worker threads; opening a connection
    (and setting it up) for each would cost more than the read.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._idle: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._closed = False

    @contextmanager
    def connection(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            if self._closed:
                raise sqlite3.ProgrammingError("the store is closed")
            connection = self._idle.pop() if self._idle else None
        if connection is None:
            connection = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
            configure(connection)
        try:
            yield connection
        except BaseException:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise
        finally:
            with self._lock:
                if self._closed:
                    connection.close()
                else:
                    self._idle.append(connection)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for connection in idle:
            connection.close()
