"""Text arguments that are not UTF-8: refused in one line, before anything is written.

A shell hands a program bytes. Python decodes the command line as UTF-8 and keeps any
byte that is not (a Latin-1 "é" pasted from an old file, ``$'\\xff'``) as a lone
surrogate, which no database, terminal or Slack message can take: stored, it ended in
a ``UnicodeEncodeError`` traceback. A path is different: a file name may hold any
bytes, and arguments read as paths (``--db``, ``backup PATH``, ``--output``) keep them.
"""

from __future__ import annotations

import argparse
import re

# How Python's surrogateescape keeps the bytes 0x80-0xFF that are not UTF-8.
_UNDECODED = re.compile("[\udc80-\udcff]")


def refusal(parser: argparse.ArgumentParser, args: argparse.Namespace) -> str | None:
    """One line naming the first text argument that is not UTF-8, or None if all are."""
    for dest, value in vars(args).items():
        for text in value if isinstance(value, (list, tuple)) else [value]:
            if not isinstance(text, str) or not (found := _UNDECODED.search(text)):
                continue
            byte = ord(found.group()) - 0xDC00
            before = text[: found.start()][-20:]
            where = f"after {_undecodable_free(before)!r}" if before else "at the start"
            command = f"{parser.prog} {args.command}" if getattr(args, "command", None) else parser.prog
            return (
                f"{command}: {_name(parser, args, dest)} is not UTF-8 text (the byte 0x{byte:02X} {where}); "
                "nothing was written. Convert it to UTF-8 (iconv -t UTF-8) and run the command again"
            )
    return None


def _undecodable_free(text: str) -> str:
    return _UNDECODED.sub("\ufffd", text)


def _name(parser: argparse.ArgumentParser, args: argparse.Namespace, dest: str) -> str:
    """How the user typed the argument: ``--note``, or the positional's name (``text``)."""
    parsers = [parser]
    for action in parser._actions:  # argparse keeps its sub-commands here
        if (
            isinstance(action, argparse._SubParsersAction)
            and getattr(args, "command", None) in action.choices
        ):
            parsers.append(action.choices[args.command])
    for each in parsers:
        for action in each._actions:
            if action.dest == dest:
                if action.option_strings:
                    return max(action.option_strings, key=len)
                return f"the {action.metavar or dest} argument"
    return dest
