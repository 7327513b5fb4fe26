"""The roster from Slack: the workspace's members (``users.list``) and one email looked up
(``users.lookupByEmail``). Blocking (HTTP): from the CLI or a worker thread.

When Slack is not set up or cannot be reached, the refusal says how to add the person by
hand instead, so that an IC is never left without a way forward.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ictui.config import Settings
from ictui.domain.errors import IctuiError, InvalidInput, NotFound
from ictui.domain.roster import HOW_TO_ADD, PersonRow, check_email, check_name
from ictui.domain.views import PersonView, RosterChange
from ictui.slack.client import Gateway, SlackFailure, next_cursor

if TYPE_CHECKING:
    # The cockpit's LazyStore too: this module does not load the database layer itself.
    from ictui.store.interface import StoreAPI

# users.list: Slack's recommended page size, and a bound on pages (200,000 members).
PAGE_SIZE = 200
MAX_PAGES = 1000
_SLACKBOT = "USLACKBOT"


class SlackUnavailable(IctuiError):
    """Slack could not be asked; the message says how to do it by hand."""


def sync_people(store: StoreAPI, settings: Settings, *, update_names: bool = False) -> RosterChange:
    """Add or link every human member of the workspace by email, with their Slack user id;
    the names on the roster are kept unless ``update_names``."""
    if not settings.slack_configured:
        raise SlackUnavailable(
            "Slack is not set up (no SLACK_BOT_TOKEN), so its members cannot be read; "
            f"add people by hand: {HOW_TO_ADD}, or `ictui people import people.csv`"
        )
    try:
        members = list(workspace_members(Gateway(settings)))
    except SlackFailure as exc:
        raise SlackUnavailable(
            f"{exc}; nothing was changed. Add people by hand meanwhile: {HOW_TO_ADD}"
        ) from None
    return store.sync_people(members, update_names=update_names)


def workspace_members(gateway: Gateway) -> list[PersonRow]:
    """Every human, active member with an email, over every page of ``users.list``."""
    members: list[PersonRow] = []
    cursor = ""
    for _ in range(MAX_PAGES):
        data = gateway.call("users.list", limit=PAGE_SIZE, **({"cursor": cursor} if cursor else {}))
        for user in data.get("members", []):
            row = member_row(user)
            if row is not None:
                members.append(row)
        cursor = next_cursor(data)
        if not cursor:
            break
    return members


def member_row(user: dict[str, Any]) -> PersonRow | None:
    """A Slack member as a roster row; None for bots, apps, deactivated members, no email."""
    if user.get("deleted") or user.get("is_bot") or user.get("is_app_user") or user.get("id") == _SLACKBOT:
        return None
    profile = user.get("profile") or {}
    try:
        email = check_email(str(profile.get("email") or ""))
    except InvalidInput:
        return None
    raw_name = (
        profile.get("real_name")
        or user.get("real_name")
        or profile.get("display_name")
        or user.get("name")
        or email
    )
    try:
        name = check_name(str(raw_name))
    except InvalidInput:
        name = email
    return PersonRow(name=name, email=email, slack_user_id=str(user.get("id") or ""))


def roster_person(store: StoreAPI, settings: Settings, email: str) -> PersonView:
    """Someone on the roster; someone the roster lacks but Slack knows is added from Slack.

    Refused, with how to add them by hand: an email Slack does not know, Slack not set up
    or unreachable. A person removed from the roster stays removed.
    """
    email = check_email(email)
    try:
        return store.person(email)
    except NotFound:
        pass
    if not settings.slack_configured:
        raise SlackUnavailable(
            f"nobody with the email {email} is on the roster, and Slack is not set up to look them up; "
            f"add them: {HOW_TO_ADD.replace('EMAIL', email)}"
        )
    try:
        user = Gateway(settings).call("users.lookupByEmail", email=email)["user"]
    except SlackFailure as exc:
        if exc.code == "users_not_found":
            raise NotFound(
                f"nobody with the email {email} is on the roster or in the Slack workspace; "
                f"check the spelling, or add them: {HOW_TO_ADD.replace('EMAIL', email)}"
            ) from None
        raise SlackUnavailable(
            f"nobody with the email {email} is on the roster, and Slack could not look them up ({exc}); "
            f"add them: {HOW_TO_ADD.replace('EMAIL', email)}"
        ) from None
    row = member_row(user)
    if row is None:
        raise InvalidInput(
            f"{email} is a bot or a deactivated member in Slack; it cannot be named on an incident"
        )
    store.sync_people([PersonRow(name=row.name, email=email, slack_user_id=row.slack_user_id)])
    return store.person(email)


def ensure_person(store: StoreAPI, settings: Settings, email: str, name: str = "") -> PersonView:
    """The person to assign: on the roster already; or added with the name typed (their
    Slack id found by email when Slack can say); or, with no name, looked up in Slack."""
    email = check_email(email)
    try:
        return store.person(email)
    except NotFound:
        if not name.strip():
            return roster_person(store, settings, email)
    slack_user_id = ""
    if settings.slack_configured:
        try:
            user = Gateway(settings).call("users.lookupByEmail", email=email)["user"]
            row = member_row(user)
            slack_user_id = row.slack_user_id if row else ""
        except SlackFailure:
            pass  # not in Slack, or Slack down: the person is added all the same
    store.add_person(name, email, slack_user_id=slack_user_id)
    return store.person(email)
