"""Whether a database file is sound, and what an attempt to open it leaves beside it.

A file whose header is fine but some pages are damaged opens like any other: the damage
shows only when a read or a write reaches those pages, so that one command ends in an
error while another writes into the file. :func:`check_sound` runs SQLite's quick check
at open, on its own read-only connection (never ``open()``: see store/files.py), on
files up to :data:`QUICK_CHECK_LIMIT`; on larger ones the first error that SQLite
reports as damage is turned into the same message (:func:`damage_in`).

On 10,000 incidents (36 MB, the benchmark's database), :func:`check_sound` takes 60 ms
on a small machine with the file in the page cache (up to 0.15 s while the machine is
busy); it grows with the file, hence the limit (about 0.2 s at 128 MB).

:class:`Sidecars` notes which of the -wal and -shm files were there before an attempt to
open a file, so that an attempt that is refused (or a file that cannot be written, which
SQLite opens read-only) leaves nothing new beside it.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from ictui.store import files, versions
from ictui.store.files import DatabaseError, is_held, read_only_uri

QUICK_CHECK_LIMIT = 128 * 1024 * 1024

# SQLite's words for SQLITE_CORRUPT and SQLITE_NOTADB.
_DAMAGE_WORDS = ("malformed", "file is not a database", "database corruption")


def damaged(path: Path, reason: str) -> DatabaseError:
    """The one line for a damaged database: what happened, and how to get the data back."""
    recovered = path.with_name(f"{path.stem}-recovered.db")
    return DatabaseError(
        f"{path} is damaged (SQLite: {reason}); nothing was written to it. Restore your last "
        f'copy made with "ictui backup", or save what can still be read into a new file: '
        f"ictui --db {path} recover {recovered}, then ictui --db {recovered} list"
    )


def check_sound(path: Path) -> None:
    """Refuse a damaged database before anything is written to it.

    Runs ``PRAGMA quick_check`` on files up to :data:`QUICK_CHECK_LIMIT`; a missing or
    empty file has nothing to check.
    """
    try:
        size = path.stat().st_size
    except OSError:
        return
    if size == 0 or size > QUICK_CHECK_LIMIT:
        return
    try:
        connection = sqlite3.connect(read_only_uri(path), uri=True)
    except sqlite3.Error:
        return  # cannot be read at all: the opening says so in its own words
    try:
        rows = connection.execute("PRAGMA quick_check(1)").fetchall()
    except sqlite3.DatabaseError as exc:
        if is_damage(exc):
            raise damaged(path, str(exc)) from exc
        return
    finally:
        connection.close()
    if rows and str(rows[0][0]) != "ok":
        # What quick_check found (which page, which index) is for SQLite's own tools.
        raise damaged(path, "database disk image is malformed")


def is_damage(exc: BaseException) -> bool:
    return isinstance(exc, sqlite3.DatabaseError) and any(w in str(exc).lower() for w in _DAMAGE_WORDS)


def damage_in(exc: BaseException) -> str | None:
    """SQLite's words if ``exc`` (or what it wraps: SQLAlchemy's ``orig``, a cause) says
    the database is damaged; None otherwise."""
    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    while todo:
        current = todo.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if is_damage(current):
            return str(current)
        orig = getattr(current, "orig", None)
        todo += [orig if isinstance(orig, BaseException) else None, current.__cause__, current.__context__]
    return None


def before_connecting(path: Path, *, create: bool, init: bool, checked: bool = False) -> Sidecars:
    """Every check of a file before this process connects to it, reading it only through
    SQLite's read-only connections; returns what was beside it before.

    ``create``: a command that writes (a missing file is created; a file that cannot be
    written is refused); otherwise a missing file is refused and nothing is created.
    ``init``: an empty file is set up rather than refused. ``checked``: this process just
    found the file sound. A refusal leaves nothing new beside the file. The result
    also says the file's schema version (None: a new file).
    """
    files.check_file(path, init=init)
    if not create:
        files.check_exists(path)
    sidecars = Sidecars(path)
    try:
        if create:
            files.check_writable(path)
            files.create_file(path)
        sidecars.version = versions.check_known(path)
        if not checked:
            check_sound(path)
    except BaseException:
        sidecars.remove_new()
        raise
    return sidecars


SUFFIXES = ("-wal", "-shm")


class Sidecars:
    """The -wal and -shm files beside ``path`` when an attempt to open it began."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.before = {suffix for suffix in SUFFIXES if self._file(suffix).exists()}
        self.version: int | None = None

    def _file(self, suffix: str) -> Path:
        return self.path.with_name(self.path.name + suffix)

    def remove_new(self) -> None:
        """Remove those this attempt created, once every connection of it is closed.

        Only unlinked (never opened: that would drop this process's locks), only if this
        process holds no other connection to the file, no other process holds a lock on
        them, and the WAL holds nothing: never a WAL someone is using.
        """
        if is_held(self.path):
            return
        new = [self._file(s) for s in SUFFIXES if s not in self.before and self._file(s).exists()]
        if not new or _locked_by_others([self.path, *new]):
            return
        wal = self._file("-wal")
        try:
            if wal.exists() and wal.stat().st_size > 0:
                return  # frames not yet in the file: they are someone's data
        except OSError:
            return
        for file in new:
            try:
                os.unlink(file)
            except OSError:
                pass


def _locked_by_others(paths: list[Path]) -> bool:
    """Whether another process holds a POSIX lock on one of ``paths`` (Linux's /proc/locks;
    elsewhere, assumed so: nothing is removed)."""
    inodes = set()
    for path in paths:
        try:
            st = path.stat()
        except OSError:
            continue
        inodes.add((os.major(st.st_dev), os.minor(st.st_dev), st.st_ino))
    try:
        with open("/proc/locks", encoding="ascii", errors="replace") as handle:
            lines = handle.read().splitlines()
    except OSError:
        return True
    me = os.getpid()
    for line in lines:
        fields = line.split()
        # "1: POSIX  ADVISORY  READ 1234 fd:01:5678 128 128" ("->" marks a waiting lock).
        if "->" in fields:
            fields.remove("->")
        if len(fields) < 6:
            continue
        try:
            pid = int(fields[4])
            major, minor, inode = fields[5].split(":")
            key = (int(major, 16), int(minor, 16), int(inode))
        except ValueError:
            continue
        if key in inodes and pid != me:
            return True
    return False
