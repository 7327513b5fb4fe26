"""Across incidents: how many, how fast we mitigate and resolve, post-mortems, open actions.

The numbers a team looks at once a month, drawn as bars; d switches between the last
30 and 90 days. One store call (three queries), in a worker.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Vertical
from textual.screen import Screen
from textual.widgets import Static

from ictui.domain.clock import short_duration, to_local
from ictui.domain.review import StatsView, TimeStat
from ictui.tui.calls import call_in_thread
from ictui.tui.messages import DatabaseChanged, services
from ictui.tui.screen_styles import StyledOnce
from ictui.tui.shown import plain, shown
from ictui.tui.widgets.charts import BarRow, HBars
from ictui.tui.widgets.footer import KeysFooter
from ictui.tui.widgets.styles import severity_style

if TYPE_CHECKING:
    from ictui.store.interface import StoreAPI

PERIODS = (30, 90)


class StatsScreen(StyledOnce, Screen[None]):
    CSS_PATH = "stats.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("d", "toggle_days", "30 / 90 days", id="stats.days"),
        Binding("r", "reload", "Refresh", id="stats.refresh"),
        Binding("down,j", "scroll(3)", "Scroll down", show=False, id="stats.down"),
        Binding("up,k", "scroll(-3)", "Scroll up", show=False, id="stats.up"),
        Binding("escape", "back", "Back", id="stats.back"),
    ]

    def __init__(self, days: int = PERIODS[0]) -> None:
        super().__init__()
        self.days = days
        # The database's revision when the numbers on screen were read (None: not yet).
        self._revision: int | None = None
        # A change the app announced while the numbers were being read (None: none).
        self._changed_to: int | None = None

    @property
    def store(self) -> StoreAPI:
        # None only before the store opens: a read made then fails in its thread, and says so.
        return cast("StoreAPI", services(self).store)

    def compose(self) -> ComposeResult:
        yield Static(id="st-title")
        with Grid(id="st-grid"):
            with Vertical(id="st-severity-box", classes="st-panel"):
                yield HBars("No incidents in this period.", id="st-severity")
            with Vertical(id="st-times-box", classes="st-panel"):
                yield HBars("No incident has both ends recorded yet.", id="st-times")
                yield Static(id="st-times-note")
            with Vertical(id="st-postmortems-box", classes="st-panel"):
                yield HBars("No post-mortem due in this period.", id="st-postmortems")
                yield Static(id="st-postmortems-note")
            with Vertical(id="st-owners-box", classes="st-panel"):
                yield HBars("No open action items. Nothing slipped.", id="st-owners")
        yield KeysFooter()

    def on_mount(self) -> None:
        titles = {
            "#st-severity-box": "Incidents per severity",
            "#st-times-box": "Time to mitigate and to resolve",
            "#st-postmortems-box": "Post-mortems",
            "#st-owners-box": "Open action items by owner",
        }
        for selector, title in titles.items():
            self.query_one(selector).border_title = shown(title)
        self._show_title(None)
        # After the first frame: the first read loads the database layer, whose import in
        # a thread would hold the screen's first frame back by a third of a second.
        self.call_after_refresh(self.action_reload)

    def action_toggle_days(self) -> None:
        self.days = (
            PERIODS[(PERIODS.index(self.days) + 1) % len(PERIODS)] if self.days in PERIODS else PERIODS[0]
        )
        self.action_reload()

    def action_reload(self) -> None:
        self._load(self.days)

    def action_back(self) -> None:
        self.dismiss()

    def action_scroll(self, lines: int) -> None:
        """Narrow terminals stack the panels: the keyboard scrolls them too."""
        grid = self.query_one("#st-grid", Grid)
        grid.scroll_to(y=grid.scroll_offset.y + lines, animate=False)

    def _load(self, days: int) -> None:
        store = self.store

        def read() -> tuple[StatsView, int]:
            # The revision first: a write that lands between the two reads is read again.
            revision = store.revision()
            return store.incident_stats(days), revision

        call_in_thread(
            self,
            read,
            lambda result: self._show(result[0], result[1], days),
            on_error=lambda message: self.notify(message, title="No stats", severity="error"),
            group="stats-load",
            exclusive=True,
            description="loading the stats",
        )

    def on_database_changed(self, changed: DatabaseChanged) -> None:
        """The numbers follow the database: another process's writes show within a second."""
        self._follow(changed.revision)

    def _follow(self, revision: int) -> None:
        if self._revision is None:
            # A read is under way (it may predate the change), or the last one failed (r
            # reads again).
            self._changed_to = revision
        elif revision != self._revision and self in self.app.screen_stack:
            self._revision = None  # one reload at a time
            self._load(self.days)

    def _show_title(self, stats: StatsView | None) -> None:
        title = Text(no_wrap=True, overflow="ellipsis")
        title.append(" ACROSS INCIDENTS ", "bold reverse")
        title.append(f"  last {self.days} days", "bold")
        if stats is not None:
            title.append(f" (since {to_local(stats.since).format('ddd D MMM YYYY')})")
            title.append(f" · {stats.incidents} incident{'s' if stats.incidents != 1 else ''}")
        self.query_one("#st-title", Static).update(title)

    def _colour(self, name: str) -> Style:
        """A theme colour (success, warning, error) for bars drawn as Rich text."""
        return Style(color=self.app.get_css_variables()[name])

    def _show(self, stats: StatsView, revision: int, days: int) -> None:
        if self not in self.app.screen_stack:
            return  # closed while its data was read
        if days != self.days:
            return  # read for the period shown before d; its own read follows
        self._revision = revision
        changed, self._changed_to = self._changed_to, None
        if changed is not None and changed != revision:
            self._follow(changed)
        self._show_title(stats)
        self.query_one("#st-severity", HBars).show(
            [
                BarRow(str(severity), count, str(count), severity_style(severity))
                for severity, count in stats.per_severity
            ]
            if stats.incidents
            else []
        )
        rows = [
            *_time_rows("to mitigate", stats.to_mitigate, self._colour("warning")),
            *_time_rows("to resolve", stats.to_resolve, self._colour("success")),
        ]
        self.query_one("#st-times", HBars).show(rows)
        self.query_one("#st-times-note", Static).update(
            Text(
                f"From impact (or detection) · over {stats.to_mitigate.count} mitigated and "
                f"{stats.to_resolve.count} resolved incidents",
                style="dim",
            )
        )
        states = [
            ("held on time", stats.postmortems_on_time, "success"),
            ("held late", stats.postmortems_late, "warning"),
            ("overdue", stats.postmortems_overdue, "error"),
            ("upcoming", stats.postmortems_upcoming, ""),
        ]
        self.query_one("#st-postmortems", HBars).show(
            [
                BarRow(label, count, str(count), self._colour(colour) if colour else Style(dim=True))
                for label, count, colour in states
            ]
            if any(count for _, count, _ in states)
            else []
        )
        due = stats.postmortems_due
        note = (
            f"{stats.postmortems_on_time} of {due} due held on time "
            f"({round(100 * stats.postmortems_on_time / due)}%)"
            if due
            else "None due yet"
        )
        self.query_one("#st-postmortems-note", Static).update(Text(note, style="dim"))
        overdue_style = self._colour("error")
        self.query_one("#st-owners", HBars).show(
            [
                BarRow(
                    plain(load.owner),
                    load.open_items,
                    f"{load.open_items}" + (f" ({load.overdue} overdue)" if load.overdue else ""),
                    overdue_style if load.overdue else None,
                )
                for load in stats.open_items_by_owner
            ]
        )


def _time_rows(what: str, stat: TimeStat, style: Style) -> list[BarRow]:
    if not stat.count or stat.median_seconds is None or stat.worst_seconds is None:
        return []
    worst = f"{short_duration(stat.worst_seconds)} #{stat.worst_number}"
    return [
        BarRow(f"median {what}", stat.median_seconds, short_duration(stat.median_seconds), style),
        BarRow(f"worst {what}", stat.worst_seconds, worst, style),
    ]
