"""Crash: a cockpit-like process killed with SIGKILL at random moments, again and again.

The process writes notes and status updates through the store API the cockpit uses and
delivers the outbox to the fake Slack in a thread, as the cockpit's Slack thread does.
After each kill: every write it acknowledged is there, nothing it did not try is there,
and SQLite's integrity check passes. At the end the outbox delivers what is left, and
each status update is in the channel exactly once, in the order it was written, however
many deliveries a kill cut short (in flight, posted but not recorded, half-recorded).
"""

from __future__ import annotations

import os
import random
import time
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from ictui.config import Settings
from ictui.domain.enums import EntryKind, OutboxState, UpdateState
from ictui.slack.outbox import deliver_pending
from ictui.store import Store
from support.fake_slack import FakeSlack
from support.reliability_procs import Child, child_env

if TYPE_CHECKING:
    from support.reliability_figures import Figures

pytestmark = pytest.mark.slow

KILLS = 30
# Whatever the count reached, no more kills after this: CI time is bounded.
BUDGET_SECONDS = 60.0
MIN_KILLS = 10
# Each run writes indexes from its own range, so that every text is unique.
STRIDE = 100_000
TAG = "ic"


class Record:
    """What the runs acknowledged, and what the database holds of them."""

    def __init__(self, figures: Figures, fake: FakeSlack, channel: str) -> None:
        self.figures = figures
        self.fake, self.channel = fake, channel
        self.acked: dict[str, set[int]] = {"note": set(), "update": set()}
        # Kills that left a delivery in flight: its message may or may not be in Slack.
        self.cut_short = 0
        # Of those, the ones whose message Slack had already posted: sent again, a duplicate.
        self.posted_in_flight = 0

    def add_run(self, child: Child, start: int, db: Path, number: int, seed: int) -> int:
        """Check the database after a run was killed; returns how many writes it acknowledged."""
        acks = child.acks()
        for kind, index, _, _ in acks:
            self.acked[kind].add(index)
        store = Store(db)
        try:
            integrity = store.integrity_check()
            notes = {
                int(e.text.rsplit(" ", 1)[1])
                for e in store.timeline(number)
                if e.kind is EntryKind.NOTE and e.text.startswith(f"{TAG} note ")
            }
            updates = {int(u.text.rsplit(" ", 1)[1]) for u in store.updates(number)}
            in_flight = {i.id for i in store.outbox_items() if i.state is OutboxState.IN_FLIGHT}
            posted = {m["metadata"]["event_payload"]["item"] for m in self.fake.bot_messages(self.channel)}
            self.cut_short += bool(in_flight)
            self.posted_in_flight += bool(in_flight & posted)
        finally:
            store.close()
        self.figures.count("integrity_checks")
        assert integrity == "ok", f"seed {seed}: {integrity}"
        lost = (self.acked["note"] - notes) | (self.acked["update"] - updates)
        assert not lost, f"seed {seed}: acknowledged writes lost after a kill: {sorted(lost)}"
        # Beyond what was acknowledged, at most the one write the kill interrupted
        # (committed, but killed before it could say so), and nothing that was never tried.
        this_run = {i for i in notes | updates if start <= i < start + STRIDE}
        acked_here = {index for _, index, _, _ in acks}
        unacked = this_run - acked_here
        interrupted = max(acked_here, default=start - 1) + 1
        assert unacked <= {interrupted}, f"seed {seed}: writes nobody asked for: {sorted(unacked)}"
        return len(acks)


def test_sigkill_at_random_moments_loses_no_acknowledged_write_and_sends_each_update_once(
    tmp_path: Path, fake_slack: FakeSlack, slack_settings: Settings, figures: Figures
) -> None:
    seed = int.from_bytes(os.urandom(4), "big")
    rng = random.Random(seed)
    db = tmp_path / "crash.db"
    store = Store(db)
    store.add_person("Ana Ruiz", "ana@example.com")
    fake_slack.add_user("ana", "ana@example.com", "Ana Ruiz")
    number = store.declare("Checkout fails", ic_email="ana@example.com").number
    assert deliver_pending(store, slack_settings).settled
    channel = store.incident(number).slack_channel_id
    store.close()
    # A little latency in Slack widens the window between its answer and our commit.
    fake_slack.delay = 0.02
    env = child_env(
        SLACK_BOT_TOKEN=fake_slack.token, SLACK_API_URL=fake_slack.url, ICTUI_BROADCAST_CHANNEL="#rnd"
    )
    record = Record(figures, fake_slack, channel)

    def warm_child() -> Child:
        # A breath between writes, as a person types: else the writing thread keeps the
        # write lock to itself and the delivery thread rarely gets to a Slack call.
        return Child.writer(db, number, TAG, "--deliver", "--wait-go", "--interval", "0.01", env=env)

    started = time.monotonic()
    kills = acked = 0
    waiting = warm_child()
    # At least MIN_KILLS however slow the machine (a count, not a speed), and up to KILLS
    # while the time allows.
    while kills < MIN_KILLS or (kills < KILLS and time.monotonic() - started < BUDGET_SECONDS):
        child, start = waiting, (kills + 1) * STRIDE
        child.wait_for_line("warm")
        child.send(f"go {start}")
        # The next one imports while this one works: a restart costs the opening only.
        waiting = warm_child()
        # Killed after a random number of its writes (the first run before any), then a
        # random moment into the next: the same spread of moments on a slow machine.
        child.wait_for_acks(0 if kills == 0 else rng.randint(1, 4))
        time.sleep(rng.uniform(0.0, 0.3))
        child.kill()
        assert child.process.returncode == -9, child.stderr()
        assert child.stderr() == "", f"seed {seed}: {child.stderr()}"
        kills += 1
        acked += record.add_run(child, start, db, number, seed)
    waiting.wait_for_line("warm")
    waiting.send("stop")
    assert waiting.finish() == 0
    figures.count("kills", kills)
    figures.count("acked_writes", acked)
    assert acked > kills, "the runs wrote next to nothing before being killed"
    assert record.cut_short > 0, "no kill landed during a delivery"
    figures.count("deliveries_cut", record.cut_short)
    figures.count("posted_in_flight", record.posted_in_flight)

    fake_slack.delay = 0
    store = Store(db)
    try:
        assert deliver_pending(store, slack_settings, max_seconds=30).settled
        updates = store.updates(number)
    finally:
        store.close()
    assert {u.state for u in updates} == {UpdateState.SENT}
    posted = [m["text"].split(": ", 1)[1] for m in fake_slack.bot_messages(channel)]
    copies = Counter(posted)
    assert [text for text, n in copies.items() if n != 1] == [], f"seed {seed}: posted more than once"
    assert posted == [u.text for u in updates], f"seed {seed}: not each update once, in order"
    assert {int(u.text.rsplit(" ", 1)[1]) for u in updates} >= record.acked["update"]
    figures.count("updates_once", len(updates))
