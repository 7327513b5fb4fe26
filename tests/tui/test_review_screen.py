"""Review mode and the stats screen, driven with the keyboard on the real app and a real file."""

from __future__ import annotations

from pathlib import Path

import pendulum
import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Label, OptionList, Static, TextArea

from ictui.domain.enums import ActionKind, EntryKind
from ictui.store import Store
from ictui.tui.screens.postmortem_forms import ActionItemModal, ExportModal
from ictui.tui.screens.review import AUTOSAVE_SECONDS, ReviewScreen
from ictui.tui.screens.stats import StatsScreen
from ictui.tui.widgets.review_timeline import ReviewTimeline
from support.cockpit import type_text
from support.demo import open_review, review_app
from support.scenarios import SIZES, frozen_clock, settle

# Closed, its post-mortem held, two action items: the demo's richest post-mortem.
NUMBER = 37


@pytest.fixture(autouse=True)
def frozen():
    with frozen_clock():
        yield


def stored(db: Path) -> Store:
    """A second connection, as another process would open the file."""
    return Store(db)


def detail(screen: ReviewScreen) -> str:
    return str(screen.query_one("#pm-entry", Static).render())


@pytest.mark.slow
async def test_j_and_k_step_through_the_timeline(db: Path) -> None:
    app = review_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_review(pilot)
        timeline = screen.query_one(ReviewTimeline)
        entries = screen.view.timeline  # type: ignore[union-attr]
        assert timeline.cursor == 0
        assert entries[0].text.strip() in detail(screen)
        await pilot.press("j", "j")
        await settle(pilot)
        assert timeline.cursor == 2
        assert entries[2].text.strip()[:40] in detail(screen)
        await pilot.press("k")
        await settle(pilot)
        assert timeline.cursor == 1
        assert entries[1].text.strip()[:40] in detail(screen)
        # j/k also work while the action items have the focus.
        screen.query_one("#pm-actions", OptionList).focus()
        await pilot.press("j")
        await settle(pilot)
        assert timeline.cursor == 2


@pytest.mark.slow
async def test_how_it_surfaced_is_called_out(db: Path) -> None:
    app = review_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_review(pilot)
        callout = str(screen.query_one("#pm-surfaced", Static).render())
        assert "How it surfaced" in callout
        assert screen.view is not None and screen.view.first_entry is not None
        assert screen.view.first_entry.text.strip() in callout


@pytest.mark.slow
async def test_a_section_typed_is_saved_without_asking(db: Path) -> None:
    app = review_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_review(pilot)
        sections = screen.query_one("#pm-sections", OptionList)
        sections.focus()
        await pilot.press("down", "down", "down", "enter")  # Contributing factors
        await settle(pilot)
        editor = screen.query_one("#sec-contributing_factors", TextArea)
        assert screen.focused is editor
        await type_text(pilot, "No alert on duplicates")
        await pilot.pause(AUTOSAVE_SECONDS)
        # The autosave's timer and its write in a thread: on a busy machine, later.
        for _ in range(300):
            await settle(pilot)
            if "saved" in str(screen.query_one("#pm-saved", Static).render()):
                break
            await pilot.pause(0.1)
        assert "saved" in str(screen.query_one("#pm-saved", Static).render())
        check = stored(db)
        assert check.postmortem(NUMBER).contributing_factors == "No alert on duplicates"
        check.close()
        # The tick says the section is written.
        assert str(sections.get_option("contributing_factors").prompt).startswith("✓")


@pytest.mark.slow
async def test_leaving_saves_what_was_just_typed(db: Path) -> None:
    app = review_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_review(pilot)
        screen.query_one("#sec-got_lucky", TextArea).focus()
        await type_text(pilot, "Low traffic")
        # Straight out, before the autosave pause: escape leaves the editor, escape leaves.
        await pilot.press("escape", "escape")
        await settle(pilot)
        assert not isinstance(app.screen, ReviewScreen)
        check = stored(db)
        assert check.postmortem(NUMBER).got_lucky.endswith("Low traffic")
        check.close()


@pytest.mark.slow
async def test_a_adds_an_action_item_stored_with_a_timeline_entry(db: Path) -> None:
    app = review_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_review(pilot)
        await pilot.press("a")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, ActionItemModal)
        assert modal.focused is modal.query_one("#ai-title", Input)
        await type_text(pilot, "Alert on duplicate postings")
        await pilot.press("tab")
        await type_text(pilot, "Luis Fernandez")
        await pilot.press("tab")
        await type_text(pilot, "friday")
        await settle(pilot)
        assert "Friday 27 November 2026" in str(modal.query_one("#ai-due-hint", Label).render())
        modal.query_one("#ai-kind").value = ActionKind.MONITORING  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        check = stored(db)
        items = check.action_items(NUMBER)
        added = items[-1]
        assert (added.title, added.owner, added.due_date, added.kind) == (
            "Alert on duplicate postings",
            "Luis Fernandez",
            "2026-11-27",
            ActionKind.MONITORING,
        )
        actions = [e for e in check.timeline(NUMBER) if e.kind is EntryKind.ACTION]
        assert actions[-1].text.startswith("Action item: Alert on duplicate postings")
        check.close()
        listing = screen.query_one("#pm-actions", OptionList)
        assert listing.option_count == len(items)


@pytest.mark.slow
async def test_a_due_date_that_does_not_parse_is_shown_at_the_field(db: Path) -> None:
    app = review_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_review(pilot)
        before = len(stored(db).action_items(NUMBER))
        await pilot.press("a")
        await settle(pilot)
        modal = app.screen
        await type_text(pilot, "Document the rollback")
        modal.query_one("#ai-due", Input).focus()
        await type_text(pilot, "someday")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is modal, "the form stays open"
        error = modal.query_one("#ai-due-error", Label)
        assert error.has_class("-shown")
        assert "Cannot read 'someday' as a date" in str(error.render())
        assert modal.query_one("#ai-due", Input).value == "someday"
        assert modal.query_one("#ai-title", Input).value == "Document the rollback"
        assert modal.focused is modal.query_one("#ai-due", Input)
        assert len(stored(db).action_items(NUMBER)) == before


@pytest.mark.slow
async def test_an_action_item_needs_a_title(db: Path) -> None:
    app = review_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_review(pilot)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, ActionItemModal)
        assert "needs a title" in str(modal.query_one("#ai-title-error", Label).render())


@pytest.mark.slow
async def test_enter_on_an_item_edits_it_and_a_ticket_typed_back_links_it(db: Path) -> None:
    app = review_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_review(pilot)
        listing = screen.query_one("#pm-actions", OptionList)
        listing.focus()
        listing.highlighted = 1
        await pilot.press("enter")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, ActionItemModal)
        ticket = modal.query_one("#ai-ticket", Input)
        ticket.value = ""
        ticket.focus()
        await type_text(pilot, "https://acme.atlassian.net/browse/INT-900")
        await pilot.press("ctrl+s")
        await settle(pilot)
        check = stored(db)
        item = check.action_items(NUMBER)[1]
        assert (item.ticket_key, item.ticket_url) == ("INT-900", "https://acme.atlassian.net/browse/INT-900")
        check.close()


@pytest.mark.slow
async def test_ctrl_e_writes_the_document_and_the_tickets_csv(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.chdir(out)
    app = review_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_review(pilot)
        # An open item without a ticket, so that there is something for Jira.
        await pilot.press("a")
        await settle(pilot)
        await type_text(pilot, "Alert on duplicate postings")
        await pilot.press("ctrl+s")
        await settle(pilot)
        screen.query_one("#sec-kudos", TextArea).focus()
        await type_text(pilot, " Thanks Kenji")
        await pilot.press("ctrl+e")  # from inside the editor too
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, ExportModal)
        assert modal.query_one("#folder", Input).value == str(out)
        await pilot.press("enter")
        await settle(pilot)
        written = sorted(path.name for path in out.iterdir())
        assert written == [
            "postmortem-37-erp-sync-posted-duplicate-journal-actions.csv",
            "postmortem-37-erp-sync-posted-duplicate-journal.md",
        ]
        document = (out / written[1]).read_text(encoding="utf-8")
        assert document.startswith("# Post-mortem: #37 ERP sync posted duplicate journal entries")
        assert "Thanks Kenji" in document, "what was just typed is in the export"
        assert "Alert on duplicate postings" in (out / written[0]).read_text(encoding="utf-8")


@pytest.mark.slow
async def test_an_export_folder_that_does_not_exist_is_said_at_the_field(db: Path, tmp_path: Path) -> None:
    app = review_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_review(pilot)
        await pilot.press("ctrl+e")
        await settle(pilot)
        modal = app.screen
        folder = modal.query_one("#folder", Input)
        folder.value = str(tmp_path / "nowhere")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is modal
        assert "is not a folder" in str(modal.query_one("#folder-error", Label).render())
        assert folder.value == str(tmp_path / "nowhere")


@pytest.mark.slow
async def test_h_marks_the_post_mortem_held(db: Path) -> None:
    app = review_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        # #40 is resolved, its post-mortem not held yet.
        await open_review(pilot, 40)
        await pilot.press("h")
        await settle(pilot)
        check = stored(db)
        assert check.postmortem(40).held_at is not None
        check.close()


async def test_stats_screen_switches_between_30_and_90_days(db: Path) -> None:
    app = review_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("g")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, StatsScreen)
        assert "last 30 days" in str(screen.query_one("#st-title", Static).render())
        await pilot.press("d")
        await settle(pilot)
        assert "last 90 days" in str(screen.query_one("#st-title", Static).render())
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, StatsScreen)


def test_every_key_of_review_mode_says_what_it_does() -> None:
    """The footer, the help screen and the command palette list them by description."""
    for screen in (ReviewScreen, StatsScreen):
        for binding in screen.BINDINGS:
            assert binding.description, binding  # type: ignore[union-attr]


# ---------------------------------------------------------------------- snapshots


@pytest.mark.slow
@pytest.mark.parametrize("size", SIZES.values(), ids=SIZES.keys())
def test_review_snapshot(snap_compare, db: Path, size: tuple[int, int]) -> None:
    app = review_app(db)

    async def run_before(pilot: Pilot) -> None:
        await open_review(pilot)
        await pilot.press("j", "j", "j")
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES.values(), ids=SIZES.keys())
def test_stats_snapshot(snap_compare, db: Path, size: tuple[int, int]) -> None:
    app = review_app(db)

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("g")
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.slow
def test_action_item_form_with_a_bad_due_date_snapshot(snap_compare, db: Path) -> None:
    app = review_app(db)

    async def run_before(pilot: Pilot) -> None:
        await open_review(pilot)
        await pilot.press("a")
        await settle(pilot)
        await type_text(pilot, "Alert on duplicate postings")
        await pilot.press("tab")
        await type_text(pilot, "Luis")
        await pilot.press("tab")
        await type_text(pilot, "someday")
        await pilot.press("ctrl+s")
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZES["small"], run_before=run_before)


@pytest.mark.slow
async def test_s_moves_the_meeting_and_P_posts_the_summary_after_saving_the_record(db: Path) -> None:
    app = review_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_review(pilot, 40)
        await pilot.press("s")
        await settle(pilot)
        when = app.screen.query_one("#when", Input)
        when.value = "2026-11-27 15:00"
        await pilot.press("enter")
        await settle(pilot)
        screen.query_one("#sec-summary", TextArea).focus()
        await type_text(pilot, "Uploads over 50 MB timed out")
        await pilot.press("escape", "P")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        check = stored(db)
        record = check.postmortem(40)
        assert record.scheduled_at == pendulum.datetime(2026, 11, 27, 14, 0, tz="UTC")  # 15:00 in Paris
        assert record.summary == "Uploads over 50 MB timed out"
        assert [item.action for item in check.outbox_items()].count("post_postmortem") == 1
        check.close()
