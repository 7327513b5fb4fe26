"""The forms that change an incident's state step forward by default; a step back or a
severity triage suggests is the IC's decision, said and recorded."""

from __future__ import annotations

from textual.widgets import OptionList

from ictui.domain.enums import Breadth, EntryKind, Impact, Severity, Status
from ictui.domain.triage import TriageAnswers
from ictui.store import Store
from ictui.tui.screens.forms import ChoiceModal, ConfirmModal
from ictui.tui.widgets.triage_pane import TriagePane
from support.cockpit import make_app, type_text
from support.scenarios import settle

WHOLE_APP_DOWN = TriageAnswers(
    breadth=Breadth.ALL,
    impact=Impact.BLOCKED,
    interrupts_business=True,
    workaround=False,
    customer_visible=True,
)


def highlighted(app) -> str:  # type: ignore[no-untyped-def]
    options = app.screen.query_one(OptionList)
    return str(options.get_option_at_index(options.highlighted).prompt)


async def test_the_status_form_opens_on_the_next_step_forward(people_store: Store) -> None:
    store = people_store
    number = store.declare("Checkout broken", severity=Severity.SEV2).number
    store.change_status(number, Status.IDENTIFIED, "ana")
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceModal) and highlighted(app) == "monitoring"
        await pilot.press("enter")
        await settle(pilot)
        assert store.incident(number).status is Status.MONITORING


async def test_the_status_list_stops_at_its_ends(people_store: Store) -> None:
    store = people_store
    number = store.declare("Checkout broken", severity=Severity.SEV2).number
    store.change_status(number, Status.IDENTIFIED, "ana")
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        await pilot.press("down", "down", "down", "down")
        assert highlighted(app) == "resolved"
        await pilot.press("up", "up", "up", "up")
        assert highlighted(app).startswith("investigating")


async def test_reopening_a_resolved_incident_needs_a_reason_that_goes_on_the_timeline(
    people_store: Store,
) -> None:
    store = people_store
    number = store.declare("Checkout broken", severity=Severity.SEV2).number
    store.change_status(number, Status.RESOLVED, "ana")
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("escape")  # nothing to ask about the post-mortem date here
        await pilot.press("s")
        await settle(pilot)
        assert highlighted(app) == "closed"
        await pilot.press("up")
        assert highlighted(app).startswith("investigating")
        await pilot.press("enter")
        await settle(pilot)
        # Not reopened: the form asks why, and keeps the choice.
        assert isinstance(app.screen, ChoiceModal)
        assert "say why" in str(app.screen.query_one("#note-error").render()).lower()
        assert store.incident(number).status is Status.RESOLVED
        await type_text(pilot, "errors are back")
        await pilot.press("enter")
        await settle(pilot)
        assert store.incident(number).status is Status.INVESTIGATING
        last = [e for e in store.timeline(number) if e.kind is EntryKind.STATUS][-1]
        assert last.text == "Status: resolved → investigating. errors are back"


async def test_a_severity_suggested_by_triage_is_asked_not_applied(people_store: Store) -> None:
    store = people_store
    number = store.declare("Checkout broken", severity=Severity.SEV2).number
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.screen.query_one(TriagePane).post_message(TriagePane.Confirmed(WHOLE_APP_DOWN))
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal)
        assert "Triage suggests SEV1" in str(app.screen.question)
        await pilot.press("n")
        await settle(pilot)
        view = store.incident(number)
        assert view.severity is Severity.SEV2 and view.triage is not None  # recorded, severity kept
        app.screen.query_one(TriagePane).post_message(TriagePane.Confirmed(WHOLE_APP_DOWN))
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert store.incident(number).severity is Severity.SEV1
