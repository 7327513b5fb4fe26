"""The forms of the people-and-teams screen: a person, a team and the parts it owns.

A form saves itself, in a thread worker, and stays open with what was typed when the
store refuses it (a duplicate email, an unknown team): the refusal shows under the form.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, Select, Static

from ictui.domain.errors import InvalidInput
from ictui.domain.paging import check_key
from ictui.domain.roster import check_email, check_name, check_slack_user_id, split_list
from ictui.domain.views import PersonView, TeamView
from ictui.tui.flows import flow, write
from ictui.tui.screens.forms import FormModal, error_label
from ictui.tui.shown import shown


class _SavingForm(FormModal[Any]):
    """Checks what it can where it was typed, then runs ``save`` off the event loop."""

    def __init__(self, save: Callable[[dict[str, Any]], Any]) -> None:
        super().__init__()
        self.save = save
        self._saving = False

    def values(self) -> dict[str, Any] | None:
        raise NotImplementedError

    @flow
    async def submit(self) -> None:
        """Saved in order with every other write; the form closes once it is on disk (the
        keys typed after it wait: they are meant for the screen under it), or says why not."""
        if self._saving:
            return
        values = self.values()
        if values is None:
            return
        self._saving = True
        self._saved(await write(self, lambda: self.save(values), "saving", refused=self._refused))

    def _saved(self, result: Any) -> None:
        self._saving = False
        self.dismiss(result)

    def _refused(self, message: str) -> None:
        self._saving = False
        error = self.query_one("#form-error", Label)
        error.update(shown(message))
        error.add_class("-shown")

    @on(Input.Submitted)
    def _enter(self) -> None:
        self.submit()

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        for field_id in (event.input.id, "form"):
            for label in self.query(f"#{field_id}-error"):
                label.remove_class("-shown")

    def checked(self, field_id: str, check: Callable[[str], Any]) -> Any:
        """The field's value through ``check``; its refusal is shown under the field."""
        try:
            return check(self.query_one(f"#{field_id}", Input).value)
        except InvalidInput as exc:
            self.show_error(field_id, str(exc))
            raise


class PersonModal(_SavingForm):
    """Add someone, or change their name, email, team, roles or Slack id."""

    def __init__(
        self, save: Callable[[dict[str, Any]], Any], teams: list[TeamView], person: PersonView | None = None
    ) -> None:
        super().__init__(save)
        self.teams = teams
        self.person = person

    def compose(self) -> ComposeResult:
        person = self.person
        with Vertical(classes="form"):
            yield Static(shown(f"Edit {person.name}") if person else "Add a person", classes="form-title")
            yield Label("Name")
            yield Input(person.name if person else "", placeholder="e.g. Dana Kim", id="name")
            yield error_label("name")
            yield Label("Email")
            yield Input(person.email if person else "", placeholder="dana@example.com", id="email")
            yield error_label("email")
            yield Label("Team")
            yield Select(
                [(shown(t.name), t.name) for t in self.teams],
                value=person.team if person and person.team else Select.NULL,
                prompt="no team",
                id="team",
            )
            yield Label("Roles (EM, tech lead, DevOps, PM…; separated by ;)")
            yield Input("; ".join(person.roles) if person else "", id="roles")
            yield Label("Slack user id (optional: `ictui people sync` links it by email)")
            yield Input(person.slack_user_id if person else "", placeholder="U02ABC123", id="slack")
            yield error_label("slack")
            yield error_label("form")
            yield Static("ctrl+s saves · escape cancels", classes="form-help")

    def on_mount(self) -> None:
        self.query_one("#name", Input).focus()

    def values(self) -> dict[str, Any] | None:
        try:
            name = self.checked("name", check_name)
            email = self.checked("email", check_email)
            slack = self.checked("slack", check_slack_user_id)
        except InvalidInput:
            return None
        team = self.query_one("#team", Select).value
        return {
            "name": name,
            "email": email,
            "team": team if isinstance(team, str) else "",
            "roles": split_list(self.query_one("#roles", Input).value),
            "slack_user_id": slack,
        }


class TeamModal(_SavingForm):
    """Add a team, or rename it and set the parts of the product it owns."""

    def __init__(
        self,
        save: Callable[[dict[str, Any]], Any],
        team: TeamView | None = None,
        known_parts: list[str] | None = None,
    ) -> None:
        super().__init__(save)
        self.team = team
        self.known_parts = known_parts or []

    def compose(self) -> ComposeResult:
        team = self.team
        with Vertical(classes="form"):
            yield Static(shown(f"Edit the team {team.name}") if team else "Add a team", classes="form-title")
            yield Label("Name")
            yield Input(team.name if team else "", placeholder="e.g. Web Platform", id="name")
            yield error_label("name")
            yield Label("Parts it owns (separated by ;) — a part may be owned by several teams")
            yield Input(
                "; ".join(team.components) if team else "", placeholder="shared UI; performance", id="parts"
            )
            if self.known_parts:
                yield Static(shown("owned now: " + ", ".join(self.known_parts)), classes="form-hint")
            yield Label("Slack handle (optional)")
            yield Input(team.slack_handle if team else "", placeholder="@web-platform", id="handle")
            yield Label("PagerDuty integration key (optional, to page its on-call)")
            current = team.pagerduty if team else ""
            yield Input(
                "",
                password=True,
                id="pagerduty",
                placeholder=f"{current}: empty keeps it, none removes it"
                if current
                else "32 letters and digits",
            )
            yield error_label("pagerduty")
            yield error_label("form")
            yield Static("ctrl+s saves · escape cancels", classes="form-help")

    def on_mount(self) -> None:
        self.query_one("#parts" if self.team else "#name", Input).focus()

    def values(self) -> dict[str, Any] | None:
        try:
            name = self.checked("name", lambda text: check_name(text, "a team name"))
            key = self.checked("pagerduty", _typed_key)
        except InvalidInput:
            return None
        return {
            "name": name,
            "parts": split_list(self.query_one("#parts", Input).value),
            "slack_handle": self.query_one("#handle", Input).value,
            # None: left empty, the team keeps its key; "": removed.
            "pagerduty_key": key,
        }


def _typed_key(text: str) -> str | None:
    text = text.strip()
    if not text:
        return None
    return "" if text.lower() == "none" else check_key(text)
