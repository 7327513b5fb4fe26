"""The roster from Slack: ``ictui people sync`` over every page of ``users.list``, an IC that
only Slack knows, and what is said when Slack is unset or down. Real HTTP to the fake Slack."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ictui.cli.main import main
from ictui.store import Store
from support import REPO
from support.fake_slack import FakeSlack

EXAMPLES = REPO / "examples"


@pytest.fixture
def run(
    tmp_path: Path, fake_slack: FakeSlack, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    monkeypatch.setenv("SLACK_BOT_TOKEN", fake_slack.token)
    monkeypatch.setenv("SLACK_API_URL", fake_slack.url)
    monkeypatch.setenv("ICTUI_BROADCAST_CHANNEL", "#rnd")
    db = tmp_path / "team.db"

    def cli(*args: str) -> tuple[int, str, str]:
        code = main(["--db", str(db), *args])
        out, err = capsys.readouterr()
        assert "Traceback" not in err and fake_slack.token not in out + err
        return code, out, err

    cli.db = db  # type: ignore[attr-defined]
    return cli


def people(run) -> list[dict]:  # type: ignore[no-untyped-def]
    code, out, _ = run("people", "list", "--all", "--json")
    assert code == 0
    return json.loads(out)


@pytest.mark.slow
def test_sync_reads_every_page_skips_bots_and_deactivated_and_never_duplicates(
    run, fake_slack: FakeSlack
) -> None:  # type: ignore[no-untyped-def]
    run("people", "add", "Dana Kim", "dana@example.com", "--roles", "tech lead")  # typed by hand first
    dana = fake_slack.add_user("dana", "dana@example.com", "Dana Kim")
    members = {
        fake_slack.add_user(f"user{i}", f"user{i}@example.com", f"User {i:03d}"): i for i in range(230)
    }
    fake_slack.add_user("deploybot", "deploybot@example.com", "Deploy Bot", bot=True)
    fake_slack.add_user("gone", "gone@example.com", "Gone Person", deleted=True)

    code, out, err = run("people", "sync")
    assert code == 0, err
    assert out.strip() == "people from Slack: 230 added, 1 updated, 0 unchanged"
    assert len(fake_slack.calls_to("users.list", ok_only=True)) == 2  # 200 a page, and the rest

    roster = {p["email"]: p for p in people(run)}
    assert len(roster) == 231
    assert "deploybot@example.com" not in roster and "gone@example.com" not in roster
    assert roster["dana@example.com"]["slack_user_id"] == dana
    assert roster["dana@example.com"]["roles"] == ["tech lead"]  # the roster's own details stay
    first = next(iter(members))
    assert roster["user0@example.com"]["slack_user_id"] == first

    # Run again after changes in Slack: adds, never duplicates, and keeps the names on
    # the roster (--update-names takes Slack's).
    fake_slack.users[first].real_name = "User Zero"
    fake_slack.add_user("newbie", "newbie@example.com", "New Bie")
    code, out, _ = run("people", "sync", "--json")
    change = json.loads(out)
    assert (change["added"], change["updated"], change["unchanged"]) == (["newbie@example.com"], [], 231)
    roster = people(run)
    assert len(roster) == 232 and len({p["email"] for p in roster}) == 232
    assert next(p for p in roster if p["email"] == "user0@example.com")["name"] == "User 000"
    code, out, _ = run("people", "sync", "--update-names", "--json")
    assert json.loads(out)["updated"] == ["user0@example.com"]
    assert next(p for p in people(run) if p["email"] == "user0@example.com")["name"] == "User Zero"


def test_sync_fills_what_the_roster_lacks_and_never_renames_someone_typed_by_hand(
    run, fake_slack: FakeSlack
) -> None:  # type: ignore[no-untyped-def]
    run("people", "add", "Priya Shah", "priya@example.com", "--roles", "EM")
    priya = fake_slack.add_user("priya", "priya@example.com", "Priya S (Slack)")
    code, out, err = run("people", "sync")
    assert code == 0, err
    assert out.strip() == "people from Slack: 0 added, 1 updated, 0 unchanged"
    [person] = people(run)
    assert (person["name"], person["slack_user_id"], person["roles"]) == ("Priya Shah", priya, ["EM"])
    assert run("people", "sync")[1].strip() == "people from Slack: 0 added, 0 updated, 1 unchanged"


def test_an_ic_without_a_slack_account_is_said_not_invited_once(run, fake_slack: FakeSlack) -> None:  # type: ignore[no-untyped-def]
    fake_slack.add_user("marcus", "marcus@example.com", "Marcus Chen")
    run("teams", "add", "Web", "--parts", "performance")
    run("people", "add", "Marcus Chen", "marcus@example.com", "--team", "Web")
    run("people", "add", "Zed Nobody", "zed@example.com", "--team", "Web")
    code, out, err = run(
        "declare", "Slow", "--ic", "zed@example.com", "--part", "performance", "--invite-owners"
    )
    assert code == 0, err
    store = Store(run.db)
    try:
        texts = [e.text for e in store.timeline(int(out.strip()))]
    finally:
        store.close()
    assert texts.count("Not invited, no Slack account has the email: zed@example.com") == 1, texts
    assert "Invited to #incident-1-slow: Marcus Chen" in texts
    assert len(texts) == len(set(texts)), texts


def test_an_ic_only_slack_knows_is_looked_up_and_added_on_declare(run, fake_slack: FakeSlack) -> None:  # type: ignore[no-untyped-def]
    user_id = fake_slack.add_user("ic", "ic@example.com", "Ines Carvalho")
    code, out, err = run("declare", "Slow app load times", "--ic", "IC@example.com")
    assert code == 0, err
    assert [c.params.get("email") for c in fake_slack.calls_to("users.lookupByEmail")][:1] == [
        "ic@example.com"
    ]
    code, out, _ = run("show", out.strip(), "--json")
    ic = json.loads(out)["incident"]["ic"]
    assert (ic["name"], ic["email"], ic["slack_user_id"]) == ("Ines Carvalho", "ic@example.com", user_id)
    channel = fake_slack.channel_named("incident-1-slow-app-load-times")
    assert channel is not None and user_id in channel.members


def test_an_email_neither_the_roster_nor_slack_knows_is_refused_with_how_to_add_it(
    run, fake_slack: FakeSlack
) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run("declare", "Slow app load times", "--ic", "ghost@example.com")
    assert code == 2 and out == ""
    assert "nobody with the email ghost@example.com is on the roster or in the Slack workspace" in err
    assert 'ictui people add "NAME" ghost@example.com' in err
    assert json.loads(run("list", "--json")[1]) == []


def test_slack_down_or_unset_says_how_to_add_people_by_hand(
    run, fake_slack: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    fake_slack.add_user("ic", "ic@example.com", "Ines Carvalho")
    fake_slack.go_down()
    for args in (("people", "sync"), ("declare", "Slow", "--ic", "ic@example.com")):
        code, out, err = run(*args)
        assert code == 2 and out == "" and err.count("\n") == 1, err
        assert "cannot reach Slack" in err and "ictui people add" in err
    monkeypatch.delenv("SLACK_BOT_TOKEN")
    for args in (("people", "sync"), ("declare", "Slow", "--ic", "ic@example.com")):
        code, out, err = run(*args)
        assert code == 2 and "Slack is not set up" in err and "ictui people add" in err
    assert people(run) == [] and json.loads(run("list", "--json")[1]) == []


def test_a_missing_scope_is_named(run, fake_slack: FakeSlack) -> None:  # type: ignore[no-untyped-def]
    fake_slack.scopes.discard("users:read")
    code, _, err = run("people", "sync")
    assert code == 2 and "lacks the users:read scope" in err


def test_a_fresh_database_set_up_only_by_commands_declares_and_invites_the_ic_and_the_owners(  # type: ignore[no-untyped-def]
    run, fake_slack: FakeSlack
) -> None:
    """The issue's "done when": teams from the shipped CSV, people from Slack, then a declaration."""
    ids = {
        email: fake_slack.add_user(email.split("@")[0], email, name)
        for name, email in [
            ("Dana Kim", "dana@example.com"),
            ("Priya Shah", "priya@example.com"),
            ("Sam O'Connor", "sam@example.com"),
            ("Marcus Chen", "marcus@example.com"),
            ("Luis Fernandez", "luis@example.com"),
            ("Ana Ruiz", "ana@example.com"),
        ]
    }
    assert run("teams", "import", str(EXAMPLES / "teams.csv"))[0] == 0
    assert run("people", "sync")[1].strip() == "people from Slack: 6 added, 0 updated, 0 unchanged"
    # Who is on which team, from the CSV: it links to the people Slack brought in by email.
    code, out, _ = run("people", "import", str(EXAMPLES / "people.csv"))
    assert code == 0 and out.strip() == "people: 0 added, 6 updated, 0 unchanged"
    assert {p["email"]: p["slack_user_id"] for p in people(run)} == ids  # the ids stay

    code, out, err = run(
        "declare",
        "Slow app load times",
        "--severity",
        "SEV2",
        "--ic",
        "marcus@example.com",
        "--part",
        "performance",
        "--invite-owners",
    )
    assert code == 0, err
    channel = fake_slack.channel_named("incident-1-slow-app-load-times")
    assert channel is not None
    invited = channel.members - {"UBOT00001", "UHUMAN001"}
    # The IC, and the owners of "performance": the app team (Web Platform) and DevOps.
    assert invited == {
        ids["marcus@example.com"],
        ids["dana@example.com"],
        ids["priya@example.com"],
        ids["sam@example.com"],
    }
    store = Store(run.db)
    try:
        number = int(out.strip())
        assert {p.team for p, _ in store.suggest_responders(number)} == {"Web Platform", "DevOps"}
        texts = [e.text for e in store.timeline(number)]
    finally:
        store.close()
    assert any(t.startswith("Invited to #incident-1-slow-app-load-times: Marcus Chen") for t in texts)
    assert any("Dana Kim" in t and "Sam O'Connor" in t and t.startswith("Invited") for t in texts)


@pytest.mark.slow
async def test_the_assign_picker_adds_an_email_slack_knows(
    fake_slack: FakeSlack,
    slack_settings,
    slack_store: Store,  # type: ignore[no-untyped-def]
) -> None:
    from textual.widgets import Input

    from ictui.tui.app import IctuiApp
    from support.cockpit import as_opened, wait_for
    from support.scenarios import settle

    user_id = fake_slack.add_user("lena", "lena@example.com", "Lena Novak")
    number = slack_store.declare("Checkout is down", ic_email="ana@example.com").number
    app = IctuiApp(as_opened(slack_store, slack_settings), slack_settings, cursor_blink=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        app.screen.query_one("#role").value = "responder"
        app.screen.query_one("#new-email", Input).value = "lena@example.com"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: any(r == "responder" for r, _ in slack_store.incident(number).roles))
    lena = slack_store.person("lena@example.com")
    assert (lena.name, lena.slack_user_id) == ("Lena Novak", user_id)
    assert "lena@example.com" in [c.params.get("email") for c in fake_slack.calls_to("users.lookupByEmail")]


def test_someone_removed_before_the_channel_exists_is_not_invited(
    fake_slack: FakeSlack,
    slack_settings,
    slack_store: Store,  # type: ignore[no-untyped-def]
) -> None:
    from ictui.domain.enums import IncidentRole
    from ictui.slack.outbox import deliver_pending

    ana = fake_slack.add_user("ana", "ana@example.com", "Ana Ruiz")
    bo = fake_slack.add_user("bo", "bo@example.com", "Bo Chen")
    number = slack_store.declare("Checkout is down", ic_email="ana@example.com").number
    slack_store.assign_role(number, IncidentRole.RESPONDER, "bo@example.com")
    slack_store.remove_person("ana@example.com")  # before Slack was reached: the invitation waits

    deliver_pending(slack_store, slack_settings)

    channel = fake_slack.channel_named("incident-1-checkout-is-down")
    assert channel is not None and bo in channel.members and ana not in channel.members
    texts = [e.text for e in slack_store.timeline(number)]
    assert "Not invited, removed from the roster: Ana Ruiz" in texts
    assert slack_store.incident(number).ic.name == "Ana Ruiz"  # type: ignore[union-attr]
