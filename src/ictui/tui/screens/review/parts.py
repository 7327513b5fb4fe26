"""What the review screen's parts share: the state and methods the modules beside this
one use of each other.

:class:`ReviewScreen` (screen.py) is put together from ``record``, ``items`` and
``meeting``. Each is a class derived from :class:`ReviewParts`, which declares (for the
type checker) the screen's state, with its type, and the methods one part calls on
another. At run time ReviewParts is an empty class: screen.py sets the state up and each
part defines its methods; to the type checker it is a ``Screen``, so that a part's
``self`` is one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.screen import Screen
    from textual.timer import Timer

    from ictui.domain.review import ActionItemView, PostMortemView
    from ictui.store.interface import StoreAPI

    _Screen = Screen[None]
else:
    _Screen = object


class ReviewParts(_Screen):
    """The state the review screen's parts share (set up by ``ReviewScreen.__init__``)."""

    number: int
    view: PostMortemView | None
    _owners: list[str]
    # The record as last loaded or saved, what was typed since, and what waits for it.
    _stored: dict[str, str]
    _dirty: dict[str, str]
    _saving: bool
    _when_saved: list[Callable[[], object]]
    _save_timer: Timer | None
    # The database's revision when the view on screen was read (None: not yet).
    _revision: int | None

    if TYPE_CHECKING:
        # Defined in screen.py.
        @property
        def store(self) -> StoreAPI: ...
        def _load(self, first: bool = False) -> None: ...

        # Defined in record.py and items.py.
        def _after_saving(self, then: Callable[[], object]) -> None: ...
        def _show_record(self, view: PostMortemView) -> None: ...
        def _follow_record(self, view: PostMortemView) -> None: ...
        def _show_items(self, items: tuple[ActionItemView, ...]) -> None: ...
