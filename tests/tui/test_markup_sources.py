"""No text reaches Textual's markup parser unless ictui wrote it: read from the source.

Textual reads a plain ``str`` given to a Static, a Label, a Button, an option, a select's
prompt, a table cell, a border title or a tooltip as markup: a name like
``[@click=app.quit]`` would become an action, a stray ``[/]`` an error. Every such call in
``ictui.tui`` must pass a literal, or text through the display helpers of
``ictui.tui.shown`` (``shown`` draws it as it is; ``markup`` puts it into ictui's own
markup as ``$values``), or a Rich ``Text`` or a ``Content`` (which are never parsed).
Notifications are not listed: ``IctuiApp.notify`` makes every message plain text.

This test walks the syntax tree of every module and names each call that breaks the rule.
"""

from __future__ import annotations

import ast
from pathlib import Path

import ictui.tui

TUI = Path(ictui.tui.__file__).parent
# Calls whose positional arguments Textual (or Rich, for a table) reads as markup.
WIDGETS = {
    "Static",
    "Label",
    "Button",
    "Option",
    "Checkbox",
    "RadioButton",
    "Tab",
    "TabPane",
    "Collapsible",
    "Link",
    "Tooltip",
    "OptionList",
    "StopOptionList",
    "SelectionList",
}
METHODS = {"update", "add_option", "add_row", "add_column", "add_options", "set_options"}
LISTS = {"OptionList", "StopOptionList", "SelectionList"}
# Selects take (prompt, value) pairs: the prompt is read as markup.
SELECTS = {"Select"}
ATTRIBUTES = {"border_title", "border_subtitle", "tooltip"}
# The helpers of ictui.tui.shown, and the renderables that are never parsed.
SAFE_CALLS = {"shown", "Text", "Content", "Table", "markup", "Option", "Selection"}
# Parsing markup on purpose: only ictui's own, a literal template.
PARSERS = {"from_markup", "render_markup"}


def _name(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def safe(node: ast.AST | None, names: frozenset[str] = frozenset()) -> bool:
    """Whether ``node`` is text ictui wrote itself, or text made safe to draw. ``names``:
    the local variables every assignment of which, in the function, is safe."""
    if node is None or isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.Name):
        return node.id in names
    if isinstance(node, ast.JoinedStr):
        return all(isinstance(value, ast.Constant) for value in node.values)
    if isinstance(node, ast.Call):
        func = node.func
        if _name(func) in PARSERS:
            return False
        # Text.assemble(...), Table.grid(...): made by the classes that never parse.
        if (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and func.value.id in SAFE_CALLS
        ):
            return True
        if _name(func) == "markup":  # its template is read as markup: ictui's own only
            return bool(node.args) and _literal(node.args[0])
        return _name(func) in SAFE_CALLS
    if isinstance(node, ast.IfExp):
        return safe(node.body, names) and safe(node.orelse, names)
    if isinstance(node, ast.BinOp):
        return safe(node.left, names) and safe(node.right, names)
    if isinstance(node, ast.Starred):
        return safe(node.value, names)
    if isinstance(node, (ast.List, ast.Tuple)):
        return all(safe(element, names) for element in node.elts)
    if isinstance(node, (ast.ListComp, ast.GeneratorExp)):
        return safe(node.elt, names)
    return False


def _literal(node: ast.AST) -> bool:
    if isinstance(node, ast.BinOp):
        return _literal(node.left) and _literal(node.right)
    return isinstance(node, ast.Constant) or (
        isinstance(node, ast.JoinedStr) and all(isinstance(v, ast.Constant) for v in node.values)
    )


def _safe_names(function: ast.AST) -> frozenset[str]:
    """The local names of ``function`` whose every assignment is safe (a Text, a Table)."""
    values: dict[str, list[ast.AST | None]] = {}
    for node in ast.walk(function):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    values.setdefault(target.id, []).append(node.value)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            values.setdefault(node.target.id, []).append(node.value)
        elif isinstance(node, (ast.For, ast.comprehension, ast.With, ast.AugAssign, ast.NamedExpr)):
            for target in ast.walk(node.target if not isinstance(node, ast.With) else node):
                if isinstance(target, ast.Name) and isinstance(target.ctx, ast.Store):
                    values.setdefault(target.id, []).append(ast.Name("?"))  # never safe
        elif isinstance(node, ast.arguments):
            for arg in [*node.posonlyargs, *node.args, *node.kwonlyargs]:
                values.setdefault(arg.arg, []).append(ast.Name("?"))
    return frozenset(name for name, assigned in values.items() if all(safe(v) for v in assigned))


def _prompts(node: ast.AST) -> list[ast.AST]:
    """The prompts of a Select's options: the first item of each pair."""
    if isinstance(node, (ast.ListComp, ast.GeneratorExp)):
        node = node.elt
        return [node.elts[0]] if isinstance(node, ast.Tuple) and node.elts else [node]
    if isinstance(node, (ast.List, ast.Tuple)):
        return [e.elts[0] if isinstance(e, ast.Tuple) and e.elts else e for e in node.elts]
    return [node]


def unsafe_calls(source: str, filename: str) -> list[str]:
    found = []
    tree = ast.parse(source, filename)
    scopes = {}
    for function in ast.walk(tree):
        if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            names = _safe_names(function)
            for node in ast.walk(function):
                scopes[id(node)] = names
    for node in ast.walk(tree):
        names = scopes.get(id(node), frozenset())
        checked: list[ast.AST] = []
        if isinstance(node, ast.Call):
            name = _name(node.func)
            if name in PARSERS:
                if not all(isinstance(arg, ast.Constant) for arg in node.args[:1]):
                    found.append(f"{filename}:{node.lineno}: {ast.unparse(node)[:100]}")
                continue
            if name in WIDGETS or (name in METHODS and isinstance(node.func, ast.Attribute)):
                checked = list(node.args)
                if name in LISTS:  # a list of Options made elsewhere: each is checked where it is made
                    checked = [arg for arg in checked if not isinstance(arg, ast.Starred)]
                checked += [
                    k.value for k in node.keywords if k.arg in ("label", "title", "prompt", "tooltip")
                ]
            elif name in SELECTS and node.args:
                checked = _prompts(node.args[0])
                checked += [k.value for k in node.keywords if k.arg == "prompt"]
        elif isinstance(node, (ast.Assign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Attribute) and t.attr in ATTRIBUTES for t in targets):
                checked = [node.value]
        for arg in checked:
            if not safe(arg, names) and ast.unparse(arg) not in OURS:
                found.append(f"{filename}:{getattr(arg, 'lineno', node.lineno)}: {ast.unparse(arg)[:100]}")
    return found


# Markup ictui writes from its own words, reviewed: the cockpit's tab line (its labels
# are the literals "Timeline", "Triage", "Update").
OURS = {"tabs + '   [dim]tab switches[/]'"}


def test_every_text_given_to_a_markup_reading_api_is_a_literal_or_goes_through_the_helper() -> None:
    found = []
    for path in sorted(TUI.rglob("*.py")):
        if path.name == "shown.py":
            continue  # the helpers themselves
        found += unsafe_calls(path.read_text(encoding="utf-8"), str(path.relative_to(TUI.parent)))
    assert found == [], "text that Textual would read as markup:\n" + "\n".join(found)


def test_the_walk_finds_what_it_is_meant_to_find() -> None:
    """The rule itself, on the hole this test was written for and its safe forms."""
    bad = """
error.update(message)
yield Static(f"Edit {person.name}")
yield Select([(t.name, t.name) for t in teams])
box.border_title = title
Content.from_markup(text)
yield Label(note_label)
yield Static(markup(name))
"""
    good = """
error.update(shown(message))
yield Static(shown(f"Edit {person.name}"))
yield Select([(shown(t.name), t.name) for t in teams])
box.border_title = "Timeline"
Content.from_markup("[b]$name[/]", name=name)
yield Label("Name")
widget.update(Text(name, style="bold"))
yield Static(markup("[dim]$x[/]", x=x))

def labelled(name):
    label = Text()
    label.append(name)
    options.add_option(Option(label))
"""
    assert len(unsafe_calls(bad, "bad.py")) == 7
    assert unsafe_calls(good, "good.py") == []
