"""A post-mortem section's editor: ``[`` and ``]`` are left to the review screen, which
moves between sections with them without leaving the editor (a bracket still goes into
the text by pasting it)."""

from __future__ import annotations

from textual.widgets import TextArea

SECTION_KEYS = frozenset({"left_square_bracket", "right_square_bracket"})


class SectionEditor(TextArea):
    def check_consume_key(self, key: str, character: str | None = None) -> bool:
        if key in SECTION_KEYS:
            return False
        return super().check_consume_key(key, character)
