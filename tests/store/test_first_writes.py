"""The writes of every day, on the cockpit's store, without the database layer.

A fresh cockpit's first declaration, status change, severity, role and update go through
plain SQL on the driver's connection (store/everyday_writes.py): SQLAlchemy, SQLModel and
pydantic are never imported, on a SQLite file (LazyStore) as on a PostgreSQL server
(ServerLazyStore). What they wrote is read back through the full Store.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from ictui.domain.enums import EntryKind, IncidentRole, Severity, Status
from ictui.store import Store
from ictui.store import tables as m
from support.fresh_process import fresh_process

_WRITES = """
import json, sys
from ictui.cli.context import Context
from ictui.domain.enums import IncidentRole, Severity, Status
from ictui.slack.people import ensure_person

def layer():
    return sorted({name.split(".")[0] for name in sys.modules} & {"sqlalchemy", "sqlmodel", "pydantic"})

ctx = Context(sys.argv[1])
store = ctx.open_for_cockpit()
report = {"store": type(store).__name__, "loaded": {}}
declared = store.declare(
    "Checkout is slow", severity=Severity.SEV2, ic_email="dana.kim@example.com", author="ana",
    components=["database"], invite_owners=True,
)
report["number"] = declared.number
report["loaded"]["declare"] = layer()
store.change_status(declared.number, Status.IDENTIFIED, "ana", "a slow query")
report["loaded"]["status"] = layer()
store.change_severity(declared.number, Severity.SEV1, "ana", "every customer")
report["loaded"]["severity"] = layer()
# As the cockpit assigns a role: the person looked up on the roster first.
person = ensure_person(store, ctx.settings, "ben.carter@example.com")
store.assign_role(declared.number, IncidentRole.SCRIBE, person.email, "ana")
report["loaded"]["role"] = layer()
# As the composer does: the draft saved as the IC types, then sent.
store.save_draft(declared.number, "We found a slow query", "ana")
report["loaded"]["draft"] = layer()
store.queue_update(declared.number, "We found a slow query; a fix is on its way.", "ana")
report["loaded"]["update"] = layer()
try:
    store.queue_update(declared.number, "We found a slow query;  a fix is on its way.", "ana")
except Exception as refusal:
    report["repeat"] = [type(refusal).__name__, str(refusal)]
report["loaded"]["refusal"] = layer()
ctx.close()
print(json.dumps(report))
"""


@pytest.mark.slow
def test_the_first_write_of_every_kind_never_loads_the_database_layer(
    demo_database: Path | str, engine: str
) -> None:
    report = fresh_process(_WRITES, demo_database)
    assert report["store"] == ("LazyStore" if engine == "sqlite" else "ServerLazyStore")
    kinds = ("declare", "status", "severity", "role", "draft", "update", "refusal")
    assert report["loaded"] == {kind: [] for kind in kinds}
    assert report["repeat"][0] == "RepeatedUpdate"
    assert report["repeat"][1].startswith(f"the same update for #{report['number']} was queued at ")

    store = Store(demo_database)
    try:
        number = report["number"]
        incident = store.incident(number)
        assert (incident.title, incident.status, incident.severity) == (
            "Checkout is slow",
            Status.IDENTIFIED,
            Severity.SEV1,
        )
        assert incident.ic is not None and incident.ic.email == "dana.kim@example.com"
        assert [(role, person.email) for role, person in incident.roles] == [
            (IncidentRole.IC, "dana.kim@example.com"),
            (IncidentRole.SCRIBE, "ben.carter@example.com"),
        ]
        # The draft became the update: none is left.
        assert [u.text for u in incident.updates] == ["We found a slow query; a fix is on its way."]
        assert incident.draft == ""
        assert incident.last_update_at is not None
        entries = [(e.kind, e.text) for e in store.timeline(number)]
        assert entries == [
            (EntryKind.STATUS, "Declared SEV2 incident: Checkout is slow"),
            (EntryKind.ROLE, "IC: Dana Kim"),
            (EntryKind.STATUS, "Status: investigating → identified. a slow query"),
            (EntryKind.SEVERITY, "Severity: SEV2 → SEV1. every customer"),
            (EntryKind.ROLE, "scribe: Ben Carter"),
            (EntryKind.UPDATE, "We found a slow query; a fix is on its way."),
        ]
        with Session(store.engine) as session:
            queued = [
                (item.action, item.payload)
                for item in session.execute(
                    sa.select(m.OutboxItem)
                    .where(m.OutboxItem.incident_id == incident.id)
                    .order_by(m.OutboxItem.id)
                ).scalars()
            ]
        owners = [p.email for p, _ in store.suggest_responders(number) if p.email != "dana.kim@example.com"]
        assert owners
        assert queued == [
            ("set_topic", {}),
            ("create_channel", {}),
            ("announce", {}),
            ("invite", {"emails": owners}),
            ("set_topic", {}),
            ("set_topic", {}),
            ("invite", {"emails": ["ben.carter@example.com"]}),
            ("post_update", {"mirror": True, "severity": "SEV1", "status": "IDENTIFIED"}),
        ]
    finally:
        store.close()
