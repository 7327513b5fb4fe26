"""``ictui``: the cockpit by default, and sub-commands for scripts and other terminals.

Every command module exposes ``register(subparsers)``; each sub-command sets
``func(args, ctx) -> int``. Errors the user can act on become one line on stderr and
exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import codecs
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from ictui import __version__
from ictui.cli import argtext, commands
from ictui.cli.context import Context, reads_only
from ictui.domain.enums import Severity, Status
from ictui.domain.errors import IctuiError
from ictui.store.location import redact

EXIT_USAGE = 2


class Parser(argparse.ArgumentParser):
    """Bad arguments are one line naming the command, like every other refusal."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="ictui",
        description="A keyboard-driven cockpit for the Incident Controller. "
        "With no command, opens the cockpit.",
        epilog="Statuses: "
        + ", ".join(s.value for s in Status)
        + ". Severities: "
        + ", ".join(s.value for s in Severity)
        + " (SEV1 critical, SEV4 no update cadence). "
        "`ictui COMMAND --help` explains each command's arguments.",
    )
    parser.add_argument("--version", action="version", version=f"ictui {__version__}")
    parser.add_argument(
        "--db",
        metavar="PATH|URL",
        help="the database: a SQLite file, or a PostgreSQL server as postgresql://USER@HOST:PORT/DATABASE "
        "(default: $ICTUI_DB or a file in the user data directory)",
    )
    parser.add_argument(
        "--init",
        action="store_true",
        help="set up a new database in an empty (0-byte) file, which is otherwise refused",
    )
    subparsers = parser.add_subparsers(
        dest="command",
        metavar="COMMAND",
        help="what to do (none: open the cockpit); ictui COMMAND --help tells more",
    )
    for module in commands.MODULES:
        module.register(subparsers)
    return parser


# Options whose values often start with "-" ("-5m"): argparse would take them for options.
_DASH_VALUE_OPTIONS = ("--at",)


def _join_dash_values(argv: Sequence[str]) -> list[str]:
    joined: list[str] = []
    items = iter(argv)
    for item in items:
        if item in _DASH_VALUE_OPTIONS:
            value = next(items, None)
            joined.append(item if value is None else f"{item}={value}")
        else:
            joined.append(item)
    return joined


def main(argv: Sequence[str] | None = None) -> int:
    _never_fail_to_print()
    parser = build_parser()
    args = parser.parse_args(_join_dash_values(sys.argv[1:] if argv is None else argv))
    refused = argtext.refusal(parser, args)
    if refused:
        print(refused, file=sys.stderr)
        return EXIT_USAGE
    ctx = Context(args.db, init=args.init, reads_only=reads_only(args))
    func = getattr(args, "func", None)
    if func is None:
        from ictui.cli.cockpit import run_cockpit

        func = run_cockpit
    try:
        return int(func(args, ctx) or 0)
    except IctuiError as exc:
        print(f"ictui: {redact(str(exc))}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (``ictui list | head``): not an error worth a traceback.
        # Point stdout at /dev/null so that the interpreter's final flush stays quiet.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except Exception as exc:
        # A database too large to be checked at open whose damage shows now.
        from ictui.store.health import damage_in, damaged

        damage = damage_in(exc)
        if damage is None:
            raise
        print(f"ictui: {damaged(ctx.db_path, damage)}", file=sys.stderr)  # damage is SQLite's word
        return EXIT_USAGE
    finally:
        ctx.close()


def _never_fail_to_print() -> None:
    """A path holding bytes that are not UTF-8 (which a file name may) is printed with
    them escaped, rather than ending a command that did its work in a traceback: each
    such byte as ``\\xff``, as the shell's ``$'\\xff'`` wrote it (not as Python's
    stand-in for it, U+DCFF); any other character the terminal cannot take as ``\\u…``."""
    codecs.register_error("ictui-bytes", _escaped_bytes)
    for stream in (sys.stdout, sys.stderr):
        if getattr(stream, "errors", None) in ("strict", "surrogateescape", "backslashreplace") and hasattr(
            stream, "reconfigure"
        ):
            stream.reconfigure(errors="ictui-bytes")


def _escaped_bytes(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    out = []
    for char in error.object[error.start : error.end]:
        code = ord(char)
        out.append(
            f"\\x{code - 0xDC00:02x}"
            if 0xDC80 <= code <= 0xDCFF
            else char.encode("ascii", "backslashreplace").decode()
        )
    return "".join(out), error.end


if __name__ == "__main__":
    raise SystemExit(main())
