"""Argument types shared by the commands: a clear one-line refusal for a bad value."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from enum import Enum
from typing import TypeVar

E = TypeVar("E", bound=Enum)
N = TypeVar("N", int, float)


def one_of(enum: type[E], what: str) -> Callable[[str], E]:
    """A member of ``enum``, by value or name, in any case ("sev2", "In Progress")."""

    def parse(text: str) -> E:
        wanted = text.strip().lower()
        for member in enum:
            if wanted in (str(member.value).lower(), member.name.lower()):
                return member
        names = ", ".join(str(m.value) for m in enum)
        raise argparse.ArgumentTypeError(f"{text!r} is not a {what}; one of {names}")

    return parse


def number(
    kind: Callable[[str], N], what: str, low: N | None = None, high: N | None = None
) -> Callable[[str], N]:
    """A number of ``kind`` between ``low`` and ``high`` (either may be open)."""

    def parse(text: str) -> N:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not {what}") from None
        if (low is not None and value < low) or (high is not None and value > high):
            bounds = (
                f"between {low} and {high}"
                if low is not None and high is not None
                else (f"at least {low}" if low is not None else f"at most {high}")
            )
            raise argparse.ArgumentTypeError(f"{text!r}: {what} must be {bounds}")
        return value

    return parse
