"""Paging from the cockpit in a real terminal: G, enter; the fake PagerDuty on 127.0.0.1
receives exactly one alert with the team's key and the incident's summary, and the
database has the page on the timeline."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from support.fake_pagerduty import ROUTING_KEY, FakePagerDuty
from support.ptyterm import ENTER, cli, cockpit, eventually, notes, terminal_env

# The slow tier: the installed ictui in a pseudo-terminal.
pytestmark = pytest.mark.slow


@pytest.fixture
def fake() -> Iterator[FakePagerDuty]:
    server = FakePagerDuty().start()
    yield server
    server.stop()


def test_g_then_enter_pages_the_owning_team_once(tmp_path: Path, fake: FakePagerDuty) -> None:
    db = tmp_path / "ictui.db"
    env = terminal_env(PAGERDUTY_EVENTS_URL=fake.url)
    cli(db, "teams", "add", "Payments", "--parts", "card payments", "--pagerduty-key", ROUTING_KEY, env=env)
    cli(db, "teams", "add", "Search", "--parts", "search", env=env)
    cli(db, "declare", "Card payments declined", "--severity", "SEV2", "--part", "card payments", env=env)

    with cockpit(db, env=env, columns=170) as terminal:
        terminal.wait_for("Card payments declined")
        terminal.send("G")
        terminal.wait_for("Page the on-call about #1")
        terminal.send(ENTER)

        def sent() -> None:
            assert len(fake.accepted("trigger")) == 1

        eventually(sent, timeout=15)
        terminal.wait_for("Paging: 1 paging", timeout=10)

    (event,) = fake.accepted("trigger")
    assert event.body["routing_key"] == ROUTING_KEY
    assert event.body["payload"]["summary"] == "#1 [SEV2] Card payments declined"
    assert event.body["payload"]["severity"] == "error"
    assert len(fake.events) == 1 and len(fake.alerts) == 1
    assert "Paged Payments on-call" in notes(db, 1)
