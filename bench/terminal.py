"""Run a measured child in a pseudo-terminal of a fixed size, and read what it measured.

The child's stdin, stdout and stderr are the terminal (Textual writes its frames to
stderr); this side reads and discards the output as a terminal emulator would, so the
child never blocks on a full buffer. The terminal's master end is also handed to the
child, which types its own keys into it: they reach the app through the real input
thread and key parser.
"""

from __future__ import annotations

import fcntl
import json
import os
import pty
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
COLUMNS, LINES = 120, 40


@dataclass
class ChildRun:
    started: float  # time.monotonic() just before the process was spawned
    result: dict[str, Any]

    def since_start(self, key: str) -> float:
        """Seconds from spawning the process to the moment recorded as ``key``."""
        return float(self.result[key]) - self.started


class ChildFailed(RuntimeError):
    pass


def child_env(pycache: Path | None = None) -> dict[str, str]:
    """The environment of a plain desk: no config file, no Slack token, a known terminal.

    Modules run from compiled bytecode, as they do once installed: with
    PYTHONDONTWRITEBYTECODE set (as in some development shells) every start would
    compile ictui's sources again. The bytecode goes to ``pycache``, not the checkout.
    """
    skipped = ("ICTUI_", "SLACK_", "TEXTUAL", "PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX", "NO_COLOR")
    # COLUMNS and LINES would override the pseudo-terminal's own size.
    env = {k: v for k, v in os.environ.items() if not k.startswith(skipped) and k not in ("COLUMNS", "LINES")}
    env.update(
        TERM="xterm-256color",
        COLORTERM="truecolor",
        ICTUI_CONFIG=str(Path(tempfile.gettempdir()) / "ictui-bench-no-config.toml"),
        ICTUI_USER="bench",
        PYTHONPATH=str(REPO),
    )
    if pycache is not None:
        env["PYTHONPYCACHEPREFIX"] = str(pycache)
    return env


PYCACHE = Path(tempfile.gettempdir()) / "ictui-bench-pycache"


def run_child(args: list[str], timeout: float = 300.0) -> ChildRun:
    """Run ``python -m bench.child ARGS`` in a fresh terminal; returns what it measured."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
    with tempfile.TemporaryDirectory(prefix="ictui-bench-") as folder:
        result_path = Path(folder) / "result.json"
        env = child_env(PYCACHE)
        env.update(BENCH_RESULT=str(result_path), BENCH_KEYS_FD=str(master))
        tail: list[bytes] = []
        drained = threading.Thread(target=_drain, args=(master, tail), daemon=True)
        drained.start()
        started = time.monotonic()
        process = subprocess.Popen(
            [sys.executable, "-m", "bench.child", *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            cwd=REPO,
            env=env,
            pass_fds=(master,),
            start_new_session=True,
        )
        os.close(slave)
        try:
            code = process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            raise ChildFailed(f"bench.child {' '.join(args)} took more than {timeout:.0f}s") from None
        finally:
            os.close(master)
            drained.join(timeout=2)
        if code != 0 or not result_path.exists():
            output = b"".join(tail).decode("utf-8", "replace")
            raise ChildFailed(f"bench.child {' '.join(args)} exited with {code}; it wrote:\n{output[-4000:]}")
        return ChildRun(started, json.loads(result_path.read_text(encoding="utf-8")))


def _drain(master: int, tail: list[bytes]) -> None:
    """Read the terminal's output until the child closes it; keep the end for errors."""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            return
        if not chunk:
            return
        tail.append(chunk)
        del tail[:-4]
