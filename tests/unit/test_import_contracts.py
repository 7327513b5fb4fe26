"""The import rules of src/ictui, in one place: the contracts of [tool.importlinter] in
pyproject.toml (the layers, what each layer may not import, no cycles between sibling
modules, imports for the type checker included), run by import-linter; and, beside them,
the one kind of cycle import-linter cannot see.

``lint-imports`` in a checkout with the test extras says the same as the first test.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[2]


def test_the_import_contracts_hold() -> None:
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint, "lint-imports is missing: install the test extras (pip install -e '.[test]')"
    run = subprocess.run([lint, "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr


def _packages_imported_back(graph: grimp.ImportGraph) -> set[tuple[str, ...]]:
    """The cycles through a package's own ``__init__``, as the modules on each.

    The acyclic_siblings contract compares the children of each package, so a package that
    imports a module which imports the package back is no cycle to it.
    """
    found = set()
    for package in sorted(m for m in graph.modules if graph.find_children(m)):
        for imported in sorted(graph.find_modules_directly_imported_by(package)):
            back = graph.find_shortest_chain(importer=imported, imported=package)
            if back:
                found.add((package, *back))
    return found


def test_no_package_is_imported_back_by_what_it_imports() -> None:
    """Imports inside functions and for the type checker count, as in the contracts; so do
    the contracts' named exceptions (ignore_imports), which are left out here too."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    graph = grimp.build_graph("ictui", cache_dir=None, exclude_type_checking_imports=False)
    for contract in config["contracts"]:
        for ignored in contract.get("ignore_imports", []):
            importer, _, imported = ignored.partition(" -> ")
            graph.remove_import(importer=importer, imported=imported)
    assert sorted(_packages_imported_back(graph)) == []


def test_the_search_finds_a_package_imported_back() -> None:
    graph = grimp.ImportGraph()
    for name in ("pkg", "pkg.sub", "pkg.sub.a", "pkg.sub.b"):
        graph.add_module(name)
    graph.add_import(importer="pkg.sub", imported="pkg.sub.b")
    graph.add_import(importer="pkg.sub.b", imported="pkg.sub.a")
    assert _packages_imported_back(graph) == set()
    graph.add_import(importer="pkg.sub.a", imported="pkg.sub")  # ``from pkg.sub import x`` in a
    assert _packages_imported_back(graph) == {("pkg.sub", "pkg.sub.b", "pkg.sub.a", "pkg.sub")}
