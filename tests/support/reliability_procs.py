"""Child processes for the reliability tests: started, read line by line, killed.

A reader thread drains each child's stdout as it comes, so that a fast writer never
blocks on a full pipe, and so that every line printed before a SIGKILL is kept.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

SUPPORT = Path(__file__).parent
CHILD = SUPPORT / "reliability_child.py"


def child_env(**extra: str) -> dict[str, str]:
    """The test's environment (isolated by conftest's fixture) and what the test adds."""
    return {**os.environ, **extra}


@dataclass
class Child:
    process: subprocess.Popen[str]
    lines: list[str] = field(default_factory=list)
    _new_line: threading.Condition = field(default_factory=threading.Condition)
    _reader: threading.Thread | None = None
    _stderr: str | None = None

    @classmethod
    def start(cls, args: list[str], env: dict[str, str], *, stdin: bool = False) -> Child:
        process = subprocess.Popen(
            args,
            stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        child = cls(process)
        child._reader = threading.Thread(target=child._read, daemon=True)
        child._reader.start()
        return child

    @classmethod
    def writer(cls, db: Path, number: int, tag: str, *options: str, env: dict[str, str]) -> Child:
        command = [sys.executable, str(CHILD), str(db), str(number), tag, *options]
        return cls.start(command, env, stdin="--wait-go" in options)

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            with self._new_line:
                self.lines.append(line.rstrip("\n") if line.endswith("\n") else "")
                self._new_line.notify_all()
        with self._new_line:
            self._new_line.notify_all()

    def wait_for_line(self, prefix: str, timeout: float = 60.0) -> str:
        """The first line the child printed that starts with ``prefix``, waiting for it."""
        deadline = time.monotonic() + timeout
        with self._new_line:
            while True:
                found = next((line for line in self.lines if line.startswith(prefix)), None)
                if found is not None:
                    return found
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise AssertionError(f"no {prefix!r} line from the child; stderr: {self.stderr()}")
                self._new_line.wait(0.1)

    def wait_for_acks(self, count: int, timeout: float = 60.0) -> None:
        """Wait until the child has reported ``count`` writes done (or has ended)."""
        deadline = time.monotonic() + timeout
        with self._new_line:
            while len(self.acks()) < count:
                if time.monotonic() > deadline:
                    raise AssertionError(f"the child reported {len(self.acks())} of {count} writes")
                if self.process.poll() is not None:
                    return
                self._new_line.wait(0.1)

    def send(self, line: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.finish()

    def finish(self, timeout: float = 60.0) -> int:
        code = self.process.wait(timeout)
        if self._reader is not None:
            self._reader.join(timeout)
        return code

    def stderr(self) -> str:
        """What the child wrote on stderr, once it has ended ("" before)."""
        if self._stderr is None and self.process.poll() is not None and self.process.stderr is not None:
            self._stderr = self.process.stderr.read()
        return self._stderr or ""

    def acks(self) -> list[tuple[str, int, int, float]]:
        """(kind, index, id, time) of each write the child reported done."""
        found = []
        for line in self.lines:
            parts = line.split()
            if parts[:1] == ["ack"] and len(parts) == 5:
                found.append((parts[1], int(parts[2]), int(parts[3]), float(parts[4])))
        return found

    def seen(self) -> list[tuple[float, str]]:
        """(time, text) of each of the others' writes this child's watcher saw."""
        found = []
        for line in self.lines:
            if line.startswith("seen "):
                _, at, text = line.split(" ", 2)
                found.append((float(at), text))
        return found
