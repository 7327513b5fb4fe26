"""One incident and its post-mortem, written through the store at fixed times.

Shared by the export tests (golden Markdown) and the CLI tests. Times are UTC; the
tests read them in Europe/Paris (see conftest).
"""

from __future__ import annotations

import pendulum

from ictui.domain.enums import ActionKind, KeyEvent, Severity, Status
from ictui.domain.outbox import CREATE_CHANNEL, POST_UPDATE, Delivered
from ictui.store import Store

NUMBER = 41
MONDAY = pendulum.datetime(2026, 11, 23, 8, 0, tz="UTC")
MEETING = pendulum.datetime(2026, 11, 25, 13, 0, tz="UTC")
FORMULA_TITLE = '=HYPERLINK("http://evil.example","click")'


def _at(minutes: int) -> pendulum.DateTime:
    return MONDAY.add(minutes=minutes)


def _deliver(store: Store) -> None:
    """Slack's part, at the frozen time: the updates queued are delivered (only delivered
    ones count as sent in the post-mortem)."""
    while (work := store.outbox_claim()) is not None:
        if work.action == CREATE_CHANNEL:
            store.outbox_checkpoint(
                work.id, {"channel_id": "C0CASE"}, channel=("C0CASE", "incident-41-slow-app-load-times")
            )
        message = (f"1700000000.{work.id:06d}", "") if work.action == POST_UPDATE else None
        store.outbox_delivered(work.id, Delivered(update_message=message))


def build(store: Store) -> None:
    """Slow app load times: surfaced in #engineering-support, one late update, resolved."""
    store.add_person("Dana Kim", "dana.kim@example.com")
    with pendulum.travel_to(_at(12), freeze=True):
        store.declare(
            "Slow app load times",
            number=NUMBER,
            severity=Severity.SEV2,
            ic_email="dana.kim@example.com",
            author="Dana Kim",
            reported_at=_at(5),
            first_entry=(
                "Three customers say the app takes 30 s to load | since this morning",
                "Priya Raman",
                "https://example.slack.com/archives/C02ENGSUPPORT/p1",
                "1700000000.000100",
            ),
        )
    with pendulum.travel_to(_at(20), freeze=True):
        store.add_entry(
            NUMBER,
            "p95 load time doubled right after the CDN config change",
            at=_at(-10),
            author="Ravi Singh",
            key_event=KeyEvent.IMPACT_STARTED,
        )
    with pendulum.travel_to(_at(35), freeze=True):
        store.queue_update(NUMBER, "Investigating slow page loads for all customers.", author="Dana Kim")
        _deliver(store)
    with pendulum.travel_to(_at(60), freeze=True):
        store.change_status(NUMBER, Status.IDENTIFIED, "Dana Kim", "Friday's CDN config turned caching off")
    with pendulum.travel_to(_at(80), freeze=True):
        store.queue_update(NUMBER, "Cause found: caching was off. Rolling back.", author="Dana Kim")
        _deliver(store)
    with pendulum.travel_to(_at(85), freeze=True):
        store.change_status(NUMBER, Status.MONITORING, "Dana Kim")
    with pendulum.travel_to(_at(150), freeze=True):
        store.change_status(NUMBER, Status.RESOLVED, "Dana Kim")
    with pendulum.travel_to(MEETING, freeze=True):
        store.save_postmortem(
            NUMBER,
            summary="Pages took 30 s to load for every customer for two hours.\nCaching was off.",
            impact="All customers; the close checklist was unusable | 2h40m.",
            root_cause="A CDN config change turned caching off; nobody reviewed it.",
            contributing_factors="No alert on p95 load time.",
            went_well="Support escalated within minutes.",
            went_badly="The first hour was spent in the wrong team.",
            got_lucky="It happened on a Monday, not on the last day of the close.",
            kudos="Priya Raman for the clear report; Ravi Singh for finding the change.",
            held_at=MEETING,
        )
        store.add_action_item(
            NUMBER,
            "Alert when p95 load time doubles",
            owner="@ravi",
            due_date="friday",
            kind=ActionKind.MONITORING,
            author="Dana Kim",
        )
        store.add_action_item(
            NUMBER,
            "Review CDN config changes like code",
            owner="Dana Kim",
            due_date="in 2 weeks",
            kind=ActionKind.PROCESS,
            ticket_key="OPS-77",
            author="Dana Kim",
        )
        store.add_action_item(
            NUMBER,
            FORMULA_TITLE,
            owner="-mallory",
            description="+SUM(1,2)",
            due_date="2026-12-15",
            author="Dana Kim",
        )
