"""The keys of the focused pane, drawn as one line by one widget.

Textual's footer is a container of one widget per key, rebuilt (removed, mounted, styled,
laid out) whenever the bindings change, that is on every focus change. In the cockpit
that was twenty widgets a pane switch, tens of milliseconds of the event loop, and some
3,000 objects of garbage that only a full collection frees (each key's styles are worked
out through a DOM node per component class). One widget that draws the same line costs
a repaint: it lays nothing out and leaves no garbage.

It looks and acts as Textual's: the keys in binding order, a group's keys together under
the group's name, disabled keys dimmed, the command palette's key on the right; a click
on a key presses it; hovering shows its tooltip. Keys that do not fit are left out whole,
not cut mid-word; the help key stays on the right beside the palette's, so that on a
small terminal the way to every other key is still on screen.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, replace
from itertools import groupby
from typing import Any, ClassVar

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.keys import REPLACED_KEYS, key_to_character
from textual.screen import Screen
from textual.widget import Widget

_SEPARATOR = "▏"
# Bindings (by id) drawn on the right, whatever fits on the left.
_PINNED = ("help",)


@dataclass(frozen=True, slots=True)
class FooterItem:
    """One key (or a group's keys) as drawn: the key to press when clicked, and its words."""

    key: str
    keys: str
    description: str
    enabled: bool
    tooltip: str

    @property
    def width(self) -> int:
        return cell_len(self.keys) + 2 + (cell_len(self.description) + 1 if self.description else 0)


@dataclass(frozen=True, slots=True)
class _Span:
    start: int
    end: int
    item: FooterItem


class KeysFooter(Widget, can_focus=False):
    COMPONENT_CLASSES: ClassVar[set[str]] = {"keys-footer--key", "keys-footer--description"}

    DEFAULT_CSS = """
    KeysFooter {
        dock: bottom;
        height: 1;
        width: 1fr;
        color: $footer-foreground;
        background: $footer-background;
        & > .keys-footer--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .keys-footer--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
    }
    """

    def __init__(self, *, hold: bool = False, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._items: tuple[FooterItem, ...] = ()
        self._right: tuple[FooterItem, ...] = ()
        self._spans: list[_Span] = []
        self._update_pending = False
        self._tooltip_text: str | None = None
        # Held, it shows no keys until release(): the screen paints what it is for first
        # (the cockpit's list), and the keys come after.
        self._held = hold

    @property
    def items(self) -> tuple[FooterItem, ...]:
        """The keys shown, in order, those on the right (help, the palette) last."""
        return self._items + self._right

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._bindings_changed(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def release(self) -> None:
        """Show the keys from now on (callable from any message pump)."""
        if self._held:
            self._held = False
            self.call_later(self._update_items)

    def _bindings_changed(self, screen: Screen[Any]) -> None:
        # Bindings change several times while focus moves: one update per refresh.
        if self._held or self._update_pending or screen is not self.screen:
            return
        self._update_pending = True
        self.call_after_refresh(self._update_items)

    def _update_items(self) -> None:
        self._update_pending = False
        if not self.is_attached:
            return
        items, right = self._collect_items()
        if (items, right) != (self._items, self._right):
            self._items, self._right = items, right
            self.refresh()

    def _collect_items(self) -> tuple[tuple[FooterItem, ...], tuple[FooterItem, ...]]:
        """As Textual's footer (8.2) lists them: one entry per action, groups together;
        then those kept on the right."""
        app = self.app
        active = self.screen.active_bindings
        by_action: dict[str, list[tuple[Binding, bool, str]]] = {}
        right: dict[str, FooterItem] = {}
        typing = _typing_in(self.screen.focused)
        for node, binding, enabled, tooltip in active.values():
            if not binding.show or binding.key == app.COMMAND_PALETTE_BINDING:
                continue
            if typing:
                # In a text field a letter is typed, not a command: only the keys that
                # still work there are shown, each as itself (f11, not the z beside it).
                if (
                    node is not self.screen.focused
                    and not binding.priority
                    and _types_a_character(binding.key)
                ):
                    continue
                if binding.key_display and _types_a_character(binding.key_display):
                    binding = replace(binding, key_display=None)
            if binding.id in _PINNED:
                right.setdefault(
                    binding.action,
                    FooterItem(
                        binding.key, app.get_key_display(binding), binding.description, enabled, tooltip
                    ),
                )
            else:
                by_action.setdefault(binding.action, []).append((binding, enabled, tooltip))
        items: list[FooterItem] = []
        firsts = [bindings[0] for bindings in by_action.values()]
        for group, members in groupby(firsts, lambda first: first[0].group):
            grouped = list(members)
            if group is not None and len(grouped) > 1:
                first, enabled, tooltip = grouped[0]
                keys = "".join(app.get_key_display(binding) for binding, _, _ in grouped)
                items.append(
                    FooterItem(first.key, keys, group.description, enabled, tooltip or group.description)
                )
            else:
                items.extend(
                    FooterItem(
                        binding.key, app.get_key_display(binding), binding.description, enabled, tooltip
                    )
                    for binding, enabled, tooltip in grouped
                )
        if app.ENABLE_COMMAND_PALETTE and app.COMMAND_PALETTE_BINDING in active:
            _node, binding, enabled, tooltip = active[app.COMMAND_PALETTE_BINDING]
            right["palette"] = FooterItem(
                binding.key,
                app.get_key_display(binding),
                binding.description,
                enabled,
                binding.tooltip or binding.description,
            )
        return tuple(items), tuple(right.values())

    def render(self) -> Text:
        key_style = self.get_component_rich_style("keys-footer--key")
        description_style = self.get_component_rich_style("keys-footer--description")
        width = self.size.width
        right = sum(item.width for item in self._right) + len(_SEPARATOR) if self._right else 0
        line = Text(no_wrap=True, end="")
        spans: list[_Span] = []

        def draw(item: FooterItem) -> None:
            start = line.cell_len
            dim = Style(dim=True) if not item.enabled else Style()
            line.append(f" {item.keys} ", key_style + dim)
            if item.description:
                line.append(f"{item.description} ", description_style + dim)
            spans.append(_Span(start, line.cell_len, item))

        for item in self._items:
            if line.cell_len + item.width > width - right:
                break
            draw(item)
        if self._right and width >= right:
            line.append(" " * (width - right - line.cell_len))
            line.append(_SEPARATOR, Style(dim=True))
            for item in self._right:
                draw(item)
        self._spans = spans
        return line

    def _item_at(self, x: int) -> FooterItem | None:
        return next((span.item for span in self._spans if span.start <= x < span.end), None)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        item = self._item_at(event.x)
        if item is None:
            return
        if item.enabled:
            self.app.simulate_key(item.key)
        else:
            self.app.bell()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        item = self._item_at(event.x)
        tooltip = (item.tooltip or item.description) if item else None
        if tooltip != self._tooltip_text:
            self._tooltip_text = tooltip
            self.tooltip = Text(tooltip) if tooltip else None


def _typing_in(widget: Widget | None) -> bool:
    """Whether the focused widget takes printable keys as text."""
    from textual.widgets import Input, TextArea

    return isinstance(widget, (Input, TextArea)) and not getattr(widget, "read_only", False)


def _types_a_character(key: str) -> bool:
    """Whether the key (or what a key is shown as) is a printable character."""
    if len(key) == 1:
        return key.isprintable()
    character = key_to_character(key)
    if character is None and key in REPLACED_KEYS:  # slash is a solidus to Unicode
        try:
            character = unicodedata.lookup(REPLACED_KEYS[key].replace("_", " ").upper())
        except KeyError:
            return False
    return character is not None and len(character) == 1 and character.isprintable() and key != "space"
