"""Where the database is: what ``--db`` and ``$ICTUI_DB`` say, read before anything opens it.

A plain path is a SQLite file, as it always was (``sqlite:///PATH`` too). A URL of
PostgreSQL (``postgresql://``, ``postgres://`` or ``postgresql+psycopg://``) names a shared
server, reached with psycopg. Any other ``scheme://`` is refused in one line: taken for a
path, it used to become a SQLite file named after the scheme in the current folder.
Standard library only: the command line reads this before the database layer loads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from ictui.store.files import DatabaseError

# "scheme://", or "scheme:" alone before the rest of a URL; not "C:\..." (a drive letter).
_URL = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.\-]*)://")
_POSTGRES_SCHEMES = {"postgresql", "postgres", "postgresql+psycopg", "postgresql+psycopg3"}
_SQLITE_SCHEMES = {"sqlite", "sqlite+pysqlite"}


@dataclass(frozen=True)
class Server:
    """A PostgreSQL server's database, as a SQLAlchemy URL for psycopg."""

    url: str

    @property
    def shown(self) -> str:
        """The URL as it may be printed: any password masked."""
        return mask_password(self.url)

    @property
    def conninfo(self) -> str:
        """The URL as libpq takes it (``postgresql://``, without SQLAlchemy's driver name)."""
        parts = urlsplit(self.url)
        return urlunsplit(("postgresql", *parts[1:]))

    def __str__(self) -> str:
        return self.shown


def parse(text: str | Path) -> Path | Server:
    """``--db``'s value as a SQLite file's path or a server; DatabaseError for what is neither."""
    if isinstance(text, Path):
        return text.expanduser()
    match = _URL.match(text)
    if match is None:
        return Path(text).expanduser()
    scheme = match["scheme"].lower()
    if scheme in _SQLITE_SCHEMES:
        path = text[match.end():]
        # sqlite:///relative.db and sqlite:////absolute.db, as SQLAlchemy reads them.
        if not path.startswith("/") or path in ("/", "/:memory:"):
            raise DatabaseError(f"{text!r} names no database file: write sqlite:///PATH or just the path")
        return Path(path[1:]).expanduser()
    if scheme in _POSTGRES_SCHEMES:
        rest = text[match.end():]
        parts = urlsplit("postgresql://" + rest)
        if not parts.hostname and "host=" not in (parts.query or ""):
            raise DatabaseError(f"{mask_password(text)!r} names no server: postgresql://USER@HOST:PORT/DATABASE")
        return Server("postgresql+psycopg://" + rest)
    raise DatabaseError(
        f"{mask_password(text)!r}: ictui does not know the database scheme {match['scheme']!r}; give a file path "
        "(SQLite) or postgresql://USER@HOST:PORT/DATABASE (PostgreSQL). Nothing was created"
    )


def mask_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit((parts.scheme, netloc, *parts[2:]))
