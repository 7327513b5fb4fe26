"""How the modules of ictui.tui import each other: screens never import the app (they
talk to it through ictui.tui.messages), not even for type checking, and no two modules
import each other in a circle when run (imports inside functions count; imports for type
checking only do not: the cockpit's parts name the screen they are mixed into)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import ictui.tui

TUI = Path(ictui.tui.__file__).parent


def _module(path: Path) -> str:
    parts = ("ictui", "tui", *path.relative_to(TUI).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _type_checking_only(tree: ast.Module) -> set[ast.AST]:
    return {
        inner
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
        for statement in node.body
        for inner in ast.walk(statement)
    }


def _imports(*, typing: bool = True) -> dict[str, set[str]]:
    modules = {_module(path): path for path in TUI.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        found: set[str] = set()
        tree = ast.parse(path.read_text())
        skipped = set() if typing else _type_checking_only(tree)
        for node in ast.walk(tree):
            if node in skipped:
                continue
            if isinstance(node, ast.ImportFrom) and node.module:
                targets = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
            elif isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                continue
            found.update(target for target in targets if target in modules and target != name)
        graph[name] = found
    return graph


def test_screens_do_not_import_the_app() -> None:
    graph = _imports()
    offenders = sorted(
        name
        for name, imported in graph.items()
        if name.startswith("ictui.tui.screens") and "ictui.tui.app" in imported
    )
    assert offenders == [], f"screens importing ictui.tui.app: {offenders}"


def test_no_import_cycles_within_tui() -> None:
    graph = _imports(typing=False)
    cycles: list[list[str]] = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(name: str) -> None:
        state[name] = 1
        stack.append(name)
        for target in sorted(graph[name]):
            if state.get(target) == 1:
                cycles.append(stack[stack.index(target) :] + [target])
            elif target not in state:
                visit(target)
        stack.pop()
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name)
    assert cycles == [], "import cycles within ictui.tui:\n" + "\n".join(" -> ".join(c) for c in cycles)


def test_one_worker_style() -> None:
    """Work in threads goes through ictui.tui.calls.call_in_thread, and nothing else starts
    a worker (no @work, no run_worker)."""
    pattern = re.compile(r"@work\b|\brun_worker\(|from textual import[^\n]*\bwork\b")
    found = [
        f"{path.relative_to(TUI)}:{number}: {line.strip()}"
        for path in sorted(TUI.rglob("*.py"))
        if path.name != "calls.py"
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if pattern.search(line.partition("#")[0])
    ]
    assert found == [], "workers started outside tui/calls.py:\n" + "\n".join(found)
