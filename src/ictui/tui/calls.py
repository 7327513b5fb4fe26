"""Running store and gateway calls off the event loop.

Every call the cockpit makes to the store or to Slack goes through :func:`call_in_thread`:
the call runs in a thread worker, its result comes back on the event loop, and an error
the user can act on becomes a notification instead of a crash. The event loop never
waits on the disk or the network. It is ictui's one way to run work in a thread (the
Slack loop and the warm-up of the screens too): nothing else starts a worker.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

from textual.dom import DOMNode
from textual.worker import Worker, get_current_worker

from ictui.domain.errors import IctuiError

T = TypeVar("T")
log = logging.getLogger("ictui.tui")


def call_in_thread(
    node: DOMNode,
    func: Callable[[], T],
    on_done: Callable[[T], Any] | None = None,
    *,
    on_error: Callable[[str], Any] | None = None,
    group: str = "store",
    exclusive: bool = False,
    description: str = "",
) -> Worker[None]:
    """Run ``func`` in a thread; hand its result to ``on_done`` on the event loop."""
    app = node.app

    def report(message: str) -> None:
        if on_error is not None:
            on_error(message)
        else:
            app.notify(message, title="Not done", severity="error", timeout=8)

    def run() -> None:
        try:
            result = func()
        except IctuiError as exc:
            app.call_from_thread(report, str(exc))
            return
        except Exception as exc:  # the disk, the database: say it, keep the cockpit alive
            if _stopped_on_damage(app, exc):
                return
            log.exception("%s failed", description or getattr(func, "__name__", "call"))
            app.call_from_thread(report, f"{description or 'that'} failed: {type(exc).__name__}: {exc}")
            return
        # An exclusive worker replaced by a newer one must not draw its stale result.
        if on_done is not None and not get_current_worker().is_cancelled:
            app.call_from_thread(on_done, result)

    return node.run_worker(
        run, thread=True, group=group, exclusive=exclusive, description=description, exit_on_error=False
    )


def _stopped_on_damage(app: Any, exc: Exception) -> bool:
    """A damaged database found after it opened (a file too large to check whole at open):
    the cockpit ends with the same one line as at open, and writes nothing more into it."""
    from ictui.store.health import damage_in, damaged

    damage = damage_in(exc)
    store = getattr(app, "store", None)
    if damage is None or store is None:
        return False
    app.call_from_thread(app.stop_on_damage, str(damaged(store.path, damage)))
    return True
