"""The timeline's edits, on the cockpit's store, without the database layer.

A fresh cockpit's first shared note, key event, edit (and the conflict of two editors),
mark, delete, restore and share go through plain SQL on the driver's connection
(store/entry_writes.py): SQLAlchemy, SQLModel and pydantic are never imported, on a
SQLite file (LazyStore) as on a PostgreSQL server (ServerLazyStore). Each write bumps the
revision once; a refused one writes nothing. What they wrote is read back through the
full Store.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from ictui.domain.enums import Status
from ictui.store import Store
from ictui.store import tables as m
from support.fresh_process import fresh_process

_EDITS = """
import json, sys
from datetime import UTC, datetime
from ictui.cli.context import Context
from ictui.domain.enums import KeyEvent, Status

def layer():
    return sorted({name.split(".")[0] for name in sys.modules} & {"sqlalchemy", "sqlmodel", "pydantic"})

ctx = Context(sys.argv[1])
store = ctx.open_for_cockpit()
number = next(row.number for row in store.list_incidents() if row.status is Status.INVESTIGATING)
report = {"store": type(store).__name__, "number": number, "loaded": {}, "revisions": {}, "refused": {}}
mitigated_at = datetime(2026, 12, 7, 22, 30, 15, 250000, tzinfo=UTC)
moved_at = datetime(2026, 12, 7, 22, 31, tzinfo=UTC)

def step(name, write):
    before = store.revision()
    result = write()
    report["revisions"][name] = store.revision() - before
    report["loaded"][name] = layer()
    return result

def refused(name, write):
    before = store.revision()
    try:
        write()
    except Exception as refusal:
        report["refused"][name] = [type(refusal).__name__, str(refusal), store.revision() - before]
    report["loaded"][name] = layer()

shared = step("shared", lambda: store.add_entry(number, " Rolling back\\x07 the release ", author="ana", shared=True))
report["shared"] = [shared.id, shared.text, shared.shared]
marked = step("key", lambda: store.add_entry(
    number, "EU logins work again", at=mitigated_at, author="ana", key_event=KeyEvent.MITIGATED))
report["marked"] = marked.id
edited = step("edit", lambda: store.edit_entry(
    marked.id, text="EU and US logins work again", at=moved_at, editor="bo", based_on=marked.text))
report["edited"] = [edited.text, edited.occurred_at.isoformat(), edited.edited]
unchanged = step("same", lambda: store.edit_entry(marked.id, text=edited.text, editor="bo"))
report["unchanged"] = unchanged.edited
refused("conflict", lambda: store.edit_entry(
    marked.id, text="Logins work again", editor="cy", based_on="EU logins work again"))
note, _ = store.add_note(number, "Dashboards are green", author="ana")
report["note"] = note.id
step("mark", lambda: store.set_key_event(note.id, KeyEvent.DECLARED, "bo"))
step("unmark", lambda: store.set_key_event(note.id, None, "bo"))
step("delete", lambda: store.delete_entry(note.id, "bo"))
step("delete again", lambda: store.delete_entry(note.id, "bo"))
refused("share deleted", lambda: store.share_entry(note.id))
restored = step("restore", lambda: store.restore_entry(note.id, "bo"))
report["restored"] = restored.deleted
step("share", lambda: store.share_entry(note.id))
refused("share again", lambda: store.share_entry(note.id))
refused("missing", lambda: store.delete_entry(10**9, "bo"))
refused("empty", lambda: store.edit_entry(note.id, text=" \\x07 ", editor="bo"))
refused("too long", lambda: store.edit_entry(note.id, text="x" * 100_000, editor="bo"))
ctx.close()
print(json.dumps(report))
"""


@pytest.mark.slow
def test_the_timelines_edits_never_load_the_database_layer(demo_database: Path | str, engine: str) -> None:
    report = fresh_process(_EDITS, demo_database)
    assert report["store"] == ("LazyStore" if engine == "sqlite" else "ServerLazyStore")
    assert all(loaded == [] for loaded in report["loaded"].values()), report["loaded"]
    # Every write bumps the revision once, a write that changed nothing too; a conflict's
    # kept text is one write.
    assert set(report["revisions"].values()) == {1}
    number, marked, note = report["number"], report["marked"], report["note"]
    assert report["shared"][1:] == ["Rolling back the release", True]
    assert report["edited"] == ["EU and US logins work again", "2026-12-07T22:31:00+00:00", True]
    assert report["unchanged"] is True
    assert report["restored"] is False
    conflict = report["refused"].pop("conflict")
    assert conflict == [
        "EditConflict",
        "bo changed this entry while you were editing it; your text was saved as a new entry "
        "beside it, and theirs was kept",
        1,
    ]
    refused = {name: (kind, revisions) for name, (kind, _, revisions) in report["refused"].items()}
    assert refused == {
        "share deleted": ("InvalidInput", 0),
        "share again": ("InvalidInput", 0),
        "missing": ("NotFound", 0),
        "empty": ("InvalidInput", 0),
        "too long": ("InvalidInput", 0),
    }
    said = {name: text for name, (_, text, _) in report["refused"].items()}
    assert said["share deleted"] == "a deleted entry cannot be shared"
    assert said["share again"] == "this entry is already shared to the channel"
    assert said["missing"] == "there is no timeline entry 1000000000"
    assert said["empty"] == "the note is empty"

    store = Store(demo_database)
    try:
        incident = store.incident(number)
        assert incident.status is Status.INVESTIGATING
        # The key times: a mitigation added as such, a declaration marked on a note.
        assert incident.mitigated_at == datetime.fromisoformat("2026-12-07T22:30:15.250000+00:00")
        timeline = {e.id: e for e in store.timeline(number, include_deleted=True)}
        assert incident.declared_at == timeline[note].occurred_at
        # The second editor's text, kept beside the entry at its time then.
        kept = [e for e in timeline.values() if e.text == "Logins work again"]
        assert [(e.author, e.occurred_at, e.id > marked) for e in kept] == [
            ("cy", timeline[marked].occurred_at, True)
        ]
        assert (timeline[marked].text, timeline[marked].key_event) == (
            "EU and US logins work again",
            "mitigated",
        )
        assert (timeline[note].key_event, timeline[note].deleted, timeline[note].shared) == (
            None,
            False,
            True,
        )
        assert [(h.change, h.editor, h.old_text, h.old_key_event) for h in store.entry_history(marked)] == [
            ("edit", "bo", "EU logins work again", "mitigated")
        ]
        assert store.entry_history(marked)[0].old_occurred_at == incident.mitigated_at
        assert [(h.change, h.old_key_event) for h in store.entry_history(note)] == [
            ("key event", None),
            ("key event", "declared"),
            ("delete", None),
            ("restore", None),
        ]
        with Session(store.engine) as session:
            posted = [
                item.payload
                for item in session.execute(
                    sa.select(m.OutboxItem)
                    .where(m.OutboxItem.incident_id == incident.id, m.OutboxItem.action == "post_note")
                    .order_by(m.OutboxItem.id)
                ).scalars()
            ]
        assert posted[-2:] == [{"entry_id": report["shared"][0]}, {"entry_id": note}]
    finally:
        store.close()
