"""The import structure of src/ictui: the contracts of [tool.importlinter] in pyproject.toml
(layers, a pure domain, no sibling cycles) and no import cycle between any two modules.

CI runs only pytest, so the contracts are checked here; ``lint-imports`` in a checkout
with the test extras says the same.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[2]

# Cycles made only by imports for the type checker (app <-> screens, sending <-> cockpit)
# are left inside the cockpit that is being split into a package (issue 18, point 1);
# none may reach outside ictui.tui.
TUI = "ictui.tui."


def test_the_import_contracts_hold() -> None:
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint, "lint-imports is missing: install the test extras (pip install -e '.[test]')"
    run = subprocess.run([lint, "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr


def _cycles(graph: grimp.ImportGraph) -> set[tuple[str, ...]]:
    """One shortest cycle through each import that is part of one, as the modules on it."""
    found = set()
    for importer in sorted(graph.modules):
        for imported in graph.find_modules_directly_imported_by(importer):
            back = graph.find_shortest_chain(importer=imported, imported=importer)
            if back:
                found.add((importer, *back))
    return found


@pytest.fixture(scope="module")
def graphs() -> tuple[grimp.ImportGraph, grimp.ImportGraph]:
    return (
        grimp.build_graph("ictui", cache_dir=None, exclude_type_checking_imports=True),
        grimp.build_graph("ictui", cache_dir=None),
    )


def test_no_module_imports_itself_back_at_run_time(
    graphs: tuple[grimp.ImportGraph, grimp.ImportGraph],
) -> None:
    """Imports inside functions count: a cycle put off until a call is still a cycle."""
    running, _ = graphs
    assert sorted(_cycles(running)) == []


def test_no_import_cycles_for_the_type_checker_either(
    graphs: tuple[grimp.ImportGraph, grimp.ImportGraph],
) -> None:
    _, typed = graphs
    cycles = _cycles(typed)
    assert sorted(c for c in cycles if not all(m.startswith(TUI) for m in c)) == []


def test_the_cycle_search_finds_a_cycle() -> None:
    graph = grimp.ImportGraph()
    for name in ("pkg", "pkg.a", "pkg.b", "pkg.c"):
        graph.add_module(name)
    graph.add_import(importer="pkg.a", imported="pkg.b")
    graph.add_import(importer="pkg.b", imported="pkg.c")
    graph.add_import(importer="pkg.c", imported="pkg.a")
    assert ("pkg.a", "pkg.b", "pkg.c", "pkg.a") in _cycles(graph)
