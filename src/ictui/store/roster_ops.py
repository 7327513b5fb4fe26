"""People and teams: the roster the IC picks from and the owners the cockpit suggests.

A mixin of :class:`ictui.store.api.Store`. A person removed from
the roster keeps their row, so that every incident, timeline and post-mortem they were
part of still names them; they are no longer listed, suggested, assigned or invited.
Imports and the Slack sync write all their rows in one transaction, or none.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlmodel import col

from ictui.domain.clock import now
from ictui.domain.errors import InvalidInput, NotFound
from ictui.domain.limits import checked, checked_list, quoted
from ictui.domain.paging import check_key, mask_key
from ictui.domain.roster import (
    PersonRow,
    TeamRow,
    check_email,
    check_name,
    check_slack_user_id,
    checked_row,
    checked_team_row,
    refuse_rows,
    split_list,
)
from ictui.domain.text import clean_line
from ictui.domain.views import PersonView, RosterChange, TeamView
from ictui.store import roster_reads
from ictui.store import tables as m
from ictui.store.base import driver_of
from ictui.store.records import Records
from ictui.store.write_rows import not_on_roster, removed_from_roster


class RosterOps(Records):
    # ------------------------------------------------------------------ people

    def add_person(
        self,
        name: str,
        email: str,
        roles: list[str] | None = None,
        team: str | None = None,
        slack_user_id: str = "",
    ) -> int:
        """Add someone; a person removed earlier comes back with what is given now."""
        name = check_name(name)
        email = check_email(email)
        slack_user_id = check_slack_user_id(slack_user_id)
        roles = checked_list("role", roles)

        def work(s: Session) -> int:
            team_id = self._team_id(s, team) if team else None
            existing = self._any_person(s, email)
            if existing is not None and existing.removed_at is None:
                raise InvalidInput(
                    f"{email} is already on the roster ({existing.name}); `ictui people edit` changes them"
                )
            if existing is not None:
                person = existing
                person.removed_at = None
            else:
                person = m.Person(email=email, name=name)
                s.add(person)
            person.name, person.roles, person.team_id = name, roles, team_id
            person.slack_user_id = slack_user_id or person.slack_user_id
            s.flush()
            return person.id

        return self._write(work)

    def edit_person(
        self,
        email: str,
        *,
        name: str | None = None,
        new_email: str | None = None,
        team: str | None = None,
        roles: list[str] | None = None,
        slack_user_id: str | None = None,
    ) -> PersonView:
        """Change what is given; ``team=""`` takes the person off their team."""
        checked_name = check_name(name) if name is not None else None
        checked_email = check_email(new_email) if new_email is not None else None
        checked_id = check_slack_user_id(slack_user_id) if slack_user_id is not None else None

        def work(s: Session) -> PersonView:
            person = self._person_by_email(s, email)
            if checked_email is not None and checked_email != person.email:
                other = self._any_person(s, checked_email)
                if other is not None:
                    raise InvalidInput(f"{checked_email} is already {other.name}'s email")
                person.email = checked_email
            if checked_name is not None:
                person.name = checked_name
            if team is not None:
                person.team_id = self._team_id(s, team) if team.strip() else None
            if roles is not None:
                person.roles = checked_list("role", roles)
            if checked_id is not None:
                person.slack_user_id = checked_id
            s.flush()
            return self._view_of(s, person)

        return self._write(work)

    def remove_person(self, email: str) -> PersonView:
        def work(s: Session) -> PersonView:
            person = self._person_by_email(s, email)
            person.removed_at = now()
            s.flush()
            return self._view_of(s, person)

        return self._write(work)

    def import_people(
        self, rows: list[PersonRow], source: str = "the file", problems: Iterable[tuple[int, str]] = ()
    ) -> RosterChange:
        """Add or update each row by email, all or nothing. ``problems`` are the rows the
        file's reading refused (domain.roster.people_csv): they and the rows naming an
        unknown team are refused together, in one message."""
        problems = list(problems)
        rows = [checked_row(row) for row in rows]

        def work(s: Session) -> RosterChange:
            teams = {t.name.lower(): t.id for t in s.execute(sa.select(m.Team)).scalars()}
            unknown = [
                (r.line, f"no team named {quoted(r.team)}")
                for r in rows
                if r.team and r.team.lower() not in teams
            ]
            refuse_rows(problems + unknown, source, " (import the teams first)" if unknown else "")
            added, updated, unchanged = [], [], 0
            for row in rows:
                wanted: dict[str, Any] = {
                    "name": row.name,
                    "team_id": teams[row.team.lower()] if row.team else None,
                    "roles": list(row.roles),
                }
                person = self._any_person(s, row.email)
                if person is None:
                    s.add(m.Person(email=row.email, slack_user_id=row.slack_user_id, **wanted))
                    added.append(row.email)
                    continue
                if row.slack_user_id:
                    wanted["slack_user_id"] = row.slack_user_id
                if _apply(person, wanted) or person.removed_at is not None:
                    person.removed_at = None
                    updated.append(row.email)
                else:
                    unchanged += 1
            return RosterChange(tuple(added), tuple(updated), unchanged)

        return self._write(work)

    def sync_people(self, members: Iterable[PersonRow], *, update_names: bool = False) -> RosterChange:
        """Slack's members: matched by Slack user id, then by email; added when new.

        What the roster lacks is filled in (a Slack user id); a name on the roster is
        kept as it was typed, unless ``update_names`` (then it follows Slack). Emails
        follow Slack; teams and roles are the roster's own. Someone removed from the
        roster stays removed (``ictui people add`` brings them back).
        """
        members = [checked_row(member) for member in members]

        def work(s: Session) -> RosterChange:
            added, updated, skipped, unchanged = [], [], [], 0
            for member in members:
                person = None
                if member.slack_user_id:
                    person = s.execute(
                        sa.select(m.Person).where(col(m.Person.slack_user_id) == member.slack_user_id)
                    ).scalar()
                person = person or self._any_person(s, member.email)
                if person is None:
                    s.add(m.Person(name=member.name, email=member.email, slack_user_id=member.slack_user_id))
                    s.flush()
                    added.append(member.email)
                    continue
                if person.removed_at is not None:
                    skipped.append(f"{member.email} was removed from the roster")
                    continue
                wanted: dict[str, object] = {}
                if member.slack_user_id and not person.slack_user_id:
                    wanted["slack_user_id"] = member.slack_user_id
                if update_names or not person.name:
                    wanted["name"] = member.name
                if member.email != person.email:
                    clash = self._any_person(s, member.email)
                    if clash is not None:
                        skipped.append(f"{member.email} is also {clash.name}'s email")
                        continue
                    wanted["email"] = member.email
                if _apply(person, wanted):
                    s.flush()
                    updated.append(member.email)
                else:
                    unchanged += 1
            return RosterChange(tuple(added), tuple(updated), unchanged, tuple(skipped))

        return self._write(work)

    # ------------------------------------------------------------------ teams

    def teams(self) -> list[TeamView]:
        with self._read() as s:
            teams = s.execute(sa.select(m.Team).order_by(m.Team.name)).scalars().all()
            members = s.execute(
                sa.select(col(m.Person.team_id), col(m.Person.name))
                .where(col(m.Person.removed_at).is_(None), col(m.Person.team_id).is_not(None))
                .order_by(m.Person.name)
            ).all()
        by_team: dict[int | None, list[str]] = {}
        for team_id, name in members:
            by_team.setdefault(team_id, []).append(name)
        return [_team_view(t, by_team.get(t.id, [])) for t in teams]

    def add_team(
        self, name: str, components: list[str], slack_handle: str = "", pagerduty_key: str = ""
    ) -> int:
        name = check_name(name, "a team name")
        parts = checked_list("part", components)
        slack_handle = checked("slack handle", slack_handle)
        key = check_key(pagerduty_key)

        def work(s: Session) -> int:
            if self._any_team(s, name) is not None:
                raise InvalidInput(f"there is already a team named {name!r}")
            team = m.Team(name=name, components=parts, slack_handle=slack_handle, pagerduty_key=key)
            s.add(team)
            s.flush()
            return team.id

        return self._write(work)

    def edit_team(
        self,
        name: str,
        *,
        new_name: str | None = None,
        parts: list[str] | None = None,
        add_parts: Iterable[str] = (),
        remove_parts: Iterable[str] = (),
        slack_handle: str | None = None,
        pagerduty_key: str | None = None,
    ) -> TeamView:
        """Rename, set the parts it owns (or add and remove some), change its Slack handle
        or its PagerDuty integration key ("" clears it)."""
        checked_name = check_name(new_name, "a team name") if new_name is not None else None
        handle = checked("slack handle", slack_handle) if slack_handle is not None else None
        parts = checked_list("part", parts) if parts is not None else None
        add_parts = checked_list("part", list(add_parts))
        key = check_key(pagerduty_key) if pagerduty_key is not None else None

        def work(s: Session) -> TeamView:
            team = self._team(s, name)
            if checked_name is not None and checked_name != team.name:
                other = self._any_team(s, checked_name)
                if other is not None and other.id != team.id:
                    raise InvalidInput(f"there is already a team named {checked_name!r}")
                team.name = checked_name
            owned = split_list(";".join(parts)) if parts is not None else list(team.components)
            for part in split_list(";".join(remove_parts)):
                match = next((c for c in owned if c.lower() == part.lower()), None)
                if match is None:
                    raise InvalidInput(
                        f"{team.name} does not own {part!r}; it owns: {', '.join(owned) or 'nothing yet'}"
                    )
                owned.remove(match)
            for part in split_list(";".join(add_parts)):
                if part.lower() not in {c.lower() for c in owned}:
                    owned.append(part)
            team.components = owned
            if handle is not None:
                team.slack_handle = handle
            if key is not None:
                team.pagerduty_key = key
            s.flush()
            return _team_view(team, [])

        return self._write(work)

    def remove_team(self, name: str) -> int:
        """Remove a team; its members stay on the roster, on no team. Returns how many."""

        def work(s: Session) -> int:
            team = self._team(s, name)
            # An UPDATE's result is a CursorResult, which SQLAlchemy types as a Result.
            moved = cast(
                "sa.CursorResult[Any]",
                s.execute(sa.update(m.Person).where(col(m.Person.team_id) == team.id).values(team_id=None)),
            ).rowcount
            s.delete(team)
            return int(moved or 0)

        return self._write(work)

    def import_teams(self, rows: list[TeamRow]) -> RosterChange:
        rows = [checked_team_row(row) for row in rows]

        def work(s: Session) -> RosterChange:
            added, updated, unchanged = [], [], 0
            for row in rows:
                team = self._any_team(s, row.name)
                values: dict[str, Any] = {
                    "name": row.name,
                    "components": list(row.parts),
                    "slack_handle": row.slack_handle,
                }
                if row.pagerduty_key is not None:  # a file without the column keeps the keys
                    values["pagerduty_key"] = row.pagerduty_key
                if team is None:
                    s.add(m.Team(**values))
                    added.append(row.name)
                elif _apply(team, values):
                    updated.append(row.name)
                else:
                    unchanged += 1
            return RosterChange(tuple(added), tuple(updated), unchanged)

        return self._write(work)

    # ------------------------------------------------------------------ suggestions

    def _suggestions(self, parts: list[str], owning_teams: list[str]) -> list[tuple[PersonView, str]]:
        with self._driver_connection() as connection:
            return roster_reads.owners(connection, parts, owning_teams)

    def unowned_parts(self, parts: Iterable[str]) -> list[str]:
        """The parts no team owns (a typo, or a roster still to set up)."""
        known = {c.lower() for c in self.components()}
        return [p for p in parts if p.lower() not in known]

    # ------------------------------------------------------------------ internals

    def _any_person(self, s: Session, email: str) -> m.Person | None:
        return s.execute(sa.select(m.Person).where(col(m.Person.email) == email.strip().lower())).scalar()

    def _person_by_email(self, s: Session, email: str) -> m.Person:
        person = self._any_person(s, email)
        if person is None:
            raise not_on_roster(email)
        if person.removed_at is not None:
            raise removed_from_roster(person.name, person.email)
        return person

    def _view_of(self, s: Session, person: m.Person) -> PersonView:
        """The person as this transaction leaves them (roster_reads, on its connection)."""
        s.flush()
        return roster_reads.person(driver_of(s), person.id)

    def _any_team(self, s: Session, name: str) -> m.Team | None:
        return s.execute(
            sa.select(m.Team).where(sa.func.lower(m.Team.name) == clean_line(name).lower())
        ).scalar()

    def _team(self, s: Session, name: str) -> m.Team:
        team = self._any_team(s, name)
        if team is None:
            known = (
                ", ".join(s.execute(sa.select(col(m.Team.name)).order_by(col(m.Team.name))).scalars())
                or "none yet"
            )
            raise NotFound(f"no team named {quoted(clean_line(name))} (teams: {known})")
        return team

    def _team_id(self, s: Session, name: str) -> int:
        return self._team(s, name).id


def _team_view(team: m.Team, members: list[str]) -> TeamView:
    return TeamView(
        id=team.id,
        name=team.name,
        components=tuple(team.components),
        slack_handle=team.slack_handle,
        members=tuple(members),
        pagerduty=mask_key(team.pagerduty_key),
    )


def _apply(row: object, values: Mapping[str, object]) -> bool:
    """Set what differs; whether anything did."""
    changed = False
    for key, value in values.items():
        if getattr(row, key) != value:
            setattr(row, key, value)
            changed = True
    return changed
