"""What every command needs, opened lazily: settings, the store, the Slack gateway."""

from __future__ import annotations

import sys
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from ictui.config import Settings, default_db_path, load_settings

if TYPE_CHECKING:
    from ictui.store import Store
    from ictui.store.lazy import LazyStore


class Context:
    def __init__(self, db_path: Path | None) -> None:
        self._db_path = db_path
        self._opened: Store | LazyStore | None = None

    @property
    def db_path(self) -> Path:
        return (self._db_path or default_db_path()).expanduser()

    def use_db(self, path: Path) -> None:
        """Point at another database before the store is opened (the demo's fresh one)."""
        self._db_path = path

    @cached_property
    def settings(self) -> Settings:
        settings = load_settings()
        for warning in settings.warnings:
            print(f"ictui: warning: {warning}", file=sys.stderr)
        return settings

    @property
    def store(self) -> Store:
        if self._opened is None:
            # Imported here: the database layer takes longer to load than the cockpit
            # takes to paint, and the cockpit opens it after its first frame.
            from ictui.store import Store

            self._opened = Store(self.db_path, policy=self.settings.policy)
        return self._opened

    def open_for_cockpit(self) -> LazyStore:
        """The store as the cockpit holds it, SQLAlchemy loaded only if needed (store/lazy.py)."""
        from ictui.store.lazy import LazyStore

        store = LazyStore(self.db_path, policy=self.settings.policy)
        self._opened = store
        return store

    def close(self) -> None:
        if self._opened is not None:
            self._opened.close()
