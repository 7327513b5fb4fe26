"""The notes the IC types: each one saved once, on its own, in the order typed.

Enter takes the note out of the line at once, so that the next one can be typed while
this one is written; the notes go through the app's ordered writer one at a time, in
order, each shown in the timeline once it is on disk.

Nothing typed is lost and no two notes become one. A note the database cannot take now
(a locked file, a server restarting, a network gone) stays first in the queue, on its
own, and is tried again after a pause that grows (RETRY_SECONDS); the notes typed after
it wait behind it, so the timeline keeps the order typed. The status under the note line
says so ("2 notes not saved yet, retrying in 4s: …") and stays while any wait, even with
the line closed. A note the store refuses for good (an incident that is gone) is not
retried: it comes back into the line if the line is empty, else the IC is shown its text.
So is a note the role may not write (a missing right is not fixed by waiting).

Emptying the line is a frame of its own, and a frame painted at once holds the next one
(the saved note) back by a frame interval or two: the note line holds the screen still
from enter (``TimelinePane.hold_frames``) until the note shows, or a moment has passed, so
that a fast disk costs one frame.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from ictui.domain.errors import Forbidden, InvalidInput, NotFound

if TYPE_CHECKING:
    from textual.dom import DOMNode
    from textual.timer import Timer

    from ictui.domain.views import EntryView
    from ictui.tui.loads import InOrder

# Past this the status says the notes are being saved.
SLOW_SECONDS = 0.25
# The pauses before a note that could not be saved is tried again (the last repeats).
RETRY_SECONDS = (1, 2, 4, 8, 15)


class NoteStore(Protocol):
    def add_note(self, number: int, text: str, *, author: str = "") -> tuple[EntryView, int]: ...


@dataclass(frozen=True)
class Note:
    number: int
    text: str


@dataclass(frozen=True)
class Refused:
    """The store will never take this note (not a passing failure)."""

    message: str


class NoteLine(Protocol):
    """What the queue needs of the note line and its status line."""

    def set_note_status(self, message: str, error: bool = False, *, sticky: bool = False) -> None: ...

    def restore_note(self, text: str) -> bool: ...

    def release_frames(self) -> None: ...


class NoteQueue:
    def __init__(
        self,
        node: DOMNode,
        store: Callable[[], NoteStore],
        line: Callable[[], NoteLine],
        saved: Callable[[Note, EntryView, int], None],
        author: str,
        writes: InOrder,
    ) -> None:
        self._node = node
        self._store = store
        self._line = line
        self._saved = saved
        self._author = author
        self._writes = writes
        # Not saved yet, in the order typed; the first is the one being saved or retried.
        self._waiting: deque[Note] = deque()
        self._saving = False
        self._failures = 0
        self._retry: Timer | None = None
        self._slow: Timer | None = None
        self._said_saving = False

    @property
    def busy(self) -> bool:
        return self._saving or bool(self._waiting)

    @property
    def unsaved(self) -> int:
        """Notes typed and not on disk yet."""
        return len(self._waiting)

    def submit(self, note: Note) -> None:
        """The IC pressed enter on ``note``: saved after the ones before it."""
        self._waiting.append(note)
        if self._failures:
            self._say_waiting("")
        self._next()

    def _next(self) -> None:
        if self._saving or self._retry is not None or not self._waiting:
            return
        note = self._waiting[0]
        self._saving = True
        if self._slow is None and not self._failures:
            self._slow = self._node.set_timer(SLOW_SECONDS, self._say_saving)
        store, author = self._store(), self._author

        def write() -> tuple[EntryView, int] | Refused:
            try:
                return store.add_note(note.number, note.text, author=author)
            except (InvalidInput, NotFound, Forbidden) as refused:
                return Refused(str(refused))

        self._writes.submit(
            write,
            lambda result: self._done(note, result),
            failed=lambda message: self._failed(message),
            description="saving the note",
        )

    def _done(self, note: Note, result: tuple[EntryView, int] | Refused) -> None:
        self._saving = False
        self._waiting.popleft()
        if isinstance(result, Refused):
            self._refused(note, result.message)
        else:
            self._failures = 0
            self._saved(note, *result)
        if self._waiting:
            self._next()
            if self._said_saving:
                self._say_saving()
            return
        self._stop_slow()
        line = self._line()
        if not isinstance(result, Refused):
            line.set_note_status("saved")
        line.release_frames()

    def _refused(self, note: Note, message: str) -> None:
        line = self._line()
        line.release_frames()
        if line.restore_note(note.text):
            line.set_note_status(f"not saved: {message}", error=True)
        else:
            self._node.app.notify(
                f"A note for #{note.number} was not saved ({message}): {note.text}",
                title="Not saved",
                severity="error",
                timeout=15,
            )

    def _failed(self, message: str) -> None:
        """The database could not take the first note now: it is tried again, on its own."""
        self._saving = False
        self._stop_slow()
        self._line().release_frames()
        pause = RETRY_SECONDS[min(self._failures, len(RETRY_SECONDS) - 1)]
        self._failures += 1
        self._retry = self._node.set_timer(pause, self._try_again, name="note retry")
        self._say_waiting(f"retrying in {pause}s: {message}")

    def _try_again(self) -> None:
        self._retry = None
        self._say_waiting("retrying now")
        self._next()

    def _say_waiting(self, how: str) -> None:
        count = len(self._waiting)
        notes = "1 note" if count == 1 else f"{count} notes"
        self._line().set_note_status(f"{notes} not saved yet, {how or 'retrying'}", error=True, sticky=True)

    def _say_saving(self) -> None:
        """The disk is slow: say what is being saved rather than show an empty line."""
        count = len(self._waiting)
        if count and not self._failures:
            self._said_saving = True
            self._line().release_frames()
            self._line().set_note_status("saving…" if count == 1 else f"saving {count} notes…")

    def _stop_slow(self) -> None:
        self._said_saving = False
        if self._slow is not None:
            self._slow.stop()
            self._slow = None
