"""Schema and backups: a database ictui cannot know is refused having only been read (no
WAL applied, no file created beside it), every earlier version opens in the cockpit, and
``ictui backup`` copies a live database that another process keeps writing to.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import sqlite3
import stat
import subprocess
import time
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from ictui.config import Settings
from ictui.domain.enums import EntryKind
from ictui.store import DatabaseError, Store
from ictui.store.bulk_reads import read_incident_list
from ictui.store.versions import SCHEMA_VERSION
from ictui.tui.app import IctuiApp
from ictui.tui.widgets.incident_list import IncidentList
from support.cli import ictui
from support.dumps import DUMPS, load_dump
from support.reliability_procs import Child, child_env
from support.scenarios import settle

# The slow tier: many processes, examples or screens per test (tests/reliability is left to the full run).
pytestmark = pytest.mark.slow

if TYPE_CHECKING:
    from support.reliability_figures import Figures


def folder(path: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(path.iterdir())}


def one_line_refusal(run: subprocess.CompletedProcess[str]) -> str:
    assert run.returncode == 2, (run.returncode, run.stderr)
    [line] = run.stderr.splitlines()
    assert line.startswith("ictui: ") and "Traceback" not in run.stderr
    return line


def newer_database(folder_path: Path, *, crashed: bool) -> Path:
    """A database a newer ictui made; ``crashed``: it died with its last changes in the WAL."""
    source = folder_path / "newer-ictui"
    source.mkdir()
    path = source / "ictui.db"
    store = Store(path)
    store.declare("Made by a newer ictui")
    store.close()
    writer = sqlite3.connect(path)
    writer.execute("PRAGMA wal_autocheckpoint = 0")
    writer.execute("UPDATE ictui_meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION + 1),))
    writer.commit()
    if not crashed:
        writer.close()
    target = folder_path / "copy"
    target.mkdir()
    # Copied while a crashed writer's files are still there, WAL and all.
    for file in source.iterdir():
        shutil.copy(file, target / file.name)
    writer.close()
    return target / "ictui.db"


@pytest.mark.parametrize("crashed", [False, True], ids=["closed", "crashed with its WAL"])
def test_a_newer_database_is_refused_after_only_reading_it(tmp_path: Path, crashed: bool) -> None:
    path = newer_database(tmp_path, crashed=crashed)
    before = folder(path.parent)
    assert (path.name + "-wal" in before) is crashed

    with pytest.raises(DatabaseError, match="newer ictui"):
        Store(path)
    line = one_line_refusal(ictui(child_env(), path, "list"))
    assert "newer ictui" in line and "untouched" in line
    # The cockpit paints the list before the store opens: that read leaves it alone too.
    assert read_incident_list(path) is not None

    after = folder(path.parent)
    # Byte for byte: the database and the WAL it was given; no file created beside them.
    # (The -shm is SQLite's scratch index of the WAL, rebuilt by whoever opens it next.)
    assert set(after) == set(before)
    assert {k: v for k, v in after.items() if not k.endswith("-shm")} == {
        k: v for k, v in before.items() if not k.endswith("-shm")
    }


@pytest.mark.skipif(os.geteuid() == 0, reason="root creates files in read-only folders anyway")
def test_a_newer_database_in_a_read_only_folder_is_refused_for_what_it_is(tmp_path: Path) -> None:
    """Nothing is even tried beside the file: a -wal created there would fail first."""
    path = newer_database(tmp_path, crashed=False)
    path.parent.chmod(0o555)
    try:
        line = one_line_refusal(ictui(child_env(), path, "list"))
    finally:
        path.parent.chmod(0o755)
    assert "newer ictui" in line


@pytest.mark.parametrize("dump", DUMPS, ids=lambda p: p.stem)
async def test_a_database_made_by_an_earlier_version_opens_in_the_cockpit(dump: Path, tmp_path: Path) -> None:
    path = load_dump(dump, tmp_path / "old.db")
    store = Store(path)
    app = IctuiApp(store, Settings(user="ana"), cursor_blink=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        listed = app.screen.query_one(IncidentList)
        lines = ["".join(s.text for s in listed.render_line(y)) for y in range(listed.size.height)]
    store.close()
    assert [line.split()[0] for line in lines if line.startswith("#") and line[1].isdigit()] == ["#2", "#1"]


# ---------------------------------------------------------------------- ictui backup


def test_backup_copies_a_live_database_with_every_write_acknowledged_before_it_began(
    tmp_path: Path, figures: Figures
) -> None:
    db = tmp_path / "live.db"
    store = Store(db)
    number = store.declare("Checkout fails").number
    store.close()
    writer = Child.writer(db, number, "ic", "--seconds", "8", "--interval", "0.005", env=child_env())
    try:
        writer.wait_for_line("ack ")
        time.sleep(1.0)
        acked_before = {(kind, index) for kind, index, _, _ in writer.acks()}
        target = tmp_path / "backups" / "live-copy.db"
        run = ictui(child_env(), db, "backup", str(target))
        acked_after = {(kind, index) for kind, index, _, _ in writer.acks()}
    finally:
        writer.finish()
    assert writer.process.returncode == 0 and writer.stderr() == ""
    assert run.returncode == 0, run.stderr
    assert re.fullmatch(
        rf"backed up {re.escape(str(db))} to {re.escape(str(target))}: 1 incident, integrity ok\n", run.stdout
    )
    assert len(acked_after) > len(acked_before), "the writer kept writing during the backup"

    copy = Store(target)
    try:
        assert copy.integrity_check() == "ok"
        notes = {e.text for e in copy.timeline(number) if e.kind is EntryKind.NOTE}
        updates = {u.text for u in copy.updates(number)}
    finally:
        copy.close()
    missing = [
        f"ic {kind} {index}"
        for kind, index in acked_before
        if f"ic {kind} {index}" not in (notes if kind == "note" else updates)
    ]
    assert missing == []
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    figures.count("backup_writes", len(acked_before))


def test_backup_never_overwrites_a_file_and_needs_a_database(tmp_path: Path) -> None:
    db = tmp_path / "ictui.db"
    Store(db).close()
    existing = tmp_path / "precious.db"
    existing.write_bytes(b"last week's backup")
    line = one_line_refusal(ictui(child_env(), db, "backup", str(existing)))
    assert "already exists" in line and existing.read_bytes() == b"last week's backup"

    missing = tmp_path / "nowhere.db"
    line = one_line_refusal(ictui(child_env(), missing, "backup", str(tmp_path / "copy.db")))
    assert "no database" in line
    assert not missing.exists() and not (tmp_path / "copy.db").exists()
