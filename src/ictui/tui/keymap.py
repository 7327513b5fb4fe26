"""Every key of the cockpit in one place, read from the widgets that own them.

The help screen and the command palette both list what this module finds, so that a
binding added to a widget shows up in both without being written twice.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from textual.app import App
from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widget import Widget


@dataclass(frozen=True)
class KeyAction:
    section: str
    key: str
    description: str
    action: str
    node: App[Any] | Widget  # what runs the action


def _display(binding: Binding) -> str:
    if binding.key_display:
        return binding.key_display
    return " / ".join(part.strip() for part in binding.key.split(","))


def key_actions(screen: Screen) -> Iterator[KeyAction]:
    """The described bindings of the app, the screen, and each widget on it that has any.

    Widgets are visited in DOM order and each widget class once, so that the list reads
    like the screen: list, timeline, triage, composer.
    """
    seen: set[type] = set()
    app = screen.app
    nodes: list[tuple[str, App[Any] | Widget]] = [("General", app), (_section(screen), screen)]
    for widget in screen.walk_children(Widget, with_self=False):
        if type(widget) in seen or not _own_bindings(widget):
            continue
        seen.add(type(widget))
        nodes.append((_section(widget), widget))
    for section, node in nodes:
        for binding in _own_bindings(node):
            if binding.description:
                yield KeyAction(section, _display(binding), binding.description, binding.action, node)


def _own_bindings(node: DOMNode) -> list[Binding]:
    """Bindings declared by the node's own classes, not Textual's built-in ones."""
    bindings: list[Binding] = []
    for cls in type(node).__mro__:
        if cls.__module__.startswith("textual."):
            continue
        for item in cls.__dict__.get("BINDINGS", []):
            if isinstance(item, Binding):
                bindings.append(item)
    return bindings


def _section(node: DOMNode) -> str:
    names = {
        "CockpitScreen": "Cockpit",
        "IncidentList": "Incident list",
        "TimelineView": "Timeline",
        "TimelinePane": "Timeline",
        "NoteInput": "Note line",
        "TriagePane": "Triage checklist",
        "Composer": "Update composer",
    }
    name = type(node).__name__
    return names.get(name, name.replace("Screen", "").strip() or name)
