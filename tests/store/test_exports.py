"""The post-mortem as documents: a golden Markdown export, JSON, and the CSV Jira imports."""

from __future__ import annotations

import csv
import io
import json
import os
from dataclasses import replace

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ictui.domain import exports
from ictui.domain.enums import ActionKind, ActionStatus, KeyEvent
from ictui.domain.review import ActionItemView, PostMortemView
from ictui.store import Store
from support import GOLDEN as GOLDEN_FILES
from support import postmortem_case as case

GOLDEN = GOLDEN_FILES / "postmortem-41-slow-app-load-times.md"
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture
def view(store: Store) -> PostMortemView:
    case.build(store)
    with pendulum.travel_to(case.MEETING.add(hours=1), freeze=True):
        return store.postmortem(case.NUMBER)


def read_csv(text: str) -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    assert tuple(reader.fieldnames or ()) == exports.JIRA_COLUMNS
    return list(reader)


# ---------------------------------------------------------------------- Markdown


def test_markdown_export_matches_the_golden_document(view: PostMortemView) -> None:
    """The whole document, in Paris time. ICTUI_UPDATE_GOLDEN=1 rewrites the golden file."""
    document = exports.markdown(view)
    if os.environ.get("ICTUI_UPDATE_GOLDEN"):
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(document, encoding="utf-8")
    assert document == GOLDEN.read_text(encoding="utf-8")


def test_markdown_has_every_part_of_the_post_mortem(view: PostMortemView) -> None:
    document = exports.markdown(view)
    headings = [line for line in document.splitlines() if line.startswith("## ")]
    assert headings == [
        "## Summary",
        "## Impact",
        "## How it surfaced",
        "## Timeline",
        "## Durations",
        "## Status updates",
        "## Root cause",
        "## Contributing factors",
        "## What went well",
        "## What went badly",
        "## Where we got lucky",
        "## Action items",
        "## Kudos",
    ]
    # How it surfaced is the report, not the impact note back-dated before it.
    surfaced = document.split("## How it surfaced")[1].split("## Timeline")[0]
    assert "Three customers say the app takes 30 s to load" in surfaced
    # Local times: declared at 08:12 UTC is 09:12 in Paris.
    assert "| 2026-11-23 09:12 |" in document


def test_markdown_table_cells_escape_pipes_and_line_breaks(view: PostMortemView) -> None:
    document = exports.markdown(view)
    timeline = document.split("## Timeline")[1].split("## Durations")[0]
    rows = [line for line in timeline.splitlines() if line.startswith("| 2026")]
    assert rows, "the timeline has rows"
    for row in rows:
        # Five columns: six unescaped pipes.
        assert row.replace("\\|", "").count("|") == 6
    assert "30 s to load \\| since this morning" in timeline


@given(st.text())
def test_md_cell_never_breaks_a_table_row(text: str) -> None:
    cell = exports.md_cell(text)
    assert "\n" not in cell and "\r" not in cell
    assert cell.replace("\\|", "").count("|") == 0


def test_missing_sections_and_durations_are_said_plainly(store: Store) -> None:
    with pendulum.travel_to(case.MONDAY, freeze=True):
        store.declare("Checklist does not load", number=7)
        document = exports.markdown(store.postmortem(7))
    assert "## Root cause\n\n_Not written._" in document
    assert "| Impact → detection | unknown: impact start not marked on the timeline |" in document
    assert "**unknown: not resolved yet**" in document
    assert "## Action items\n\n_None recorded._" in document


# ---------------------------------------------------------------------- JSON


def test_json_export_holds_the_record_the_numbers_and_the_items(view: PostMortemView) -> None:
    data = json.loads(exports.to_json(view))
    assert data["incident"]["number"] == case.NUMBER
    assert data["postmortem"]["held_at"] == "2026-11-25T13:00:00Z"
    assert data["postmortem"]["root_cause"].startswith("A CDN config change")
    assert data["key_events"][KeyEvent.IMPACT_STARTED] == "2026-11-23T07:50:00Z"
    total = data["durations"][-1]
    assert (total["label"], total["seconds"]) == ("Total (impact → resolution)", 160 * 60)
    late = [i for i in data["update_intervals"] if i["late_by_seconds"]]
    assert [(i["ends_with"], i["late_by_seconds"]) for i in late] == [("2nd update", 900), ("resolved", 2400)]
    assert [item["title"] for item in data["action_items"]][:2] == [
        "Alert when p95 load time doubles",
        "Review CDN config changes like code",
    ]
    assert data["action_items"][0]["due_date"] == "2026-11-27"  # "friday", said on Wednesday


# ---------------------------------------------------------------------- Jira CSV


def test_csv_reads_back_with_jiras_columns(view: PostMortemView) -> None:
    rows = read_csv(exports.action_items_csv(view))
    # The item with a ticket already is left out: importing it would duplicate it.
    assert [row["Summary"] for row in rows] == ["Alert when p95 load time doubles", "'" + case.FORMULA_TITLE]
    first = rows[0]
    assert first["Assignee"] == "ravi"
    assert first["Due date"] == "2026-11-27"
    assert first["Labels"].split() == ["postmortem", "incident-41", "monitoring-error-messages"]
    assert first["Description"] == "From the post-mortem of incident #41: Slow app load times."


def test_csv_with_every_item_on_request(view: PostMortemView) -> None:
    rows = read_csv(exports.action_items_csv(view, include_ticketed=True))
    assert len(rows) == 3


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(view: PostMortemView) -> None:
    rows = read_csv(exports.action_items_csv(view))
    evil = rows[1]
    assert evil["Summary"] == "'" + case.FORMULA_TITLE
    assert evil["Assignee"] == "'-mallory"
    assert evil["Description"].startswith("'+SUM(1,2)")
    for row in rows:
        for cell in row.values():
            assert not cell.startswith(DANGEROUS)


def _item(title: str, owner: str, description: str) -> ActionItemView:
    return ActionItemView(
        id=1,
        incident_number=41,
        title=title,
        description=description,
        owner=owner,
        due_date="",
        kind=ActionKind.FIX,
        ticket_key="",
        ticket_url="",
        status=ActionStatus.OPEN,
        created_at=case.MONDAY,
    )


@given(title=st.text(min_size=1), owner=st.text(), description=st.text())
def test_no_csv_cell_ever_starts_a_formula(
    title: str, owner: str, description: str, empty_view: PostMortemView
) -> None:
    view = replace(empty_view, action_items=(_item(title, owner, description),))
    (row,) = read_csv(exports.action_items_csv(view))
    for cell in row.values():
        assert not cell.startswith(DANGEROUS)
    # Nothing else is changed: the quote added in front is the only difference.
    assert row["Summary"] in (title, "'" + title)


@given(st.text())
def test_neutralise_cell_only_ever_adds_a_leading_quote(text: str) -> None:
    cell = exports.neutralise_cell(text)
    assert not cell.startswith(DANGEROUS)
    assert cell == text or cell == "'" + text


@pytest.fixture(scope="module")
def empty_view(tmp_path_factory: pytest.TempPathFactory) -> PostMortemView:
    """An incident with nothing but a title, for the property tests to add items to."""
    store = Store(tmp_path_factory.mktemp("empty") / "ictui.db")
    try:
        store.declare("Nothing yet", number=41)
        return store.postmortem(41)
    finally:
        store.close()


# ---------------------------------------------------------------------- Slack


def test_the_slack_summary_escapes_what_people_typed(store: Store) -> None:
    with pendulum.travel_to(case.MONDAY, freeze=True):
        store.declare("Login <!channel> & SSO", number=3)
        store.save_postmortem(3, summary="a < b > c", root_cause="")
        text = store.post_postmortem_summary(3)
    assert "Login &lt;!channel&gt; &amp; SSO" in text
    assert "a &lt; b &gt; c" in text
    assert "*Root cause*\n_not written_" in text
    queued = [item for item in store.outbox_items() if item.action == "post_postmortem"]
    assert len(queued) == 1
