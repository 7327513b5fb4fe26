"""The installed ``ictui`` on a PostgreSQL server in a pseudo-terminal (team mode, issue 19):
the cockpit opens on the server, and a write from another shell shows on its screen."""

from __future__ import annotations

import time

from support.ptyterm import Terminal, cli, terminal_env


def test_the_cockpit_on_a_server_shows_another_shells_write(pg_url: str) -> None:
    env = terminal_env(ICTUI_DB=pg_url)
    cli(pg_url, "declare", "Checkout returns 500s", env=env)  # type: ignore[arg-type]
    terminal = Terminal([], env=env)
    try:
        terminal.wait_for("Checkout returns 500s", 30)
        terminal.wait_quiet()
        cli(pg_url, "declare", "Login page returns 502", env=env)  # type: ignore[arg-type]
        written = time.monotonic()
        terminal.wait_for("#2  SEV3", 5)  # the title is cut to the column's width
        # Live: within a second of the other shell's commit (LISTEN/NOTIFY), with the
        # screen's own repaint; allowed twice that on a loaded machine.
        assert time.monotonic() - written < 2.0
        terminal.send("q")
        deadline = time.monotonic() + 10
        while terminal.process.isalive() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not terminal.process.isalive()
    finally:
        terminal.close()
