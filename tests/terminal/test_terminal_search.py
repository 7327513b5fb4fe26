"""Search everything from the installed cockpit in a pseudo-terminal: a note written by
another shell is found by one of its words, and Enter opens its incident."""

from __future__ import annotations

from pathlib import Path

import pytest

from support.ptyterm import DOWN, ENTER, ESCAPE, cli, cockpit, ctrl

# The slow tier: the installed ictui in a pseudo-terminal.
pytestmark = pytest.mark.slow


def test_ctrl_f_finds_another_shells_note_and_opens_its_incident(demo_db: Path) -> None:
    cli(demo_db, "note", "36", "Restarted the zebracorn replica; lag back under a second")
    assert "#36" in cli(demo_db, "search", "zebracorn")
    with cockpit(demo_db) as terminal:
        terminal.send(ctrl("f"))
        terminal.wait_for("SEARCH")
        terminal.send("zebra replica")
        screen = terminal.wait_for("Restarted the zebracorn replica", timeout=30)
        assert "#36" in screen and "1 incident" in screen

        # Punctuation and operators are text: no error, nothing found, the screen still answers.
        terminal.send(ctrl("u"), '"NEAR(* AND')
        terminal.wait_for("No incident holds", timeout=30)
        terminal.send(ctrl("u"), "zebracorn")
        terminal.wait_for("Restarted the zebracorn replica", timeout=30)
        terminal.send(DOWN, ENTER)
        terminal.wait_for(lambda text: "▕ #36 " in text and "SEARCH" not in text, timeout=30)
        terminal.send(ESCAPE)
