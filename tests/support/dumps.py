"""Databases as earlier versions of ictui left them: SQL dumps, one per schema version."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from support import FIXTURES

DUMPS = sorted(FIXTURES.glob("schema_v*.sql"), key=lambda p: int(re.findall(r"\d+", p.name)[0]))


def load_dump(dump: Path, path: Path) -> Path:
    connection = sqlite3.connect(path)
    connection.executescript(dump.read_text(encoding="utf-8"))
    connection.close()
    return path
