"""Incident commands: declare, note, status, severity, list, show, seed."""

from __future__ import annotations

import argparse
from datetime import datetime

from ictui.cli.argtypes import number, one_of
from ictui.cli.context import Context
from ictui.cli.output import local, print_json
from ictui.domain.clock import now, parse_when, short_duration
from ictui.domain.enums import Severity, Status
from ictui.domain.errors import InvalidInput
from ictui.domain.roster import split_list

_severity = one_of(Severity, "severity")
_status = one_of(Status, "status")
_count = number(int, "a whole number", 0)
# The valid values, as the help lists them.
SEVERITIES = ", ".join(s.value for s in Severity)
STATUSES = ", ".join(s.value for s in Status)
_NUMBER_HELP = "the incident's number (#41 is 41), as `ictui list` shows it"


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("declare", help="declare a new incident and print its number")
    p.add_argument("title", help="what is broken, in a few words (quote it)")
    p.add_argument(
        "--severity",
        type=_severity,
        default=Severity.SEV3,
        help=f"one of {SEVERITIES} (default SEV3; SEV1 is critical, SEV4 has no update cadence)",
    )
    p.add_argument(
        "--ic",
        metavar="EMAIL",
        help="the Incident Controller's email (someone Slack knows is added to the roster)",
    )
    p.add_argument(
        "--part",
        action="append",
        default=[],
        metavar="PART",
        help='an affected part of the product (repeat, or "a; b"): its owners are suggested',
    )
    p.add_argument(
        "--invite-owners",
        action="store_true",
        help="also invite the people of the teams that own the affected parts to the channel",
    )
    p.add_argument("--summary", default="", help="what is happening, in a sentence or two")
    p.add_argument("--triage", action="store_true", help="open it in triage, not yet declared")
    p.add_argument("--json", action="store_true", help="print the incident as JSON")
    p.set_defaults(func=cmd_declare)

    p = subparsers.add_parser("note", help="add a note to an incident's timeline")
    p.add_argument("number", type=int, help=_NUMBER_HELP)
    p.add_argument("text", help="the note (quote it)")
    p.add_argument("--at", metavar="TIME", help='when it happened: "14:32", "-5m", "yesterday 09:10"')
    p.set_defaults(func=cmd_note)

    p = subparsers.add_parser(
        "status",
        help="move an incident to another status",
        description=f"Statuses, in order: {STATUSES}. An incident moves forward (skipping steps is "
        "fine) or back to investigating (the fix did not hold); closed is final.",
    )
    p.add_argument("number", type=int, help=_NUMBER_HELP)
    p.add_argument("state", type=_status, metavar="STATUS", help=f"the new status: one of {STATUSES}")
    p.add_argument("--note", default="", help="why, recorded on the timeline")
    p.set_defaults(func=cmd_status)

    p = subparsers.add_parser("severity", help="change an incident's severity")
    p.add_argument("number", type=int, help=_NUMBER_HELP)
    p.add_argument(
        "severity", type=_severity, metavar="SEVERITY", help=f"the new severity: one of {SEVERITIES}"
    )
    p.add_argument("--reason", default="", help="why, recorded on the timeline")
    p.set_defaults(func=cmd_severity)

    p = subparsers.add_parser("list", help="list incidents, newest first")
    p.add_argument("--active", action="store_true", help="only incidents still under way")
    p.add_argument("--json", action="store_true", help="print them as JSON")
    p.set_defaults(func=cmd_list)

    p = subparsers.add_parser("show", help="show an incident with its timeline")
    p.add_argument("number", type=int, help=_NUMBER_HELP)
    p.add_argument("--json", action="store_true", help="print it as JSON")
    p.set_defaults(func=cmd_show)

    p = subparsers.add_parser("seed", help="write demo or generated data into --db and exit")
    group = p.add_mutually_exclusive_group(required=True)
    group.add_argument("--demo", action="store_true", help="the realistic demo data set")
    group.add_argument("--incidents", type=_count, metavar="N", help="N generated incidents")
    p.add_argument(
        "--entries-per-incident",
        type=_count,
        default=10,
        metavar="M",
        help="with --incidents: M timeline entries each (default 10)",
    )
    p.add_argument(
        "--updates-per-incident",
        type=_count,
        default=2,
        metavar="U",
        help="with --incidents: U status updates each (default 2)",
    )
    p.add_argument(
        "--big-timeline",
        type=_count,
        default=0,
        metavar="E",
        help="also one incident with E timeline entries",
    )
    p.set_defaults(func=cmd_seed)


def cmd_declare(args: argparse.Namespace, ctx: Context) -> int:
    parts = split_list(";".join(args.part))
    unowned = ctx.store.unowned_parts(parts)
    if unowned:
        known = ", ".join(ctx.store.components()) or "none yet"
        raise InvalidInput(
            f"no team owns {', '.join(repr(p) for p in unowned)} (parts owned: {known}); "
            "`ictui teams edit TEAM --add-part PART` says who does"
        )
    if args.invite_owners and not parts:
        raise InvalidInput("--invite-owners needs the affected parts (--part) to know whom to invite")
    if args.ic:
        from ictui.slack.people import roster_person

        roster_person(ctx.store, ctx.settings, args.ic)
    view = ctx.store.declare(
        args.title,
        severity=args.severity,
        summary=args.summary,
        ic_email=args.ic,
        author=ctx.settings.user,
        status=Status.TRIAGE if args.triage else Status.INVESTIGATING,
        components=parts,
        invite_owners=args.invite_owners,
    )
    if ctx.settings.slack_configured and view.status is Status.INVESTIGATING:
        from ictui.cli.slack_cmds import deliver_after_declare

        view = deliver_after_declare(ctx, view)
    if args.json:
        print_json(view)
    else:
        print(view.number)
    return 0


def cmd_note(args: argparse.Namespace, ctx: Context) -> int:
    at = parse_when(args.at) if args.at else None
    entry = ctx.store.add_entry(args.number, args.text, at=at, author=ctx.settings.user)
    print(f"#{args.number} {local(entry.occurred_at, 'HH:mm')} {entry.text}")
    return 0


def cmd_status(args: argparse.Namespace, ctx: Context) -> int:
    view = ctx.store.change_status(args.number, args.state, ctx.settings.user, args.note)
    print(f"#{view.number} is now {view.status}")
    if view.postmortem_scheduled_at and args.state is Status.RESOLVED:
        print(f"post-mortem due by {local(view.postmortem_scheduled_at, 'ddd YYYY-MM-DD')}")
    return 0


def cmd_severity(args: argparse.Namespace, ctx: Context) -> int:
    view = ctx.store.change_severity(args.number, args.severity, ctx.settings.user, args.reason)
    print(f"#{view.number} is now {view.severity}")
    return 0


def cmd_list(args: argparse.Namespace, ctx: Context) -> int:
    rows = ctx.store.list_incidents(active_only=args.active)
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        print("no incidents" + (" under way" if args.active else ""))
        return 0
    current: datetime = now()  # a pendulum DateTime, less any aware datetime: a timedelta
    for row in rows:
        age = short_duration((current - row.started_at).total_seconds())
        print(
            f"#{row.number:<5} {row.severity}  {row.status:<13} {age:>7}  {row.ic_name or '-':<18} {row.title}"
        )
    return 0


def cmd_show(args: argparse.Namespace, ctx: Context) -> int:
    view = ctx.store.incident(args.number)
    entries = ctx.store.timeline(args.number)
    if args.json:
        print_json({"incident": view, "timeline": entries})
        return 0
    print(f"#{view.number} {view.title}")
    print(f"{view.severity} · {view.status} · IC {view.ic.name if view.ic else '-'} · {view.channel_label}")
    if view.summary:
        print(view.summary)
    print()
    for entry in entries:
        mark = f" [{entry.key_event}]" if entry.key_event else ""
        print(f"{local(entry.occurred_at)}  {entry.kind:<13} {entry.author or '-':<12} {entry.text}{mark}")
    return 0


def cmd_seed(args: argparse.Namespace, ctx: Context) -> int:
    if args.demo:
        from ictui.demo import seed_demo

        if ctx.store.list_incidents():
            raise InvalidInput(f"{ctx.db_name} already has incidents; seed the demo into a new file")
        count = seed_demo(ctx.store)
        print(f"seeded {count} demo incidents into {ctx.db_name}")
        return 0
    from ictui.store import Store
    from ictui.store.seed import seed_generated

    store = ctx.store
    if not isinstance(store, Store):  # the command line opens the whole store
        raise TypeError(f"seeding needs the whole store, not a {type(store).__name__}")
    counts = seed_generated(
        store,
        incidents=args.incidents,
        entries_per_incident=args.entries_per_incident,
        updates_per_incident=args.updates_per_incident,
        big_timeline=args.big_timeline,
    )
    print(", ".join(f"{n} {what}" for what, n in counts.items()) + f" written to {ctx.db_name}")
    return 0
