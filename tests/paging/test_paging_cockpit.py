"""Paging from the cockpit (Pilot): G lists the owning teams first, ticked; enter pages them
through the outbox to the fake PagerDuty; the top line shows paging's state."""

from __future__ import annotations

import pytest

from ictui.config import Settings
from ictui.domain.enums import Severity
from ictui.domain.paging import PageState
from ictui.store import Store
from ictui.tui.app import IctuiApp
from ictui.tui.screens.page_form import PageModal, TeamPicker
from ictui.tui.widgets.status_bar import StatusBar
from support.cockpit import as_opened, type_text, wait_for
from support.fake_pagerduty import OTHER_KEY, ROUTING_KEY, FakePagerDuty
from support.scenarios import settle


@pytest.fixture
def teams(store: Store) -> Store:
    store.add_team("Web Platform", ["navigation bar"], pagerduty_key=OTHER_KEY)
    store.add_team("Payments", ["card payments"], pagerduty_key=ROUTING_KEY)
    store.add_team("Search", ["search"])
    store.declare(
        "Card payments declined", severity=Severity.SEV1, components=["card payments"], author="Marcus"
    )
    return store


def _bar(app: IctuiApp) -> str:
    return str(app.screen.query_one(StatusBar).render())


@pytest.mark.slow
async def test_two_keys_page_the_owning_team_once(
    teams: Store, fake: FakePagerDuty, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("ictui.paging.delivery.ACK_SECONDS", 2.0)  # 30 s in use: the test need not wait
    app = IctuiApp(as_opened(teams, settings), settings, cursor_blink=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("G")
        await wait_for(pilot, lambda: isinstance(app.screen, PageModal))
        picker = app.screen.query_one(TeamPicker)
        # The owner first and ticked, then the rest; a team without a key cannot be ticked.
        assert [picker.get_option_at_index(i).value for i in range(picker.option_count)] == [
            "Payments",
            "Search",
            "Web Platform",
        ]
        assert picker.selected == ["Payments"]
        assert picker.get_option_at_index(1).disabled
        await pilot.press("enter")

        await wait_for(pilot, lambda: len(fake.accepted("trigger")) == 1)
        (event,) = fake.accepted("trigger")
        assert event.body["routing_key"] == ROUTING_KEY
        assert event.body["payload"]["summary"] == "#1 [SEV1] Card payments declined"
        assert any(e.text == "Paged Payments on-call" for e in teams.timeline(1))
        await wait_for(pilot, lambda: "Paging: 1 paging" in _bar(app))

        fake.acknowledge(event.body["dedup_key"], "Priya Patel")
        await wait_for(pilot, lambda: teams.pages(1)[0].state is PageState.ACKNOWLEDGED, seconds=15)
        await wait_for(pilot, lambda: "acknowledged by Priya Patel" in _bar(app))
    assert len(fake.alerts) == 1


@pytest.mark.slow
async def test_acknowledgements_are_read_at_most_every_30_seconds(
    teams: Store, fake: FakePagerDuty, settings: Settings
) -> None:
    teams.queue_page(1, "Payments", author="Marcus")  # queued before the cockpit opened: sent on start
    app = IctuiApp(as_opened(teams, settings), settings, cursor_blink=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: len(fake.accepted("trigger")) == 1)
        await wait_for(pilot, lambda: len(fake.rest_calls) == 1, seconds=12)
        await pilot.pause(11)  # two more turns of the paging loop
        assert len(fake.rest_calls) == 1


@pytest.mark.slow
async def test_a_page_waiting_for_pagerduty_shows_why_and_goes_once_it_is_back(
    teams: Store, fake: FakePagerDuty, settings: Settings
) -> None:
    fake.fail_next(1, status=503)
    app = IctuiApp(as_opened(teams, settings), settings, cursor_blink=False)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        await pilot.press("G")
        await wait_for(pilot, lambda: isinstance(app.screen, PageModal))
        await pilot.press("tab")
        await type_text(pilot, "declines in the EU")
        await pilot.press("enter")
        await wait_for(pilot, lambda: "PagerDuty is unavailable (503)" in _bar(app))
        await wait_for(pilot, lambda: len(fake.accepted("trigger")) == 1, seconds=15)
        await wait_for(pilot, lambda: "1 paging" in _bar(app))
        assert fake.accepted("trigger")[0].body["payload"]["summary"] == (
            "#1 [SEV1] Card payments declined: declines in the EU"
        )
    assert len(fake.alerts) == 1
