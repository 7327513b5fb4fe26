"""The help screen (? or F1): every key of the screen beneath, grouped by where it works."""

from __future__ import annotations

from itertools import groupby

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from ictui.tui.keymap import key_actions
from ictui.tui.screen_styles import StyledOnce
from ictui.tui.shown import shown

INTRO = (
    "ictui keeps one record per incident: triage it, annotate the timeline as things "
    "happen, send an update every cadence, and review it all at the post-mortem. "
    "Everything is saved as you go."
)


class HelpScreen(StyledOnce, ModalScreen[None]):
    CSS_PATH = "help.tcss"
    BINDINGS = [Binding("escape,q,question_mark,f1", "dismiss", "Close help")]

    def __init__(self, beneath: Screen) -> None:
        super().__init__()
        self.beneath = beneath

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body"):
            yield Static(Text(INTRO, style="italic"), id="help-intro")
            yield Static(shown(self._table()), id="help-keys")
            yield Static("escape closes · ctrl+p finds any action by name", id="help-footer")

    def _table(self) -> Table:
        table = Table.grid(padding=(0, 2))
        table.add_column(justify="right", style="bold cyan", no_wrap=True)
        table.add_column()
        for section, actions in groupby(key_actions(self.beneath), key=lambda a: a.section):
            table.add_row("", Text(section, style="bold underline"))
            for action in actions:
                table.add_row(Text(action.key), Text(action.description))
        return table

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
