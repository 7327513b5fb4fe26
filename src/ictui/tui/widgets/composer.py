"""The update composer: the templated update, editable, with a preview of the Slack post."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.geometry import Size
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Static, TextArea

from ictui.domain.text import clean_text
from ictui.tui.shown import plain, shown
from ictui.tui.textual_compat import TextAreaSizeHook
from ictui.tui.widgets.content_size import set_content_size

# Long enough not to write on every keystroke, short enough that a killed terminal loses
# at most a second of typing.
AUTOSAVE_DELAY = 0.8


def slack_preview(text: str) -> Text:
    """Roughly how Slack shows the update: the first line as a bold heading."""
    lines = clean_text(text).splitlines() or [""]
    preview = Text(lines[0], style="bold")
    for line in lines[1:]:
        preview.append("\n")
        label, sep, rest = line.partition(":")
        if sep and label and len(label) < 20 and not label.startswith("-"):
            preview.append(label + sep, style="bold")
            preview.append(rest)
        else:
            preview.append(line)
    return preview


class ComposerText(TextAreaSizeHook):
    """The update's text; a new template (every incident opened) lays out nothing."""

    def set_own_size(self) -> bool:
        if not self.soft_wrap:
            return False
        set_content_size(self, Size(0, self.wrapped_document.height))
        return True


class Composer(Vertical, can_focus=False):
    """Edits the next status update; drafts autosave through messages to the screen."""

    ALLOW_MAXIMIZE = True
    BINDINGS = [
        Binding("ctrl+s", "send", "Send update", id="composer.send"),
        Binding("ctrl+r", "reset", "Refill from template", id="composer.reset"),
    ]

    class DraftChanged(Message):
        def __init__(self, number: int, text: str) -> None:
            super().__init__()
            self.number = number
            self.text = text

    class SendRequested(Message):
        def __init__(self, number: int, text: str) -> None:
            super().__init__()
            self.number = number
            self.text = text

    class ResetRequested(Message):
        def __init__(self, number: int) -> None:
            super().__init__()
            self.number = number

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.number: int | None = None
        self._autosave: Timer | None = None
        # Loads whose Changed message has not come yet: two loads in a row post two, and
        # the second must not count as the IC's typing.
        self._loading = 0
        # True once the IC has typed: from then on the text is theirs, not the template's.
        self.edited = False
        # The text shown is the template (not a draft): untouched, it is built again when sent.
        self.template = False
        # What of the incident the text was built on (templates.UpdateBasis), to tell the
        # IC when an edited text has gone stale.
        self.basis: Any = None

    def compose(self) -> ComposeResult:
        yield ComposerText(id="composer-text", soft_wrap=True, show_line_numbers=False)
        preview = Static(id="composer-preview")
        # Set here, by the widget that owns it: the screen's mount can come before this
        # widget's children are mounted (a busy machine), and a query for it then fails.
        preview.border_title = "Slack preview"
        yield preview

    @property
    def text(self) -> str:
        return self.query_one("#composer-text", TextArea).text

    def load(self, number: int, text: str, *, template: bool = False, basis: Any = None) -> None:
        """Show ``text`` for incident ``number`` without treating it as an edit."""
        self.flush()
        self.number = number
        self.edited = False
        self.template = template
        self.basis = basis
        self._loading += 1
        text = plain(text)  # a draft saved by another version, or pasted before it was cleaned
        self.query_one("#composer-text", TextArea).load_text(text)
        self._show_preview(text)

    def flush(self) -> None:
        """Save now what is pending (switching incidents, leaving the pane, sending)."""
        if self._autosave is not None:
            self._autosave.stop()
            self._autosave = None
            self._save()

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        self._show_preview(event.text_area.text)
        if self._loading:
            self._loading -= 1
            return
        self.edited = True
        if self._autosave is not None:
            self._autosave.stop()
        self._autosave = self.set_timer(AUTOSAVE_DELAY, self._autosave_due)

    def _autosave_due(self) -> None:
        self._autosave = None
        self._save()

    def _save(self) -> None:
        if self.number is not None:
            self.post_message(self.DraftChanged(self.number, self.text))

    def _show_preview(self, text: str) -> None:
        preview = self.query_one("#composer-preview", Static)
        # Hidden (until the IC writes), its height moves nothing: a layout of the whole
        # screen, 10 ms, on every incident the cursor passes would be for nothing.
        preview.update(shown(slack_preview(text)), layout=preview.display)

    def action_send(self) -> None:
        if self.number is None:
            return
        self.flush()
        self.post_message(self.SendRequested(self.number, self.text))

    def action_reset(self) -> None:
        if self.number is not None:
            self.post_message(self.ResetRequested(self.number))
