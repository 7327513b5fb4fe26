"""The incident list's rows, a page at a time: where they come from and which are held.

The list may hold 100,000 incidents; the widget keeps the pages around what is on
screen (:class:`Pages`, a few hundred rows at most) and reads the others as the IC
scrolls. A page is read by key, from a neighbour's first or last incident
(``ictui.store.list_window``); only a jump far from every page held is read by position.

Two sources: the store (:class:`StoreSource`, read in a thread) and rows already in
memory (:class:`MemorySource`: the list read before the store opened, and tests), which
answers at once with every row.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Any, Protocol

from ictui.domain.incident_filter import IncidentFilter, searchable
from ictui.domain.views import IncidentRow, ListWindow

PAGE_SIZE = 64
# Pages held at most: the screen spans two, plus those read ahead and the cursor's.
MAX_PAGES = 8
Anchor = dict[str, int]


class ListSource(Protocol):
    def window(
        self,
        flt: IncidentFilter,
        keep: int | None,
        fallback: int,
        superseded: Callable[[], bool] | None = None,
    ) -> ListWindow: ...

    def pages(
        self, flt: IncidentFilter, asks: list[tuple[int, Anchor]]
    ) -> list[tuple[int, list[IncidentRow]]]: ...


class StoreSource:
    """The store's reads (store/list_window.py): to be called in a thread."""

    def __init__(self, store: Any) -> None:
        self.store = store

    def window(
        self,
        flt: IncidentFilter,
        keep: int | None,
        fallback: int,
        superseded: Callable[[], bool] | None = None,
    ) -> ListWindow:
        window: ListWindow = self.store.list_window(flt, keep, fallback, PAGE_SIZE, superseded=superseded)
        return window

    def pages(
        self, flt: IncidentFilter, asks: list[tuple[int, Anchor]]
    ) -> list[tuple[int, list[IncidentRow]]]:
        pages: list[tuple[int, list[IncidentRow]]] = self.store.list_pages(flt, asks, PAGE_SIZE)
        return pages


class MemorySource:
    """Rows already read, every one: a window is the whole filtered list."""

    def __init__(self, rows: list[IncidentRow]) -> None:
        self.rows = rows
        self._searchable: list[str] | None = None  # made by the first text filter

    def window(
        self,
        flt: IncidentFilter,
        keep: int | None,
        fallback: int,
        superseded: Callable[[], bool] | None = None,
    ) -> ListWindow:
        if flt.words and self._searchable is None:
            self._searchable = [searchable(row) for row in self.rows]
        shown = tuple(self.rows[i] for i in flt.select(self.rows, self._searchable or ()))
        position = next((i for i, row in enumerate(shown) if row.number == keep), None)
        newest = max((row.number for row in self.rows), default=0)
        return ListWindow(len(self.rows), len(shown), position, 0, shown, newest)

    def pages(
        self, flt: IncidentFilter, asks: list[tuple[int, Anchor]]
    ) -> list[tuple[int, list[IncidentRow]]]:
        return []  # every row came with the window


class Pages:
    """The rows held, by page; the least recently drawn page goes first when over ``limit``."""

    def __init__(self, limit: int | None = MAX_PAGES) -> None:
        self._pages: OrderedDict[int, list[IncidentRow]] = OrderedDict()
        self.limit = limit

    def reset(self, start: int, rows: tuple[IncidentRow, ...] | list[IncidentRow], limit: int | None) -> None:
        """Hold these rows (``start`` is a page's first position) and nothing else."""
        self._pages.clear()
        self.limit = limit
        for offset in range(0, len(rows), PAGE_SIZE):
            self._pages[(start + offset) // PAGE_SIZE] = list(rows[offset : offset + PAGE_SIZE])

    def put(self, index: int, rows: list[IncidentRow]) -> None:
        self._pages[index] = rows
        self._pages.move_to_end(index)
        while self.limit is not None and len(self._pages) > self.limit:
            self._pages.popitem(last=False)

    def row(self, position: int) -> IncidentRow | None:
        page = self._pages.get(position // PAGE_SIZE)
        if page is None:
            return None
        offset = position % PAGE_SIZE
        return page[offset] if offset < len(page) else None

    def touch(self, index: int) -> None:
        if index in self._pages:
            self._pages.move_to_end(index)

    def has(self, index: int) -> bool:
        return index in self._pages

    def find(self, number: int) -> int | None:
        """The position of incident ``number`` among the rows held, if it is held."""
        for index, rows in self._pages.items():
            for offset, row in enumerate(rows):
                if row.number == number:
                    return index * PAGE_SIZE + offset
        return None

    def anchor(self, index: int, count: int) -> Anchor:
        """How to read page ``index`` by key from the pages held (by position if none is near)."""
        above = self._pages.get(index - 1)
        if above is not None and len(above) == PAGE_SIZE:
            return {"after": above[-1].number}
        below = self._pages.get(index + 1)
        if below:
            return {"before": below[0].number}
        if index == 0:
            return {}
        last = (count - 1) // PAGE_SIZE
        if index == last:  # the end of the list: its last rows, by key too
            return {"before": 0, "limit": count - index * PAGE_SIZE}
        return {"at": index * PAGE_SIZE}

    @property
    def held(self) -> int:
        """How many rows are held."""
        return sum(len(rows) for rows in self._pages.values())

    def rows(self) -> list[IncidentRow]:
        return [row for rows in self._pages.values() for row in rows]
