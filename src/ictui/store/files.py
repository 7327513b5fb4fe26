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
import sqlite3
import threading
import time
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


def check_file(path: Path, *, init: bool = False) -> None:
    """Refuse, before SQLite touches it, a file that is not a SQLite database.

    An empty file (0 bytes) is refused too, unless ``init`` says to set it up: SQLite would
    silently make a new database of it, and it is more likely a copy that failed. ictui's
    own new files are never empty (:func:`create_file`).
    """
    if path.is_dir():
        raise DatabaseError(f"{path} is a directory, not a database file")
    if is_held(path):
        # Checked when this process first opened it; reading it again with open() and
        # closing it would drop every SQLite lock this process holds on it.
        return
    if not path.exists():
        return
    if _is_empty(path):
        if init:
            return
        raise DatabaseError(
            f"{path} is empty (0 bytes): not an ictui database, perhaps a copy that failed. "
            f"Nothing was written. To set up a new database in it: ictui --db {path} --init"
        )
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise DatabaseError(f"cannot read {path}: {exc.strerror}") from exc
    if header != SQLITE_HEADER:
        raise DatabaseError(f"{path} is not an ictui database (not a SQLite file); left untouched")


def _is_empty(path: Path) -> bool:
    """Empty, and still empty a moment later: not another ictui writing its new file."""
    for attempt in range(2):
        try:
            if path.stat().st_size != 0:
                return False
        except FileNotFoundError:
            return False
        if attempt == 0:
            time.sleep(0.05)
    return True


def check_exists(path: Path) -> None:
    """Refuse to read a database that is not there (reading creates nothing)."""
    if not path.exists():
        raise DatabaseError(
            f"there is no database at {path}; nothing was created. Check --db or $ICTUI_DB "
            "(commands that write, such as declare or the cockpit, create it)"
        )


def check_writable(path: Path) -> None:
    """Refuse, before SQLite opens it, to write into a file this process cannot write
    (read-only, immutable, on a read-only mount): SQLite would open it read-only and
    leave -wal and -shm files beside it. ``os.access`` asks the kernel without opening it.
    """
    if path.exists() and not is_held(path) and not os.access(path, os.W_OK):
        raise DatabaseError(
            f"cannot write to {path}: the file is read-only (its permissions, an immutable "
            "attribute or a read-only mount); nothing was written. Commands that only read "
            "(list, show, stats) still work on it"
        )


def _empty_database() -> bytes:
    """One page of a SQLite database with no tables, as SQLite itself writes it."""
    connection = sqlite3.connect(":memory:")
    try:
        connection.execute("PRAGMA user_version = 0")  # writes the first page
        return connection.serialize()
    finally:
        connection.close()


def create_file(path: Path) -> None:
    """Create the database file with mode 0600 before SQLite does (it would use the umask),
    holding an empty database."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        try:
            # Never left empty: an empty file is refused (check_file), and another ictui
            # opening it a moment later must not take it for a failed copy.
            os.write(fd, _empty_database())
            os.fsync(fd)
        except OSError:
            os.unlink(path)  # a full disk: no half-made file left behind
            raise
        finally:
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
