"""Errors the user can cause; every layer turns them into one clear line, never a traceback."""

from __future__ import annotations

from typing import Any


class IctuiError(Exception):
    """A problem the user can act on. The message is the whole explanation."""


class NotFound(IctuiError):
    pass


class InvalidInput(IctuiError):
    pass


class IllegalTransition(InvalidInput):
    pass


class TimeParseError(InvalidInput):
    pass


class Forbidden(IctuiError):
    """The database refuses this for want of a right: trying again will not help until
    someone grants it (a note is then not retried, it is refused)."""


class RepeatedUpdate(IctuiError):
    """The same update text for the same incident was queued less than a minute ago, and
    the IC did not say to send it again. Checked inside the write that queues it, so two
    sends racing from one cockpit or two cannot both pass. ``queued_at``: the earlier one."""

    def __init__(self, message: str, *, queued_at: Any) -> None:
        super().__init__(message)
        self.queued_at = queued_at


class EditConflict(IctuiError):
    """Someone else changed a timeline entry while it was being edited: theirs stays, and
    the second editor's text was saved as a new entry beside it (``kept``)."""

    def __init__(self, message: str, *, current: Any = None, kept: Any = None) -> None:
        super().__init__(message)
        self.current = current
        self.kept = kept
