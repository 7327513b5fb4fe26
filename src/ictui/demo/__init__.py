"""The demo data set (``ictui demo``, ``ictui seed --demo``): a SaaS company with about
80 people in R&D, and its incidents.

Everything is written through the store, at the time it happened (see
:func:`ictui.domain.clock.pinned`), so that the timelines, key events, update cadence and
post-mortem deadlines are exactly what real use would have produced. Times are relative
to now, so the demo always looks live: #41 "Slow app load times" was declared about 50
minutes ago, its last status update went out a few minutes late, and a report from
#engineering-support is waiting in triage.

The package: ``organisation`` (teams, people, the Slack workspace), ``incidents`` (the
fifteen incidents, as data), ``steps`` (what a step of an incident is, and the one
function that writes an incident through the store), ``slack`` (what Slack did meanwhile).
"""

from __future__ import annotations

from ictui.demo.incidents import INCIDENTS
from ictui.demo.organisation import (
    BROADCAST_CHANNEL_ID,
    ESCALATION_CHANNEL_ID,
    PEOPLE,
    SLACK_WORKSPACE,
    TEAMS,
)
from ictui.demo.slack import slack_history
from ictui.demo.steps import write_incident
from ictui.domain.clock import now
from ictui.domain.errors import InvalidInput
from ictui.store.interface import StoreAPI

__all__ = [
    "BROADCAST_CHANNEL_ID",
    "ESCALATION_CHANNEL_ID",
    "INCIDENTS",
    "PEOPLE",
    "SLACK_WORKSPACE",
    "TEAMS",
    "seed_demo",
]


def seed_demo(store: StoreAPI) -> int:
    """Write the demo organisation and incidents #30..#44; returns how many incidents."""
    if store.list_incidents() or store.teams() or store.people():
        raise InvalidInput("the demo needs an empty database; this one already has data")
    start = now()
    for name, components, handle in TEAMS:
        store.add_team(name, components, slack_handle=handle)
    for name, email, roles, team, slack_id in PEOPLE:
        store.add_person(name, email, roles=[str(r) for r in roles], team=team, slack_user_id=slack_id)
    for incident in INCIDENTS:
        write_incident(store, incident, start)
    slack_history(store)
    return len(store.list_incidents())
