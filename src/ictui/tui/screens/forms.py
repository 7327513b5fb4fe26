"""The small modal forms of the cockpit: declare, choose, assign, edit, confirm, date.

Each validates what was typed where it was typed: a bad value gets a message under its
field and nothing the IC typed is thrown away.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Select, SelectionList, Static, TextArea
from textual.widgets.option_list import Option

from ictui.domain.clock import parse_when, to_local
from ictui.domain.enums import IncidentRole, Severity
from ictui.domain.errors import InvalidInput, TimeParseError
from ictui.domain.roster import check_email
from ictui.domain.text import clean_line
from ictui.domain.views import EntryView, IncidentView, PersonView
from ictui.tui.shown import plain, shown
from ictui.tui.widgets.pickers import StopOptionList

T = TypeVar("T")


class FormModal(ModalScreen[T]):
    """``ctrl+s`` submits, ``escape`` cancels; subclasses implement :meth:`submit`."""

    CSS_PATH = "forms.tcss"
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


def error_label(field_id: str) -> Label:
    return Label("", id=f"{field_id}-error", classes="field-error")


# ---------------------------------------------------------------------- declare


@dataclass(frozen=True)
class DeclareForm:
    title: str
    severity: Severity
    summary: str
    ic_email: str | None
    components: tuple[str, ...] = ()


class DeclareModal(FormModal[DeclareForm]):
    """A title and ctrl+s are enough: everything else has a sensible default.

    The affected parts are what lets the cockpit suggest who to involve (i) when
    ownership is unclear: a shared UI part maps to every team that owns it.
    """

    def __init__(self, people: list[PersonView], user: str, components: list[str] | None = None) -> None:
        super().__init__()
        self.people = people
        self.default_ic = _person_for_user(people, user)
        self.components = components or []

    def compose(self) -> ComposeResult:
        with Vertical(classes="form form-declare"):
            yield Static("Declare an incident", classes="form-title -with-keys")
            # The heading, the keys that submit and the title stay put; at 80x24 the rest
            # scrolls under them.
            yield Static("a title is enough · ctrl+s declares · escape cancels", classes="form-help -top")
            yield Label("Title")
            yield Input(placeholder="e.g. Slow app load times", id="title")
            yield error_label("title")
            with VerticalScroll(classes="form-rest"):
                yield from self._rest()

    def _rest(self) -> ComposeResult:
        yield Label("Severity")
        yield Select(
            [(f"{s} ({_SEVERITY_HINTS[s]})", s) for s in Severity],
            value=Severity.SEV3,
            allow_blank=False,
            id="severity",
        )
        yield Label("Summary (impact, who is affected)")
        yield TextArea(id="summary", soft_wrap=True)
        yield Label("Incident Controller")
        yield Select(
            [(shown(f"{p.name} — {p.email}"), p.email) for p in self.people],
            value=self.default_ic.email if self.default_ic else Select.NULL,
            prompt="nobody yet",
            id="ic",
        )
        if self.components:
            yield Label("Affected parts (space toggles; used to suggest owners)")
            yield SelectionList[str](*[(shown(c), c) for c in self.components], id="components")

    def on_mount(self) -> None:
        self.query_one("#title", Input).focus()

    @on(Input.Changed, "#title")
    def _title_changed(self) -> None:
        self.clear_error("title")

    @on(Input.Submitted, "#title")
    def _title_submitted(self) -> None:
        self.submit()

    def submit(self) -> None:
        title = clean_line(self.query_one("#title", Input).value)
        if not title:
            self.show_error("title", "A title is required: what is broken, in a few words.")
            return
        ic = self.query_one("#ic", Select).value
        parts = self.query("#components")
        self.dismiss(
            DeclareForm(
                title=title,
                severity=self.query_one("#severity", Select).value,  # type: ignore[arg-type]
                summary=self.query_one("#summary", TextArea).text,
                ic_email=ic if isinstance(ic, str) else None,
                components=tuple(parts.first(SelectionList).selected) if parts else (),
            )
        )


_SEVERITY_HINTS = {
    Severity.SEV1: "critical, all hands",
    Severity.SEV2: "major, many customers",
    Severity.SEV3: "minor, some customers",
    Severity.SEV4: "low, no cadence",
}


def _person_for_user(people: list[PersonView], user: str) -> PersonView | None:
    """The person the login name stands for: their email, its local part, or their name."""
    user = user.lower()
    for person in people:
        local = person.email.split("@")[0].lower()
        names = {person.email.lower(), local, local.split(".")[0], person.name.lower()}
        if user in names or user == person.name.lower().split(" ")[0]:
            return person
    return None


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
            yield StopOptionList(*[Option(shown(c.label), id=str(i)) for i, c in enumerate(self.choices)], id="choices")
            if self.note_label:
                yield Label(self.note_label)
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


# ---------------------------------------------------------------------- roles


class RoleModal(FormModal[tuple[IncidentRole, str, str]]):
    """Assign the IC or another role; the people who own the affected parts come first.

    Someone not on the roster yet is typed in: (role, email, name) with a name to add.
    """

    def __init__(
        self,
        incident: IncidentView,
        people: list[PersonView],
        suggestions: list[tuple[PersonView, str]],
    ) -> None:
        super().__init__()
        self.incident = incident
        self.people = people
        self.suggestions = suggestions

    def compose(self) -> ComposeResult:
        with Vertical(classes="form"):
            yield Static(f"Assign a role on #{self.incident.number}", classes="form-title")
            yield Label("Role")
            yield Select([(str(r), r) for r in IncidentRole], value=IncidentRole.IC, allow_blank=False, id="role")
            yield Label("Person (suggested owners first)")
            yield OptionList(*self._options(), id="person")
            yield error_label("person")
            yield Label("…or someone new: name and email (Slack finds a known email's name)")
            with Horizontal(classes="new-person"):
                yield Input(placeholder="Name", id="new-name")
                yield Input(placeholder="email@example.com", id="new-email")
            yield error_label("new-email")
            yield Static("enter or ctrl+s assigns · escape cancels", classes="form-help")

    def _options(self) -> list[Option]:
        suggested = {p.email for p, _ in self.suggestions}
        options = [Option(shown(f"★ {p.name} — {why}"), id=p.email) for p, why in self.suggestions]
        options += [
            Option(shown(f"  {p.name} ({', '.join(p.roles) or 'no role'}{', ' + p.team if p.team else ''})"),
                   id=p.email)
            for p in self.people
            if p.email not in suggested
        ]
        return options

    def on_mount(self) -> None:
        self.query_one("#person", OptionList).focus()

    @on(OptionList.OptionSelected, "#person")
    def _picked(self) -> None:
        self.submit()

    @on(Input.Submitted, "#new-name, #new-email")
    def _new_submitted(self) -> None:
        self.submit()

    @on(Input.Changed, "#new-email")
    def _new_email_changed(self) -> None:
        self.clear_error("new-email")

    def submit(self) -> None:
        role = self.query_one("#role", Select).value
        name = clean_line(self.query_one("#new-name", Input).value)
        typed = self.query_one("#new-email", Input).value.strip()
        if typed or name:
            try:
                email = check_email(typed)
            except InvalidInput as exc:
                self.show_error("new-email", str(exc))
                return
            self.dismiss((role, email, name))  # type: ignore[arg-type]
            return
        people = self.query_one("#person", OptionList)
        if people.highlighted is None:
            self.show_error("person", "Choose a person, or type a new one's name and email")
            return
        email = people.get_option_at_index(people.highlighted).id or ""
        self.dismiss((role, email, ""))  # type: ignore[arg-type]


# ---------------------------------------------------------------------- timeline entry


class EditEntryModal(FormModal[tuple[str, Any]]):
    """Fix what an entry says and when it happened ("14:32", "-5m", "yesterday 09:10")."""

    def __init__(self, entry: EntryView) -> None:
        super().__init__()
        self.entry = entry

    def compose(self) -> ComposeResult:
        with Vertical(classes="form"):
            yield Static("Edit timeline entry", classes="form-title")
            yield Label("When")
            yield Input(to_local(self.entry.occurred_at).format("YYYY-MM-DD HH:mm:ss"), id="when")
            yield error_label("when")
            yield Label("Text")
            yield TextArea(plain(self.entry.text), id="text", soft_wrap=True)
            yield error_label("text")
            yield Static('times: "14:32", "-5m", "yesterday 09:10" · ctrl+s saves · escape cancels',
                         classes="form-help")

    def on_mount(self) -> None:
        self.query_one("#text", TextArea).focus()

    @on(Input.Changed, "#when")
    def _when_changed(self) -> None:
        self.clear_error("when")

    def submit(self) -> None:
        text = self.query_one("#text", TextArea).text
        if not text.strip():
            self.show_error("text", "The entry cannot be empty (x deletes it instead)")
            return
        try:
            at = parse_when(self.query_one("#when", Input).value)
        except TimeParseError as exc:
            self.show_error("when", str(exc))
            return
        self.dismiss((text, at))


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
            yield Static('enter saves ("2026-11-27 10:00", "tomorrow 14:00") · escape keeps the default',
                         classes="form-help")

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


class ConfirmModal(ModalScreen[bool]):
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
                yield Button(f"{self.confirm} (y)", id="yes", variant="error")
                yield Button(f"{self.cancel} (n)", id="no", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
