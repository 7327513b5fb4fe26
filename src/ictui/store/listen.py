"""On a PostgreSQL server, the revision as the server announces it: LISTEN, not polling.

Every write bumps the revision counter, and a trigger sends its new value with NOTIFY at
commit (store/pg.py). A :class:`RevisionListener` holds one connection of its own that
listens on that channel, in a daemon thread: the cockpit's twice-a-second look at the
revision (EverydayOps.revision) is then a read of memory, not a query, and another
cockpit's write shows within the time the notification takes to arrive.

The value is read once after LISTEN is in place (so that no write falls between the
two), and again after every reconnection; while the connection is down the store asks
the server directly, as on SQLite.
"""

from __future__ import annotations

import threading
from typing import Any

from ictui.store.bulk_reads import REVISION
from ictui.store.pg import CHANNEL

_RECONNECT_S = (0.2, 0.5, 1.0, 2.0, 5.0)
# How often the thread looks up from waiting to see whether it should stop.
_WAKE_S = 0.2


class RevisionListener:
    def __init__(self, conninfo: str) -> None:
        self._conninfo = conninfo
        self._lock = threading.Lock()
        self._value: int | None = None
        self._stopping = threading.Event()
        self._connection: Any = None
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="ictui-listen", daemon=True)
        self._thread.start()

    def latest(self) -> int | None:
        """The revision last announced, or None while not listening."""
        with self._lock:
            return self._value

    def wait_ready(self, timeout: float) -> bool:
        return self._ready.wait(timeout)

    def close(self) -> None:
        self._stopping.set()
        self._thread.join(timeout=3.0)

    def _set(self, value: int | None) -> None:
        with self._lock:
            if value is None or self._value is None or value > self._value:
                self._value = value

    def _run(self) -> None:
        import psycopg

        failures = 0
        while not self._stopping.is_set():
            try:
                with psycopg.connect(self._conninfo, autocommit=True, connect_timeout=5) as connection:
                    self._connection = connection
                    connection.execute(f"LISTEN {CHANNEL}")
                    row = connection.execute(REVISION).fetchone()
                    if row is None:  # not ictui's schema (yet): as for a server gone
                        raise LookupError("no revision in ictui_meta")
                    self._set(int(row[0] or 0))
                    self._ready.set()
                    failures = 0
                    while not self._stopping.is_set():
                        for notice in connection.notifies(timeout=_WAKE_S):
                            self._set(int(notice.payload))
            except Exception:  # noqa: BLE001 - a server gone: the store asks it directly meanwhile
                self._connection = None
                with self._lock:
                    self._value = None
                if self._stopping.is_set():
                    return
                self._stopping.wait(_RECONNECT_S[min(failures, len(_RECONNECT_S) - 1)])
                failures += 1


class Revisions:
    """A server's revision as one process knows it: what the server announced, or what this
    process's own last write made (its notification may still be on the way), whichever is
    newer. The listener starts with the first look: a command that never looks (most of the
    CLI) opens no listening connection. Shared by the cockpit's two stores on a server
    (store/lazy_server.py): one listener, and the writes of both."""

    def __init__(self, conninfo: str) -> None:
        self._conninfo = conninfo
        self._starting = threading.Lock()
        self._listener: RevisionListener | None = None
        self._own = 0

    def latest(self) -> int | None:
        """The newest revision known without a query, or None while not listening."""
        with self._starting:
            if self._listener is None:
                self._listener = RevisionListener(self._conninfo)
        announced = self._listener.latest()
        return None if announced is None else max(announced, self._own)

    def wait_ready(self, timeout: float) -> bool:
        """Start listening and wait until the listener has read the value (tests)."""
        self.latest()
        assert self._listener is not None
        return self._listener.wait_ready(timeout)

    def wrote(self, revision: int) -> None:
        with self._starting:  # writers in several threads: the newest stays
            self._own = max(self._own, revision)

    def close(self) -> None:
        if self._listener is not None:
            self._listener.close()
