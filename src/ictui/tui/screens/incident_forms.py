"""The incident's forms: declare an incident, assign a role, edit a timeline entry.

Built on :class:`FormModal` (``modals``): each validates what was typed where it was
typed, and nothing the IC typed is thrown away.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Input, Label, OptionList, Select, SelectionList, Static, TextArea
from textual.widgets.option_list import Option

from ictui.domain.clock import parse_when, to_local
from ictui.domain.enums import IncidentRole, Severity
from ictui.domain.errors import InvalidInput, TimeParseError
from ictui.domain.roster import check_email
from ictui.domain.text import clean_line
from ictui.domain.views import EntryView, IncidentView, PersonView
from ictui.tui.screens.modals import FormModal, chosen, error_label
from ictui.tui.shown import plain, shown

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
            [(shown(f"{s} ({_SEVERITY_HINTS[s]})"), s) for s in Severity],
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
                severity=chosen(self.query_one("#severity", Select)),
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
            yield Static(shown(f"Assign a role on #{self.incident.number}"), classes="form-title")
            yield Label("Role")
            yield Select(
                [(shown(r), r) for r in IncidentRole], value=IncidentRole.IC, allow_blank=False, id="role"
            )
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
            Option(
                shown(f"  {p.name} ({', '.join(p.roles) or 'no role'}{', ' + p.team if p.team else ''})"),
                id=p.email,
            )
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
        role: IncidentRole = chosen(self.query_one("#role", Select))
        name = clean_line(self.query_one("#new-name", Input).value)
        typed = self.query_one("#new-email", Input).value.strip()
        if typed or name:
            try:
                email = check_email(typed)
            except InvalidInput as exc:
                self.show_error("new-email", str(exc))
                return
            self.dismiss((role, email, name))
            return
        people = self.query_one("#person", OptionList)
        if people.highlighted is None:
            self.show_error("person", "Choose a person, or type a new one's name and email")
            return
        email = people.get_option_at_index(people.highlighted).id or ""
        self.dismiss((role, email, ""))


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
            yield Static(
                'times: "14:32", "-5m", "yesterday 09:10" · ctrl+s saves · escape cancels',
                classes="form-help",
            )

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
