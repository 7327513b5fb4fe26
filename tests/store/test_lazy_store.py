"""The cockpit's store: reading and writing notes without the database layer, everything
else through Store, opened when first needed (ictui.store.lazy)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from ictui.cli.context import Context
from ictui.domain.enums import Severity, Status
from ictui.store import DatabaseError, Store
from ictui.store import tables as m
from ictui.store.lazy import LazyStore
from ictui.store.versions import SCHEMA_VERSION
from support.pg_server import database_for

# The real cockpit (as `ictui --db` opens it), driven by keys in a fresh interpreter: which
# of the database layer's packages are loaded after reading, moving, notes and a filter,
# and after a severity change (none).
_COCKPIT = """
import asyncio, json, sys
from pathlib import Path
from textual.widgets import OptionList
from ictui.cli.context import Context
from ictui.store.bulk_reads import read_incident_list
from ictui.tui.app import IctuiApp
from textual.worker import WorkerCancelled

from ictui.store.location import Server
from ictui.store.lazy_server import read_server_list

DB = sys.argv[1]

def layer():
    return sorted({name.split(".")[0] for name in sys.modules} & {"sqlalchemy", "sqlmodel", "pydantic"})

async def settle(pilot):
    for _ in range(3):
        await pilot.pause()
        for worker in [w for w in pilot.app.workers if w.group not in ("slack", "paging")]:
            try:
                await worker.wait()
            except WorkerCancelled:
                pass
    await pilot.pause()

async def main():
    ctx = Context(DB)
    location = ctx.location
    peek_at = read_server_list if isinstance(location, Server) else read_incident_list
    app = IctuiApp(ctx.open_for_cockpit, ctx.settings, cursor_blink=False,
                   peek=lambda limit: peek_at(location, limit))
    report = {}
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(250):
            await pilot.pause(0.02)
            if app.store is not None and getattr(app.screen, "state", None) is not None:
                break
        await settle(pilot)
        await pilot.press("j", "k", "enter")
        await settle(pilot)
        await pilot.press("n", *"rolled back", "enter")
        await settle(pilot)
        await pilot.press("escape", "slash", "l", "o", "escape")
        await settle(pilot)
        report["loaded_after_notes"] = layer()
        report["last_entry"] = app.screen.state.entries[-1].text
        await pilot.press("v")
        await settle(pilot)
        options = app.screen.query_one(OptionList)
        options.highlighted = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)].index("SEV1")
        await pilot.press("enter")
        await settle(pilot)
        report["loaded_after_severity"] = layer()
        report["severity_shown"] = str(app.screen.state.view.severity)
    ctx.close()
    print(json.dumps(report))

asyncio.run(main())
"""


def two_incidents(where: Path | str) -> Path | str:
    store = Store(where)
    store.add_team("Web Platform", ["navigation bar"])
    store.add_person("Ana Ruiz", "ana@example.com", ["EM"], "Web Platform")
    for title in ("Login fails", "Slow app load times"):
        store.declare(title, ic_email="ana@example.com", author="ana")
    store.close()
    return where


@pytest.fixture
def database(tmp_path: Path) -> Path:
    return Path(two_incidents(tmp_path / "ictui.db"))


@pytest.fixture
def any_database(request: pytest.FixtureRequest, engine: str, tmp_path: Path) -> Path | str:
    """The same two incidents on each engine: a file, then a PostgreSQL server."""
    return two_incidents(database_for(request, engine, tmp_path))


@pytest.mark.slow
def test_a_cockpit_that_reads_and_writes_notes_never_loads_the_database_layer(
    any_database: Path | str,
) -> None:
    """On a file and on a server alike (there with psycopg alone: store/lazy_server.py)."""
    database = any_database
    run = subprocess.run(
        [sys.executable, "-c", _COCKPIT, str(database)], capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout.strip().splitlines()[-1])
    assert report["loaded_after_notes"] == []
    assert report["last_entry"] == "rolled back"
    # A severity change is an everyday write too (store/everyday_writes.py).
    assert report["loaded_after_severity"] == []
    assert report["severity_shown"] == "SEV1"
    store = Store(database)
    try:
        [newest] = [row for row in store.list_incidents() if row.title == "Slow app load times"]
        assert newest.severity is Severity.SEV1
        assert "rolled back" in [e.text for e in store.timeline(newest.number)]
    finally:
        store.close()


def test_what_it_reads_itself_and_what_store_writes_agree(any_database: Path | str) -> None:
    lazy = Context(any_database).open_for_cockpit()
    try:
        before = lazy.revision()
        changed = lazy.change_status(2, Status.IDENTIFIED, author="ana")
        assert changed.status is Status.IDENTIFIED
        assert lazy.revision() == before + 1
        assert lazy.incident(2) == changed
        entry, revision = lazy.add_note(2, "  CDN error rate up \x1b[31m ")
        assert (entry.text, revision) == ("CDN error rate up", before + 2)
        assert lazy.timeline(2)[-1] == entry
        assert [row.status for row in lazy.list_incidents()] == [Status.IDENTIFIED, Status.INVESTIGATING]
    finally:
        lazy.close()


@pytest.mark.slow
def test_the_incident_it_reads_is_the_one_the_models_stored(demo_store: Store) -> None:
    """Column by column, for every incident of the demo (triage, roles, drafts, post-mortems)."""
    lazy = LazyStore(demo_store.path)
    try:
        with Session(demo_store.engine) as s:
            incidents = s.execute(sa.select(m.Incident)).scalars().all()
            assert len(incidents) > 5
            for incident in incidents:
                view = lazy.incident(incident.number)
                for name in (
                    "id",
                    "title",
                    "summary",
                    "breadth",
                    "verdict",
                    "decided_at",
                    "reported_at",
                    "declared_at",
                    "mitigated_at",
                    "resolved_at",
                    "closed_at",
                    "last_update_at",
                    "created_at",
                    "slack_channel_name",
                    "cadence_minutes",
                    "erred_on_caution",
                ):
                    assert getattr(view, name) == getattr(incident, name), (incident.number, name)
                assert (view.status, view.severity) == (incident.status, incident.severity)
                assert (list(view.components), list(view.owning_teams)) == (
                    incident.components,
                    incident.owning_teams,
                )
                assert (view.ic.email if view.ic else None) == (
                    s.get(m.Person, incident.ic_id).email if incident.ic_id else None
                )
                roles = (
                    s.execute(
                        sa.select(m.IncidentRoleAssignment).where(
                            m.IncidentRoleAssignment.incident_id == incident.id
                        )
                    )
                    .scalars()
                    .all()
                )
                assert [(r, p.id) for r, p in view.roles] == [(r.role, r.person_id) for r in roles]
                triage = (
                    s.execute(
                        sa.select(m.TriageAssessment)
                        .where(m.TriageAssessment.incident_id == incident.id)
                        .order_by(m.TriageAssessment.id.desc())
                    )
                    .scalars()
                    .first()
                )
                if triage is None:
                    assert view.triage is None
                else:
                    assert view.triage is not None
                    assert (view.triage.impact, view.triage.workaround, view.triage.assessed_at) == (
                        triage.impact,
                        triage.workaround,
                        triage.assessed_at,
                    )
                updates = (
                    s.execute(
                        sa.select(m.StatusUpdate)
                        .where(m.StatusUpdate.incident_id == incident.id)
                        .order_by(m.StatusUpdate.id)
                    )
                    .scalars()
                    .all()
                )
                assert [(u.id, u.text, u.sent_at) for u in view.updates] == [
                    (u.id, u.text, u.sent_at) for u in updates if u.state != "draft"
                ]
                assert view.draft == next((u.text for u in updates if u.state == "draft"), "")
        assert any(lazy.incident(i.number).triage for i in incidents)
        assert any(lazy.incident(i.number).roles for i in incidents)
        assert any(lazy.incident(i.number).updates for i in incidents)
    finally:
        lazy.close()


def test_a_new_file_is_created_through_store(tmp_path: Path) -> None:
    path = tmp_path / "new" / "ictui.db"
    lazy = LazyStore(path)
    try:
        assert lazy.list_incidents() == []
        assert lazy.declare("Login fails", author="ana").number == 1
        assert [row.title for row in lazy.list_incidents()] == ["Login fails"]
    finally:
        lazy.close()
    assert path.stat().st_mode & 0o777 == 0o600


def test_a_newer_or_foreign_database_is_refused_untouched(tmp_path: Path, database: Path) -> None:
    connection = sqlite3.connect(database)
    connection.execute(
        "UPDATE ictui_meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION + 1),)
    )
    connection.commit()
    connection.close()
    before = database.read_bytes()
    with pytest.raises(DatabaseError, match="newer ictui"):
        LazyStore(database)
    assert database.read_bytes() == before

    foreign = tmp_path / "crm.db"
    connection = sqlite3.connect(foreign)
    connection.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY)")
    connection.commit()
    connection.close()
    with pytest.raises(DatabaseError, match="not an ictui database"):
        LazyStore(foreign)
