"""Keys in one burst against a store slowed on purpose: every effect lands where the IC meant.

The installed ``ictui`` runs in a pseudo-terminal on a slow machine of one of two kinds:
with ``ICTUI_SLOW_STORE`` set, every read and write of the cockpit first waits a random
0–800 ms (each run its own seed); with a slow disk, every fsync and fdatasync waits 300 ms
(a library loaded with LD_PRELOAD, tests/support/slow_fsync.c), so that each commit holds
the write lock that long. The windows a quiet machine hides are wide open. Each burst is the one an IC types
without looking (a fast typist, a paste), sent at once with no pause for the app; the
test then reads the database and checks *which* incident got each effect, the order on
the timeline, and that nothing went out twice.

``ICTUI_BURST_RUNS`` sets how many seeds each burst runs with (CI: 2; a release check: 20).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from support.ptyterm import CTRL_S, ENTER, ESCAPE, Terminal, cli, eventually, notes, query, terminal_env
from support.slow_disk import build_slow_fsync

RUNS = int(os.environ.get("ICTUI_BURST_RUNS", "2"))
SLOW_MS = 800
SLOW_FSYNC_MS = 300
# A slow store with each seed, and a slow disk once (its delays are not random).
SEEDS = [1000 + run for run in range(RUNS)] + [0]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def slow_fsync(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_slow_fsync(tmp_path_factory.mktemp("slow-disk"))


@pytest.fixture
def slow_env(slow_fsync: Path) -> Callable[[int], dict[str, str]]:
    """The environment of a slow machine: seed 0 is the slow disk, others a slow store."""

    def env(seed: int) -> dict[str, str]:
        if seed == 0:
            return terminal_env(
                LD_PRELOAD=str(slow_fsync), SLOW_FSYNC_MS=str(SLOW_FSYNC_MS), ICTUI_USER="ana"
            )
        return terminal_env(ICTUI_SLOW_STORE=f"{SLOW_MS}:{seed}", ICTUI_USER="ana")

    return env


def newest(db: Path) -> int:
    return query(db, "SELECT max(number) FROM incident")[0][0]


def selected_number(terminal: Terminal) -> int:
    header = terminal.wait_for(lambda screen: "▕ #" in screen, 30)
    return int(header.split("▕ #")[1].split()[0])


def open_cockpit(db: Path, env: dict[str, str]) -> Terminal:
    terminal = Terminal(["--db", str(db)], env=env)
    terminal.wait_for(lambda screen: "active" in screen and "opening the database" not in screen, 60)
    return terminal


def entries(db: Path, number: int) -> list[tuple[str, str]]:
    """(kind, text) of the incident's timeline, in the order written."""
    return query(
        db,
        "SELECT e.kind, e.text FROM timelineentry e JOIN incident i ON i.id = e.incident_id "
        "WHERE i.number = ? AND e.deleted_at IS NULL ORDER BY e.id",
        number,
    )


def queued_updates(db: Path, number: int) -> list[str]:
    return [
        text
        for (text,) in query(
            db,
            "SELECT u.text FROM statusupdate u JOIN incident i ON i.id = u.incident_id "
            "WHERE i.number = ? AND u.state != 'DRAFT' ORDER BY u.id",
            number,
        )
    ]


@pytest.mark.parametrize("seed", SEEDS)
def test_a_note_typed_right_after_declaring_goes_to_the_new_incident(
    demo_db: Path, seed: int, slow_env: Callable[[int], dict[str, str]]
) -> None:
    terminal = open_cockpit(demo_db, slow_env(seed))
    try:
        before = selected_number(terminal)
        last = newest(demo_db)
        title = f"Checkout fails {seed}"
        terminal.send("D", title, CTRL_S, "n", f"first words {seed}", ENTER)
        eventually(lambda: assert_has_note(demo_db, last + 1, f"first words {seed}"), timeout=30)
        assert query(demo_db, "SELECT title FROM incident WHERE number = ?", last + 1) == [(title,)]
        assert f"first words {seed}" not in notes(demo_db, before)
        terminal.wait_for(f"first words {seed}", 30)
    finally:
        terminal.close()


def assert_has_note(db: Path, number: int, text: str) -> None:
    assert notes(db, number) == [text]


@pytest.mark.parametrize("seed", SEEDS)
def test_keys_typed_at_the_first_frame_wait_for_the_database(
    demo_db: Path, seed: int, slow_env: Callable[[int], dict[str, str]]
) -> None:
    items_before = query(demo_db, "SELECT count(*) FROM actionitem")[0][0]
    last = newest(demo_db)
    terminal = Terminal(["--db", str(demo_db)], env=slow_env(seed))
    try:
        terminal.wait_for("ictui", 30)  # anything drawn: the IC starts typing
        terminal.send("D", "head incident one", CTRL_S)
        terminal.wait_for(lambda screen: "held" in screen or "head incident one" in screen, 30)
        eventually(lambda: assert_title(demo_db, last + 1, "head incident one"), timeout=30)
        terminal.wait_for("head incident one", 30)
        # Not one of the title's letters ran as a cockpit key (p, a, ctrl+s: an action item).
        assert query(demo_db, "SELECT count(*) FROM actionitem")[0][0] == items_before
        assert newest(demo_db) == last + 1
        assert "Traceback" not in terminal.text() and "AssertionError" not in terminal.text()
    finally:
        terminal.close()


def assert_title(db: Path, number: int, title: str) -> None:
    assert query(db, "SELECT title FROM incident WHERE number = ?", number) == [(title,)]


@pytest.mark.parametrize("seed", SEEDS)
def test_ctrl_s_twice_in_one_burst_sends_the_update_once(
    demo_db: Path, seed: int, slow_env: Callable[[int], dict[str, str]]
) -> None:
    terminal = open_cockpit(demo_db, slow_env(seed))
    try:
        number = selected_number(terminal)
        before = queued_updates(demo_db, number)
        terminal.send("c", "Payments recovered after rollback", CTRL_S, CTRL_S)
        terminal.wait_for(asks_to_repeat, 30)
        terminal.send("n")
        eventually(lambda: assert_sent(demo_db, number, before, 1), timeout=30)
        time.sleep(1.5)  # a second send would be written by now
        assert_sent(demo_db, number, before, 1)

        # Leaving the composer and sending the same text again: asked, not sent twice.
        terminal.send(ESCAPE, "c", CTRL_S)
        terminal.wait_for(asks_to_repeat, 30)
        terminal.send("n")
        time.sleep(1.5)
        assert_sent(demo_db, number, before, 1)
    finally:
        terminal.close()


def asks_to_repeat(screen: str) -> bool:
    return "Send it again" in screen or "Send another" in screen


def assert_sent(db: Path, number: int, before: list[str], count: int) -> None:
    assert len(queued_updates(db, number)) == len(before) + count


@pytest.mark.parametrize("seed", SEEDS)
def test_a_status_change_then_a_note_are_on_the_timeline_in_the_order_typed(
    demo_db: Path, seed: int, slow_env: Callable[[int], dict[str, str]]
) -> None:
    terminal = open_cockpit(demo_db, slow_env(seed))
    try:
        number = selected_number(terminal)
        status_before = query(demo_db, "SELECT status FROM incident WHERE number = ?", number)[0][0]
        terminal.send("s", ENTER, "n", f"after the status {seed}", ENTER)
        eventually(lambda: assert_has_last_note(demo_db, number, f"after the status {seed}"), timeout=30)
        status_after = query(demo_db, "SELECT status FROM incident WHERE number = ?", number)[0][0]
        assert status_after != status_before
        kinds = [kind for kind, _ in entries(demo_db, number)]
        texts = [text for _, text in entries(demo_db, number)]
        note_at = texts.index(f"after the status {seed}")
        status_at = max(i for i, kind in enumerate(kinds) if kind == "STATUS")
        assert status_at < note_at, entries(demo_db, number)[-3:]
    finally:
        terminal.close()


def assert_has_last_note(db: Path, number: int, text: str) -> None:
    assert notes(db, number)[-1:] == [text]


@pytest.mark.parametrize("seed", SEEDS)
def test_a_second_shell_writing_meanwhile_never_redirects_a_key(
    demo_db: Path, seed: int, slow_env: Callable[[int], dict[str, str]]
) -> None:
    """Another process declares while the cockpit's declare is on its way: the note
    typed after the cockpit's own declare goes to the cockpit's incident."""
    terminal = open_cockpit(demo_db, slow_env(seed))
    try:
        terminal.send("D", f"Mine {seed}", CTRL_S, "n", f"mine {seed}", ENTER)
        cli(demo_db, "declare", f"Theirs {seed}")
        mine = lambda: query(demo_db, "SELECT number FROM incident WHERE title = ?", f"Mine {seed}")  # noqa: E731
        eventually(lambda: assert_one(mine()), timeout=30)
        number = mine()[0][0]
        eventually(lambda: assert_has_note(demo_db, number, f"mine {seed}"), timeout=30)
        theirs = query(demo_db, "SELECT number FROM incident WHERE title = ?", f"Theirs {seed}")[0][0]
        assert notes(demo_db, theirs) == []
    finally:
        terminal.close()


def assert_one(rows: list[tuple]) -> None:
    assert len(rows) == 1
