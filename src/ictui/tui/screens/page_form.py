"""Page the on-call (``G``): the teams owning what the incident affects first, ticked,
then the rest; an optional message; ``enter`` pages those ticked.

Two keys page the owners: ``G``, then ``enter``. A team without a PagerDuty key is listed
(so that its absence is seen) and cannot be ticked. The pages already sent for the
incident are listed above, with their state (pending and why, paging, acknowledged by whom).
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, SelectionList, Static
from textual.widgets.selection_list import Selection

from ictui.domain.paging import PageView
from ictui.domain.views import IncidentView, TeamView
from ictui.tui.screens.modals import FormModal, error_label
from ictui.tui.shown import shown


@dataclass(frozen=True)
class PageAnswer:
    teams: tuple[str, ...]
    message: str


def owners_first(view: IncidentView, teams: list[TeamView]) -> tuple[list[TeamView], set[str]]:
    """The teams that own the incident's parts (or are named its owners) first, then the rest."""
    parts = {p.lower() for p in view.components}
    named = {t.lower() for t in view.owning_teams}
    owners = {t.name for t in teams if t.name.lower() in named or parts & {c.lower() for c in t.components}}
    ordered = sorted(teams, key=lambda t: (t.name not in owners, t.name.lower()))
    return ordered, owners


class TeamPicker(SelectionList[str]):
    """space ticks a team; enter pages those ticked."""

    BINDINGS = [Binding("enter", "page", "Page", show=False)]

    def action_page(self) -> None:
        if isinstance(self.screen, PageModal):  # the form it is on
            self.screen.submit()


class PageModal(FormModal[PageAnswer]):
    def __init__(self, view: IncidentView, teams: list[TeamView], pages: list[PageView]) -> None:
        super().__init__()
        self.view = view
        self.teams, self.owners = owners_first(view, teams)
        self.pages = pages

    def compose(self) -> ComposeResult:
        with Vertical(classes="form"):
            yield Static(
                shown(f"Page the on-call about #{self.view.number} {self.view.title}"), classes="form-title"
            )
            for page in self.pages:
                yield Static(shown(f"Paged {page.team}: {page.describe()}"), classes="form-help -top")
            yield TeamPicker(*[self._selection(t) for t in self.teams], id="teams")
            yield error_label("teams")
            yield Label("Message (optional): what the on-call should know")
            yield Input(id="message", placeholder="card payments declined for EU customers")
            yield error_label("message")
            yield Static(
                "space ticks a team · enter pages · tab to the message · escape cancels", classes="form-help"
            )

    def _selection(self, team: TeamView) -> Selection[str]:
        owner = " · owns what it affects" if team.name in self.owners else ""
        if not team.pagerduty:
            return Selection(shown(f"{team.name} (no PagerDuty key){owner}"), team.name, False, disabled=True)
        return Selection(shown(f"{team.name}{owner}"), team.name, team.name in self.owners)

    def on_mount(self) -> None:
        self.query_one(TeamPicker).focus()

    @on(Input.Submitted, "#message")
    def _message_submitted(self) -> None:
        self.submit()

    def submit(self) -> None:
        chosen = tuple(self.query_one(TeamPicker).selected)
        if not chosen:
            keyed = [t for t in self.teams if t.pagerduty]
            self.show_error(
                "teams",
                "tick a team with space"
                if keyed
                else "no team has a PagerDuty key: `ictui teams edit NAME --pagerduty-key KEY`, "
                "or P then e in the cockpit",
            )
            return
        self.dismiss(PageAnswer(chosen, self.query_one("#message", Input).value.strip()))
