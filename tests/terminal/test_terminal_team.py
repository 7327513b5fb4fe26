"""The installed ``ictui`` on a PostgreSQL server in a pseudo-terminal (team mode, issue 19):
the cockpit opens on the server, and a write from another shell shows on its screen."""

from __future__ import annotations

import time

import pytest

from support.ptyterm import Terminal, cli, terminal_env

# The slow tier: the installed ictui in a pseudo-terminal.
pytestmark = pytest.mark.slow


def test_the_cockpit_on_a_server_shows_another_shells_write(pg_url: str) -> None:
    env = terminal_env(ICTUI_DB=pg_url)
    cli(pg_url, "declare", "Checkout returns 500s", env=env)  # type: ignore[arg-type]
    terminal = Terminal([], env=env)
    try:
        terminal.wait_for("Checkout returns 500s", 30)
        terminal.wait_quiet()
        cli(pg_url, "declare", "Login page returns 502", env=env)  # type: ignore[arg-type]
        # Live: shown by itself, no key pressed (LISTEN/NOTIFY); the deadline is for "never".
        terminal.wait_for("#2  SEV3", 30)  # the title is cut to the column's width
        # Notes typed at machine speed, one after the other, all land on the server.
        # (the note line stays open for the next one after enter)
        terminal.send("n", "rolled back the CDN config", "\r", "error rate back to normal", "\r")
        terminal.wait_for("error rate back to normal")
        shown = cli(pg_url, "show", "1", env=env)  # type: ignore[arg-type]  (the one selected)
        assert "rolled back the CDN config" in shown and "error rate back to normal" in shown
        time.sleep(0.15)
        terminal.send("\x1b")  # out of the note line (alone: escape then q would be alt+q)
        time.sleep(0.15)
        terminal.send("q")
        deadline = time.monotonic() + 10
        while terminal.process.isalive() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not terminal.process.isalive()
    finally:
        terminal.close()


def test_a_cockpit_on_a_server_that_cannot_be_reached_ends_in_one_line() -> None:
    """The cockpit paints, tries the server, and ends: exit code 2, one line, no file."""
    url = "postgresql://ictui@127.0.0.1:1/ictui"
    terminal = Terminal(["--db", url])
    try:
        deadline = time.monotonic() + 30
        while terminal.process.isalive() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not terminal.process.isalive()
        terminal.process.wait()
        assert terminal.process.exitstatus == 2
        # (pyte keeps the cockpit's last frame: it has no alternate screen to leave)
        screen = terminal.wait_for(
            "cannot reach the PostgreSQL server at postgresql+psycopg://ictui@127.0.0.1:1/ictui"
        )
        assert "Traceback" not in screen
        assert "No incidents yet" not in screen  # while it tried, the list said it was reading
    finally:
        terminal.close()
