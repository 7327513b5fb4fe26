"""The generic modals every screen uses: the base of the forms (``ctrl+s`` submits,
``escape`` cancels, a message under the field that is wrong), choosing one of a few
options, a point in time, and yes or no.

Each validates what was typed where it was typed: a bad value gets a message under its
field and nothing the IC typed is thrown away.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath
from typing import Any, ClassVar, Generic, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from ictui.domain.clock import parse_when
from ictui.domain.errors import TimeParseError
from ictui.tui.screen_styles import StyledOnce
from ictui.tui.shown import shown
from ictui.tui.widgets.pickers import StopOptionList

T = TypeVar("T")


class FormModal(StyledOnce, ModalScreen[T]):
    """``ctrl+s`` submits, ``escape`` cancels; subclasses implement :meth:`submit`."""

    # Textual's CSSPathType, spelled out: a form may add sheets of its own.
    CSS_PATH: ClassVar[str | PurePath | list[str | PurePath] | None] = "forms.tcss"
    BINDINGS = [
        Binding("ctrl+s", "submit", "Save", id="form.submit", priority=True),
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
    ]

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_submit(self) -> None:
        self.submit()

    def submit(self) -> None:
        raise NotImplementedError

    def show_error(self, field_id: str, message: str) -> None:
        error = self.query_one(f"#{field_id}-error", Label)
        error.update(shown(message))
        error.add_class("-shown")
        self.query_one(f"#{field_id}").focus()

    def clear_error(self, field_id: str) -> None:
        self.query_one(f"#{field_id}-error", Label).remove_class("-shown")


def chosen(select: Select[T]) -> T:
    """What a ``Select`` made with ``allow_blank=False`` shows: never the blank."""
    selection = select.selection
    assert selection is not None, "a Select without a blank always has a value"
    return selection


def error_label(field_id: str) -> Label:
    return Label("", id=f"{field_id}-error", classes="field-error")


# ---------------------------------------------------------------------- choose one


@dataclass(frozen=True)
class Choice(Generic[T]):
    value: T
    label: str


class ChoiceModal(FormModal[tuple[Any, str]]):
    """Pick one option (enter), with an optional note saying why.

    ``highlight``: the option the cursor starts on. ``needs_reason``: options that are
    taken only with a note (a step back: it goes on the timeline with its reason).
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self,
        title: str,
        choices: list[Choice[Any]],
        note_label: str = "",
        *,
        highlight: int = 0,
        needs_reason: frozenset[int] = frozenset(),
    ) -> None:
        super().__init__()
        self.title_text = title
        self.choices = choices
        self.note_label = note_label or ("Why" if needs_reason else "")
        self.highlight = highlight
        self.needs_reason = needs_reason

    def compose(self) -> ComposeResult:
        with Vertical(classes="form form-narrow"):
            yield Static(shown(self.title_text), classes="form-title")
            yield StopOptionList(
                *[Option(shown(c.label), id=str(i)) for i, c in enumerate(self.choices)], id="choices"
            )
            if self.note_label:
                yield Label(shown(self.note_label))
                yield Input(id="note")
                yield error_label("note")
            yield Static("enter chooses · escape cancels", classes="form-help")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = self.highlight
        options.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self._finish(int(event.option.id or 0))

    @on(Input.Submitted, "#note")
    def _note_submitted(self) -> None:
        self.submit()

    @on(Input.Changed, "#note")
    def _note_changed(self) -> None:
        self.clear_error("note")

    def submit(self) -> None:
        index = self.query_one(OptionList).highlighted
        self._finish(index or 0)

    def _finish(self, index: int) -> None:
        note = self.query_one("#note", Input).value if self.note_label else ""
        if index in self.needs_reason and not note.strip():
            self.query_one(OptionList).highlighted = index
            self.show_error("note", "A step back: say why (it goes on the timeline), then enter")
            return
        self.dismiss((self.choices[index].value, note))


# ---------------------------------------------------------------------- a date, yes or no


class DateModal(FormModal[Any]):
    """Ask for a point in time; the default is shown and kept if the IC just confirms."""

    def __init__(self, title: str, default: str) -> None:
        super().__init__()
        self.title_text = title
        self.default = default

    def compose(self) -> ComposeResult:
        with Vertical(classes="form form-narrow"):
            yield Static(shown(self.title_text), classes="form-title")
            yield Input(self.default, id="when")
            yield error_label("when")
            yield Static(
                'enter saves (a date as shown, "tomorrow 14:00", "+2d") · escape keeps the default',
                classes="form-help",
            )

    def on_mount(self) -> None:
        self.query_one("#when", Input).focus()

    @on(Input.Submitted, "#when")
    def _submitted(self) -> None:
        self.submit()

    def submit(self) -> None:
        try:
            self.dismiss(parse_when(self.query_one("#when", Input).value))
        except TimeParseError as exc:
            self.show_error("when", str(exc))


class ConfirmModal(StyledOnce, ModalScreen[bool]):
    CSS_PATH = "forms.tcss"
    BINDINGS = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(self, question: str, confirm: str = "Yes", cancel: str = "No") -> None:
        super().__init__()
        self.question = question
        self.confirm = confirm
        self.cancel = cancel

    def compose(self) -> ComposeResult:
        with Vertical(classes="form form-narrow"):
            yield Static(shown(self.question), classes="form-title")
            with Horizontal(classes="buttons"):
                yield Button(shown(f"{self.confirm} (y)"), id="yes", variant="error")
                yield Button(shown(f"{self.cancel} (n)"), id="no", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
