"""What every command needs, opened lazily: settings, the store, the Slack gateway."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, cast

from ictui.config import Settings, default_db_path, load_settings
from ictui.store.files import DatabaseError
from ictui.store.location import Server, parse

if TYPE_CHECKING:
    from ictui.store.interface import StoreAPI
    from ictui.store.lazy import OnDemand


# The commands that open the database only to read it: on a missing file they say so and
# create nothing (the others create it). By handler, with the options that make one write.
_READS_ONLY: dict[str, Callable[[argparse.Namespace], bool]] = {
    "cmd_list": lambda args: True,
    "cmd_show": lambda args: True,
    "cmd_search": lambda args: True,
    "cmd_stats": lambda args: True,
    "cmd_actions": lambda args: True,
    "cmd_escalations": lambda args: True,
    "cmd_people_list": lambda args: True,
    "cmd_teams_list": lambda args: True,
    "cmd_backup": lambda args: True,
    "cmd_recover": lambda args: True,
    "cmd_copy_to": lambda args: True,
    "cmd_outbox": lambda args: (
        not args.deliver and args.retry is False and args.drop is None and args.text is None
    ),
    "cmd_doctor": lambda args: True,
    "cmd_slack_manifest": lambda args: True,
    "cmd_postmortem": lambda args: not args.post,
}


def reads_only(args: argparse.Namespace) -> bool:
    """Whether the command given by ``args`` only reads the database."""
    func = getattr(args, "func", None)
    check = _READS_ONLY.get(getattr(func, "__name__", ""))
    return bool(check and check(args))


class Context:
    def __init__(self, db: Path | str | None, *, init: bool = False, reads_only: bool = False) -> None:
        """``db``: what --db says, a file's path or a database URL (store/location.py);
        ``init``: set up an empty file as a new database; ``reads_only``: the command
        never writes, so a missing database is refused rather than created."""
        self._db = db
        self._opened: StoreAPI | None = None
        self.init = init
        self.reads_only = reads_only

    @property
    def location(self) -> Path | Server:
        """The SQLite file or the PostgreSQL server; DatabaseError for an unknown scheme."""
        given = self._db if self._db is not None else os.environ.get("ICTUI_DB") or default_db_path()
        return parse(given)

    @property
    def on_server(self) -> bool:
        return isinstance(self.location, Server)

    @property
    def db_path(self) -> Path:
        """The SQLite file: for what only a file has (backup, recover, the cockpit's first read)."""
        location = self.location
        if isinstance(location, Server):
            raise DatabaseError(
                f"{location.shown} is a PostgreSQL server: this command works on a SQLite file "
                "(on the server, use pg_dump and pg_restore; see docs/data.md)"
            )
        return location

    @property
    def db_name(self) -> str:
        """The database as messages name it: the file's path, or the URL without its password."""
        return str(self.location)

    def use_db(self, path: Path) -> None:
        """Point at another database before the store is opened (the demo's fresh one)."""
        self._db = path

    @cached_property
    def settings(self) -> Settings:
        settings = load_settings()
        for warning in settings.warnings:
            print(f"ictui: warning: {warning}", file=sys.stderr)
        return settings

    @property
    def store(self) -> StoreAPI:
        if self._opened is None:
            # Imported here: the database layer takes longer to load than the cockpit
            # takes to paint, and the cockpit opens it after its first frame.
            from ictui.store import Store

            self._opened = Store(
                self.location,
                policy=self.settings.policy,
                create=not self.reads_only or self.init,
                init=self.init,
            )
        return self._opened

    def open_for_cockpit(self) -> StoreAPI:
        """The store as the cockpit holds it: SQLAlchemy loaded only if a write needs it
        (store/lazy.py), on a file or on a server (store/lazy_server.py)."""
        location = self.location
        lazy: OnDemand
        if isinstance(location, Server):
            from ictui.store.lazy_server import ServerLazyStore

            lazy = ServerLazyStore(location, policy=self.settings.policy)
        else:
            from ictui.store.lazy import LazyStore

            lazy = LazyStore(location, policy=self.settings.policy, init=self.init)
        # A StoreAPI: the methods it does not define itself are made from StoreAPI's when
        # store/lazy.py is imported, where the type checker cannot see them.
        store = cast("StoreAPI", lazy)
        self._opened = store
        return store

    def close(self) -> None:
        if self._opened is not None:
            self._opened.close()
