"""The incident list and the timeline, each mounted alone in a small app and driven by keys."""

from __future__ import annotations

import asyncio
import functools

import pendulum
import pytest
from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Footer

from ictui.domain.enums import EntryKind, EntrySource, Severity, Status
from ictui.domain.views import EntryView, IncidentRow
from ictui.tui.widgets.incident_list import IncidentList
from ictui.tui.widgets.line_list import LineList
from ictui.tui.widgets.timeline import TimelineView

# A Tuesday afternoon in Paris (15:00 local).
NOW = pendulum.datetime(2026, 11, 24, 14, 0, tz="UTC")
STATUSES = list(Status)
SEVERITIES = list(Severity)
KINDS = list(EntryKind)
NAMES = ["Alice Martin", "Bob Nguyen", "Chloé Dubois", ""]


def run_in_loop(test):
    """Run an async Pilot test in its own event loop (no async plugin is installed)."""

    @functools.wraps(test)
    def run(*args, **kwargs):
        return asyncio.run(test(*args, **kwargs))

    return run


@pytest.fixture(autouse=True)
def paris(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ICTUI_TZ", "Europe/Paris")


@pytest.fixture(autouse=True)
def frozen_clock():
    pendulum.travel_to(NOW, freeze=True)
    yield
    pendulum.travel_back()


def incident(number: int, **changes) -> IncidentRow:
    fields = dict(
        number=number,
        title=f"Checkout fails in region {number % 7}",
        severity=SEVERITIES[number % 4],
        status=STATUSES[number % 4],  # active ones only, unless asked
        ic_name=NAMES[number % 4],
        declared_at=NOW.subtract(minutes=5 * number),
        created_at=NOW.subtract(minutes=5 * number + 2),
        last_update_at=NOW.subtract(minutes=number % 25) if number % 3 else None,
        cadence_minutes=30 if number % 2 else None,
    )
    fields.update(changes)
    return IncidentRow(**fields)


def incidents(count: int) -> list[IncidentRow]:
    """Newest first, as the store lists them."""
    return [incident(number) for number in range(count, 0, -1)]


def entry(entry_id: int, **changes) -> EntryView:
    fields = dict(
        id=entry_id,
        occurred_at=NOW.subtract(minutes=600).add(minutes=entry_id),
        recorded_at=NOW,
        kind=KINDS[entry_id % len(KINDS)],
        author=["alice", "bob", "system"][entry_id % 3],
        text=f"entry {entry_id}: restarted the payment pods",
        source=EntrySource.MANUAL,
        permalink="",
        key_event=None,
        shared=False,
        deleted=False,
        edited=False,
    )
    fields.update(changes)
    return EntryView(**fields)


def entries(count: int, first_id: int = 1) -> list[EntryView]:
    return [entry(entry_id) for entry_id in range(first_id, first_id + count)]


class Harness(App):
    """One widget under test, full height, with the Footer showing its keys."""

    CSS = """
    #under-test { height: 1fr; }
    .narrow { width: 36; }
    """

    def __init__(self, widget: LineList, load=None) -> None:
        super().__init__()
        self.widget = widget
        self.load = load
        self.messages: list[Message] = []

    def compose(self) -> ComposeResult:
        yield self.widget
        yield Footer()

    def on_mount(self) -> None:
        self.widget.focus()
        if self.load is not None:
            self.load(self.widget)

    def on_incident_list_highlighted(self, message: IncidentList.Highlighted) -> None:
        self.messages.append(message)

    def on_incident_list_selected(self, message: IncidentList.Selected) -> None:
        self.messages.append(message)

    def on_timeline_view_highlighted(self, message: TimelineView.Highlighted) -> None:
        self.messages.append(message)

    def numbers(self, kind: type[Message]) -> list[int | None]:
        """What the messages of this kind carried: incident numbers or entry ids."""
        return [
            getattr(m, "number", getattr(m, "entry_id", None)) for m in self.messages if isinstance(m, kind)
        ]


class CountingIncidentList(IncidentList):
    """Remembers which rows were drawn."""

    def __init__(self) -> None:
        super().__init__(id="under-test")
        self.drawn: set[int] = set()

    def render_line(self, y: int) -> Strip:
        index = self.item_at(y)
        if index is not None:
            self.drawn.add(index)
        return super().render_line(y)


class CountingTimeline(TimelineView):
    def __init__(self) -> None:
        super().__init__(id="under-test")
        self.drawn: set[int] = set()

    def render_line(self, y: int) -> Strip:
        index = self.item_at(y)
        if index is not None:
            self.drawn.add(index)
        return super().render_line(y)


def screen_lines(widget: LineList) -> list[str]:
    return [widget.render_line(y).text for y in range(widget.scrollable_content_region.height)]


def row_line(widget: IncidentList, number: int) -> str:
    return next(line for line in screen_lines(widget) if line.startswith(f"#{number} "))


# ---------------------------------------------------------------------- incident list


@run_in_loop
async def test_ten_thousand_incidents_draw_only_the_rows_on_screen() -> None:
    widget = CountingIncidentList()
    app = Harness(widget, lambda w: w.set_rows(incidents(10_000)))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        visible = widget.page_height
        assert visible == 24 - 1 - 1  # less the Footer and the header line
        assert widget.drawn and max(widget.drawn) < visible

        widget.drawn.clear()
        await pilot.press("end")
        await pilot.pause()
        assert widget.selected_number == 1
        assert min(widget.drawn) >= 10_000 - visible
        assert "#1 " in "\n".join(screen_lines(widget))


@run_in_loop
async def test_keys_move_the_cursor_and_announce_the_incident() -> None:
    app = Harness(IncidentList(id="under-test"), lambda w: w.set_rows(incidents(100)))
    async with app.run_test(size=(120, 40)) as pilot:
        widget = app.widget
        await pilot.pause()
        assert widget.selected_number == 100

        for key, expected in [
            ("j", 99),
            ("down", 98),
            ("k", 99),
            ("up", 100),
            ("up", 100),
            ("end", 1),
            ("home", 100),
            ("pagedown", 100 - widget.page_height),
        ]:
            await pilot.press(key)
            await pilot.pause()
            assert widget.selected_number == expected, key
            assert app.numbers(IncidentList.Highlighted)[-1] == expected, key

        await pilot.press("enter")
        await pilot.pause()
        assert app.numbers(IncidentList.Selected) == [100 - widget.page_height]


@run_in_loop
async def test_a_held_key_does_not_queue_a_highlight_per_row() -> None:
    app = Harness(IncidentList(id="under-test"), lambda w: w.set_rows(incidents(1_000)))
    async with app.run_test(size=(80, 24)) as pilot:
        widget = app.widget
        await pilot.pause()
        app.messages.clear()
        for _ in range(300):  # as fast as a held key: no chance to handle any in between
            widget.action_cursor_down()
        await pilot.pause()
        announced = app.numbers(IncidentList.Highlighted)
        assert announced[-1] == 1_000 - 300
        assert len(announced) < 10


@run_in_loop
async def test_the_cursor_row_stays_on_screen_when_paging() -> None:
    app = Harness(IncidentList(id="under-test"), lambda w: w.set_rows(incidents(500)))
    async with app.run_test(size=(80, 24)) as pilot:
        widget = app.widget
        await pilot.pause()
        for _ in range(5):
            await pilot.press("pagedown")
        await pilot.pause()
        assert widget.selected_number is not None
        assert row_line(widget, widget.selected_number)


@run_in_loop
async def test_filters_by_severity_status_activity_and_text_keeping_the_selection() -> None:
    rows = [
        *incidents(40),
        incident(41, status=Status.RESOLVED, title="Search is slow", ic_name="Zoë Keller"),
        incident(42, status=Status.CLOSED, severity=Severity.SEV1),
    ]
    app = Harness(IncidentList(id="under-test"), lambda w: w.set_rows(rows, keep_number=12))
    async with app.run_test(size=(120, 40)) as pilot:
        widget = app.widget
        await pilot.pause()
        assert widget.selected_number == 12  # a SEV1, active

        assert widget.apply_filter("sev1") == sum(r.severity is Severity.SEV1 for r in rows)
        assert widget.selected_number == 12
        assert all(" SEV1 " in line for line in screen_lines(widget)[1 : widget.shown_count + 1])

        widget.apply_filter("sev:1,2 active")
        assert {r.number for r in rows if r.severity.rank <= 2 and r.status.is_active} == shown(widget)

        widget.apply_filter("status:resolved")
        assert shown(widget) == {41}
        assert widget.selected_number == 41

        widget.apply_filter("closed")
        assert shown(widget) == {42}

        widget.apply_filter("active")
        assert 41 not in shown(widget) and 42 not in shown(widget) and len(shown(widget)) == 40

        widget.apply_filter("FAILS bob")  # every word, anywhere in number, title or IC
        assert shown(widget) == {r.number for r in rows if "fails" in r.title and r.ic_name == "Bob Nguyen"}
        widget.apply_filter("ZOË")
        assert shown(widget) == {41}
        widget.apply_filter("#41")
        assert shown(widget) == {41}

        widget.apply_filter("")
        assert widget.shown_count == 42
        assert widget.selected_number == 41  # the last selection survives clearing the filter
        await pilot.pause()
        assert app.numbers(IncidentList.Highlighted)[-1] == 41


def shown(widget: IncidentList) -> set[int]:
    numbers = set()
    widget_cursor = widget.cursor
    for position in range(widget.shown_count):
        widget.cursor = position
        numbers.add(widget.selected_number)
    widget.cursor = widget_cursor
    return numbers


@run_in_loop
async def test_no_match_and_a_bad_filter_say_so_where_the_rows_would_be() -> None:
    app = Harness(IncidentList(id="under-test"), lambda w: w.set_rows(incidents(10)))
    async with app.run_test(size=(120, 24)) as pilot:
        widget = app.widget
        await pilot.pause()
        assert widget.apply_filter("nothing like this") == 0
        assert widget.selected_number is None
        await pilot.pause()
        assert app.numbers(IncidentList.Highlighted)[-1] is None
        assert "No incidents match 'nothing like this' — escape clears the filter" in screen_lines(widget)[1]

        assert widget.apply_filter("sev:9") == 0
        assert widget.filter_error and "sev1 (worst) to sev4" in widget.filter_error
        assert "no severity '9'" in screen_lines(widget)[1]

        assert widget.apply_filter("status:x") == 0
        assert "no status starts with 'x'" in screen_lines(widget)[1]

        assert widget.apply_filter("status:inv") == sum(
            1 for r in incidents(10) if r.status is Status.INVESTIGATING
        )
        assert widget.filter_error is None


@run_in_loop
async def test_new_data_keeps_the_cursor_on_the_same_incident() -> None:
    app = Harness(IncidentList(id="under-test"), lambda w: w.set_rows(incidents(50)))
    async with app.run_test(size=(80, 24)) as pilot:
        widget = app.widget
        await pilot.pause()
        await pilot.press("j", "j", "j")
        assert widget.selected_number == 47
        widget.set_rows(incidents(53))  # three declared meanwhile, listed above it
        assert widget.selected_number == 47
        widget.set_rows(incidents(53), keep_number=53)
        assert widget.selected_number == 53
        widget.set_rows([])
        assert widget.selected_number is None
        assert "No incidents yet" in screen_lines(widget)[1]


@run_in_loop
async def test_titles_with_escape_codes_and_markup_are_drawn_as_plain_text() -> None:
    hostile = incident(
        7, title="\x1b[31mred\x1b[0m [bold]loud[/bold] \x07bell", ic_name="[i]eve\x1b]0;pwned\x07"
    )
    app = Harness(IncidentList(id="under-test"), lambda w: w.set_rows([incident(8), hostile]))
    async with app.run_test(size=(120, 24)) as pilot:
        await pilot.pause()
        strip = app.widget.render_line(2)  # not the cursor's row, which is bold anyway
        assert "red [bold]loud[/bold] bell" in strip.text
        assert "[i]eve" in strip.text
        assert not any(ch in strip.text for ch in "\x1b\x07")
        title = next(segment for segment in strip if "[bold]" in segment.text)
        assert not title.style or not title.style.bold
        assert "\x1b[31m" not in app.export_screenshot()


@run_in_loop
async def test_overdue_mark_appears_once_past_the_cadence() -> None:
    last_update = NOW.subtract(minutes=20)
    row = incident(3, status=Status.INVESTIGATING, last_update_at=last_update, cadence_minutes=30)
    app = Harness(IncidentList(id="under-test"), lambda w: w.set_rows([row]))
    async with app.run_test(size=(120, 24)) as pilot:
        widget = app.widget
        await pilot.pause()
        assert "in 10m" in row_line(widget, 3)
        assert "overdue" not in row_line(widget, 3)

        pendulum.travel_to(last_update.add(minutes=29, seconds=59), freeze=True)
        widget.tick()
        assert "overdue" not in row_line(widget, 3)

        pendulum.travel_to(last_update.add(minutes=34), freeze=True)
        widget.tick()
        line = row_line(widget, 3)
        assert "⚠ overdue 4m" in line
        assert "20m" not in line and "34m" in line  # "updated" ticks too, without new data
        overdue = next(segment for segment in widget.render_line(1) if "overdue" in segment.text)
        assert overdue.style.bold and overdue.style.color is not None


@run_in_loop
async def test_post_mortem_due_then_overdue() -> None:
    thursday = NOW.add(days=2)  # Thursday 26 November
    row = incident(9, status=Status.RESOLVED, postmortem_due_at=thursday)
    held = incident(8, status=Status.RESOLVED, postmortem_due_at=thursday, postmortem_held=True)
    app = Harness(IncidentList(id="under-test"), lambda w: w.set_rows([row, held]))
    async with app.run_test(size=(120, 24)) as pilot:
        widget = app.widget
        await pilot.pause()
        assert "PM due Thu" in row_line(widget, 9)
        assert "PM" not in row_line(widget, 8).split("resolved", 1)[1]

        pendulum.travel_to(thursday.add(hours=1), freeze=True)
        widget.tick()
        assert "⚠ PM overdue" in row_line(widget, 9)


@run_in_loop
async def test_a_narrow_list_keeps_the_title_readable() -> None:
    app = Harness(IncidentList(id="under-test", classes="narrow"), lambda w: w.set_rows(incidents(30)))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        header = screen_lines(app.widget)[0].split()
        # IC, age, updated and at last the status go; the header above the panes has it.
        assert header == ["#", "SEV", "TITLE", "DUE"]
        title_width = len(screen_lines(app.widget)[0]) - len("#30 SEV1  ") - len("in 59m")
        assert title_width >= 15

    wide = Harness(IncidentList(id="under-test"), lambda w: w.set_rows(incidents(30)))
    async with wide.run_test(size=(120, 24)) as pilot:
        await pilot.pause()
        assert screen_lines(wide.widget)[0].split() == [
            "#",
            "SEV",
            "STATUS",
            "TITLE",
            "IC",
            "AGE",
            "UPDATED",
            "DUE",
        ]


def snapshot_rows() -> list[IncidentRow]:
    rows = incidents(24)
    rows[2] = incident(
        22,
        title="Payments API returns 502 for every card payment in the EU region",
        severity=Severity.SEV1,
        status=Status.INVESTIGATING,
        last_update_at=NOW.subtract(minutes=41),
        cadence_minutes=30,
    )
    rows[5] = incident(19, status=Status.RESOLVED, postmortem_due_at=NOW.add(days=2))
    rows[6] = incident(18, status=Status.RESOLVED, postmortem_due_at=NOW.subtract(days=1))
    return rows


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
def test_incident_list_snapshot(snap_compare, size) -> None:
    app = Harness(IncidentList(id="under-test"), lambda w: w.set_rows(snapshot_rows()))
    assert snap_compare(app, terminal_size=size, press=["j", "j"])


@pytest.mark.slow
def test_incident_list_snapshot_in_a_narrow_pane(snap_compare) -> None:
    app = Harness(IncidentList(id="under-test", classes="narrow"), lambda w: w.set_rows(snapshot_rows()))
    assert snap_compare(app, terminal_size=(80, 24), press=["j", "j"])


# ---------------------------------------------------------------------- timeline


@run_in_loop
async def test_five_thousand_entries_open_at_the_tail_drawing_only_the_lines_on_screen() -> None:
    widget = CountingTimeline()
    app = Harness(widget, lambda w: w.set_entries(entries(5_000)))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert widget.selected_entry is not None and widget.selected_entry.id == 5_000
        assert min(widget.drawn) >= 5_000 - widget.page_height
        assert "entry 5000:" in screen_lines(widget)[-1]
        assert app.numbers(TimelineView.Highlighted) == [5_000]


@run_in_loop
async def test_timeline_keys_move_the_cursor() -> None:
    app = Harness(TimelineView(id="under-test"), lambda w: w.set_entries(entries(200)))
    async with app.run_test(size=(100, 30)) as pilot:
        widget = app.widget
        await pilot.pause()
        for key, expected in [
            ("k", 199),
            ("up", 198),
            ("j", 199),
            ("down", 200),
            ("down", 200),
            ("home", 1),
            ("pagedown", 1 + widget.page_height),
            ("end", 200),
            ("pageup", 200 - widget.page_height),
        ]:
            await pilot.press(key)
            await pilot.pause()
            assert widget.selected_entry.id == expected, key
            assert app.numbers(TimelineView.Highlighted)[-1] == expected, key


@run_in_loop
async def test_the_timeline_follows_new_entries_only_from_the_tail() -> None:
    app = Harness(TimelineView(id="under-test"), lambda w: w.set_entries(entries(100)))
    async with app.run_test(size=(100, 20)) as pilot:
        widget = app.widget
        await pilot.pause()
        # The screen passes the selected entry when it refreshes: at the tail, follow.
        widget.set_entries(entries(101), keep_id=widget.selected_entry.id)
        assert widget.selected_entry.id == 101
        assert "entry 101:" in screen_lines(widget)[-1]

        await pilot.press("k", "k")
        widget.set_entries(entries(102), keep_id=widget.selected_entry.id)
        assert widget.selected_entry.id == 99

        widget.set_entries(entries(103))  # by default it keeps its entry too
        assert widget.selected_entry.id == 99

        await pilot.press("end")
        widget.set_entries(entries(103), follow_tail=False)
        widget.set_entries(entries(104), follow_tail=False)
        assert widget.selected_entry.id == 103

        # A note typed with an earlier time is selected, not the tail.
        backdated = entry(500, occurred_at=NOW.subtract(minutes=590))
        widget.set_entries(sorted([*entries(104), backdated], key=lambda e: e.occurred_at), keep_id=500)
        assert widget.selected_entry.id == 500

        # Another incident's timeline opens at its own tail.
        widget.set_entries(entries(30, first_id=1_000), keep_id=widget.selected_entry.id)
        assert widget.selected_entry.id == 1_029

        # The selected entry deleted: the cursor stays put on screen.
        await pilot.press("home", "j", "j")
        remaining = [e for e in entries(30, first_id=1_000) if e.id != 1_002]
        widget.set_entries(remaining)
        assert widget.selected_entry.id == 1_003


@run_in_loop
async def test_timeline_lines_show_kind_author_badges_and_marks() -> None:
    shown = [
        entry(1, kind=EntryKind.STATUS, text="Status: investigating", key_event="declared", author="system"),
        entry(
            2,
            kind=EntryKind.NOTE,
            author="alice",
            text="first line of a long note\nsecond line",
            edited=True,
            shared=True,
        ),
        entry(3, text="\x1b[2J[red]wiped[/red]\x1b]8;;http://x\x07", deleted=True),
    ]
    app = Harness(TimelineView(id="under-test"), lambda w: w.set_entries(shown))
    async with app.run_test(size=(100, 20)) as pilot:
        widget = app.widget
        await pilot.pause()
        declared, note, deleted = screen_lines(widget)[:3]
        assert declared.startswith("05:01 ◆ status system ★ declared Status: investigating")
        assert note.startswith("05:02 ✎ note   alice  first line of a long note …")
        assert note.rstrip().endswith("(edited) ↗ shared")
        assert "[red]wiped[/red]" in deleted and "(deleted)" in deleted
        assert not any(ch in deleted for ch in "\x1b\x07")
        badge = next(s for s in widget.render_line(0) if "declared" in s.text)
        struck = next(s for s in widget.render_line(2) if "wiped" in s.text)
        assert badge.style.bold
        assert struck.style.strike


@run_in_loop
async def test_entries_from_other_days_carry_their_date() -> None:
    shown = [entry(1, occurred_at=NOW.subtract(days=1)), entry(2, occurred_at=NOW)]
    app = Harness(TimelineView(id="under-test"), lambda w: w.set_entries(shown))
    async with app.run_test(size=(100, 20)) as pilot:
        await pilot.pause()
        yesterday, today = screen_lines(app.widget)[:2]
        assert yesterday.startswith("23 Nov 15:00 ")
        assert today.startswith("       15:00 ")


def snapshot_entries() -> list[EntryView]:
    shown = entries(40)
    shown[0] = entry(
        1,
        kind=EntryKind.STATUS,
        author="system",
        key_event="declared",
        text="Declared SEV1: Payments API returns 502",
        occurred_at=NOW.subtract(days=1),
    )
    shown[3] = entry(4, text="Rolled back deploy 2026.11.23-2\nWatching error rates", edited=True)
    shown[5] = entry(6, kind=EntryKind.UPDATE, text="Update sent to #inc-22-payments", shared=True)
    shown[8] = entry(9, text="duplicate note", deleted=True)
    shown[12] = entry(
        13,
        kind=EntryKind.DECISION,
        key_event="root cause found",
        text="Root cause: expired TLS certificate on the card gateway",
    )
    return shown


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
def test_timeline_snapshot(snap_compare, size) -> None:
    app = Harness(TimelineView(id="under-test"), lambda w: w.set_entries(snapshot_entries()))
    assert snap_compare(app, terminal_size=size, press=["k", "k"])


def test_timeline_snapshot_in_a_narrow_pane(snap_compare) -> None:
    app = Harness(
        TimelineView(id="under-test", classes="narrow"), lambda w: w.set_entries(snapshot_entries())
    )
    assert snap_compare(app, terminal_size=(80, 24), press=["home"])


# ------------------------------------------------- lines and scrollbar kept between frames


class TwoTimelines(App):
    """The timeline under test, which lives through the steps, above one mounted afresh to
    show each step's result: what the first paints must be what the second paints."""

    CSS = "TimelineView { height: 50%; }"  # the new one's coming lays out nothing above it
    AUTO_FOCUS = None  # focus changes the cursor's colours: neither has it

    def compose(self) -> ComposeResult:
        yield TimelineView(id="lived")


def painted(widget: Widget) -> list[Strip]:
    return widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))


async def same_as_afresh(pilot, lived: TimelineView) -> None:
    """Show ``lived``'s entries and cursor in a new timeline, let both paint, compare."""
    await pilot.pause()
    # As painted before the new timeline comes: laying it out repaints the screen.
    lines, bar = painted(lived), painted(lived.vertical_scrollbar)
    app = lived.app
    for old in app.query("#fresh"):
        await old.remove()
    fresh = TimelineView(id="fresh")
    await app.mount(fresh)
    cursor_id = lived.selected_entry.id
    fresh.set_entries(list(lived._entries), keep_id=cursor_id)
    fresh.scroll_to(y=lived.scroll_offset.y, animate=False, force=True)
    await pilot.pause()
    assert fresh.selected_entry.id == cursor_id and fresh.scroll_offset == lived.scroll_offset
    assert lines == painted(fresh)
    assert bar == painted(fresh.vertical_scrollbar)


@pytest.mark.slow
@run_in_loop
async def test_a_timeline_kept_busy_paints_what_a_fresh_one_paints() -> None:
    """Lines are kept by the entry they show and the bar is drawn only when its thumb
    moves: notes added, moves, an edit, a deletion, a new theme and a resize all show."""
    app = TwoTimelines()
    async with app.run_test(size=(100, 40)) as pilot:
        lived = app.query_one("#lived", TimelineView)
        lived.set_entries(entries(12))
        await same_as_afresh(pilot, lived)
        for entry_id in range(13, 60):  # the thumb shrinks and moves down, a note at a time
            lived.add_entry(entry(entry_id))
            await pilot.pause()
            await same_as_afresh(pilot, lived)
        for move in (
            lived.action_cursor_up,
            lived.action_cursor_up,
            lived.action_cursor_page_up,
            lived.action_cursor_down,
        ):
            move()
            await same_as_afresh(pilot, lived)
        edited = [entry(e.id, text="rewritten", edited=True) if e.id == 57 else e for e in lived._entries]
        lived.set_entries(edited)
        await same_as_afresh(pilot, lived)
        lived.set_entries([e for e in edited if e.id != 56])
        await same_as_afresh(pilot, lived)
        app.theme = "textual-light"
        await same_as_afresh(pilot, lived)
        pendulum.travel_to(NOW.add(days=1), freeze=True)  # past midnight, times need their day
        lived.add_entry(entry(61, occurred_at=NOW.add(days=1)))
        await same_as_afresh(pilot, lived)
        await pilot.resize_terminal(70, 30)
        await same_as_afresh(pilot, lived)
        lived.action_cursor_first()
        for entry_id in range(100, 130):  # added below a view at the top: the thumb shrinks only
            lived.set_entries([*lived._entries, entry(entry_id)], follow_tail=False)
            await same_as_afresh(pilot, lived)
