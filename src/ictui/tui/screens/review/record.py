"""The record: the post-mortem's sections, saved as the IC types them.

One save at a time, so that an older text never lands last; a failed save keeps the
text to try again; sections written elsewhere show here unless the IC is typing in them.
Mixed into :class:`ReviewScreen`; its message handlers use Textual's ``on_<message>``
names (``@on`` works only on Textual's own classes).
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.widgets import ContentSwitcher, OptionList, Static, TextArea

from ictui.domain.clock import now, to_local
from ictui.domain.errors import IctuiError
from ictui.domain.review import SECTIONS, PostMortemView
from ictui.tui.messages import services
from ictui.tui.screens.review.parts import ReviewParts
from ictui.tui.shown import plain

# What each section of the record asks the room.
SECTION_PROMPTS = {
    "summary": "What happened, in two or three sentences.",
    "impact": "Who was affected, how badly, for how long.",
    "root_cause": "Why it happened. Keep asking why.",
    "contributing_factors": "What made it more likely, bigger, or slower to fix.",
    "went_well": "What worked. Keep doing it.",
    "went_badly": "What got in the way. Did we find the right owner quickly?",
    "got_lucky": "What could have made this worse, and did not.",
    "kudos": "Thank the people who helped, by name.",
}

# Typing pauses this long before the record is saved: often enough that nothing is
# lost, rarely enough not to write on every key.
AUTOSAVE_SECONDS = 0.6


class ReviewRecord(ReviewParts):
    """The record's sections: mixed into :class:`ReviewScreen`."""

    def _show_record(self, view: PostMortemView) -> None:
        """The record as first read: each section's editor opens for typing."""
        for name, _ in SECTIONS:
            self._stored[name] = text = plain(view.section(name))
            editor = self.query_one(f"#sec-{name}", TextArea)
            editor.load_text(text)
            editor.read_only = False
        self._mark_sections()

    def _follow_record(self, view: PostMortemView) -> None:
        """Sections written elsewhere show here, unless the IC is typing in them.

        A section with typing not yet saved keeps the IC's text (it is saved over the
        other); while a save is on its way, the next change announced (the save is one) reads
        again."""
        if self._saving:
            self._revision = -1
            return
        changed = False
        for name, _ in SECTIONS:
            text = plain(view.section(name))
            if name in self._dirty or text == self._stored.get(name):
                continue
            editor = self.query_one(f"#sec-{name}", TextArea)
            if editor.text != self._stored.get(name):
                continue  # typed, the change not yet seen
            row, column = editor.cursor_location
            self._stored[name] = text
            editor.load_text(text)
            last = editor.document.line_count - 1
            row = min(row, last)
            editor.cursor_location = (row, min(column, len(editor.document.get_line(row))))
            changed = True
        if changed:
            self._mark_sections()

    # ------------------------------------------------------------------ moving between sections

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_list.id == "pm-sections":
            self.query_one(ContentSwitcher).current = f"sec-{event.option.id}"

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id == "pm-sections":
            self.query_one(f"#sec-{event.option.id}", TextArea).focus()

    def action_section(self, step: int) -> None:
        sections = self.query_one("#pm-sections", OptionList)
        sections.highlighted = ((sections.highlighted or 0) + step) % len(SECTIONS)
        name = SECTIONS[sections.highlighted][0]
        # Shown now, not when the highlight's message arrives: a hidden editor takes no focus.
        self.query_one(ContentSwitcher).current = f"sec-{name}"
        self.query_one(f"#sec-{name}", TextArea).focus()

    def _mark_sections(self) -> None:
        """A tick on the sections already written: what is left to talk about shows."""
        sections = self.query_one("#pm-sections", OptionList)
        for name, heading in SECTIONS:
            written = bool(self.query_one(f"#sec-{name}", TextArea).text.strip())
            sections.replace_option_prompt(name, f"{'✓' if written else '·'} {heading}")

    # ------------------------------------------------------------------ saving as the IC types

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        editor_id = event.text_area.id or ""
        name = editor_id.removeprefix("sec-")
        text = event.text_area.text
        if not editor_id.startswith("sec-") or (name not in self._dirty and text == self._stored.get(name)):
            return  # loading the record, not typing
        self._dirty[name] = text
        self._mark_sections()
        self.query_one("#pm-saved", Static).update(Text("editing…", style="dim"))
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.set_timer(AUTOSAVE_SECONDS, self._flush)

    def _flush(self) -> None:
        """Save what changed; one save at a time, so that an older text never lands last."""
        if self._saving or not self._dirty:
            return
        pending, self._dirty = self._dirty, {}
        self._saving = True
        self._save(pending)

    def _save(self, pending: dict[str, str]) -> None:
        # In order with the IC's other writes (the app's writer): an autosave never lands
        # after a write asked for later.
        services(self).writes.submit(
            lambda: self.store.save_postmortem(self.number, **pending),
            lambda _: self._saved(pending),
            failed=lambda message: self._save_failed(pending, message),
            description="saving the post-mortem",
        )

    def _saved(self, pending: dict[str, str]) -> None:
        self._saving = False
        self._stored |= pending
        if self._dirty:
            self._flush()
            return
        self.query_one("#pm-saved", Static).update(
            Text(f"saved {to_local(now()).format('HH:mm:ss')}", style="dim")
        )
        waiting, self._when_saved = self._when_saved, []
        for then in waiting:
            then()

    def _save_failed(self, pending: dict[str, str], message: str) -> None:
        self._saving = False
        self._when_saved.clear()
        for name, text in pending.items():
            self._dirty.setdefault(name, text)  # newer typing wins; the text is never dropped
        self.query_one("#pm-saved", Static).update(Text(f"NOT SAVED: {message}", style="bold red"))
        self.notify(f"The record is not saved: {message}", severity="error")

    def _after_saving(self, then: Callable[[], object]) -> None:
        """Run ``then`` once everything typed is on disk (at once if it already is)."""
        if not self._dirty and not self._saving:
            then()
            return
        self._when_saved.append(then)
        if self._save_timer is not None:
            self._save_timer.stop()
        self._flush()

    def on_unmount(self) -> None:
        # The app is closing with typing not yet saved: write it now, on the way out,
        # rather than lose it (the one store call not made in a worker).
        if self._dirty and not self._saving and services(self).store is not None:
            try:
                self.store.save_postmortem(self.number, **self._dirty)
            except IctuiError:
                pass
