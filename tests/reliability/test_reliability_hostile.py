"""Hostile input: whatever people type or paste, or Slack sends, ictui stores it or refuses
it plainly, and it never takes over a Slack channel, a spreadsheet or the IC's terminal.

Property tests (hypothesis) for what parses (times, due dates, ticket links), what goes
to Slack (channel names, mrkdwn) and what is exported (Markdown, CSV); fixed cases for the
terminal: escape sequences typed into titles and notes never reach the screen raw, while
emoji and right-to-left text are stored and shown as typed.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from typing import TYPE_CHECKING

import pendulum
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from textual import events
from textual.widgets import TextArea

from ictui.config import Settings
from ictui.domain import exports
from ictui.domain.clock import parse_when, to_local
from ictui.domain.enums import ActionKind, ActionStatus, UpdateState
from ictui.domain.errors import InvalidInput, TimeParseError
from ictui.domain.postmortem import parse_due_date, parse_ticket
from ictui.domain.review import ActionItemView, PostMortemView
from ictui.domain.text import clean_text
from ictui.slack import render
from ictui.slack.outbox import deliver_pending
from ictui.store import Store
from ictui.store.api import MAX_TITLE
from ictui.store.everyday import MAX_NOTE
from ictui.tui.app import IctuiApp
from ictui.tui.widgets.incident_header import IncidentHeader
from ictui.tui.widgets.incident_list import IncidentList
from ictui.tui.widgets.timeline import TimelineView
from support.cli import ictui, own_env
from support.fake_slack import FakeSlack
from support.scenarios import settle

# The slow tier: many processes, examples or screens per test (tests/reliability is left to the full run).
pytestmark = pytest.mark.slow

if TYPE_CHECKING:
    from support.reliability_figures import Figures

# What a terminal would act on: C0 controls but newline, DEL and the C1 controls.
RAW_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")
# Escape sequences as they arrive in copied text, a log line, a Slack name.
ESCAPES = (
    "\x1b[2J\x1b[H",  # clear the screen
    "\x1b]0;pwned\x07",  # set the window title
    "\x1b]52;c;cm0gLXJmIH4=\x07",  # write the clipboard (OSC 52)
    "\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\",  # a hyperlink
    "\x1bP+q544e\x1b\\",  # a DCS query
    "\x9b31m\x9d0;c1\x9c",  # 8-bit CSI and OSC
    "\x07\x08\x00\r\x7f",  # bell, backspace, NUL, CR, DEL
)
HOSTILE = "Checkout " + "".join(ESCAPES) + " fails"
EMOJI_RTL = "🔥 Paiement échoue — الدفع لا يعمل — תשלום נכשל 👩🏽‍💻"
ZONES = (
    "UTC",
    "Europe/Paris",
    "America/Los_Angeles",
    "Pacific/Kiritimati",
    "Pacific/Pago_Pago",
    "Asia/Kathmandu",
)
# Each example is cheap, but they add up: enough to find the cases below, not more.
# The fixtures the examples share (a store, the figures, the zone) are meant to be shared.
SHARED = [HealthCheck.function_scoped_fixture]
FAST = settings(max_examples=300, deadline=None, suppress_health_check=SHARED)
WITH_STORE = settings(max_examples=40, deadline=None, suppress_health_check=SHARED)


@pytest.fixture
def zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Let a test set ICTUI_TZ per example; the fixture puts it back afterwards."""
    monkeypatch.setenv("ICTUI_TZ", "Europe/Paris")
    yield


# ---------------------------------------------------------------------- what is parsed

moments = st.datetimes(
    min_value=pendulum.datetime(1971, 1, 1).naive(), max_value=pendulum.datetime(2099, 1, 1).naive()
).map(lambda d: pendulum.instance(d, tz="UTC"))
# ISO 8601 near both ends of the calendar, with the zones that push them over.
calendar_edges = st.builds(
    lambda year, rest, offset: f"{year}-{rest}{offset}",
    st.sampled_from(["0001", "0002", "1969", "1970", "2038", "9998", "9999"]),
    st.sampled_from(["01-01", "01-01 00:00", "01-01T00:30", "12-31 23:59", "12-31T23:59:59", "06-15T12:00"]),
    st.sampled_from(["", "Z", "+23:59", "-23:59", "+14:00", "-12:00", "+00:00"]),
)
typed_times = st.one_of(st.text(max_size=300), calendar_edges, st.from_regex(r"\A[+-]\d{1,25}[dhms]\Z"))


@FAST
@given(text=typed_times, at=moments, zone_name=st.sampled_from(ZONES))
def test_a_typed_time_is_a_utc_time_every_zone_can_show_or_a_plain_refusal(
    text: str, at: pendulum.DateTime, zone_name: str, zone: None, figures: Figures
) -> None:
    figures.count("hostile_inputs")
    os.environ["ICTUI_TZ"] = zone_name
    try:
        result = parse_when(text, at=at)
    except TimeParseError as exc:
        assert "\n" not in str(exc)  # a plain refusal is one of the two outcomes
    else:
        assert result.utcoffset() == timedelta(0)
        assert abs(result - at) <= timedelta(days=100 * 366)
        # Stored, it is drawn in the IC's zone, and in any teammate's.
        for other in ZONES:
            os.environ["ICTUI_TZ"] = other
            to_local(result).format("YYYY-MM-DD HH:mm")


@FAST
@given(text=st.one_of(st.text(max_size=60), st.from_regex(r"\A(in |\+)?\d{1,20} ?(d|days|w|weeks)\Z")))
def test_a_typed_due_date_is_an_iso_date_or_a_plain_refusal(text: str, figures: Figures) -> None:
    figures.count("hostile_inputs")
    try:
        due = parse_due_date(text, pendulum.date(2026, 11, 24))
    except InvalidInput as exc:
        assert "\n" not in str(exc)  # a plain refusal is one of the two outcomes
    else:
        assert due == "" or pendulum.parse(due, exact=True).isoformat() == due


@FAST
@given(
    text=st.one_of(
        st.text(max_size=80),
        st.text(max_size=60).map(lambda t: "https://jira.example/browse/OPS-1" + t),
        # Links a browser would copy: no spaces or controls, but quotes, <, > and | may be there.
        st.text(st.characters(exclude_categories=["Cc", "Cs", "Z"]), max_size=60).map(
            lambda t: "https://jira.example/browse/OPS-1" + t
        ),
    )
)
def test_a_ticket_link_kept_is_a_plain_link_that_cannot_break_a_table(text: str, figures: Figures) -> None:
    figures.count("hostile_inputs")
    try:
        key, url = parse_ticket(text)
    except InvalidInput as exc:
        assert "\n" not in str(exc)  # a plain refusal is one of the two outcomes
    else:
        assert not RAW_CONTROL.search(key + url)
        assert "|" not in url and " " not in url


# ---------------------------------------------------------------------- what goes to Slack


@pytest.fixture
def channel_store(
    slack_store: Store, fake_slack: FakeSlack, slack_settings: Settings
) -> tuple[Store, FakeSlack, Settings]:
    fake_slack.add_user("ana", "ana@example.com", "Ana Ruiz")
    return slack_store, fake_slack, slack_settings


@WITH_STORE
@given(title=st.text(min_size=1, max_size=MAX_TITLE))
def test_any_title_gets_a_channel_slack_accepts(
    title: str, channel_store: tuple[Store, FakeSlack, Settings], figures: Figures
) -> None:
    store, fake, slack_settings = channel_store
    figures.count("hostile_inputs")
    try:
        view = store.declare(title, ic_email="ana@example.com")
    except InvalidInput:
        # Refused only when nothing or too much is left once cleaned.
        assert not clean_text(title) or len(clean_text(title)) > MAX_TITLE
    else:
        report = deliver_pending(store, slack_settings)
        assert report.failed == 0 and report.pending == 0, report.errors
        name = store.incident(view.number).slack_channel_name
        # Slack's rule: lower-case letters (of any script), digits, "-" and "_", at most 80.
        assert re.fullmatch(r"(?:[^\W]|-){1,80}", name) and name == name.lower()
        assert fake.channel_named(name) is not None


def _not_ours(payload: str, channel: str) -> list[str]:
    """Every ``<...>`` in what was sent, but the channel link and dates ictui writes itself,
    and bare web addresses linked to themselves (no label: nothing disguised)."""
    ours = re.compile(
        rf"<#{channel}>|<!date\^\d+\^\{{date_short_pretty\}} \{{time\}}\|[0-9: -]+ UTC>|<https?://[^<>|\s]+>"
    )
    return [t for t in re.findall(r"<[^<>]*>?", payload) if not ours.fullmatch(t)]


@WITH_STORE
@given(update=st.text(min_size=1, max_size=400), note=st.text(min_size=1, max_size=200))
def test_typed_text_reaches_slack_inert(
    update: str, note: str, channel_store: tuple[Store, FakeSlack, Settings], figures: Figures
) -> None:
    """Through the store, the outbox and the real WebClient: no mention, no disguised link."""
    store, fake, slack_settings = channel_store
    figures.count("hostile_inputs")
    if not store.list_incidents():
        store.add_person("<!channel> <@U0ADMIN>", "eve@example.com")
        store.declare(
            "<!here> <https://evil.example|Login>", ic_email="eve@example.com", summary="<!everyone>"
        )
    try:
        store.queue_update(1, update, author="<@U0BOSS>", again=True)  # examples repeat texts
        store.add_entry(1, note, author="<!subteam^S1>", shared=True)
    except InvalidInput:
        assert not clean_text(update) or not clean_text(note)
    deliver_pending(store, slack_settings)
    assert {u.state for u in store.updates(1)} <= {UpdateState.SENT, UpdateState.FAILED}
    channel = store.incident(1).slack_channel_id
    sent = [c.params for c in fake.calls if c.method == "chat.postMessage"]
    payload = json.dumps([[p.get("text"), p.get("blocks")] for p in sent], ensure_ascii=False)
    assert _not_ours(payload, channel) == []


@FAST
@given(
    title=st.text(min_size=1, max_size=100),
    summary=st.text(max_size=200),
    item=st.text(min_size=1, max_size=100),
    owner=st.text(max_size=40),
    kudos=st.text(max_size=100),
)
def test_the_post_mortem_summary_for_slack_cannot_mention_or_link(
    title: str, summary: str, item: str, owner: str, kudos: str, empty_view: PostMortemView, figures: Figures
) -> None:
    figures.count("hostile_inputs")
    view = _with_item(empty_view, title=title, item=item, owner=owner, summary=summary, kudos=kudos)
    message = render.prepared(exports.slack_summary(view))
    assert "<" not in message.text + json.dumps(message.blocks)


# ---------------------------------------------------------------------- what is exported


@pytest.fixture(scope="module")
def empty_view(tmp_path_factory: pytest.TempPathFactory) -> PostMortemView:
    store = Store(tmp_path_factory.mktemp("hostile") / "pm.db")
    try:
        store.declare("Nothing yet", number=41)
        return store.postmortem(41)
    finally:
        store.close()


def _with_item(
    view: PostMortemView, *, title: str, item: str, owner: str, summary: str, kudos: str
) -> PostMortemView:
    action = ActionItemView(
        id=1,
        incident_number=41,
        title=item,
        description=item,
        owner=owner,
        due_date="",
        kind=ActionKind.FIX,
        ticket_key="",
        ticket_url="",
        status=ActionStatus.OPEN,
        created_at=pendulum.datetime(2026, 11, 24),
    )
    return replace(
        view, title=title, summary=summary, root_cause=summary, kudos=kudos, action_items=(action,)
    )


@WITH_STORE
@given(
    title=st.text(min_size=1, max_size=120),
    note=st.text(min_size=1, max_size=300),
    author=st.text(max_size=30),
    item=st.text(min_size=1, max_size=100),
    owner=st.text(max_size=30),
    ticket=st.one_of(
        st.text(max_size=40), st.just(")[click](https://evil.example/x"), st.just("(draft)")
    ).map(lambda t: "https://jira.example/browse/OPS-7" + t),
)
def test_exports_of_anything_typed_keep_their_tables_and_neutralise_formulas(
    title: str, note: str, author: str, item: str, owner: str, ticket: str, store: Store, figures: Figures
) -> None:
    """Through the store as the review screen writes: every Markdown table row keeps its
    columns, no control character is exported, and no CSV cell can start a formula."""
    figures.count("hostile_inputs")
    try:
        number = store.declare(title).number
    except InvalidInput:
        number = None
    assume(number is not None)  # a title refused leaves nothing to export
    for write in (
        lambda: store.add_entry(number, note, author=author),
        lambda: store.save_postmortem(number, root_cause=note, went_badly=note),
        lambda: store.add_action_item(number, item, owner=owner, description=note, ticket_url=ticket),
    ):
        try:
            write()
        except InvalidInput:
            pass
    view = store.postmortem(number)
    document = exports.markdown(view)
    assert not RAW_CONTROL.search(document)
    # Only the links ictui writes: a ")" in a ticket link cannot end it and start another.
    tickets = [item for item in view.action_items if item.ticket_key and item.ticket_url]
    assert len(re.findall(r"(?<!\\)\]\(", document)) == len(tickets)
    # Each table ictui writes, by its header: the rows under it keep its columns.
    columns = {"| Time |": 6, "| # |": 8, "| From |": 5, "|  |": 3}
    table_columns = None
    for line in document.splitlines():
        if table_columns is None:
            table_columns = next((n for head, n in columns.items() if line.startswith(head)), None)
        elif not line.startswith("|"):
            table_columns = None
        if table_columns is not None:
            assert line.replace("\\|", "").count("|") == table_columns, line
    for row in csv.reader(io.StringIO(exports.action_items_csv(view), newline="")):
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


# ---------------------------------------------------------------------- the terminal


def _screen_text(app: IctuiApp) -> str:
    return app.export_screenshot()


def _lines(widget) -> list[str]:  # type: ignore[no-untyped-def]
    return ["".join(segment.text for segment in widget.render_line(y)) for y in range(widget.size.height)]


async def _settle_app(pilot) -> None:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await pilot.pause(0.2)
    await settle(pilot)


@pytest.fixture
def hostile_store(store: Store) -> Store:
    """Escape sequences in everything a person or Slack can put in an incident."""
    store.add_team("Payments" + ESCAPES[0], ["checkout" + ESCAPES[1]])
    store.add_person("Ana" + ESCAPES[2], "ana@example.com", ["EM"], "Payments")
    number = store.declare(HOSTILE, ic_email="ana@example.com", summary=HOSTILE, author=ESCAPES[3]).number
    store.add_entry(number, "note " + HOSTILE, author="bo" + ESCAPES[4])
    store.upsert_slack_entry(
        number,
        slack_ts="1.000001",
        text="slack " + HOSTILE,
        author="carla" + ESCAPES[5],
        at=pendulum.now("UTC"),
        permalink="https://fake-team.slack.com/archives/C1/p1",
    )
    store.queue_update(number, "update " + HOSTILE, author="ana" + ESCAPES[6])
    store.add_action_item(number, "item " + HOSTILE, owner="dana" + ESCAPES[0], description=HOSTILE)
    return store


async def test_escape_sequences_in_titles_notes_and_names_never_reach_the_screen(
    hostile_store: Store, figures: Figures
) -> None:
    app = IctuiApp(hostile_store, Settings(user="eve" + ESCAPES[1]), cursor_blink=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle_app(pilot)
        screens = {"cockpit": _screen_text(app)}
        assert "Checkout" in screens["cockpit"] and "fails" in screens["cockpit"]
        await pilot.press("tab", "enter")  # the timeline, an entry opened
        await _settle_app(pilot)
        screens["entry"] = _screen_text(app)
        await pilot.press("escape", "p")  # post-mortem review
        await _settle_app(pilot)
        screens["review"] = _screen_text(app)
    for name, svg in screens.items():
        assert not RAW_CONTROL.search(svg), f"raw control characters on the {name} screen"
    figures.count("hostile_screens", len(screens))


async def test_pasted_escape_sequences_are_dropped_and_the_rest_is_kept(
    store: Store, figures: Figures
) -> None:
    number = store.declare("Login broken").number
    app = IctuiApp(store, Settings(user="ana"), cursor_blink=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle_app(pilot)
        await pilot.press("n")
        app.post_message(events.Paste("pasted " + HOSTILE))
        await _settle_app(pilot)
        typing = _screen_text(app)
        await pilot.press("enter")
        await _settle_app(pilot)
        await pilot.press("escape", "c")
        app.screen.query_one("#composer-text", TextArea).select_all()
        app.post_message(events.Paste("update " + HOSTILE))
        await _settle_app(pilot)
        composing = _screen_text(app)
        await pilot.press("ctrl+s")
        await _settle_app(pilot)
    for svg in (typing, composing):
        assert not RAW_CONTROL.search(svg)
    # All of it, on the one line of a note: nothing pasted is lost but the controls.
    [note] = [e.text for e in store.timeline(number) if e.text.startswith("pasted")]
    assert note.split() == ["pasted", *clean_text(HOSTILE).split()]
    [update] = store.updates(number)
    assert update.text == clean_text("update " + HOSTILE)
    figures.count("hostile_screens", 2)


def test_the_command_line_prints_no_escape_sequence_from_the_data(
    hostile_store: Store, figures: Figures
) -> None:
    for args in (["list"], ["show", "1"], ["show", "1", "--json"], ["outbox"], ["postmortem", "1"]):
        run = ictui(own_env(), hostile_store.path, *args)
        assert run.returncode in (0, 1), run.stderr
        assert not RAW_CONTROL.search(run.stdout + run.stderr), (args, run.stdout)
        figures.count("hostile_screens")


async def test_emoji_and_right_to_left_text_are_stored_and_shown_as_typed(store: Store) -> None:
    note = "Note: 日本語のメモ 🚀 مرحبا بالعالم (שלום)"
    number = store.declare(EMOJI_RTL).number
    store.add_entry(number, note)
    assert store.incident(number).title == unicodedata.normalize("NFC", EMOJI_RTL)
    assert note in [e.text for e in store.timeline(number)]
    app = IctuiApp(store, Settings(user="ana"), cursor_blink=False)
    async with app.run_test(size=(160, 40)) as pilot:
        await _settle_app(pilot)
        assert any(EMOJI_RTL in line for line in _lines(app.screen.query_one(IncidentHeader)))
        assert any(note in line for line in _lines(app.screen.query_one(TimelineView)))
        assert any("🔥 Paiement" in line for line in _lines(app.screen.query_one(IncidentList)))


async def test_a_note_as_long_as_allowed_is_stored_whole_and_the_cockpit_draws_it(store: Store) -> None:
    number = store.declare("Long notes").number
    long_note = ("word " * (MAX_NOTE // 5))[: MAX_NOTE - 3] + "end"
    saved = store.add_entry(number, long_note)
    assert saved.text == long_note
    with pytest.raises(InvalidInput, match="the limit is 40000"):
        store.add_entry(number, long_note + "!")
    with pytest.raises(InvalidInput, match="the limit is 200"):
        store.declare("x" * (MAX_TITLE + 1))
    app = IctuiApp(store, Settings(user="ana"), cursor_blink=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle_app(pilot)
        assert any("word word" in line for line in _lines(app.screen.query_one(TimelineView)))
    assert [e.text for e in store.timeline(number)][-1] == long_note


def test_refusals_of_long_input_from_the_command_line_are_one_line(store: Store) -> None:
    store.declare("Long notes")
    for args in (
        ["declare", "x" * (MAX_TITLE + 1)],
        ["note", "1", "y" * (MAX_NOTE + 1)],
        ["note", "1", "z", "--at", "9999-12-31"],
    ):
        run = ictui(own_env(), store.path, *args)
        assert run.returncode == 2 and len(run.stderr.splitlines()) == 1, run.stderr
        assert "Traceback" not in run.stderr
