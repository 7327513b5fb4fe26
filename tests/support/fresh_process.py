"""A script run by a new Python, as a cockpit starting afresh: nothing loaded but what the
script itself imports."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any


def fresh_process(script: str, database: Path | str) -> Any:
    """``script`` run by a new Python on ``database``: the JSON its last line prints (what
    it loaded is its own, as a cockpit starting afresh)."""
    run = subprocess.run(
        [sys.executable, "-c", script, str(database)], capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout.strip().splitlines()[-1])
