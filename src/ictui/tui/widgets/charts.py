"""Pictures of the numbers: update waits against the cadence, durations, simple bars.

Drawn as Rich text with block characters, in theme colours (component classes), so
that they read on a shared screen and in any theme.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.console import RenderableType
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.widget import Widget

from ictui.domain.clock import short_duration, to_local
from ictui.domain.paging import Engagement
from ictui.domain.review import Durations, UpdateInterval

_EIGHTHS = " ▏▎▍▌▋▊▉"
CADENCE_MARK = "┊"


def bar(fraction: float, width: int) -> str:
    """A horizontal bar ``fraction`` of ``width`` cells long, to an eighth of a cell."""
    eighths = round(min(max(fraction, 0.0), 1.0) * width * 8)
    if fraction > 0:
        eighths = max(eighths, 1)  # something happened: never draw it as nothing
    full, part = divmod(eighths, 8)
    return "█" * full + (_EIGHTHS[part] if part else "")


class IntervalChart(Widget):
    """One bar per wait between updates; the part past the cadence is the late part."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "interval-chart--ok",
        "interval-chart--late",
        "interval-chart--cadence",
        "interval-chart--label",
        "interval-chart--muted",
    }

    DEFAULT_CSS = """
    IntervalChart {
        height: auto;
        & > .interval-chart--ok { color: $success; }
        & > .interval-chart--late { color: $error; text-style: bold; }
        & > .interval-chart--cadence { color: $text-muted; }
        & > .interval-chart--label { color: $text; }
        & > .interval-chart--muted { color: $text-muted; }
    }
    """

    LABEL_WIDTH = len("11:10 12th update")
    VALUE_WIDTH = len(" 12d05h +12d05h")

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._intervals: tuple[UpdateInterval, ...] = ()
        self._cadence_minutes: int | None = None
        self._loaded = False

    def show(self, intervals: tuple[UpdateInterval, ...], cadence_minutes: int | None) -> None:
        self._intervals, self._cadence_minutes, self._loaded = intervals, cadence_minutes, True
        self.refresh(layout=True)

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"interval-chart--{name}", partial=True)

    def render(self) -> RenderableType:
        if not self._loaded:
            return Text("…", style=self._style("muted"))
        text = Text(no_wrap=True, overflow="crop")
        cadence = self._cadence_minutes * 60 if self._cadence_minutes else None
        if cadence:
            text.append(f"Cadence {short_duration(cadence)} ", self._style("label"))
            text.append(CADENCE_MARK, self._style("cadence"))
            text.append("   ")
            text.append("█", self._style("ok"))
            text.append(" within  ", self._style("muted"))
            text.append("█", self._style("late"))
            text.append(" late", self._style("muted"))
        else:
            text.append("No update cadence for this severity: nothing is late", self._style("muted"))
        if not self._intervals:
            text.append("\nNo status updates to measure yet.", self._style("muted"))
            return text
        width = max(10, self.size.width - self.LABEL_WIDTH - self.VALUE_WIDTH - 2)
        longest = max(i.seconds for i in self._intervals)
        scale = max(longest, cadence * 1.25 if cadence else 0.0) or 1.0
        mark = round(cadence / scale * width) if cadence else None
        for interval in self._intervals:
            text.append("\n")
            self._row(text, interval, width, scale, mark)
        return text

    def _row(self, text: Text, interval: UpdateInterval, width: int, scale: float, mark: int | None) -> None:
        label = f"{to_local(interval.end).format('HH:mm')} {interval.ends_with}"
        text.append(label[: self.LABEL_WIDTH].ljust(self.LABEL_WIDTH) + " ", self._style("label"))
        drawn = bar(interval.seconds / scale, width)
        if mark is not None and len(drawn) > mark:
            text.append(drawn[:mark], self._style("ok"))
            text.append(drawn[mark:], self._style("late"))
        else:
            text.append(drawn, self._style("ok" if mark is not None else "muted"))
        room = width - len(drawn)
        if mark is not None and len(drawn) <= mark < width:
            text.append(" " * (mark - len(drawn)))
            text.append(CADENCE_MARK, self._style("cadence"))
            room = width - mark - 1
        text.append(" " * room + " ")
        text.append(short_duration(interval.seconds).rjust(6), self._style("label"))
        if interval.late:
            text.append(f" +{short_duration(interval.late_by)}", self._style("late"))


class DurationsTable(Widget):
    """The key spans of the incident, and the total; a missing one says why."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "durations--value",
        "durations--missing",
        "durations--total",
        "durations--muted",
    }

    DEFAULT_CSS = """
    DurationsTable {
        height: auto;
        & > .durations--value { color: $text; text-style: bold; }
        & > .durations--missing { color: $text-warning; text-style: italic; }
        & > .durations--total { color: $accent; text-style: bold; }
        & > .durations--muted { color: $text-muted; }
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._durations: Durations | None = None
        self._engagement: Engagement | None = None

    def show(self, durations: Durations, engagement: Engagement | None = None) -> None:
        """``engagement``: time to engage (declared → paged → first responder), when anyone was paged."""
        self._durations = durations
        self._engagement = engagement
        self.refresh(layout=True)

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"durations--{name}", partial=True)

    def render(self) -> RenderableType:
        if self._durations is None:
            return Text("…", style=self._style("muted"))
        table = Table.grid(padding=(0, 1), expand=True)
        table.add_column(no_wrap=True)
        table.add_column(ratio=1)
        for span in (*self._durations.spans, self._durations.total):
            total = span is self._durations.total
            if span.seconds is None:
                value = Text(span.missing, style=self._style("missing"))
            else:
                value = Text(short_duration(span.seconds), style=self._style("total" if total else "value"))
            table.add_row(Text(span.label, style=self._style("total") if total else Style()), value)
        for line in self._engagement.lines() if self._engagement is not None else ():
            label, _, figure = line.partition(": ")
            table.add_row(Text(label), Text(figure, style=self._style("value")))
        return table


@dataclass(frozen=True)
class BarRow:
    label: str
    value: float
    text: str
    style: Style | None = None


class HBars(Widget):
    """Labelled horizontal bars scaled to the largest value; for counts across incidents."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"hbars--bar", "hbars--label", "hbars--muted"}

    DEFAULT_CSS = """
    HBars {
        height: auto;
        & > .hbars--bar { color: $accent; }
        & > .hbars--label { color: $text; }
        & > .hbars--muted { color: $text-muted; }
    }
    """

    def __init__(
        self, empty: str = "Nothing yet.", *, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(id=id, classes=classes)
        self._rows: Sequence[BarRow] = ()
        self._empty = empty
        self._loaded = False

    def show(self, rows: Sequence[BarRow]) -> None:
        self._rows, self._loaded = rows, True
        self.refresh(layout=True)

    def render(self) -> RenderableType:
        muted = self.get_component_rich_style("hbars--muted", partial=True)
        if not self._loaded:
            return Text("…", style=muted)
        if not self._rows:
            return Text(self._empty, style=muted)
        label_width = min(24, max(len(row.label) for row in self._rows))
        text_width = max(len(row.text) for row in self._rows)
        width = max(4, self.size.width - label_width - text_width - 3)
        top = max(row.value for row in self._rows) or 1.0
        text = Text(no_wrap=True, overflow="crop")
        for index, row in enumerate(self._rows):
            if index:
                text.append("\n")
            text.append(
                row.label[:label_width].ljust(label_width) + " ",
                self.get_component_rich_style("hbars--label", partial=True),
            )
            drawn = bar(row.value / top, width)
            text.append(drawn, row.style or self.get_component_rich_style("hbars--bar", partial=True))
            text.append(" " * (width - len(drawn) + 1))
            text.append(row.text.rjust(text_width), muted)
        return text
