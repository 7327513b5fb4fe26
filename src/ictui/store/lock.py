"""One delivery run per database at a time, across processes and threads.

On a SQLite file this is a lock on a file beside it (:func:`delivery_lock`); on a
PostgreSQL server, a session-level advisory lock held on a connection of its own
(:func:`server_delivery_lock`). Either is released by the operating system or the server
when its holder dies.

The cockpit delivers in a worker while someone may run ``ictui outbox --deliver`` in
another terminal. Both would take an item found "in flight" for an orphan of a crash
and look for it in Slack while the other is still sending it. With this lock held, an
item in flight can only be an orphan: its owner died, and the operating system released
the lock with it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


@contextmanager
def delivery_lock(db_path: Path) -> Iterator[bool]:
    """Yields True when this caller may deliver, False when another one is delivering."""
    path = db_path.with_name(db_path.name + ".slack-lock")
    fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
    try:
        try:
            _lock(fd)
        except OSError:
            yield False
            return
        try:
            yield True
        finally:
            _unlock(fd)
    finally:
        os.close(fd)


@contextmanager
def server_delivery_lock(engine: Any) -> Iterator[bool]:
    """The same on a PostgreSQL server: ``pg_try_advisory_lock`` on a connection kept for
    the run, so that a cockpit or CLI that dies mid-run lets go with its connection."""
    from ictui.store.pg import DELIVERY_LOCK

    with engine.connect() as connection:
        got = bool(connection.exec_driver_sql(f"SELECT pg_try_advisory_lock({DELIVERY_LOCK})").scalar())
        connection.commit()
        try:
            yield got
        finally:
            if got:
                connection.exec_driver_sql(f"SELECT pg_advisory_unlock({DELIVERY_LOCK})")
                connection.commit()


if sys.platform != "win32":
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)

else:
    import msvcrt

    def _lock(fd: int) -> None:
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
