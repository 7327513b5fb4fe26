"""One database, never split: several processes on one file, as an IC works.

A long-lived process holds the store as the cockpit does (the fast note path first, then
the full store, then Slack delivery), CLI processes come and go beside it, and a second
long-lived one joins. After every step: the WAL is still in place while any of them is
open, every process sees every other's writes, and the file is sound.

It guards against the split that a plain ``open()`` of the database file caused: closing
any descriptor on the file drops all of the process's SQLite locks, so the next CLI
process to exit believed it was the last, checkpointed, and deleted the WAL under the
cockpit's connections (tests/store_child.py holds the store the same way).
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from support import TESTS
from support.cli import ictui

SUPPORT = TESTS / "support"


class LongLived:
    """A process holding the store the cockpit's way, driven one command at a time."""

    def __init__(self, db: Path, env: dict[str, str]) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(SUPPORT / "store_child.py"), str(db)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )

    def __call__(self, op: str, **arguments: object) -> object:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps({"op": op, **arguments}) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        assert line, f"the child ended: {self.process.stderr.read() if self.process.stderr else ''}"
        answer = json.loads(line)
        assert "error" not in answer, f"{op}: {answer['error']}"
        return answer["ok"]

    def quit(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps({"op": "quit"}) + "\n")
        self.process.stdin.flush()
        assert self.process.wait(timeout=30) == 0


@pytest.mark.slow
def test_processes_that_come_and_go_never_split_the_database(tmp_path, fake_slack, monkeypatch) -> None:
    db = tmp_path / "team.db"
    monkeypatch.setenv("SLACK_BOT_TOKEN", fake_slack.token)
    monkeypatch.setenv("SLACK_API_URL", fake_slack.url)
    monkeypatch.setenv("ICTUI_BROADCAST_CHANNEL", "#rnd")
    import os

    env = dict(os.environ)
    cli_env = {k: v for k, v in env.items() if k != "SLACK_BOT_TOKEN"}  # the CLI sends nothing

    def cli(*args: str) -> str:
        done = ictui(cli_env, db, *args)
        assert done.returncode == 0, done.stderr
        return done.stdout

    cli("seed", "--demo")
    written: list[str] = []
    live: list[LongLived] = []

    def check(step: str) -> None:
        # The WAL stays while anyone holds the file: a process that thinks it is the
        # last one deletes it under the others.
        assert (tmp_path / "team.db-wal").exists(), f"after {step}: the WAL was deleted under a live process"
        for process in live:
            seen = set(process("texts"))
            missing = [text for text in written if text not in seen]
            assert not missing, f"after {step}: a live process does not see {missing}"
        connection = sqlite3.connect(db)
        try:
            assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok", step
            texts = {row[0] for row in connection.execute("SELECT text FROM timelineentry")}
            texts |= {row[0] for row in connection.execute("SELECT title FROM incident")}
        finally:
            connection.close()
        assert not [text for text in written if text not in texts], f"after {step}: lost from the file"

    first = LongLived(db, env)
    live.append(first)
    first("note", number=41, text="A fast note 1")
    written.append("A fast note 1")
    check("a fast-path note")
    cli("note", "41", "CLI note 1")
    written.append("CLI note 1")
    check("a CLI note")
    # The first write that needs the whole store opens it beside the fast path's connections.
    declared = first("declare", title="A declared from the full store")
    written.append("A declared from the full store")
    check("a declaration")
    cli("list")
    check("a CLI list")
    cli("note", "41", "CLI note 2")
    written.append("CLI note 2")
    check("a second CLI note")
    first("note", number=41, text="A fast note 2")
    written.append("A fast note 2")
    check("a fast-path note after the full store")

    second = LongLived(db, env)
    live.append(second)
    check("a second process joined")
    second("severity", number=41, severity="SEV1")
    second("note", number=41, text="B note 1")
    written.append("B note 1")
    check("the second process's writes")

    first("update", number=declared, text="A update 1")
    delivered = first("deliver")
    assert delivered["delivered"] >= 1  # type: ignore[index]
    posted = [m["text"] for c in list(fake_slack.channels) for m in fake_slack.messages(c)]
    assert any("A update 1" in text for text in posted), "the update did not reach Slack"
    check("a Slack delivery")
    cli("note", "41", "CLI note 3")
    written.append("CLI note 3")
    cli("show", "41")
    check("CLI processes after the delivery")
    first("note", number=41, text="A fast note 3")
    second("note", number=41, text="B note 2")
    written += ["A fast note 3", "B note 2"]
    check("both long-lived processes")

    first.quit()
    live.remove(first)
    cli("note", "41", "CLI note 4")
    written.append("CLI note 4")
    check("the first process quit")
    second.quit()
    live.clear()
    assert cli("show", "41").count("note") >= 1
