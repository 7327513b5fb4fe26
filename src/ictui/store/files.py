"""The database file itself, before SQLite opens it: checked and created with stdlib only.

Kept apart from :mod:`ictui.store.engine` so that the command line can refuse a wrong
file at once, before the database layer (slow to import) is loaded.

One rule above all: once this process holds a SQLite connection to a file, nothing here
opens that file (or its -wal and -shm) outside SQLite again. SQLite's locks are POSIX
advisory locks, owned by the process, and closing *any* descriptor on the file drops
them all: another process then believes it is the last one, checkpoints, and deletes
the WAL under our connections ("How To Corrupt An SQLite Database File", 2.2). A store
says it holds a file (:func:`hold`) before its first connection and lets go when closed;
the checks below skip what would touch a held file.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from ictui.domain.errors import IctuiError

SQLITE_HEADER = b"SQLite format 3\x00"


class DatabaseError(IctuiError):
    """The file cannot be used as an ictui database; it has been left as it was."""


_held: dict[str, int] = {}
_held_lock = threading.Lock()


def _key(path: Path) -> str:
    return os.path.realpath(path)


def hold(path: Path) -> None:
    """This process is about to connect to ``path`` with SQLite (counted: several stores
    of one process may hold the same file)."""
    key = _key(path)
    with _held_lock:
        _held[key] = _held.get(key, 0) + 1


def release(path: Path) -> None:
    """A store of this process closed its connections to ``path``."""
    key = _key(path)
    with _held_lock:
        count = _held.get(key, 0) - 1
        if count > 0:
            _held[key] = count
        else:
            _held.pop(key, None)


def is_held(path: Path) -> bool:
    """Whether this process may hold SQLite connections to ``path``."""
    with _held_lock:
        return _key(path) in _held


def check_file(path: Path) -> None:
    """Refuse, before SQLite touches it, a file that is not a SQLite database."""
    if path.is_dir():
        raise DatabaseError(f"{path} is a directory, not a database file")
    if is_held(path):
        # Checked when this process first opened it; reading it again with open() and
        # closing it would drop every SQLite lock this process holds on it.
        return
    if not path.exists() or path.stat().st_size == 0:
        return
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise DatabaseError(f"cannot read {path}: {exc.strerror}") from exc
    if header != SQLITE_HEADER:
        raise DatabaseError(f"{path} is not an ictui database (not a SQLite file); left untouched")


def create_file(path: Path) -> None:
    """Create the database file with mode 0600 before SQLite does (it would use the umask)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.close(fd)
    except FileExistsError:
        if path.parent.is_dir():
            return  # the database is already there
        # mkdir met a file where the folder should be.
        raise DatabaseError(f"cannot create the database at {path}: {path.parent} is not a folder") from None
    except OSError as exc:
        raise DatabaseError(f"cannot create the database at {path}: {exc.strerror}") from exc


def read_only_uri(path: Path) -> str:
    """An SQLite URI that reads the file without writing, or creating anything beside it.

    Read-only alone still creates a WAL database's -wal and -shm files, and leaves them
    there. With no WAL beside it, the file is read as it is (immutable); with one (a writer
    is running, or crashed), read-only: the WAL is read, not applied. Never immutable on a
    file this process holds: SQLite takes no locks on an immutable file and so closes its
    descriptor at once, which drops the locks of this process's other connections.
    """
    has_wal = path.with_name(path.name + "-wal").exists()
    immutable = not has_wal and not is_held(path)
    return f"{path.resolve().as_uri()}?mode=ro" + ("&immutable=1" if immutable else "")
