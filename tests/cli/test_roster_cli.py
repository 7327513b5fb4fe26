"""Setting up a real organisation's roster from the command line: people, teams, the parts
each team owns, CSV imports; removed people keep their place in history. On a SQLite file
and on a PostgreSQL server (tests/support/pg_server.py)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from ictui.cli.main import main
from ictui.domain.enums import IncidentRole, Status
from ictui.store import Store
from support import FIXTURES, REPO
from support.pg_server import database_for

EXAMPLES = REPO / "examples"
README = REPO / "README.md"
TEAM_PAGE = REPO / "docs" / "team.md"


class Cli:
    def __init__(self, db: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.db = db
        self.capsys = capsys

    def __call__(self, *args: str) -> tuple[int, str, str]:
        code = main(["--db", str(self.db), *args])
        out, err = self.capsys.readouterr()
        assert "Traceback" not in err
        return code, out, err

    def json(self, *args: str) -> object:
        code, out, err = self(*args, "--json")
        assert code == 0, err
        return json.loads(out)


@pytest.fixture
def cli(
    request: pytest.FixtureRequest, engine: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> Cli:
    return Cli(database_for(request, engine, tmp_path, "roster.db"), capsys)  # type: ignore[arg-type]


def rows(db: Path) -> dict[str, list[tuple[object, ...]]]:
    """The roster's tables as they are stored (what "changes nothing" is checked against)."""
    store = Store(db)
    try:
        with store.engine.connect() as connection:
            return {
                table: [tuple(r) for r in connection.exec_driver_sql(f"SELECT * FROM {table} ORDER BY id")]
                for table in ("person", "team", "incident", "timelineentry", "incident_role")
            }
    finally:
        store.close()


def test_people_and_teams_are_added_edited_listed_and_removed(cli: Cli) -> None:
    assert cli("teams", "add", "Web Platform", "--parts", "navigation bar; shared UI")[0] == 0
    assert cli("teams", "add", "DevOps", "--parts", "infrastructure, performance")[0] == 0
    # A part may be owned by several teams.
    team = cli.json("teams", "edit", "Web Platform", "--add-part", "performance")
    assert team["components"] == ["navigation bar", "shared UI", "performance"]

    added = cli.json(
        "people", "add", "Dana Kim", "Dana@Example.com", "--team", "web platform", "--roles", "tech lead"
    )
    assert (added["name"], added["email"], added["team"], added["roles"]) == (
        "Dana Kim",
        "dana@example.com",
        "Web Platform",
        ["tech lead"],
    )
    cli("people", "add", "Sam O'Connor", "sam@example.com", "--team", "DevOps")
    edited = cli.json(
        "people", "edit", "sam@example.com", "--roles", "DevOps; on call", "--slack-id", "U02SAM0001"
    )
    assert (edited["roles"], edited["slack_user_id"]) == (["DevOps", "on call"], "U02SAM0001")

    listed = cli.json("teams", "list")
    assert [(t["name"], t["members"]) for t in listed] == [
        ("DevOps", ["Sam O'Connor"]),
        ("Web Platform", ["Dana Kim"]),
    ]
    code, out, _ = cli("people", "list")
    assert code == 0 and "Dana Kim <dana@example.com>  Web Platform · tech lead" in out

    removed_team = cli.json("teams", "remove", "DevOps")
    assert removed_team["name"] == "DevOps"
    assert cli.json("people", "list")[1]["team"] == ""  # Sam is still on the roster, on no team
    cli("people", "remove", "dana@example.com")
    assert [p["email"] for p in cli.json("people", "list")] == ["sam@example.com"]
    assert [p["removed"] for p in cli.json("people", "list", "--all")] == [True, False]


def test_csv_imports_add_then_change_nothing_the_second_time(cli: Cli) -> None:
    code, out, _ = cli("teams", "import", str(EXAMPLES / "teams.csv"))
    assert (code, out.strip()) == (0, "teams: 4 added, 0 updated, 0 unchanged")
    code, out, _ = cli("people", "import", str(EXAMPLES / "people.csv"))
    assert (code, out.strip()) == (0, "people: 6 added, 0 updated, 0 unchanged")
    before = rows(cli.db)

    second = cli.json("people", "import", str(EXAMPLES / "people.csv"))
    assert (second["added"], second["updated"], second["unchanged"]) == ([], [], 6)
    assert cli.json("teams", "import", str(EXAMPLES / "teams.csv"))["unchanged"] == 4
    assert rows(cli.db) == before

    # Performance is owned by the app team and by infrastructure: both are suggested.
    store = Store(cli.db)
    try:
        number = store.declare("Slow app load times", components=["performance"]).number
        teams = {person.team for person, _ in store.suggest_responders(number)}
    finally:
        store.close()
    assert teams == {"Web Platform", "DevOps"}


def test_a_changed_csv_row_updates_that_person(cli: Cli, tmp_path: Path) -> None:
    cli("teams", "import", str(EXAMPLES / "teams.csv"))
    cli("people", "import", str(EXAMPLES / "people.csv"))
    changed = tmp_path / "people.csv"
    changed.write_text(
        "email,name,team\npriya@example.com,Priya Shah,DevOps\nnew@example.com,Nia Obi,\n", encoding="utf-8"
    )
    result = cli.json("people", "import", str(changed))
    assert (result["added"], result["updated"]) == (["new@example.com"], ["priya@example.com"])


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            b"name,email\nAna,ana@example.com\nBo,bo@\n,cy@example.com\nDee,ana@example.com\n",
            [
                "3 bad rows",
                "row 3: 'bo@' is not an email address",
                "row 4: a name is required",
                "row 5: ana@example.com is also on row 2",
            ],
        ),
        (b"name,mail\nAna,ana@example.com\n", ["has the columns name, mail; expected name, email"]),
        (b"name,email\nJos\xe9,jose@example.com\n", ["is not UTF-8 text"]),
        (b"name,email,team\nAna,ana@example.com,Nowhere\n", ["row 2: no team named 'Nowhere'"]),
        (b"", ["is empty"]),
    ],
    ids=["bad-rows", "wrong-columns", "latin-1", "unknown-team", "empty"],
)
def test_a_bad_people_csv_imports_nothing_and_says_why(
    cli: Cli, tmp_path: Path, content: bytes, expected: list[str]
) -> None:
    cli("people", "add", "Old Timer", "old@example.com")
    before = rows(cli.db)
    path = tmp_path / "people.csv"
    path.write_bytes(content)
    code, out, err = cli("people", "import", str(path))
    assert code == 2 and out == ""
    assert err.startswith("ictui: ") and err.count("\n") == 1, err
    for text in expected:
        assert text in err
    assert rows(cli.db) == before


def test_a_bad_teams_csv_imports_nothing(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "teams.csv"
    path.write_text("name,parts\nWeb,shared UI\n,performance\nweb,other\n", encoding="utf-8")
    code, _, err = cli("teams", "import", str(path))
    assert code == 2
    assert "row 3: a team name is required" in err and "row 4: the team 'web' is also on row 2" in err
    if isinstance(cli.db, Path):
        assert not cli.db.exists(), "refused before the database was opened: not even created"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("people", "add", "Bo", "bo@@example.com"), "is not an email address"),
        (("people", "add", "Bo", "bo example.com"), "is not an email address"),
        (("people", "add", "  ", "bo@example.com"), "a name is required"),
        (("people", "add", "Bo", "ANA@example.com"), "ana@example.com is already on the roster (Ana Ruiz)"),
        (("people", "add", "Bo", "bo@example.com", "--team", "Nope"), "no team named 'Nope'"),
        (("people", "edit", "ana@example.com", "--email", "not-an-email"), "is not an email address"),
        (("people", "edit", "ana@example.com", "--name", ""), "a name is required"),
        (("people", "edit", "nobody@example.com", "--name", "X"), "nobody with the email"),
        (("people", "remove", "nobody@example.com"), "nobody with the email"),
        (("teams", "add", "web platform"), "there is already a team named 'web platform'"),
        (("teams", "add", ""), "a team name is required"),
        (
            ("teams", "edit", "Web Platform", "--remove-part", "billing"),
            "Web Platform does not own 'billing'",
        ),
        (("teams", "edit", "Nope", "--add-part", "x"), "no team named 'Nope'"),
        (("teams", "remove", "Nope"), "no team named 'Nope'"),
        (("declare", "Slow", "--part", "warp drive"), "no team owns 'warp drive'"),
        (("declare", "Slow", "--ic", "not an email"), "is not an email address"),
        (("people", "import", "/no/such/file.csv"), "there is no file /no/such/file.csv"),
    ],
)
def test_bad_input_is_one_clear_line_and_changes_nothing(
    cli: Cli, args: tuple[str, ...], message: str
) -> None:
    cli("teams", "add", "Web Platform", "--parts", "shared UI")
    cli("people", "add", "Ana Ruiz", "ana@example.com", "--team", "Web Platform")
    before = rows(cli.db)
    code, out, err = cli(*args)
    assert code == 2 and out == ""
    assert err.startswith("ictui: ") and err.count("\n") == 1, err
    assert message in err
    assert rows(cli.db) == before


def test_a_removed_person_stays_named_on_history_but_is_no_longer_suggested_or_invitable(cli: Cli) -> None:
    cli("teams", "add", "DevOps", "--parts", "performance")
    cli("people", "add", "Sam O'Connor", "sam@example.com", "--team", "DevOps", "--roles", "DevOps")
    cli("people", "add", "Lena Novak", "lena@example.com", "--team", "DevOps")
    store = Store(cli.db)
    try:
        number = store.declare(
            "Slow app load times", ic_email="sam@example.com", components=["performance"]
        ).number
        store.assign_role(number, IncidentRole.TECH_LEAD, "lena@example.com")
        store.change_status(number, Status.RESOLVED)
    finally:
        store.close()

    cli("people", "remove", "sam@example.com")

    shown = cli.json("show", str(number))
    assert shown["incident"]["ic"]["name"] == "Sam O'Connor"
    assert any(e["text"] == "IC: Sam O'Connor" for e in shown["timeline"])
    assert cli.json("list")[0]["ic_name"] == "Sam O'Connor"
    code, out, _ = cli("postmortem", str(number), "--format", "md")
    assert code == 0 and "Sam O'Connor" in out
    store = Store(cli.db)
    try:
        assert [p.name for p, _ in store.suggest_responders(number)] == ["Lena Novak"]
        outbox_before = len(store.outbox_items(include_done=True))
        with pytest.raises(Exception, match="was removed from the roster"):
            store.assign_role(number, IncidentRole.RESPONDER, "sam@example.com")
        assert len(store.outbox_items(include_done=True)) == outbox_before  # no invitation queued
    finally:
        store.close()
    code, _, err = cli("declare", "Again", "--ic", "sam@example.com")
    assert code == 2 and "was removed from the roster" in err and "people add" in err

    # Added again, they are back (one row: history and roster agree on who they are).
    cli("people", "add", "Sam O'Connor", "sam@example.com", "--team", "DevOps")
    assert [p["email"] for p in cli.json("people", "list", "--all")].count("sam@example.com") == 1


def test_role_and_ic_changes_are_on_the_timeline(cli: Cli) -> None:
    cli("people", "add", "Ana Ruiz", "ana@example.com")
    cli("people", "add", "Bo Chen", "bo@example.com")
    store = Store(cli.db)
    try:
        number = store.declare("Login broken", ic_email="ana@example.com").number
        store.assign_role(number, IncidentRole.IC, "bo@example.com", author="ana")
        store.assign_role(number, IncidentRole.COMMS, "ana@example.com", author="bo")
        texts = [(e.author, e.text) for e in store.timeline(number) if e.kind == "role"]
    finally:
        store.close()
    assert texts == [("", "IC: Ana Ruiz"), ("ana", "IC: Ana Ruiz → Bo Chen"), ("bo", "comms: Ana Ruiz")]


def test_a_database_from_schema_1_can_remove_people(tmp_path: Path) -> None:
    dump = (FIXTURES / "schema_v1.sql").read_text(encoding="utf-8")
    path = tmp_path / "old.db"
    connection = sqlite3.connect(path)
    connection.executescript(dump)
    connection.close()
    store = Store(path)
    try:
        store.remove_person("marcus@example.com")
        assert store.people() == [] and store.incident(1).ic.name == "Marcus Chen"  # type: ignore[union-attr]
    finally:
        store.close()


def test_the_docs_say_how_to_set_up_a_team_with_the_example_files(cli: Cli) -> None:
    text = TEAM_PAGE.read_text(encoding="utf-8")
    section = text.split("## Set up your team", 1)[1].split("\n## ", 1)[0]
    for needed in (
        "ictui people sync",
        "ictui teams import examples/teams.csv",
        "ictui people import examples/people.csv",
        "name,email,team,roles,slack_user_id",
        "name,parts,slack_handle",
    ):
        assert needed in section
    assert "(docs/team.md)" in README.read_text(encoding="utf-8")
