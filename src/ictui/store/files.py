"""The database file itself, before SQLite opens it: checked and created with stdlib only.

Kept apart from :mod:`ictui.store.engine` so that the command line can refuse a wrong
file at once, before the database layer (slow to import) is loaded.
"""

from __future__ import annotations

import os
from pathlib import Path

from ictui.domain.errors import IctuiError

SQLITE_HEADER = b"SQLite format 3\x00"


class DatabaseError(IctuiError):
    """The file cannot be used as an ictui database; it has been left as it was."""


def check_file(path: Path) -> None:
    """Refuse, before SQLite touches it, a file that is not a SQLite database."""
    if path.is_dir():
        raise DatabaseError(f"{path} is a directory, not a database file")
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
    is running, or crashed), read-only: the WAL is read, not applied.
    """
    has_wal = path.with_name(path.name + "-wal").exists()
    return f"{path.resolve().as_uri()}?mode=ro" + ("" if has_wal else "&immutable=1")
