"""The private Textual names ictui uses: each still there, as it was written against.

An upgrade of Textual that renames, removes or changes the signature of one of them
fails here, naming it (and what uses it in ictui.tui.textual_compat). Nothing outside
that module may use a private Textual name.
"""

from __future__ import annotations

import importlib
import inspect
import re
import time
from pathlib import Path

import pytest

import ictui.tui
from ictui.tui import textual_compat
from ictui.tui.textual_compat import PRIVATE_NAMES, PrivateName

TUI = Path(ictui.tui.__file__).parent
ROOT = Path(__file__).resolve().parents[2]
ARCHITECTURE = ROOT / "docs" / "architecture.md"


def _resolve(where: str) -> object:
    module_name, _, path = where.partition(":")
    target: object = importlib.import_module(module_name)
    for part in path.split("."):
        target = getattr(target, part)
    return target


@pytest.mark.parametrize("name", PRIVATE_NAMES, ids=lambda name: name.where)
def test_each_private_name_is_as_ictui_expects(name: PrivateName) -> None:
    _, _, attribute = name.where.rpartition(".")
    if name.instance_of is not None:
        cls = _resolve(name.instance_of)
        instance = cls()  # type: ignore[operator]
        assert hasattr(instance, attribute), (
            f"Textual's {name.where} is gone (used by textual_compat.{name.used_by})"
        )
        return
    try:
        target = _resolve(name.where)
    except (ImportError, AttributeError) as exc:
        pytest.fail(f"Textual's {name.where} is gone (used by textual_compat.{name.used_by}): {exc}")
    if name.signature is not None:
        found = str(inspect.signature(target))  # type: ignore[arg-type]
        assert found == name.signature, (
            f"Textual's {name.where} changed (used by textual_compat.{name.used_by}):\n"
            f"  expected {name.signature}\n  found    {found}"
        )


def test_the_private_names_are_used_nowhere_else() -> None:
    """Not in ictui, and not in its tests or benchmark either."""
    attributes = {name.where.rpartition(".")[2] for name in PRIVATE_NAMES}
    private = sorted(a for a in attributes if a.startswith("_") and not a.startswith("__"))
    public_of_private = sorted(a for a in attributes if not a.startswith("_"))
    pattern = re.compile(
        r"from textual\._|import textual\._|\.(" + "|".join(map(re.escape, private)) + r")\b"
    )
    # In ictui itself the public methods of private classes count too.
    in_tui = re.compile(pattern.pattern + r"|\.(" + "|".join(map(re.escape, public_of_private)) + r")\(")
    files = [(path, in_tui) for path in sorted(TUI.rglob("*.py"))]
    files += [
        (path, pattern)
        for folder in (ROOT / "tests", ROOT / "bench")
        for path in sorted(folder.rglob("*.py"))
    ]
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path, looked_for in files
        if path.name not in ("textual_compat.py", "test_textual_compat.py")
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if looked_for.search(line.partition("#")[0])  # code, not what a comment says
    ]
    assert not found, "private Textual names outside tui/textual_compat.py:\n" + "\n".join(found)


def test_the_architecture_page_lists_every_private_name() -> None:
    page = ARCHITECTURE.read_text(encoding="utf-8")
    listed = {name.where.partition(":")[2].removesuffix(".__init__") for name in PRIVATE_NAMES}
    missing = [name for name in sorted(listed) if f"`{name}`" not in page]
    assert not missing, f"docs/architecture.md does not list: {', '.join(missing)}"


def test_the_hooks_are_called_by_textual() -> None:
    """The hooks the compat classes offer still run (a renamed private method would
    leave them overriding nothing)."""
    for cls, private in (
        (textual_compat.InputValueHook, "_watch_value"),
        (textual_compat.TextAreaSizeHook, "_refresh_size"),
    ):
        base = cls.__mro__[1]
        assert private in base.__dict__, (
            f"Textual's {base.__name__}.{private} is gone (used by {cls.__name__})"
        )


@pytest.mark.parametrize(
    ("typed", "keys"),
    [
        # Escape, a key and an arrow in one read: escape (as alt, which the type-ahead
        # splits back into escape and the key), the key, the arrow; Textual alone gives "^".
        ("\x1bv\x1b[B\r", ["alt+v", "down", "enter"]),
        ("note\r\x1bD\x1b[A", ["n", "o", "t", "e", "enter", "alt+shift+d", "up"]),
        # What Textual already reads right stays as it was.
        ("\x1b\x1b", ["escape", "escape"]),
        ("\x1b[B\x1b[A", ["down", "up"]),
        ("^v", ["circumflex_accent", "v"]),
        ("\x1bv", ["alt+v"]),
    ],
)
def test_escape_then_a_key_then_an_escape_sequence_is_never_a_typed_caret(
    typed: str, keys: list[str]
) -> None:
    parser = textual_compat.EscapeKeepingParser()
    events = list(parser.feed(typed))
    time.sleep(0.2)  # past Textual's escape delay: what the parser still holds comes out
    events += list(parser.tick())
    assert [event.key for event in events] == keys  # type: ignore[attr-defined]


def test_the_terminal_driver_reads_keys_with_the_escape_keeping_parser() -> None:
    from textual.drivers import linux_driver

    from ictui.config import load_settings
    from ictui.tui.app import IctuiApp

    IctuiApp(lambda: None, load_settings())  # type: ignore[arg-type,return-value]  # never run
    assert linux_driver.XTermParser is textual_compat.EscapeKeepingParser
