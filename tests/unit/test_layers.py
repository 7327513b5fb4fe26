"""The layers stay apart: scripts and the Slack gateway run without Textual, and SQL stays
in the store (teams will move to PostgreSQL by changing ictui.store alone)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import ictui

SOURCE = Path(ictui.__file__).parent
HEADLESS_PACKAGES = ("ictui.domain", "ictui.store", "ictui.slack")
HEADLESS_MODULES = ("ictui.cli.incidents",)

# Imports every headless module in turn and names the first one that brings Textual in.
_PROBE = """
import importlib, json, pkgutil, sys
names = []
for package in {packages!r}:
    try:
        module = importlib.import_module(package)
    except ModuleNotFoundError:
        continue  # a layer not written yet
    names.append(package)
    names += sorted(m.name for m in pkgutil.walk_packages(module.__path__, package + "."))
names += list({modules!r})
culprits = []
for name in names:
    importlib.import_module(name)
    if "textual" in sys.modules and not culprits:
        culprits.append(name)
print(json.dumps({{"imported": names, "textual_by": culprits}}))
"""


def test_headless_modules_do_not_import_textual() -> None:
    probe = _PROBE.format(packages=HEADLESS_PACKAGES, modules=HEADLESS_MODULES)
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    assert {"ictui.domain.triage", "ictui.store.api", "ictui.cli.incidents"} <= set(report["imported"])
    assert report["textual_by"] == [], f"{report['textual_by'][0]} imports textual"


_DB_IMPORT = re.compile(r"^\s*(?:import|from)\s+(sqlalchemy|sqlmodel)\b", re.MULTILINE)


def test_only_the_store_imports_sqlalchemy_or_sqlmodel() -> None:
    offenders = []
    for path in sorted(SOURCE.rglob("*.py")):
        if (SOURCE / "store") in path.parents:
            continue
        for match in _DB_IMPORT.finditer(path.read_text(encoding="utf-8")):
            line = path.read_text(encoding="utf-8")[: match.start()].count("\n") + 1
            offenders.append(f"{path.relative_to(SOURCE.parent)}:{line} imports {match[1]}")
    assert offenders == []


def test_the_scan_would_see_an_import_inside_a_function() -> None:
    """The pattern finds indented (lazy) imports too, so the check above can fail."""
    assert _DB_IMPORT.search("def f():\n    from sqlalchemy import select\n")
    assert _DB_IMPORT.search("import sqlmodel\n")
    assert not _DB_IMPORT.search("# see sqlalchemy docs\nimport sqlite3\n")
