"""Storage: the engine, migrations, and the one API the CLI and the cockpit use."""

from ictui.store.api import Store
from ictui.store.engine import DatabaseError

__all__ = ["DatabaseError", "Store"]
