"""The IC's flows in a real terminal: keys at machine speed, a second shell beside it.

Each test runs the installed ``ictui`` in a pseudo-terminal, types with no pause for the
app between keys, runs other ictui processes on the same file meanwhile, and checks both
what the screen shows and what the database holds.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest

from support.ptyterm import CTRL_S, ENTER, ESCAPE, cli, cockpit, eventually, notes, paste, query

# The slow tier: the installed ictui in a pseudo-terminal.
pytestmark = pytest.mark.slow


def newest_number(db: Path) -> int:
    return query(db, "SELECT max(number) FROM incident")[0][0]


def outbox_updates(db: Path) -> int:
    return query(db, "SELECT count(*) FROM statusupdate WHERE state != 'DRAFT'")[0][0]


def test_a_second_shell_beside_the_cockpit_never_splits_the_database(demo_db: Path) -> None:
    """The issue's first case: declare in the cockpit, then any other ictui process."""
    wal = demo_db.with_name(demo_db.name + "-wal")
    with cockpit(demo_db) as terminal:
        terminal.send("D", "Split check", CTRL_S)
        terminal.wait_for("Split check")  # typed in the form: committed a moment later
        eventually(lambda: assert_newest_title(demo_db, "Split check"))
        number = newest_number(demo_db)

        cli(demo_db, "list")
        assert wal.exists(), "the WAL was deleted under the running cockpit"
        cli(demo_db, "note", str(number), "from the second shell")
        terminal.wait_for("from the second shell", timeout=30)  # by itself; 30 s is for "never"

        terminal.send("n", "typed in the cockpit", ENTER)
        eventually(lambda: assert_notes(demo_db, number, ["from the second shell", "typed in the cockpit"]))
        assert "typed in the cockpit" in cli(demo_db, "show", str(number))
        cli(demo_db, "declare", "Declared from the second shell")
        terminal.wait_for(f"#{number + 1} SEV3 investig Declared from", timeout=30)
        assert wal.exists()
        assert query(demo_db, "PRAGMA integrity_check") == [("ok",)]


def assert_newest_title(db: Path, title: str) -> None:
    assert query(db, "SELECT title FROM incident WHERE number = ?", newest_number(db)) == [(title,)]


def assert_notes(db: Path, number: int, expected: list[str]) -> None:
    assert notes(db, number)[-len(expected) :] == expected


def test_every_enter_in_the_note_line_saves_its_note_in_order(demo_db: Path) -> None:
    """The issue's second case: notes typed without a pause, and a pasted block."""
    with cockpit(demo_db) as terminal:
        header = terminal.wait_for(lambda screen: "▕ #" in screen)  # the selected incident's
        number = int(header.split("▕ #")[1].split()[0])
        terminal.send("n", "note one", ENTER, "note two", ENTER, "note three", ENTER)
        eventually(lambda: assert_notes(demo_db, number, ["note one", "note two", "note three"]))
        terminal.wait_for("note three")

        terminal.send(paste("a log excerpt\nspanning three lines\nand a tail"), ENTER)
        eventually(lambda: assert_notes(demo_db, number, ["a log excerpt spanning three lines and a tail"]))

        # Another writer holds the database's write lock: the notes typed meanwhile wait
        # for it, and are all saved, in order, once it lets go.
        holder = sqlite3.connect(demo_db, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            terminal.send("ack 1", ENTER, "ack 2", ENTER, "ack 3", ENTER)
            time.sleep(0.8)
            assert "ack 1" not in notes(demo_db, number)
            terminal.wait_for("saving")  # said, not silently swallowed
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        eventually(lambda: assert_notes(demo_db, number, ["ack 1", "ack 2", "ack 3"]))
        terminal.wait_for("ack 3")
        assert notes(demo_db, number).count("ack 2") == 1


def test_keys_typed_while_a_form_opens_go_to_the_form(demo_db: Path) -> None:
    """The issue's third case: a fresh cockpit, `D` and the title typed at once."""
    updates = outbox_updates(demo_db)
    statuses = query(demo_db, "SELECT number, status, severity FROM incident ORDER BY number")
    with cockpit(demo_db) as terminal:
        terminal.send("D", "abc def", CTRL_S, CTRL_S)
        eventually(lambda: assert_newest_title(demo_db, "abc def"))
        terminal.wait_for("abc def")
        time.sleep(0.5)  # anything the keys set off has happened
        # Declared once, and nothing else: no stats screen, no update, no status moved.
        assert query(demo_db, "SELECT count(*) FROM incident WHERE title = 'abc def'") == [(1,)]
        assert outbox_updates(demo_db) == updates
        assert (
            query(demo_db, "SELECT number, status, severity FROM incident ORDER BY number")[: len(statuses)]
            == statuses
        )
        assert "ACROSS INCIDENTS" not in terminal.text()

        # The next form opens on an incident still being read: the keys wait for it.
        terminal.send("j", "v", ENTER)
        eventually(lambda: assert_severity_changed(demo_db, statuses))


def assert_severity_changed(db: Path, before: list[tuple]) -> None:
    after = query(db, "SELECT number, status, severity FROM incident ORDER BY number")[: len(before)]
    assert [a for a, b in zip(after, before, strict=True) if a != b], "no severity changed"


def test_a_form_opened_and_cancelled_leaves_the_keys_after_it_to_the_cockpit(demo_db: Path) -> None:
    with cockpit(demo_db) as terminal:
        terminal.send("D", "never declared")
        terminal.wait_for("never declared")
        terminal.send(ESCAPE)
        terminal.wait_for(lambda screen: "Declare an incident" not in screen)
        count = query(demo_db, "SELECT count(*) FROM incident")
        terminal.send("n", "after the form", ENTER)
        eventually(lambda: assert_notes(demo_db, 44, ["after the form"]))
        assert query(demo_db, "SELECT count(*) FROM incident") == count


def test_the_cockpit_stays_live_while_other_processes_write(demo_db: Path) -> None:
    """Writes from other processes show by themselves, without a key, the whole session long
    (how fast is the benchmark's to measure, not a test's to bound)."""
    with cockpit(demo_db) as terminal:
        stop = threading.Event()
        for index in range(5):
            cli(demo_db, "note", "44", f"other shell {index}")
            terminal.wait_for(f"other shell {index}", timeout=30)
            terminal.send("g")
            terminal.wait_for("ACROSS INCIDENTS")
            terminal.send(ESCAPE)
            terminal.wait_for(lambda screen: "#44" in screen)
        stop.set()
