"""People and teams (``P``): the roster the IC assigns from, and the parts each team owns,
which is what the cockpit suggests owners from.

``a`` adds a person, ``A`` a team, ``e`` (or enter) edits the highlighted one, ``x``
removes it (a removed person keeps their name on past incidents), ``tab`` switches lists.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ictui.domain.views import PersonView, TeamView
from ictui.tui.calls import call_in_thread
from ictui.tui.flows import ask, flow, write
from ictui.tui.messages import AppServices, services
from ictui.tui.screen_styles import StyledOnce
from ictui.tui.screens.roster_forms import PersonModal, TeamModal
from ictui.tui.shown import shown

if TYPE_CHECKING:
    from ictui.store.interface import StoreAPI

EMPTY_HINT = (
    "Nobody yet: a adds a person, A a team; or `ictui people sync` from Slack, `ictui people import FILE`"
)


class RosterScreen(StyledOnce, ModalScreen[None]):
    CSS_PATH = ["forms.tcss", "roster.tcss"]
    BINDINGS = [
        Binding("a", "add_person", "Add a person", id="roster.add_person"),
        Binding("A", "add_team", "Add a team", id="roster.add_team"),
        Binding("e", "edit", "Edit (a team: its parts)", id="roster.edit"),
        Binding("x", "remove", "Remove", id="roster.remove"),
        Binding("tab", "switch", "People / teams", id="roster.switch", priority=True),
        Binding("escape,P", "dismiss_screen", "Back", id="roster.back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.people: list[PersonView] = []
        self.teams: list[TeamView] = []

    @property
    def ictui(self) -> AppServices:
        return services(self)

    @property
    def store(self) -> StoreAPI:
        store = self.ictui.store
        assert store is not None, "the store is open before the cockpit takes keys"
        return store

    def compose(self) -> ComposeResult:
        with Vertical(classes="form form-wide", id="roster"):
            yield Static("People and teams", classes="form-title")
            yield Static("Loading…", id="roster-status")
            with Horizontal(id="roster-lists"):
                with Vertical(id="people-box"):
                    yield Static("People", classes="roster-heading")
                    yield OptionList(id="people")
                with Vertical(id="teams-box"):
                    yield Static("Teams and the parts they own", classes="roster-heading")
                    yield OptionList(id="teams")
            yield Static(
                "a adds a person · A a team · e edits (a team: its parts) · x removes · tab switches · escape back",
                classes="form-help",
            )

    def on_mount(self) -> None:
        self.query_one("#people", OptionList).focus()
        self.load()

    def load(self) -> None:
        store = self.store
        call_in_thread(
            self,
            lambda: (store.people(), store.teams()),
            self._show,
            group="roster",
            exclusive=True,
            description="reading people and teams",
        )

    def _show(self, loaded: tuple[list[PersonView], list[TeamView]]) -> None:
        self.people, self.teams = loaded
        _refill(self.query_one("#people", OptionList), [_person_label(p) for p in self.people])
        _refill(self.query_one("#teams", OptionList), [_team_label(t) for t in self.teams])
        status = self.query_one("#roster-status", Static)
        if not self.people and not self.teams:
            status.update(shown(EMPTY_HINT))
        else:
            status.update(
                shown(
                    f"{len(self.people)} {'person' if len(self.people) == 1 else 'people'} · "
                    f"{len(self.teams)} team{'s' if len(self.teams) != 1 else ''}"
                )
            )

    # ------------------------------------------------------------------ actions

    def _on_teams(self) -> bool:
        return self.query_one("#teams", OptionList).has_focus

    def _highlighted(self) -> PersonView | TeamView | None:
        items: Sequence[PersonView | TeamView]
        if self._on_teams():
            index, items = self.query_one("#teams", OptionList).highlighted, self.teams
        else:
            index, items = self.query_one("#people", OptionList).highlighted, self.people
        return items[index] if index is not None and 0 <= index < len(items) else None

    def action_switch(self) -> None:
        self.query_one("#people" if self._on_teams() else "#teams", OptionList).focus()

    def action_add_person(self) -> None:
        store = self.store

        def save(v: dict[str, Any]) -> str:
            store.add_person(v["name"], v["email"], v["roles"], v["team"] or None, v["slack_user_id"])
            return f"{v['name']} added"

        self.app.push_screen(PersonModal(save, self.teams), self._done)

    def action_add_team(self) -> None:
        store = self.store

        def save(v: dict[str, Any]) -> str:
            store.add_team(v["name"], v["parts"], v["slack_handle"], pagerduty_key=v["pagerduty_key"] or "")
            return f"Team {v['name']} added"

        self.app.push_screen(TeamModal(save, known_parts=_parts(self.teams)), self._done)

    def action_edit(self) -> None:
        item = self._highlighted()
        store = self.store
        if isinstance(item, PersonView):

            def save_person(v: dict[str, Any]) -> str:
                store.edit_person(
                    item.email,
                    name=v["name"],
                    new_email=v["email"],
                    team=v["team"],
                    roles=v["roles"],
                    slack_user_id=v["slack_user_id"],
                )
                return f"{v['name']} saved"

            self.app.push_screen(PersonModal(save_person, self.teams, item), self._done)
        elif isinstance(item, TeamView):

            def save_team(v: dict[str, Any]) -> str:
                store.edit_team(
                    item.name,
                    new_name=v["name"],
                    parts=v["parts"],
                    slack_handle=v["slack_handle"],
                    pagerduty_key=v["pagerduty_key"],
                )
                return f"Team {v['name']} saved"

            self.app.push_screen(TeamModal(save_team, item, _parts(self.teams)), self._done)

    @flow
    async def action_remove(self) -> None:
        from ictui.tui.screens.forms import ConfirmModal

        item = self._highlighted()
        store = self.store
        if isinstance(item, PersonView):
            question = f"Remove {item.name} from the roster? Past incidents keep their name."

            def remove() -> str:
                store.remove_person(item.email)
                return f"{item.name} removed"
        elif isinstance(item, TeamView):
            question = f"Remove the team {item.name}? Its people stay on the roster."

            def remove() -> str:
                store.remove_team(item.name)
                return f"Team {item.name} removed"
        else:
            return

        if await ask(self, ConfirmModal(question, confirm="Remove", cancel="Keep")):
            self._done(await write(self, remove, "removing"))

    def _done(self, message: str | None) -> None:
        if message:
            self.notify(message, timeout=3)
            self.load()

    def action_dismiss_screen(self) -> None:
        self.dismiss(None)

    @on(OptionList.OptionSelected)
    def _selected(self) -> None:
        self.action_edit()


def _refill(options: OptionList, labels: list[Text]) -> None:
    highlighted = options.highlighted
    options.clear_options()
    options.add_options([Option(shown(label)) for label in labels])
    if labels:
        options.highlighted = min(highlighted or 0, len(labels) - 1)


def _person_label(person: PersonView) -> Text:
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(person.name, style="bold")
    text.append(f" · {person.email}")
    details = [d for d in (person.team, ", ".join(person.roles)) if d]
    if details:
        text.append(f" · {' · '.join(details)}", style="dim")
    if not person.slack_user_id:
        text.append(" · no Slack id", style="yellow")
    return text


def _team_label(team: TeamView) -> Text:
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(team.name, style="bold")
    text.append(f" ({len(team.members)}) ", style="dim")
    text.append(", ".join(team.components) or "owns no part yet")
    if team.pagerduty:
        text.append(f" · PagerDuty {team.pagerduty}", style="dim")
    return text


def _parts(teams: list[TeamView]) -> list[str]:
    return sorted({c for t in teams for c in t.components}, key=str.lower)
