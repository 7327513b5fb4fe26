"""How a change in the database reaches the screens: one watcher for the whole app.

Anyone may write to the database: this cockpit, another one, the CLI in another shell,
the Slack thread. Every write bumps the database's revision counter in its own
transaction (store/migrations.py). The app's :class:`RevisionWatcher` reads it every
``POLL_SECONDS`` in a thread worker (``call_in_thread``, one read at a time, however many
screens are open); on a PostgreSQL server the store answers from what LISTEN/NOTIFY
announced (store/listen.py), without a query. When the revision moved, the app posts one
:class:`~ictui.tui.messages.DatabaseChanged` to every screen in the stack, the covered
ones too: each compares it with the revision of what it shows and reads again only if
they differ (its own writes are usually shown already).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ictui.tui.calls import call_in_thread

if TYPE_CHECKING:
    from textual.app import App
    from textual.timer import Timer
    from textual.worker import Worker

    from ictui.store.interface import StoreAPI

# How often the revision is read (a one-row read; on a server, memory): another
# terminal's `ictui note` shows up within this, plus the time to read what changed.
POLL_SECONDS = 0.5
# The worker group of the checks (tests wait for every worker but the long-lived loops).
GROUP = "database-changes"


class RevisionWatcher:
    """Reads the revision for the app and calls ``changed`` with each new value (the first
    value read counts as new: a screen may have read before it)."""

    def __init__(self, app: App[Any], store: StoreAPI, changed: Callable[[int], object]) -> None:
        self._app = app
        self._store = store
        self._changed = changed
        self._latest: int | None = None
        self._worker: Worker[None] | None = None
        self._timer: Timer | None = None
        # A failed read is said once, not twice a second while the database does not answer.
        self._failing = False

    @property
    def latest(self) -> int | None:
        """The revision last read (None before the first read)."""
        return self._latest

    def start(self) -> None:
        if self._timer is None:
            self._timer = self._app.set_interval(POLL_SECONDS, self.check)
            self.check()

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def check(self) -> None:
        """Read the revision now, unless a read is under way (it reads the newest)."""
        if self._worker is not None and not self._worker.is_finished:
            return
        store = self._store  # here: in the thread, the app may have ended
        self._worker = call_in_thread(
            self._app,
            lambda: store.revision(),
            self._read,
            on_error=self._failed,
            group=GROUP,
            description="checking for changes",
        )

    def _read(self, revision: int) -> None:
        self._failing = False
        if revision != self._latest:
            self._latest = revision
            self._changed(revision)

    def _failed(self, message: str) -> None:
        if not self._failing:
            self._failing = True
            self._app.notify(message, title="Not done", severity="error", timeout=8)
