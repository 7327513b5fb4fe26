"""Textual's footer, rebuilt only when the keys it shows change, and rebuilt faster.

The stock footer rebuilds all its keys (some twenty in the cockpit) on every bindings
update, and a rebuild costs tens of milliseconds on a small machine: five times while
the cockpit starts, twice on every focus change, often to show the same keys again.
This one waits for the updates of one refresh to pass, then rebuilds once, and only
when the shown keys differ from those already shown. Each key is also born with the
footer's ``compact`` value: a key starts compact and the footer's value then reaches
it, so every key had its styles worked out three times instead of once.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class KeysFooter(Footer):
    def __init__(self, *args: Any, hold: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._shown: tuple[Any, ...] | None = None
        self._rebuild_pending = False
        # Held, it shows no keys until release(): the screen paints what it is for first
        # (the cockpit's list), and the keys, tens of milliseconds to build, come after.
        self._held = hold

    def release(self) -> None:
        """Show the keys from now on; callable from any message pump (a worker's callback
        runs in the app's), the rebuild itself runs in the footer's, as compose() needs."""
        if self._held:
            self._held = False
            self.call_later(self._released)

    def _released(self) -> None:
        if self._bindings_ready and self.is_attached:
            self.bindings_changed(self.screen)

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            # The palette's key is not bound to the footer's value: it stays compact.
            if isinstance(widget, FooterKey) and not widget.has_class("-command-palette"):
                widget.set_reactive(FooterKey.compact, self.compact)
            yield widget

    def bindings_changed(self, screen: Screen) -> None:
        # As Footer.bindings_changed (Textual 8.2), minus the rebuild per update.
        self._bindings_ready = True
        if self._held or not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and not self._rebuild_pending:
            self._rebuild_pending = True
            self.call_after_refresh(self._rebuild_if_changed)

    async def _rebuild_if_changed(self) -> None:
        self._rebuild_pending = False
        shown = self._shown_keys()
        if shown != self._shown:
            self._shown = shown
            await self.recompose()
            # Each key is bound to the footer's ``compact``, and Textual forgets the bindings
            # of removed keys only when ``compact`` changes, which here it never does: every
            # rebuild left twenty dead keys alive (2,500 objects a pane switch, and garbage
            # collections that held the screen longer and longer). Said to have changed, it
            # lets them go.
            self.mutate_reactive(Footer.compact)

    def _shown_keys(self) -> tuple[Any, ...]:
        """What compose() draws from: every active binding, whether enabled, its tooltip."""
        return tuple(
            (key, binding, enabled, tooltip)
            for key, (_node, binding, enabled, tooltip) in self.screen.active_bindings.items()
        )
