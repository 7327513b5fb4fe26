"""Post-mortem commands: export the document, list and link action items, the numbers."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ictui.cli.argtypes import number, one_of
from ictui.cli.context import Context
from ictui.cli.output import local, print_json
from ictui.domain.clock import now, to_local
from ictui.domain.enums import ActionKind, ActionStatus
from ictui.domain.errors import InvalidInput

if TYPE_CHECKING:
    from ictui.domain.review import StatsView, TimeStat

# The exports (and the review maths under them) are imported by the commands that use
# them: every start of the cockpit builds this parser, and they would slow it down.

FORMATS = ("md", "json", "csv")


_days = number(int, "a number of days", 1)


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "postmortem",
        help="export an incident's post-mortem (Markdown, JSON, or a Jira CSV of its action items)",
        description="Print the post-mortem document (or write it with --output). The CSV has "
        "Jira's import columns (Summary, Description, Assignee, Due date, Labels) and holds "
        "the open action items that have no ticket yet.",
    )
    p.add_argument("number", type=int, help="the incident's number, as `ictui list` shows it")
    p.add_argument("--format", choices=FORMATS, default="md", help="md (default), json or csv")
    p.add_argument("--output", "-o", type=Path, metavar="FILE", help="write to FILE instead of printing")
    p.add_argument(
        "--all-items",
        action="store_true",
        help="csv: also the items that already have a ticket or are closed",
    )
    p.add_argument(
        "--post",
        action="store_true",
        help="also queue the post-mortem summary for the incident's Slack channel",
    )
    p.set_defaults(func=cmd_postmortem)

    p = subparsers.add_parser("actions", help="list action items, of one incident or of all")
    p.add_argument("number", type=int, nargs="?", help="only this incident's")
    p.add_argument("--open", action="store_true", help="only the ones still open or in progress")
    p.add_argument("--json", action="store_true", help="print them as JSON")
    p.set_defaults(func=cmd_actions)

    p = subparsers.add_parser(
        "action",
        help="change an action item: link its ticket, set its status, owner or due date",
        description="Type a ticket key (OPS-123) or link back after the Jira import to link the item.",
    )
    p.add_argument("id", type=int, help="the item's id, as `ictui actions` shows it")
    p.add_argument("--ticket", metavar="KEY_OR_URL", help='"OPS-123" or a link; "" unlinks')
    p.add_argument(
        "--status",
        type=one_of(ActionStatus, "status"),
        help="one of " + ", ".join(s.value for s in ActionStatus),
    )
    p.add_argument(
        "--kind", type=one_of(ActionKind, "kind"), help="one of " + ", ".join(k.value for k in ActionKind)
    )
    p.add_argument("--owner", help="who does it (a name or an email)")
    p.add_argument("--due", metavar="DATE", help='"2026-12-04", "friday", "+3d"; "" clears it')
    p.add_argument("--title", help="what is to be done, in a sentence")
    p.set_defaults(func=cmd_action)

    p = subparsers.add_parser(
        "stats", help="incidents, times to mitigate and resolve, post-mortems, open actions"
    )
    p.add_argument(
        "--days", type=_days, default=30, help="the period, in days (default 30; 90 for a quarter)"
    )
    p.add_argument("--json", action="store_true", help="print them as JSON")
    p.set_defaults(func=cmd_stats)


def cmd_postmortem(args: argparse.Namespace, ctx: Context) -> int:
    from ictui.domain import exports

    view = ctx.store.postmortem(args.number)
    if args.format == "md":
        text = exports.markdown(view)
    elif args.format == "json":
        text = exports.to_json(view)
    else:
        text = exports.action_items_csv(view, include_ticketed=args.all_items)
    if args.output:
        _write(args.output, text)
        print(f"wrote {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    if args.format == "csv" and not args.all_items:
        skipped = len(view.action_items) - len(exports.jira_rows(view))
        if skipped:
            print(
                f"{skipped} item(s) left out: already ticketed or closed (--all-items includes them)",
                file=sys.stderr,
            )
    if args.post:
        ctx.store.post_postmortem_summary(args.number)
        print(f"queued the summary for #{view.number}'s Slack channel", file=sys.stderr)
    return 0


def _write(path: Path, text: str) -> None:
    try:
        # newline="": the CSV's \r\n line ends are written as they are.
        with path.expanduser().open("w", encoding="utf-8", newline="") as handle:
            handle.write(text)
    except OSError as exc:
        raise InvalidInput(f"cannot write {path}: {exc.strerror}") from exc


def cmd_actions(args: argparse.Namespace, ctx: Context) -> int:
    from ictui.domain import exports

    items = ctx.store.action_items(args.number, open_only=args.open)
    if args.json:
        sys.stdout.write(exports.items_to_json(items))
        return 0
    if not items:
        print("no action items" + (" open" if args.open else ""))
        return 0
    today = to_local(now()).date().isoformat()
    for item in items:
        due = f"due {item.due_date}" if item.due_date else "no due date"
        if item.overdue(today):
            due += " (overdue)"
        print(
            f"{item.id:>4}  #{item.incident_number:<5} {item.status:<11} {item.title}  "
            f"[{item.owner or 'no owner'}; {due}; {item.kind}; {item.ticket or 'no ticket'}]"
        )
    return 0


def cmd_action(args: argparse.Namespace, ctx: Context) -> int:
    changes: dict[str, object] = {}
    if args.ticket is not None:
        from ictui.domain.postmortem import parse_ticket

        changes["ticket_key"], changes["ticket_url"] = parse_ticket(args.ticket)
    for name, value in (
        ("status", args.status),
        ("kind", args.kind),
        ("owner", args.owner),
        ("due_date", args.due),
        ("title", args.title),
    ):
        if value is not None:
            changes[name] = value
    if not changes:
        raise InvalidInput("nothing to change; give --ticket, --status, --kind, --owner, --due or --title")
    item = ctx.store.update_action_item(args.id, **changes)
    linked = f", linked to {item.ticket}" if item.ticket else ""
    print(f"action item {item.id} (#{item.incident_number}): {item.title} — {item.status}{linked}")
    return 0


def cmd_stats(args: argparse.Namespace, ctx: Context) -> int:
    stats = ctx.store.incident_stats(args.days)
    if args.json:
        print_json(stats_dict(stats))
        return 0
    for line in stats_lines(stats):
        print(line)
    return 0


def stats_dict(stats: StatsView) -> dict[str, object]:
    def time(stat: TimeStat) -> dict[str, object]:
        return {
            "incidents": stat.count,
            "median_seconds": stat.median_seconds,
            "worst_seconds": stat.worst_seconds,
            "worst_incident": stat.worst_number,
        }

    return {
        "days": stats.days,
        "since": stats.since,
        "incidents": stats.incidents,
        "per_severity": {str(severity): count for severity, count in stats.per_severity},
        "time_to_mitigate": time(stats.to_mitigate),
        "time_to_resolve": time(stats.to_resolve),
        "postmortems": {
            "held_on_time": stats.postmortems_on_time,
            "held_late": stats.postmortems_late,
            "overdue": stats.postmortems_overdue,
            "upcoming": stats.postmortems_upcoming,
        },
        "open_action_items_by_owner": [
            {"owner": load.owner, "open": load.open_items, "overdue": load.overdue}
            for load in stats.open_items_by_owner
        ],
    }


def _time_line(name: str, stat: TimeStat) -> str:
    from ictui.domain import exports

    if not stat.count:
        return f"{name}: no incident with both ends recorded"
    return (
        f"{name}: median {exports.duration_text(stat.median_seconds)}, worst "
        f"{exports.duration_text(stat.worst_seconds)} (#{stat.worst_number}), over {stat.count} incident(s)"
    )


def stats_lines(stats: StatsView) -> list[str]:
    severities = " · ".join(f"{severity} {count}" for severity, count in stats.per_severity)
    lines = [
        f"Last {stats.days} days (since {local(stats.since, 'YYYY-MM-DD')})",
        f"Incidents: {stats.incidents} — {severities}",
        _time_line("Time to mitigate", stats.to_mitigate),
        _time_line("Time to resolve", stats.to_resolve),
        f"Post-mortems: {stats.postmortems_on_time} held on time, {stats.postmortems_late} held late, "
        f"{stats.postmortems_overdue} overdue, {stats.postmortems_upcoming} upcoming",
    ]
    if stats.open_items_by_owner:
        lines.append("Open action items by owner:")
        width = max(len(load.owner) for load in stats.open_items_by_owner)
        for load in stats.open_items_by_owner:
            overdue = f" ({load.overdue} overdue)" if load.overdue else ""
            lines.append(f"  {load.owner:<{width}}  {load.open_items}{overdue}")
    else:
        lines.append("Open action items: none")
    return lines
