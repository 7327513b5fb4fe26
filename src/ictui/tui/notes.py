"""The notes the IC types: each one saved, in the order typed, however fast they come.

Enter takes the note out of the line at once, so that the next one can be typed while
this one is written; the notes are committed one at a time, in order, each shown in the
timeline once it is on disk. Nothing typed is lost: a note that cannot be saved comes
back into the line with the reason, and the notes typed after it wait for it (they are
saved after it, to keep the order) until the IC presses enter again.

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

from ictui.tui.calls import call_in_thread

if TYPE_CHECKING:
    from textual.dom import DOMNode
    from textual.timer import Timer

    from ictui.domain.views import EntryView

# Past this the status says the notes are being saved.
SLOW_SECONDS = 0.25


class NoteStore(Protocol):
    def add_note(self, number: int, text: str, *, author: str = "") -> tuple[EntryView, int]: ...


@dataclass(frozen=True)
class Note:
    number: int
    text: str


class NoteLine(Protocol):
    """What the queue needs of the note line and its status line."""

    def set_note_status(self, message: str, error: bool = False) -> None: ...

    def restore_note(self, text: str) -> None: ...

    def release_frames(self) -> None: ...


class NoteQueue:
    def __init__(
        self,
        node: DOMNode,
        store: Callable[[], NoteStore],
        line: Callable[[], NoteLine],
        saved: Callable[[Note, EntryView, int], None],
        author: str,
    ) -> None:
        self._node = node
        self._store = store
        self._line = line
        self._saved = saved
        self._author = author
        self._waiting: deque[Note] = deque()
        self._saving: Note | None = None
        # A note could not be saved: those after it wait until the IC sends it again.
        self._stopped = False
        self._slow: Timer | None = None
        self._said_saving = False

    @property
    def busy(self) -> bool:
        return self._saving is not None or bool(self._waiting)

    def submit(self, note: Note) -> None:
        """The IC pressed enter on ``note``: saved after the ones before it."""
        if self._stopped:
            # The note that failed, sent again (or another one instead): it goes first.
            self._stopped = False
            self._waiting.appendleft(note)
        else:
            self._waiting.append(note)
        self._next()

    def _next(self) -> None:
        if self._saving is not None or self._stopped or not self._waiting:
            return
        note = self._saving = self._waiting.popleft()
        if self._slow is None:
            self._slow = self._node.set_timer(SLOW_SECONDS, self._say_saving)
        store = self._store()
        call_in_thread(
            self._node,
            lambda: store.add_note(note.number, note.text, author=self._author),
            lambda result: self._done(note, *result),
            on_error=lambda message: self._failed(note, message),
            group="notes",
            description="saving the note",
        )

    def _done(self, note: Note, entry: EntryView, revision: int) -> None:
        self._saving = None
        self._saved(note, entry, revision)
        if self._waiting:
            self._next()
            if self._said_saving:
                self._say_saving()
            return
        self._stop_slow()
        line = self._line()
        line.set_note_status("saved")
        line.release_frames()

    def _failed(self, note: Note, message: str) -> None:
        self._saving = None
        self._stopped = True
        self._stop_slow()
        line = self._line()
        line.release_frames()
        line.restore_note(note.text)
        after = f" ({len(self._waiting)} typed after it wait for it)" if self._waiting else ""
        line.set_note_status(f"not saved: {message}; enter tries again{after}", error=True)

    def _say_saving(self) -> None:
        """The disk is slow: say what is being saved rather than show an empty line."""
        count = len(self._waiting) + (self._saving is not None)
        if count:
            self._said_saving = True
            self._line().release_frames()
            self._line().set_note_status("saving…" if count == 1 else f"saving {count} notes…")

    def _stop_slow(self) -> None:
        self._said_saving = False
        if self._slow is not None:
            self._slow.stop()
            self._slow = None
