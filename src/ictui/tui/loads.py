"""Loads that run one at a time: asked for again while one runs, it runs once more after.

The cockpit reloads the list whenever anyone writes and loads an incident whenever the
cursor moves. Replacing a running thread worker does not stop its query, so every
move through the list started one more query racing the event loop for the
interpreter, and a list load slower than the poll was replaced by the next poll's,
for ever: the list never showed. Here a request made while a load runs waits for it
to end, and only the latest request waits, so a held key costs one load at a time.

A load whose worker ended without handing back a result or an error (cancelled with the
screen, or its thread killed) is not running any more: a request then starts at once,
and a refresh queued behind it is never left waiting.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from textual.dom import DOMNode
from textual.worker import Worker

from ictui.tui.calls import call_in_thread

T = TypeVar("T")


class LatestLoad(Generic[T]):
    def __init__(self, node: DOMNode, *, group: str, description: str) -> None:
        self._node = node
        self._group = group
        self._description = description
        self._running = False
        self._worker: Worker[None] | None = None
        self._next: tuple[Callable[[], T], Callable[[T], Any]] | None = None
        # What waits for a load asked for to be shown: it runs after the load that ends
        # up serving the request (a newer one replacing it reads newer data).
        self._then_running: list[Callable[[], Any]] = []
        self._then_next: list[Callable[[], Any]] = []

    @property
    def busy(self) -> bool:
        if self._running and self._worker is not None and self._worker.is_finished:
            # Its result or error would have come before the worker finished: none will.
            self._running = False
            self._then_next = self._then_running + self._then_next
            self._then_running = []
        return self._running

    def request(
        self, load: Callable[[], T], show: Callable[[T], Any], then: Callable[[], Any] | None = None
    ) -> None:
        """Run ``load`` in a thread and ``show`` its result, now or after the running one;
        ``then`` runs once what was asked for is shown (or the load failed)."""
        if self.busy:
            self._next = (load, show)
            if then is not None:
                self._then_next.append(then)
        else:
            self._next = None
            if then is not None:
                self._then_next.append(then)
            self._start(load, show)

    def after_current(self, then: Callable[[], Any]) -> None:
        """``then`` runs once the load asked for last is shown (now, if none is under way)."""
        if not self.busy:
            then()
        elif self._next is not None:
            self._then_next.append(then)
        else:
            self._then_running.append(then)

    def _start(self, load: Callable[[], T], show: Callable[[T], Any]) -> None:
        self._then_running, self._then_next = self._then_next, []
        self._running = True
        self._worker = call_in_thread(
            self._node,
            load,
            lambda result: self._finished(show, result),
            on_error=self._failed,
            group=self._group,
            description=self._description,
        )

    def _finished(self, show: Callable[[T], Any], result: T) -> None:
        self._running = False
        # Taken first: ``show`` may ask for the next load, which has thens of its own.
        thens, self._then_running = self._then_running, []
        try:
            show(result)
        finally:
            self._run(thens)
            self._start_next()

    def _failed(self, message: str) -> None:
        self._running = False
        thens, self._then_running = self._then_running, []
        self._node.app.notify(message, title="Not done", severity="error", timeout=8)
        self._run(thens)
        self._start_next()

    @staticmethod
    def _run(thens: list[Callable[[], Any]]) -> None:
        for then in thens:
            then()

    def _start_next(self) -> None:
        if self._next is not None and not self._running:
            load, show = self._next
            self._next = None
            self._start(load, show)
        elif self._then_next and not self._running:
            # Asked for while a load ran whose request was then replaced: nothing newer
            # is coming, and what was shown is current.
            thens, self._then_next = self._then_next, []
            self._run(thens)


class InOrder:
    """Writes that must reach the database in the order they were asked for.

    The composer's autosave and the send of the same text once ran in two threads: when
    the draft's thread lost the race, the update consumed the draft first and the save
    then made it again, so the text just sent came back as a draft (and the composer
    stayed empty). Here each write starts when the one before it has ended.
    """

    def __init__(self, node: DOMNode, *, group: str) -> None:
        self._node = node
        self._group = group
        self._queue: list[
            tuple[Callable[[], Any], Callable[[Any], Any] | None, str, Callable[[str], Any] | None]
        ] = []
        self._worker: Worker[None] | None = None

    @property
    def busy(self) -> bool:
        return self._worker is not None and not self._worker.is_finished

    def submit(
        self,
        write: Callable[[], T],
        done: Callable[[T], Any] | None = None,
        *,
        description: str,
        failed: Callable[[str], Any] | None = None,
    ) -> None:
        """Run ``write`` in a thread after those submitted before it; then ``done`` with
        its result, or ``failed`` with the one line that says why (default: notified)."""
        self._queue.append((write, done, description, failed))
        if not self.busy:
            self._start_next()

    def _start_next(self) -> None:
        if not self._queue:
            self._worker = None
            return
        write, done, description, on_error = self._queue.pop(0)

        def finished(result: Any) -> None:
            try:
                if done is not None:
                    done(result)
            finally:
                self._start_next()

        def failed(message: str) -> None:
            try:
                if on_error is not None:
                    on_error(message)
                else:
                    self._node.app.notify(message, title="Not done", severity="error", timeout=8)
            finally:
                self._start_next()

        self._worker = call_in_thread(
            self._node, write, finished, on_error=failed, group=self._group, description=description
        )
