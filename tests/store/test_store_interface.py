"""The store's declared interface (ictui.store.interface.StoreAPI): Store and LazyStore
both provide every method of it with its signature, and LazyStore nothing beyond it."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from ictui.store import Store
from ictui.store.interface import StoreAPI
from ictui.store.lazy import LazyStore

DECLARED = sorted(
    name for name, value in vars(StoreAPI).items() if callable(value) and not name.startswith("_")
)


def _parameters(function: object) -> list[tuple[str, object, object]]:
    signature = inspect.signature(function)  # type: ignore[arg-type]
    return [(p.name, p.kind, p.default) for p in signature.parameters.values()]


@pytest.mark.parametrize("cls", [Store, LazyStore])
def test_each_store_has_every_declared_method_with_its_signature(cls: type) -> None:
    for name in DECLARED:
        assert _parameters(getattr(cls, name)) == _parameters(getattr(StoreAPI, name)), name


def test_both_stores_are_the_interface(tmp_path: Path) -> None:
    lazy = LazyStore(tmp_path / "ictui.db")
    try:
        assert isinstance(lazy, StoreAPI)
        full = lazy.full_store()
        assert isinstance(full, StoreAPI)
    finally:
        lazy.close()


def test_the_lazy_store_forwards_nothing_undeclared(tmp_path: Path) -> None:
    """An attribute the interface does not name is an error at once, and opens nothing."""
    Store(tmp_path / "ictui.db").close()  # made: the lazy store then opens it on SQLite alone
    lazy = LazyStore(tmp_path / "ictui.db")
    try:
        assert not hasattr(LazyStore, "__getattr__")
        with pytest.raises(AttributeError):
            lazy.engine  # noqa: B018  (the full Store's, not the interface's)
        assert lazy._full is None
    finally:
        lazy.close()
