"""One delivery run per database at a time, across processes and threads.

The cockpit delivers in a worker while someone may run ``ictui outbox --deliver`` in
another terminal. Both would take an item found "in flight" for an orphan of a crash
and look for it in Slack while the other is still sending it. With this lock held, an
item in flight can only be an orphan: its owner died, and the operating system released
the lock with it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


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


try:
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)

except ImportError:  # Windows
    import msvcrt

    def _lock(fd: int) -> None:
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
