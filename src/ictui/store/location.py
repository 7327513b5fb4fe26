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
# "C:\\" or "C:/": a Windows drive, not a URL.
_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")
# "scheme://user:PASSWORD@": the password runs to the last "@" before the host.
_USER_PASSWORD = re.compile(
    r"(?P<before>[A-Za-z][A-Za-z0-9+.\-]*://[^:/@\s?#]*):[^\s]*@(?=[^@\s]*$|[^@\s]*[\s])"
)
# password=..., in a query (up to & or #) or a keyword string (a quoted value, or a word).
_KEYWORD_PASSWORD = re.compile(
    r"(?P<key>\b(?:ssl)?password\s*=\s*)(?:'(?:[^'\\]|\\.)*'|[^\s&#'\"]+)", re.IGNORECASE
)
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
    """``--db``'s value as a SQLite file's path or a server; DatabaseError for what is neither.

    What looks like a URL but is not a whole one of a known scheme (``postgresql:/ic@h/db``,
    ``postgresql//h/db``, ``postgresql+psycopg:``, ``postgres:x.db``) is refused, and so is
    a path whose first part holds a ``:`` (``./name:1.db`` says it is a path): taken for
    paths, they made a SQLite file named after the mistake in the current folder, and the
    IC wrote on their own while the team watched the server.
    """
    if isinstance(text, Path):
        return text.expanduser()
    match = _URL.match(text)
    if match is None:
        _refuse_url_like(text)
        return Path(text).expanduser()
    scheme = match["scheme"].lower()
    if scheme in _SQLITE_SCHEMES:
        path = text[match.end() :]
        # sqlite:///relative.db and sqlite:////absolute.db, as SQLAlchemy reads them.
        if not path.startswith("/") or path in ("/", "/:memory:"):
            raise DatabaseError(f"{text!r} names no database file: write sqlite:///PATH or just the path")
        return Path(path[1:]).expanduser()
    if scheme in _POSTGRES_SCHEMES:
        rest = text[match.end() :]
        parts = urlsplit("postgresql://" + rest)
        if not parts.hostname and "host=" not in (parts.query or ""):
            raise DatabaseError(
                f"{mask_password(text)!r} names no server: postgresql://USER@HOST:PORT/DATABASE"
            )
        return Server("postgresql+psycopg://" + rest)
    raise DatabaseError(
        f"{mask_password(text)!r}: ictui does not know the database scheme {match['scheme']!r}; give a file path "
        "(SQLite) or postgresql://USER@HOST:PORT/DATABASE (PostgreSQL). Nothing was created"
    )


def _refuse_url_like(text: str) -> None:
    """A ``--db`` that is not ``scheme://…`` but starts like a URL, or a path whose first
    part holds a ``:``: refused, with what was probably meant. Nothing is created."""
    first = text.split("/", 1)[0]
    word = re.match(r"^([A-Za-z][A-Za-z0-9+.\-]*)(?=[:/])", text)
    scheme = word[1].lower() if word else ""
    if scheme in _POSTGRES_SCHEMES or scheme in _SQLITE_SCHEMES:
        rest = _loose_mask(re.sub(r"^[A-Za-z][A-Za-z0-9+.\-]*:?/*", "", text))
        wanted = "sqlite:///" if scheme in _SQLITE_SCHEMES else "postgresql://"
        raise DatabaseError(
            f"{quoted(_loose_mask(text))} is not a database URL: did you mean {wanted}{rest or '…'}? "
            "Nothing was created"
        )
    if ":" in first and not _DRIVE.match(text):
        raise DatabaseError(
            f"{quoted(_loose_mask(text))} looks like a URL, and ictui knows only postgresql://USER@HOST:PORT/DATABASE; "
            f"if it is a file's path, write it ./{_loose_mask(text)} (did you mean postgresql://…?). Nothing was created"
        )


def _loose_mask(text: str) -> str:
    """A mistyped URL's password masked: ``user:PW@`` wherever it is, and ``password=``."""
    return redact(re.sub(r"([^\s:/@]+):[^\s/@]*@", r"\1:***@", text))


def quoted(text: str) -> str:
    """A refused ``--db`` on one line, at most 60 characters of it."""
    return repr(text if len(text) <= 60 else text[:60] + "…")


def mask_password(url: str) -> str:
    """A URL as it may be printed: see :func:`redact`."""
    return redact(url)


def redact(text: str) -> str:
    """``text`` with every password in it masked, before anything prints it: in a URL's
    user part (``postgresql://ic:PW@host``), in its query (``?password=PW``,
    ``&sslpassword=PW``), and in a libpq keyword string (``host=h password=PW`` or
    ``password='P W'``). The one helper: messages, the cockpit's exit line, errors."""
    text = _USER_PASSWORD.sub(lambda m: f"{m['before']}:***@", text)
    return _KEYWORD_PASSWORD.sub(lambda m: f"{m['key']}***", text)
