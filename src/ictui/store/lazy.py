"""The store as the cockpit holds it: the everyday work on the driver's own connections,
the rest on a :class:`~ictui.store.api.Store` opened the first time it is needed.

An IC who reads incidents, writes notes, declares, changes a status or a severity,
assigns a role, queues an update and edits, deletes, shares or marks a timeline entry
never needs SQLAlchemy and SQLModel, 30 MB of memory and a third of a second to import
(store/everyday_writes.py). The first triage, edit of the incident's details,
post-mortem or roster change loads them, in the worker thread that does that write; so
does a database that must first be created or migrated, and a Slack token (delivery goes
through Store). :class:`LazyStore` does so on a SQLite file; on a PostgreSQL server,
store/lazy_server.py's ``ServerLazyStore``, with psycopg alone.
"""

from __future__ import annotations

import functools
import sqlite3
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ictui.domain.policy import Policy
from ictui.store import files, health, versions
from ictui.store.driver import ConnectionPool
from ictui.store.everyday_writes import EverydayWrites
from ictui.store.interface import StoreAPI
from ictui.store.location import parse

if TYPE_CHECKING:
    from ictui.store.api import Store


class OnDemand(EverydayWrites):
    """The :class:`StoreAPI`: :class:`EverydayWrites`' methods here, the others on
    :meth:`full_store` (each defined below from the interface, with its signature: an
    attribute the interface does not declare is an AttributeError, not a forwarded call)."""

    _full: Store | None = None
    _opening: threading.Lock

    def full_store(self) -> Store:
        """The whole store, SQLAlchemy and all: opened once, by whichever thread asks first."""
        with self._opening:
            if self._full is None:
                self._full = self._open_full()
            return self._full

    def _open_full(self) -> Store:
        raise NotImplementedError


class LazyStore(OnDemand):
    """The cockpit's store on a SQLite file."""

    def __init__(self, path: Path | str, policy: Policy | None = None, *, init: bool = False) -> None:
        location = parse(path)
        if not isinstance(location, Path):
            raise TypeError(f"LazyStore opens SQLite files, not {location}: open a ServerLazyStore")
        self.path = location
        self.policy = policy or Policy()
        self._init = init
        self._full: Store | None = None
        self._opening = threading.Lock()
        self._held = False
        # A missing file is created, an empty one refused unless ``init``, a damaged or
        # read-only one refused, all before connecting (store/health.py).
        sidecars = health.before_connecting(self.path, create=True, init=init)
        current = sidecars.version == versions.SCHEMA_VERSION
        self._pool = ConnectionPool(self.path)  # connects on first use
        # From here on this process may hold the file: nothing opens it outside SQLite.
        files.hold(self.path)
        self._held = True
        if not current:
            try:
                self.full_store()  # to create, migrate, or refuse in Store's own words
            except BaseException:
                self.close()
                sidecars.remove_new()
                raise

    def _open_full(self) -> Store:
        from ictui.store.api import Store

        return Store(self.path, self.policy, init=self._init, checked=True)

    def _driver_connection(self) -> AbstractContextManager[sqlite3.Connection]:
        return self._pool.connection()

    def close(self) -> None:
        self._pool.close()
        if self._full is not None:
            self._full.close()
        if self._held and isinstance(self.path, Path):
            self._held = False
            files.release(self.path)


def _on_full_store(name: str) -> Callable[..., Any]:
    declared = getattr(StoreAPI, name)

    @functools.wraps(declared)
    def method(self: OnDemand, *args: Any, **kwargs: Any) -> Any:
        return getattr(self.full_store(), name)(*args, **kwargs)

    return method


# The incident's details, triage, people and teams, post-mortems and the outbox: what
# EverydayWrites does not do.
ON_FULL_STORE = tuple(
    name
    for name, value in vars(StoreAPI).items()
    if callable(value) and not name.startswith("_") and not hasattr(OnDemand, name)
)
for _name in ON_FULL_STORE:
    setattr(OnDemand, _name, _on_full_store(_name))
