"""The timeline pane: the entries, and a note line that stays open for the next note."""

from __future__ import annotations

from contextlib import ExitStack

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Input, Static

from ictui.domain.views import EntryView
from ictui.tui.shown import shown
from ictui.tui.widgets.steady_input import SteadyInput
from ictui.tui.widgets.timeline import TimelineView

# The longest the screen is held still for a note: past it, the emptied line shows.
HOLD_FRAMES_SECONDS = 0.05


class NoteInput(SteadyInput):
    """``enter`` saves and keeps the line open; ``escape`` goes back to the entries."""

    BINDINGS = [Binding("escape", "close", "Done", id="note.close")]

    # A steady cursor: a blink is a frame every half second, and the frame that shows a
    # saved note waits for the next one when it comes within a frame interval of it.
    cursor_blink = reactive(False, init=False)

    def on_key(self, event: events.Key) -> None:
        # Enter is Input's binding, and a binding runs only once its key has bubbled up
        # to the app: half a millisecond on the way of every note to the disk. Handled
        # here, before Input's own handler (this class comes first), which then does
        # not run for it.
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            self._take_note()

    def _take_note(self) -> None:
        """The note leaves the line at once: the next one can be typed while it is saved."""
        text = self.value
        if not text.strip():
            return
        # The emptied line and the saved note go out in one frame (tui/notes.py).
        self.query_ancestor(TimelinePane).hold_frames()
        # Nothing listens for this change: not telling it spares the note's frame a trip
        # up the screen.
        with self.prevent(Input.Changed):
            self.value = ""
        self.post_message(TimelinePane.NoteSubmitted(text))

    def action_close(self) -> None:
        self.post_message(TimelinePane.NoteClosed())


class TimelinePane(Vertical):
    """Owns the keys that act on the selected entry."""

    ALLOW_MAXIMIZE = True
    BINDINGS = [
        Binding("e", "edit", "Edit entry", id="timeline.edit"),
        Binding("m", "mark", "Key event", id="timeline.mark"),
        Binding("x", "delete", "Delete", id="timeline.delete"),
        Binding("S", "share", "Share to channel", id="timeline.share"),
        Binding("ctrl+z", "undo", "Undo", id="timeline.undo"),
    ]

    _note_status = ""  # what the status line under the note line says
    _status_sticky = False  # it says notes wait: shown even with the line closed
    _frames: ExitStack | None = None  # the screen held still from a note's enter

    class EntryAction(Message):
        """The IC asked to edit, mark, delete or share an entry."""

        def __init__(self, action: str, entry: EntryView) -> None:
            super().__init__()
            self.action = action
            self.entry = entry

    class UndoRequested(Message):
        pass

    class NoteSubmitted(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class NoteClosed(Message):
        pass

    def compose(self) -> ComposeResult:
        yield TimelineView(id="timeline")
        yield NoteInput(placeholder="Note (enter saves, stays open; escape closes)", id="note-input")
        yield Static(id="note-status")

    def open_note(self) -> None:
        note = self.query_one(NoteInput)
        note.add_class("-open")
        # The status line comes with the note line, so that saying "saved" the first time
        # does not lay out the screen on the way to showing the note.
        self.query_one("#note-status").add_class("-shown")
        note.focus()

    def close_note(self) -> None:
        note = self.query_one(NoteInput)
        if not note.value.strip():
            note.remove_class("-open")
            if not self._status_sticky:
                self.query_one("#note-status").remove_class("-shown")
                self.set_note_status("")
        self.query_one(TimelineView).focus()

    def set_note_status(self, message: str, error: bool = False, *, sticky: bool = False) -> None:
        """What the line under the note line says; ``sticky``: notes wait to be saved, and
        it stays shown with the note line closed until they are."""
        status = self.query_one("#note-status", Static)
        if sticky and not self._status_sticky:
            status.add_class("-shown")
        elif self._status_sticky and not sticky and not self.query_one(NoteInput).has_class("-open"):
            status.remove_class("-shown")
        self._status_sticky = sticky
        if message == self._note_status and status.has_class("-error") == error:
            return  # "saved" again: the note in the timeline says it, the line need not be drawn
        self._note_status = message
        # One line high whatever it says (cockpit.tcss): no layout pass, which would cost
        # the frame that shows a saved note several milliseconds.
        status.update(shown(message), layout=False)  # a reason may quote what was typed
        status.set_class(error, "-error")

    def hold_frames(self) -> None:
        """No frame until the note shows (release_frames), or a moment has passed: a frame
        painted at once, with the emptied line, would hold the note's back by a frame
        interval or two."""
        if self._frames is not None:
            return
        self._frames = ExitStack()
        self._frames.enter_context(self.app.batch_update())
        self.set_timer(HOLD_FRAMES_SECONDS, self.release_frames)

    def release_frames(self) -> None:
        if self._frames is not None:
            frames, self._frames = self._frames, None
            frames.close()
            # The screen paused its frame timer while the batch held it, and only its own
            # idle turn starts it again.
            self.screen.check_idle()

    def restore_note(self, text: str) -> bool:
        """A note that could not be saved, back in the line if the line is empty (never
        joined to what was typed since). Returns whether it was put back."""
        note = self.query_one(NoteInput)
        if note.value.strip():
            return False
        note.value = text
        note.cursor_position = len(text)
        self.open_note()
        return True

    def on_timeline_pane_note_closed(self, event: NoteClosed) -> None:
        self.close_note()

    def _entry_action(self, action: str) -> None:
        entry = self.query_one(TimelineView).selected_entry
        if entry is None:
            self.notify("No entry selected", severity="warning")
            return
        self.post_message(self.EntryAction(action, entry))

    def action_edit(self) -> None:
        self._entry_action("edit")

    def action_mark(self) -> None:
        self._entry_action("mark")

    def action_delete(self) -> None:
        self._entry_action("delete")

    def action_share(self) -> None:
        self._entry_action("share")

    def action_undo(self) -> None:
        self.post_message(self.UndoRequested())
