"""Errors the user can cause; every layer turns them into one clear line, never a traceback."""


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
