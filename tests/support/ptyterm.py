"""The installed ``ictui`` in a pseudo-terminal, as a person runs it.

Keys go into the terminal's input as bytes, all at once unless a test says otherwise
(machine speed: no pause for the app between them, unlike Pilot); the screen is what a
VT100-compatible terminal (pyte) shows after reading every byte ictui wrote. Other
processes (the CLI) run on the same database meanwhile.
"""

from __future__ import annotations

import os
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pyte
from ptyprocess import PtyProcess

from support.cli import INSTALLED as ICTUI
from support.cli import ictui

ENTER = "\r"
ESCAPE = "\x1b"
TAB = "\t"
BACKSPACE = "\x7f"
UP, DOWN = "\x1b[A", "\x1b[B"
CTRL_S = "\x13"
CTRL_Z = "\x1a"


# How long a wait lasts before it fails: long enough that only "never" fails it, on the
# slowest machine (how fast things happen is the benchmark's to measure, python -m bench).
NEVER_SECONDS = 30.0


def ctrl(letter: str) -> str:
    return chr(ord(letter.lower()) - ord("a") + 1)


def paste(text: str) -> str:
    """What a terminal sends for a paste once the app asked for bracketed paste."""
    return f"\x1b[200~{text}\x1b[201~"


def terminal_env(**extra: str) -> dict[str, str]:
    """The test's environment (conftest isolates it), as a terminal would have it."""
    # COLUMNS and LINES would override the pseudo-terminal's own size (pytest-xdist's
    # workers have them set to 80 and 24).
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TEXTUAL", "PYTEST")) and k not in ("COLUMNS", "LINES")
    }
    env.update(TERM="xterm-256color", COLORTERM="truecolor", LANG="C.UTF-8", **extra)
    return env


class Terminal:
    def __init__(
        self, args: list[str], *, columns: int = 120, lines: int = 40, env: dict[str, str] | None = None
    ):
        self.screen = pyte.Screen(columns, lines)
        self._stream = pyte.ByteStream(self.screen)
        self._changed = threading.Condition()
        self._output = 0
        self.process = PtyProcess.spawn(
            [ICTUI, *args], env=env or terminal_env(), dimensions=(lines, columns)
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                data = self.process.read(65536)
            except EOFError:
                break
            with self._changed:
                self._stream.feed(data)
                self._output += len(data)
                self._changed.notify_all()
        with self._changed:
            self._changed.notify_all()

    # ------------------------------------------------------------------ input

    def send(self, *keys: str) -> None:
        """Every key at once, as fast as the terminal takes them."""
        self.process.write("".join(keys).encode("utf-8"))

    def type(self, text: str, interval: float) -> None:
        """One key at a time, ``interval`` seconds apart (a person typing)."""
        for key in text:
            self.send(key)
            time.sleep(interval)

    # ------------------------------------------------------------------ the screen

    def text(self) -> str:
        with self._changed:
            return "\n".join(line.rstrip() for line in self.screen.display)

    def wait_for(self, what: str | Callable[[str], bool], timeout: float = NEVER_SECONDS) -> str:
        """The screen once it shows ``what`` (a text, or a test of the whole screen). The
        timeout is a deadline for "never", not a speed: no test asserts one."""
        test = (lambda screen: what in screen) if isinstance(what, str) else what
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                screen = "\n".join(line.rstrip() for line in self.screen.display)
                if test(screen):
                    return screen
                if not self.process.isalive() and not self._reader.is_alive():
                    raise AssertionError(f"ictui ended (waiting for {what!r}); the screen:\n{screen}")
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"not on screen within {timeout}s: {what!r}; the screen:\n{screen}")
                self._changed.wait(min(left, 0.05))

    def wait_quiet(self, seconds: float = 0.3, timeout: float = 10.0) -> str:
        """The screen once ictui has written nothing for ``seconds``."""
        deadline = time.monotonic() + timeout
        with self._changed:
            last = self._output
            quiet_since = time.monotonic()
            while time.monotonic() < deadline:
                self._changed.wait(0.05)
                if self._output != last:
                    last, quiet_since = self._output, time.monotonic()
                elif time.monotonic() - quiet_since >= seconds:
                    break
        return self.text()

    def close(self) -> None:
        if self.process.isalive():
            self.process.terminate(force=True)
        self._reader.join(timeout=5)


@contextmanager
def cockpit(
    db: Path, *, columns: int = 120, lines: int = 40, env: dict[str, str] | None = None
) -> Iterator[Terminal]:
    """The cockpit on ``db``, once its list is on screen."""
    terminal = Terminal(["--db", str(db)], columns=columns, lines=lines, env=env)
    try:
        terminal.wait_for(
            lambda screen: "active" in screen and "#" in screen and "opening the database" not in screen, 20
        )
        yield terminal
    finally:
        terminal.close()


def cli(db: Path, *args: str, env: dict[str, str] | None = None) -> str:
    """``ictui --db DB ARGS`` in another shell: its output; fails the test on a non-zero exit."""
    done = ictui(env or terminal_env(), db, *args, installed=True)
    assert done.returncode == 0, f"ictui {' '.join(args)}: {done.stderr}"
    return done.stdout


def query(db: Path, sql: str, *parameters: object) -> list[tuple]:
    """What the database holds, read the way any SQLite client would."""
    connection = sqlite3.connect(db)
    try:
        return connection.execute(sql, parameters).fetchall()
    finally:
        connection.close()


def notes(db: Path, number: int) -> list[str]:
    """The notes of incident ``number``, oldest first."""
    return [
        text
        for (text,) in query(
            db,
            "SELECT e.text FROM timelineentry e JOIN incident i ON i.id = e.incident_id "
            "WHERE i.number = ? AND e.kind = 'NOTE' AND e.deleted_at IS NULL ORDER BY e.occurred_at, e.id",
            number,
        )
    ]


def eventually(check: Callable[[], object], timeout: float = NEVER_SECONDS) -> None:
    """``check`` passes, in the end (the database catches up with what was typed); the
    timeout is a deadline for "never", not a speed."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            check()
            return
        except AssertionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text)
