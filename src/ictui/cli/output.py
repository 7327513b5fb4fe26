"""Printing for the CLI: JSON for scripts, aligned text for people."""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime
from enum import Enum
from typing import Any

from ictui.domain.clock import to_local


def _default(value: Any) -> Any:
    if isinstance(value, datetime):
        return to_utc_iso(value)
    if isinstance(value, Enum):
        return value.value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise TypeError(f"cannot serialise {type(value).__name__}")


def to_utc_iso(value: datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")


def print_json(value: Any) -> None:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = dataclasses.asdict(value)
    elif isinstance(value, list):
        value = [
            dataclasses.asdict(v) if dataclasses.is_dataclass(v) and not isinstance(v, type) else v
            for v in value
        ]
    print(json.dumps(value, default=_default, ensure_ascii=False, indent=2))


def local(value: datetime | None, fmt: str = "YYYY-MM-DD HH:mm") -> str:
    return to_local(value).format(fmt) if value else "-"
