"""People and teams: ``ictui people list|add|edit|remove|import|sync`` and
``ictui teams list|add|edit|remove|import``.

The CSV files' columns are in docs/team.md ("Set up your team") and examples/.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ictui.cli.context import Context
from ictui.cli.output import print_json
from ictui.domain.errors import InvalidInput
from ictui.domain.roster import (
    PEOPLE_COLUMNS,
    TEAMS_COLUMNS,
    people_csv,
    read_teams_csv,
    split_list,
)
from ictui.domain.views import PersonView, RosterChange, TeamView

MAX_CSV_BYTES = 20 * 1024 * 1024


JSON_HELP = "print the result as JSON, for scripts"


PAGERDUTY_HELP = (
    "the integration key of its PagerDuty service (Events API v2; 32 letters and digits), "
    "so that `ictui page` reaches its on-call"
)


def register(subparsers: argparse._SubParsersAction) -> None:
    people = subparsers.add_parser("people", help="the roster: who can be named on an incident")
    sub = people.add_subparsers(
        dest="people_command",
        metavar="COMMAND",
        required=True,
        help="list, add, edit, remove, import or sync the people",
    )

    p = sub.add_parser("list", help="everyone on the roster")
    p.add_argument("--all", action="store_true", help="also the people removed from it")
    p.add_argument("--json", action="store_true", help=JSON_HELP)
    p.set_defaults(func=cmd_people_list)

    p = sub.add_parser("add", help="add someone to the roster")
    p.add_argument("name", help='their full name, as shown on incidents: "Dana Ops"')
    p.add_argument("email", help="their work email, which names them everywhere in ictui")
    _person_options(p)
    p.set_defaults(func=cmd_people_add)

    p = sub.add_parser("edit", help="change someone's name, email, team, roles or Slack id")
    p.add_argument("email", help="their email now")
    p.add_argument("--name", help="their new name (history keeps the name it was written with)")
    p.add_argument("--email", dest="new_email", metavar="EMAIL", help="their new email")
    _person_options(p)
    p.add_argument("--no-team", action="store_true", help="take them off their team")
    p.set_defaults(func=cmd_people_edit)

    p = sub.add_parser("remove", help="take someone off the roster (history keeps their name)")
    p.add_argument("email", help="the email of the person to remove")
    p.add_argument("--json", action="store_true", help=JSON_HELP)
    p.set_defaults(func=cmd_people_remove)

    p = sub.add_parser("import", help=f"add or update people from a CSV file ({', '.join(PEOPLE_COLUMNS)})")
    p.add_argument(
        "file", type=Path, help="a UTF-8 CSV file with a header row; a file with a bad row imports nothing"
    )
    p.add_argument("--json", action="store_true", help=JSON_HELP)
    p.set_defaults(func=cmd_people_import)

    p = sub.add_parser("sync", help="add or link the Slack workspace's members (users.list)")
    p.add_argument(
        "--update-names",
        action="store_true",
        help="also change the names on the roster to Slack's (kept as typed otherwise)",
    )
    p.add_argument("--json", action="store_true", help=JSON_HELP)
    p.set_defaults(func=cmd_people_sync)

    teams = subparsers.add_parser("teams", help="teams and the parts of the product each owns")
    sub = teams.add_subparsers(
        dest="teams_command",
        metavar="COMMAND",
        required=True,
        help="list, add, edit, remove or import the teams",
    )

    p = sub.add_parser("list", help="every team, its parts and its people")
    p.add_argument("--json", action="store_true", help=JSON_HELP)
    p.set_defaults(func=cmd_teams_list)

    p = sub.add_parser("add", help="add a team")
    p.add_argument("name", help='its name: "Web platform"')
    p.add_argument("--parts", default="", help='the parts it owns: "shared UI; performance"')
    p.add_argument("--slack-handle", default="", help="its Slack group handle, e.g. @web-platform")
    p.add_argument("--pagerduty-key", default="", metavar="KEY", help=PAGERDUTY_HELP)
    p.add_argument("--json", action="store_true", help=JSON_HELP)
    p.set_defaults(func=cmd_teams_add)

    p = sub.add_parser("edit", help="rename a team, or change the parts it owns")
    p.add_argument("name", help="its name now")
    p.add_argument("--name", dest="new_name", metavar="NAME", help="its new name")
    p.add_argument("--parts", help="the parts it owns, replacing the list")
    p.add_argument(
        "--add-part",
        action="append",
        default=[],
        metavar="PART",
        help="a part it also owns (may be given more than once)",
    )
    p.add_argument(
        "--remove-part",
        action="append",
        default=[],
        metavar="PART",
        help="a part it no longer owns (may be given more than once)",
    )
    p.add_argument("--slack-handle", help="its Slack group handle, e.g. @web-platform")
    p.add_argument("--pagerduty-key", metavar="KEY", help=PAGERDUTY_HELP + ' ("" removes it)')
    p.add_argument("--json", action="store_true", help=JSON_HELP)
    p.set_defaults(func=cmd_teams_edit)

    p = sub.add_parser("remove", help="remove a team (its people stay, on no team)")
    p.add_argument("name", help="the team's name")
    p.add_argument("--json", action="store_true", help=JSON_HELP)
    p.set_defaults(func=cmd_teams_remove)

    p = sub.add_parser("import", help=f"add or update teams from a CSV file ({', '.join(TEAMS_COLUMNS)})")
    p.add_argument(
        "file", type=Path, help="a UTF-8 CSV file with a header row; a file with a bad row imports nothing"
    )
    p.add_argument("--json", action="store_true", help=JSON_HELP)
    p.set_defaults(func=cmd_teams_import)


def _person_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--team", help="the team they are on")
    p.add_argument("--roles", help='their roles: "EM; tech lead"')
    p.add_argument("--slack-id", metavar="USER_ID", help="their Slack user id (U…)")
    p.add_argument("--json", action="store_true", help=JSON_HELP)


# ---------------------------------------------------------------------- people


def cmd_people_list(args: argparse.Namespace, ctx: Context) -> int:
    people = ctx.store.people(include_removed=args.all)
    if args.json:
        print_json(people)
        return 0
    if not people:
        print(
            "nobody on the roster yet: `ictui people sync` (from Slack), `ictui people add NAME EMAIL` "
            "or `ictui people import people.csv`"
        )
        return 0
    for person in people:
        print(_person_line(person))
    return 0


def cmd_people_add(args: argparse.Namespace, ctx: Context) -> int:
    ctx.store.add_person(
        args.name,
        args.email,
        roles=split_list(args.roles or ""),
        team=args.team,
        slack_user_id=args.slack_id or "",
    )
    person = ctx.store.person(args.email)
    return _said(args, person, f"added {_person_line(person)}")


def cmd_people_edit(args: argparse.Namespace, ctx: Context) -> int:
    if args.no_team and args.team:
        raise InvalidInput("--team and --no-team contradict each other")
    changes: dict[str, Any] = {
        "name": args.name,
        "new_email": args.new_email,
        "team": "" if args.no_team else args.team,
        "roles": split_list(args.roles) if args.roles is not None else None,
        "slack_user_id": args.slack_id,
    }
    if all(value is None for value in changes.values()):
        raise InvalidInput(
            "nothing to change: give --name, --email, --team, --no-team, --roles or --slack-id"
        )
    person = ctx.store.edit_person(args.email, **changes)
    return _said(args, person, f"now {_person_line(person)}")


def cmd_people_remove(args: argparse.Namespace, ctx: Context) -> int:
    person = ctx.store.remove_person(args.email)
    return _said(args, person, f"removed {person.name} <{person.email}>; past incidents keep their name")


def cmd_people_import(args: argparse.Namespace, ctx: Context) -> int:
    source = str(args.file)
    rows, problems = people_csv(_read_csv(args.file, ctx), source)
    return _report(args, ctx.store.import_people(rows, source, problems), "people")


def cmd_people_sync(args: argparse.Namespace, ctx: Context) -> int:
    from ictui.slack.people import sync_people

    return _report(
        args, sync_people(ctx.store, ctx.settings, update_names=args.update_names), "people from Slack"
    )


# ---------------------------------------------------------------------- teams


def cmd_teams_list(args: argparse.Namespace, ctx: Context) -> int:
    teams = ctx.store.teams()
    if args.json:
        print_json(teams)
        return 0
    if not teams:
        print(
            'no teams yet: `ictui teams add NAME --parts "shared UI; performance"` '
            "or `ictui teams import teams.csv`"
        )
        return 0
    for team in teams:
        print(_team_line(team))
    return 0


def cmd_teams_add(args: argparse.Namespace, ctx: Context) -> int:
    ctx.store.add_team(
        args.name, split_list(args.parts), slack_handle=args.slack_handle, pagerduty_key=args.pagerduty_key
    )
    return _said(args, _team(ctx, args.name), f"added {_team_line(_team(ctx, args.name))}")


def cmd_teams_edit(args: argparse.Namespace, ctx: Context) -> int:
    if (
        args.new_name is None
        and args.parts is None
        and not args.add_part
        and not args.remove_part
        and args.slack_handle is None
        and args.pagerduty_key is None
    ):
        raise InvalidInput(
            "nothing to change: give --name, --parts, --add-part, --remove-part, --slack-handle or --pagerduty-key"
        )
    view = ctx.store.edit_team(
        args.name,
        new_name=args.new_name,
        parts=split_list(args.parts) if args.parts is not None else None,
        add_parts=args.add_part,
        remove_parts=args.remove_part,
        slack_handle=args.slack_handle,
        pagerduty_key=args.pagerduty_key,
    )
    team = _team(ctx, view.name)
    return _said(args, team, f"now {_team_line(team)}")


def cmd_teams_remove(args: argparse.Namespace, ctx: Context) -> int:
    team = _team(ctx, args.name)
    moved = ctx.store.remove_team(args.name)
    people = (
        f"; its {moved} member{'s' if moved != 1 else ''} stay on the roster, on no team" if moved else ""
    )
    return _said(args, team, f"removed the team {team.name}{people}")


def cmd_teams_import(args: argparse.Namespace, ctx: Context) -> int:
    rows = read_teams_csv(_read_csv(args.file, ctx), str(args.file))
    return _report(args, ctx.store.import_teams(rows), "teams")


# ---------------------------------------------------------------------- helpers


def _read_csv(path: Path, ctx: Context) -> bytes:
    """The file's bytes, read before the database is opened (and never the database itself:
    reading it with open() in a process holding SQLite's locks would drop them)."""
    target = path.expanduser().resolve()
    if not ctx.on_server:
        database = ctx.db_path.resolve()
        if target in (
            database,
            database.with_name(database.name + "-wal"),
            database.with_name(database.name + "-shm"),
        ):
            raise InvalidInput(f"{path} is the database itself, not a CSV file")
    try:
        if target.stat().st_size > MAX_CSV_BYTES:
            raise InvalidInput(f"{path} is over {MAX_CSV_BYTES // (1024 * 1024)} MB; that is no roster")
        return target.read_bytes()
    except FileNotFoundError:
        raise InvalidInput(f"there is no file {path}") from None
    except IsADirectoryError:
        raise InvalidInput(f"{path} is a folder, not a CSV file") from None
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror}") from None


def _team(ctx: Context, name: str) -> TeamView:
    wanted = " ".join(name.split()).lower()
    for team in ctx.store.teams():
        if team.name.lower() == wanted:
            return team
    raise InvalidInput(f"no team named {name!r}")


def _person_line(person: PersonView) -> str:
    details = [
        person.team or "no team",
        ", ".join(person.roles) or "no role",
        person.slack_user_id or "no Slack id",
    ]
    removed = "  (removed)" if person.removed else ""
    return f"{person.name} <{person.email}>  {' · '.join(details)}{removed}"


def _team_line(team: TeamView) -> str:
    parts = ", ".join(team.components) or "no parts yet"
    people = f"{len(team.members)} {'person' if len(team.members) == 1 else 'people'}"
    handle = f" {team.slack_handle}" if team.slack_handle else ""
    paging = f"  PagerDuty {team.pagerduty}" if team.pagerduty else ""
    return f"{team.name}{handle}  owns: {parts}  ({people}){paging}"


def _said(args: argparse.Namespace, view: Any, text: str) -> int:
    if args.json:
        print_json(view)
    else:
        print(text)
    return 0


def _report(args: argparse.Namespace, change: RosterChange, what: str) -> int:
    if args.json:
        print_json(change)
    else:
        print(change.summary(what))
    return 0
