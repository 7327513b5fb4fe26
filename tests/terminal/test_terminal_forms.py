"""Text made of every cockpit key, typed into every form right after the key that opens it.

At machine speed, with no pause for the form to appear: each key must land in the form's
field, in order, and none may fire the cockpit action it stands for (declare, status,
severity, roles, triage, compose, broadcast, post-mortem, stats, escalations, outbox,
quit, help, move, edit, mark, delete, share, people...).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from support.ptyterm import CTRL_S, DOWN, ENTER, ESCAPE, Terminal, cockpit, eventually, notes, query

# The slow tier: the installed ictui in a pseudo-terminal.
pytestmark = pytest.mark.slow

# Every key the cockpit, its panes and the app bind to an action, as text.
COCKPIT_KEYS = "DnsvitcUpgEozqjkxemSPa?/ Zz"


def world(db: Path) -> list[tuple]:
    """What a cockpit action would change: incidents, their state, queued updates, entries."""
    return [
        *query(db, "SELECT number, title, status, severity, ic_id FROM incident ORDER BY number"),
        *query(db, "SELECT id, state FROM statusupdate WHERE state != 'DRAFT' ORDER BY id"),
        *query(db, "SELECT id, text, key_event, deleted_at FROM timelineentry ORDER BY id"),
    ]


@pytest.fixture
def terminal(demo_db: Path) -> Iterator[Terminal]:
    with cockpit(demo_db) as opened:
        opened.wait_for("#44")
        yield opened


def assert_only_change(before: list[tuple], after: list[tuple], expected_new: int) -> None:
    gone = [row for row in before if row not in after]
    new = [row for row in after if row not in before]
    assert not gone, f"a cockpit action changed {gone}"
    assert len(new) == expected_new, f"more changed than the form's own write: {new}"


def assert_no_other_screen(terminal: Terminal) -> None:
    screen = terminal.wait_quiet()
    for other in ("ACROSS INCIDENTS", "Keys", "Slack outbox", "POST-MORTEM", "People and teams"):
        assert other not in screen, f"a cockpit key opened {other!r}"


def test_the_declare_form_takes_every_cockpit_key(demo_db: Path, terminal: Terminal) -> None:
    before = world(demo_db)
    terminal.send("D", COCKPIT_KEYS, CTRL_S)
    eventually(lambda: assert_title(demo_db, COCKPIT_KEYS.strip()))
    assert_no_other_screen(terminal)
    # The incident and its "declared" entry, nothing else.
    assert_only_change(before, world(demo_db), expected_new=2)


def assert_title(db: Path, title: str) -> None:
    assert query(db, "SELECT title FROM incident ORDER BY number DESC LIMIT 1") == [(title,)]


def test_the_note_line_takes_every_cockpit_key(demo_db: Path, terminal: Terminal) -> None:
    before = world(demo_db)
    terminal.send("n", COCKPIT_KEYS, ENTER, COCKPIT_KEYS, ENTER)
    eventually(lambda: assert_last_notes(demo_db, [COCKPIT_KEYS, COCKPIT_KEYS]))
    assert_no_other_screen(terminal)
    assert_only_change(before, world(demo_db), expected_new=2)


def assert_last_notes(db: Path, expected: list[str]) -> None:
    assert notes(db, 44)[-len(expected) :] == expected


def test_the_filter_takes_every_cockpit_key(demo_db: Path, terminal: Terminal) -> None:
    before = world(demo_db)
    terminal.send("/", COCKPIT_KEYS)
    terminal.wait_for(COCKPIT_KEYS.strip()[:20])
    assert_no_other_screen(terminal)
    assert world(demo_db) == before


def test_the_entry_editor_takes_every_cockpit_key(demo_db: Path, terminal: Terminal) -> None:
    before = world(demo_db)
    # enter opens the incident's timeline; e edits the entry under its cursor.
    terminal.send(ENTER, "e", COCKPIT_KEYS, CTRL_S)
    eventually(lambda: assert_an_entry_holds(demo_db, COCKPIT_KEYS))
    assert_no_other_screen(terminal)
    after = world(demo_db)
    changed = [row for row in before if row not in after]
    assert len(changed) == 1, f"more changed than the edited entry: {changed}"
    (edited,) = [row for row in after if row not in before]
    # Typed at the editor's cursor, all of it, in order; the rest of the text as it was.
    assert edited[0] == changed[0][0] and edited[1].replace(COCKPIT_KEYS, "", 1) == changed[0][1]


def assert_an_entry_holds(db: Path, typed: str) -> None:
    assert query(db, "SELECT count(*) FROM timelineentry WHERE text LIKE ?", f"%{typed.strip()}%") == [(1,)]


def test_the_composer_takes_every_cockpit_key(demo_db: Path, terminal: Terminal) -> None:
    before = world(demo_db)
    terminal.send("c", COCKPIT_KEYS)
    eventually(lambda: assert_draft_holds(demo_db, COCKPIT_KEYS))
    terminal.send(ESCAPE)
    assert_no_other_screen(terminal)
    assert world(demo_db) == before  # nothing sent, moved or marked: only the draft


def assert_draft_holds(db: Path, typed: str) -> None:
    drafts = query(db, "SELECT text FROM statusupdate WHERE state = 'DRAFT'")
    assert any(typed in text for (text,) in drafts), drafts


def test_escape_and_the_next_key_at_once_leave_the_form_then_act(demo_db: Path, terminal: Terminal) -> None:
    """Escape followed at once by a key reaches Textual as alt+key (a terminal sends alt
    that way): it typed a "v" into the update and stayed there. Now it leaves, then acts."""
    terminal.send("c", "Rolled back the deploy.")
    eventually(lambda: assert_draft_holds(demo_db, "Rolled back the deploy."))
    terminal.send(ESCAPE + "v")  # one write: escape, then v for the severity
    terminal.wait_for("severity SEV")
    terminal.send(ESCAPE)
    terminal.wait_quiet(0.3)
    eventually(lambda: assert_draft_holds(demo_db, "Rolled back the deploy."))
    drafts = query(demo_db, "SELECT text FROM statusupdate WHERE state = 'DRAFT'")
    assert not any("deploy.v" in text for (text,) in drafts), drafts
    terminal.send("n", "first look", ESCAPE + "D")  # the note line, then declare
    terminal.wait_for("Declare an incident")


def test_escape_a_key_and_an_arrow_in_one_read_close_the_line_then_choose(
    demo_db: Path, terminal: Terminal
) -> None:
    """Escape, `v` and down arriving in one read (a fast hand, or a loaded laptop that read
    the terminal late): Textual's parser made the escape a typed "^", so "^v" was saved as
    a note and the note line stayed open for the keys after it. Now the escape closes the
    line, `v` opens the severity, down and enter choose."""
    number = 44  # the incident selected when the cockpit opens

    def severity() -> str:
        return query(demo_db, "SELECT severity FROM incident WHERE number = ?", number)[0][0]

    def changed() -> None:
        assert severity() != before

    def noted(text: str) -> None:
        assert notes(demo_db, number)[-1:] == [text]

    before = severity()
    terminal.send("n", "first look", ENTER, ESCAPE + "v" + DOWN + ENTER)
    eventually(changed)
    noted("first look")
    assert not any("^" in text or text == "v" for text in notes(demo_db, number)), notes(demo_db, number)
    terminal.send("n", "after the severity", ENTER)
    eventually(lambda: noted("after the severity"))
