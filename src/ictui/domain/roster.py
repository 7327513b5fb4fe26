"""The roster: who can be named on an incident, and which team owns which part of the product.

Pure rules, no I/O: checking an email, a name, a list of parts or roles, and reading the
two CSV files (``people.csv``, ``teams.csv``) into checked rows. A file with one bad row
is refused whole, each bad row named: an import changes everything or nothing.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, replace
from functools import lru_cache

from ictui.domain.errors import InvalidInput
from ictui.domain.limits import LIMITS, check_length, checked, checked_list, quoted
from ictui.domain.paging import check_key
from ictui.domain.views import PersonView

MAX_NAME = LIMITS["name"]
HOW_TO_ADD = 'ictui people add "NAME" EMAIL [--team TEAM]'

PEOPLE_COLUMNS = ("name", "email", "team", "roles", "slack_user_id")
PEOPLE_REQUIRED = ("name", "email")
TEAMS_COLUMNS = ("name", "parts", "slack_handle", "pagerduty_key")
TEAMS_REQUIRED = ("name",)
_EXTRA = "\x00extra"
_SLACK_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")


@lru_cache(maxsize=32_768)
def check_email(email: str) -> str:
    """The email as stored (trimmed, lower case), or a clear refusal: the one check of an
    address, by email-validator (its syntax rules; no DNS look-up). Remembered: a file's
    rows are checked as it is read, and again by the store."""
    cleaned = email.strip()
    if not cleaned:
        raise InvalidInput("an email is required")
    check_length("email", cleaned)
    # Imported here: the command line starts without it until an address is checked.
    from email_validator import EmailNotValidError, validate_email

    try:
        valid = validate_email(cleaned, check_deliverability=False)
    except EmailNotValidError:
        raise InvalidInput(f"{quoted(cleaned)} is not an email address (like ana@example.com)") from None
    return valid.normalized.lower()


def check_name(name: str, what: str = "a name") -> str:
    """A person's name (or, with ``what="a team name"``, a team's): one line, not empty
    (nor only invisible characters), within its limit."""
    kind = "team" if "team" in what else "name"
    return checked(kind, name, required=True, what=what)


def check_slack_user_id(user_id: str) -> str:
    cleaned = user_id.strip()
    if cleaned and not _SLACK_USER_ID.match(cleaned):
        raise InvalidInput(f"{cleaned!r} is not a Slack user id (like U02ABC123)")
    return cleaned


def split_list(text: str, kind: str = "part") -> list[str]:
    """``"shared UI; performance"`` (or commas) as a clean list, order kept, repeats
    dropped, each item within the limit of ``kind`` (a part, a role)."""
    return checked_list(kind, re.split(r"[;,]", text))


@dataclass(frozen=True, slots=True)
class PersonRow:
    name: str
    email: str
    team: str = ""
    roles: tuple[str, ...] = ()
    slack_user_id: str = ""
    line: int = 0


@dataclass(frozen=True, slots=True)
class TeamRow:
    name: str
    parts: tuple[str, ...] = ()
    slack_handle: str = ""
    line: int = 0
    # None: the file has no such column (the team keeps its key); "": no key.
    pagerduty_key: str | None = None


def checked_row(row: PersonRow) -> PersonRow:
    """A row as the store takes it, whoever made it (a file, Slack, a script): each
    field cleaned and within its limit, or the row is refused."""
    return replace(
        row,
        name=check_name(row.name),
        email=check_email(row.email),
        team=checked("team", row.team),
        roles=tuple(checked_list("role", row.roles)),
        slack_user_id=check_slack_user_id(row.slack_user_id),
    )


def checked_team_row(row: TeamRow) -> TeamRow:
    return replace(
        row,
        name=check_name(row.name, "a team name"),
        parts=tuple(checked_list("part", row.parts)),
        slack_handle=checked("slack handle", row.slack_handle),
    )


def read_people_csv(data: bytes, source: str = "the file") -> list[PersonRow]:
    """Every row of a people CSV, checked; raises naming each bad row, or the bad columns."""
    rows, problems = people_csv(data, source)
    refuse_rows(problems, source)
    return rows


def people_csv(data: bytes, source: str = "the file") -> tuple[list[PersonRow], list[tuple[int, str]]]:
    """The good rows of a people CSV, and (line, why) for each bad one: the store adds
    the rows that name an unknown team, and refuses them all in one message."""
    rows, problems = [], []
    seen: dict[str, int] = {}
    for line, record in _records(data, source, PEOPLE_COLUMNS, PEOPLE_REQUIRED):
        try:
            _check_cells(record)
            email = check_email(record.get("email", ""))
            if email in seen:
                raise InvalidInput(f"{email} is also on row {seen[email]}")
            seen[email] = line
            rows.append(
                PersonRow(
                    name=check_name(record.get("name", "")),
                    email=email,
                    team=checked("team", record.get("team", "")),
                    roles=tuple(split_list(record.get("roles", ""), "role")),
                    slack_user_id=check_slack_user_id(record.get("slack_user_id", "")),
                    line=line,
                )
            )
        except InvalidInput as exc:
            problems.append((line, str(exc)))
    return rows, problems


def read_teams_csv(data: bytes, source: str = "the file") -> list[TeamRow]:
    rows, problems = [], []
    seen: dict[str, int] = {}
    for line, record in _records(data, source, TEAMS_COLUMNS, TEAMS_REQUIRED):
        try:
            _check_cells(record)
            name = check_name(record.get("name", ""), "a team name")
            if name.lower() in seen:
                raise InvalidInput(f"the team {name!r} is also on row {seen[name.lower()]}")
            seen[name.lower()] = line
            rows.append(
                TeamRow(
                    name=name,
                    parts=tuple(split_list(record.get("parts", ""))),
                    slack_handle=checked("slack handle", record.get("slack_handle", "")),
                    line=line,
                    pagerduty_key=check_key(record["pagerduty_key"] or "")
                    if "pagerduty_key" in record
                    else None,
                )
            )
        except InvalidInput as exc:
            problems.append((line, str(exc)))
    refuse_rows(problems, source)
    return rows


def _records(
    data: bytes, source: str, columns: tuple[str, ...], required: tuple[str, ...]
) -> list[tuple[int, dict[str, str]]]:
    """(line number, {column: value}) for each non-empty row; the header is line 1."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            f"{source} is not UTF-8 text (byte {exc.start + 1}); save it as CSV UTF-8 and import it again"
        ) from None
    if "\x00" in text:
        raise InvalidInput(f"{source} is not a text file; nothing was imported")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise InvalidInput(f"{source} is not readable as CSV ({exc}); nothing was imported") from None
    wanted = ", ".join(columns)
    if not header or not any(h.strip() for h in header):
        raise InvalidInput(f"{source} is empty; its first line names the columns: {wanted}")
    names = [h.strip().lower() for h in header]
    unknown = [h for h in names if h not in columns]
    missing = [c for c in required if c not in names]
    if unknown or missing or len(set(names)) != len(names):
        found = ", ".join(h.strip() for h in header)
        raise InvalidInput(
            f"{source} has the columns {found}; expected {wanted} "
            f"({', '.join(required)} required); nothing was imported"
        )
    records = []
    try:
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            if len(row) > len(names):
                record = {_EXTRA: f"it has {len(row)} cells for {len(names)} columns"}
            else:
                record = {name: cell for name, cell in zip(names, row, strict=False)}
            records.append((reader.line_num, record))
    except csv.Error as exc:
        raise InvalidInput(
            f"{source} line {reader.line_num} is not readable as CSV ({exc}); nothing was imported"
        ) from None
    return records


def _check_cells(record: dict[str, str]) -> None:
    if _EXTRA in record:
        raise InvalidInput(record[_EXTRA])


# How many bad rows a refusal names; it counts them all, and says where the last one is.
ROWS_NAMED = 20


def refuse_rows(problems: list[tuple[int, str]], source: str, hint: str = "") -> None:
    """Nothing imported if any row is bad: one line that counts every bad row and names
    the first 20 (in the file's order) and the last one's row."""
    if not problems:
        return
    problems = sorted(problems)
    count = len(problems)
    named = "; ".join(f"row {line}: {why}" for line, why in problems[:ROWS_NAMED])
    more = count - ROWS_NAMED
    rest = f"; and {more:,} more, the last on row {problems[-1][0]}" if more > 0 else ""
    raise InvalidInput(
        f"{source}: {count:,} bad row{'s' if count > 1 else ''}, nothing was imported{hint}: {named}{rest}"
    )


# Who is suggested first: the people who lead or are on call for a team.
LEAD_ROLES = ("tech lead", "EM", "DevOps", "PM")


def suggest_owners(
    people: list[PersonView], team_parts: dict[str, list[str]], parts: list[str], owning_teams: list[str]
) -> list[tuple[PersonView, str]]:
    """Who to involve, and why: the people of every team that owns an affected part (or is
    named as owning the incident), leads and on-call roles first.

    A shared UI part maps to every team that owns it; "the app is slow" is a performance
    part owned by the app team and by infrastructure.
    """
    wanted = {c.lower() for c in parts} | {t.lower() for t in owning_teams}
    matched = {
        name: owned
        for name, owned in team_parts.items()
        if name.lower() in wanted or wanted & {c.lower() for c in owned}
    }
    suggestions = []
    for person in people:
        if person.removed or person.team not in matched:
            continue
        owned = matched[person.team]
        owns = sorted(c for c in owned if c.lower() in wanted) or [person.team]
        suggestions.append((person, f"{person.team} owns {', '.join(owns)}"))
    suggestions.sort(key=lambda pair: (not set(pair[0].roles) & set(LEAD_ROLES), pair[0].name))
    return suggestions
