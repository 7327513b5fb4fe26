"""The outbox's delivery lock lives with the store now (store/lock.py): a file beside a
SQLite database, an advisory lock on a PostgreSQL server (``store.delivery_lock()``)."""

from __future__ import annotations

from ictui.store.lock import delivery_lock

__all__ = ["delivery_lock"]
