"""The timeline's keys: the fast note path (``n``), and an entry edited (``e``), marked as a
key event (``m``), deleted (``x``), shared (``S``), and the undo of those (``ctrl+z``).

A note goes through ``tui/notes.py`` (queued on ``enter``, saved in order) and shows once
it is on disk, without reading the list or the incident again unless someone else wrote.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ictui.domain.enums import KeyEvent
from ictui.domain.views import EntryView
from ictui.tui.notes import Note
from ictui.tui.screens.cockpit.ask_then_write import ask_then_write, write_then_show
from ictui.tui.screens.cockpit.parts import CockpitParts
from ictui.tui.widgets.timeline import TimelineView
from ictui.tui.widgets.timeline_pane import TimelinePane


class TimelineFlows(CockpitParts):
    """The cockpit's timeline keys: mixed into :class:`CockpitScreen`."""

    _undo: list[tuple[str, Callable[[], Any]]]

    # ------------------------------------------------------------------ the note path

    def action_note(self) -> None:
        if self._need_incident("note") is not None:
            self.query_one(TimelinePane).open_note()
            self._show_tabs()

    def on_timeline_pane_note_submitted(self, event: TimelinePane.NoteSubmitted) -> None:
        # The incident whose timeline the note line is under when enter is pressed: what
        # the IC sees, even if the cursor has moved on and the next is still loading.
        if self.state is None:
            self.query_one(TimelinePane).restore_note(event.text)  # nothing typed is lost
            self.notify("Select an incident first (or press D to declare one)", severity="warning")
            return
        assert self._notes is not None
        self._notes.submit(Note(self.state.view.number, event.text))

    def _note_saved(self, note: Note, entry: EntryView, revision: int) -> None:
        """A note is on disk: it shows, and nothing else is read again unless someone else
        wrote meanwhile."""
        if self.state is not None and self.state.view.number == note.number:
            self.state.entries.append(entry)
            self.query_one(TimelineView).add_entry(entry)
        if revision == self._revision + 1 and not (self._list_loads.busy or self._incident_loads.busy):
            # Nothing but this note changed since the list and the incident were read, and
            # a note changes neither a list row nor the header: both stand. (Reloading
            # them after every note read 10,000 rows and 5,000 entries again, in a thread
            # that held the interpreter while the IC typed the next one.)
            self._revision = revision
            if self.state is not None:
                # An untouched update template lists the latest entries: it follows, a
                # frame later (the editor costs what the timeline does to draw).
                self.call_after_refresh(self._show_incident_panes, self.state)
        else:
            # After the note's frame: the reload would compete with painting it.
            self.call_after_refresh(self.load_list)

    # ------------------------------------------------------------------ entries

    def on_timeline_pane_entry_action(self, event: TimelinePane.EntryAction) -> None:
        entry = event.entry
        self._keep_entry = entry.id
        user = self.ictui.settings.user
        if event.action == "delete":
            write_then_show(
                self,
                lambda: self.store.delete_entry(entry.id, user),
                "Entry deleted — ctrl+z brings it back",
                description="deleting the entry",
            )
            self._undo.append(("restore", lambda: self.store.restore_entry(entry.id, user)))
        elif event.action == "edit":
            self._edit_entry(entry)
        elif event.action == "mark":
            self._mark_entry(entry)
        elif event.action == "share":
            write_then_show(
                self,
                lambda: self.store.share_entry(entry.id),
                "Shared to the incident channel (through the outbox)",
                description="sharing the entry",
                then=lambda _: self.ictui.deliver_outbox(),
            )

    def _edit_entry(self, entry: EntryView) -> None:
        from ictui.tui.screens.forms import EditEntryModal

        user = self.ictui.settings.user

        def remember(_: Any) -> None:
            old_text, old_at = entry.text, entry.occurred_at
            self._undo.append(
                ("edit", lambda: self.store.edit_entry(entry.id, text=old_text, at=old_at, editor=user))
            )

        ask_then_write(
            self,
            EditEntryModal(entry),
            # based_on: if someone changed the entry meanwhile, theirs stays and this text is
            # kept beside it; the conflict is said, nothing is lost (store.edit_entry).
            lambda answer: self.store.edit_entry(
                entry.id, text=answer[0], at=answer[1], editor=user, based_on=entry.text
            ),
            "Entry updated — ctrl+z undoes",
            remember=remember,
            description="editing the entry",
        )

    def _mark_entry(self, entry: EntryView) -> None:
        from ictui.tui.screens.forms import Choice, ChoiceModal

        choices = [Choice(None, "not a key event")] + [Choice(key, str(key)) for key in KeyEvent]
        user = self.ictui.settings.user

        def remember(_: Any) -> None:
            previous = KeyEvent(entry.key_event) if entry.key_event else None
            self._undo.append(("mark", lambda: self.store.set_key_event(entry.id, previous, user)))

        ask_then_write(
            self,
            ChoiceModal("Mark this entry as", choices),
            lambda answer: self.store.set_key_event(entry.id, answer[0], user),
            lambda answer, _: f"Marked: {answer[0]}" if answer[0] else "Key event cleared",
            remember=remember,
            description="marking the entry",
        )

    def on_timeline_pane_undo_requested(self) -> None:
        if not self._undo:
            self.notify("Nothing to undo", severity="warning")
            return
        what, undo = self._undo.pop()
        write_then_show(self, undo, f"Undone ({what})", description="undoing")
