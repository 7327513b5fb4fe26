"""Storage: the engine, migrations, and the one API the CLI and the cockpit use.

``Store`` is loaded on first use: the database layer takes longer to import than Textual
takes to paint. The cockpit holds a ``LazyStore`` (store/lazy.py), which reads and writes
notes on SQLite's own connection and imports the database layer only when a write needs it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ictui.store.files import DatabaseError

if TYPE_CHECKING:
    from ictui.store.api import Store

__all__ = ["DatabaseError", "Store"]


def __getattr__(name: str) -> Any:
    if name == "Store":
        from ictui.store.api import Store

        return Store
    raise AttributeError(name)
