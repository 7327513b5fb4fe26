"""One limit for each kind of text, checked by the store whichever way the text came;
text that shows nothing is empty; one check of emails; a CSV's bad rows all named at
once; bidi controls neutralised; odd file names printed as typed (issue 26, points
2 to 6 and 9). Real stores, on SQLite and on PostgreSQL; the real command line."""

from __future__ import annotations

import ast
import os
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from ictui.config import Settings
from ictui.domain import exports
from ictui.domain.errors import InvalidInput
from ictui.domain.roster import PersonRow, TeamRow, check_email
from ictui.store import Store
from ictui.tui.app import IctuiApp
from ictui.tui.screens.review import ReviewScreen
from ictui.tui.textual_compat import screen_lines
from support.cli import assert_one_clear_error, cli_env, ictui, ictui_bytes
from support.scenarios import settle

# The slow tier: many processes, examples or screens per test (tests/reliability is left to the full run).
pytestmark = pytest.mark.slow

BIG = "x" * 70_000
INVISIBLE = ["\u200b", "\u180e", "\ufeff", "\u200b \u2060\u00ad", "\u3164", "\u2800\ufe0f"]
# The most of a refused value a refusal may quote (domain/limits.QUOTED).
QUOTED = 60
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def one_line_quoting_little(exc: pytest.ExceptionInfo[InvalidInput]) -> str:
    message = str(exc.value)
    assert "\n" not in message
    assert "x" * (QUOTED + 1) not in message, "more than 60 characters of the value quoted"
    assert len(message) < 400, message
    return message


# ---------------------------------------------------------------------- 2. the limits


def test_the_table_has_a_limit_for_each_kind_of_text() -> None:
    from ictui.domain.limits import LIMITS

    for kind in ("title", "note", "name", "email", "team", "part", "owner", "ticket key", "update"):
        assert LIMITS[kind] > 0


def _writes(store: Store) -> dict[str, Any]:
    """Every way a text reaches the store, each with 70,000 characters where its kind goes."""
    number = store.declare("Checkout fails").number
    item = store.add_action_item(number, "Alert on checkout")
    return {
        "title": lambda: store.declare(BIG),
        "title edited": lambda: store.edit_incident(number, title=BIG),
        "summary": lambda: store.declare("Ok", summary=BIG),
        "part": lambda: store.declare("Ok", components=[BIG]),
        "team owning": lambda: store.edit_incident(number, owning_teams=[BIG]),
        "note": lambda: store.add_entry(number, BIG),
        "status note": lambda: store.change_status(
            number, store.incident(number).status.__class__("monitoring"), note=BIG
        ),
        "severity reason": lambda: store.change_severity(
            number, store.incident(number).severity.__class__("SEV1"), reason=BIG
        ),
        "update": lambda: store.queue_update(number, BIG),
        "name": lambda: store.add_person(BIG, "ana@example.com"),
        "email": lambda: store.add_person("Ana", BIG + "@example.com"),
        "role": lambda: store.add_person("Ana", "ana@example.com", roles=[BIG]),
        "team": lambda: store.add_team(BIG, []),
        "team's part": lambda: store.add_team("Web", [BIG]),
        "slack handle": lambda: store.add_team("Web", [], slack_handle=BIG),
        "item title": lambda: store.add_action_item(number, BIG),
        "owner": lambda: store.update_action_item(item.id, owner=BIG),
        "ticket key": lambda: store.update_action_item(item.id, ticket_key="OPS-" + "1" * 70_000),
        "section": lambda: store.save_postmortem(number, root_cause=BIG),
        "facilitator": lambda: store.save_postmortem(number, facilitator=BIG),
        "csv row": lambda: store.import_people([PersonRow(name=BIG, email="bo@example.com", line=2)]),
        "slack member": lambda: store.sync_people([PersonRow(name="Bo", email=BIG + "@example.com")]),
        "team row": lambda: store.import_teams([TeamRow(name="Web", parts=(BIG,))]),
    }


def test_every_path_into_the_store_refuses_an_overlong_text_in_one_short_line(any_store: Store) -> None:
    for write in _writes(any_store).values():
        with pytest.raises(InvalidInput) as refused:
            write()
        one_line_quoting_little(refused)
    # Nothing of it was kept.
    assert [i.title for i in any_store.list_incidents()] == ["Checkout fails"]
    assert any_store.people(include_removed=True) == [] and any_store.teams() == []
    assert all(len(e.text) < 1_000 for e in any_store.timeline(1))
    assert any_store.updates(1) == []


def test_the_command_line_refuses_overlong_values_without_echoing_them(tmp_path: Path) -> None:
    env = cli_env(tmp_path)
    db = tmp_path / "limits.db"
    store = Store(db)
    number = store.declare("Checkout fails").number
    store.add_action_item(number, "Alert on checkout")
    store.close()
    for args in (
        ["status", "1", "monitoring", "--note", BIG],
        ["action", "1", "--owner", BIG],
        ["people", "add", "X", BIG + "@example.com"],
        ["teams", "add", "Web", "--parts", BIG],
    ):
        message = assert_one_clear_error(ictui(env, db, *args))
        assert "x" * (QUOTED + 1) not in message and len(message) < 400, message
    store = Store(db)
    try:
        assert store.incident(1).status == "investigating"
        assert [i.owner for i in store.action_items(1)] == [""]
        assert store.people() == [] and store.teams() == []
    finally:
        store.close()


# ---------------------------------------------------------------------- 3. invisible text


@pytest.mark.parametrize("blank", INVISIBLE, ids=[f"U+{ord(t[0]):04X}" for t in INVISIBLE])
def test_text_that_shows_nothing_is_refused_as_empty(store: Store, blank: str) -> None:
    for write, said in (
        (lambda: store.add_person(blank, "ana@example.com"), "a name is required"),
        (lambda: store.declare(blank), "the title is required"),
        (lambda: store.add_team(blank, []), "a team name is required"),
    ):
        with pytest.raises(InvalidInput, match=said):
            write()
    from ictui.domain.roster import people_csv

    rows, problems = people_csv(f"name,email\n{blank},ana@example.com\n".encode())
    assert rows == [] and problems == [(2, "a name is required")]
    assert store.people() == [] and store.list_incidents() == [] and store.teams() == []
    # Next to visible text, they stay: a joiner in an emoji, a zero-width space in a word.
    assert store.declare("Login 👩🏽‍💻 fails").title == "Login 👩🏽‍💻 fails"


# ---------------------------------------------------------------------- 4. emails


@pytest.mark.parametrize(
    "email",
    [
        "[@click=app.bell]x",
        "[@click=app.bell]x@example.com",
        "ana@exa mple.com",
        "ana@@example.com",
        "ana@example",
        "<ana@example.com>",
        "ana@example..com",
        "\u202eana@example.com",
    ],
)
def test_an_email_is_checked_by_email_validator(store: Store, email: str) -> None:
    with pytest.raises(InvalidInput, match="is not an email address"):
        check_email(email)
    with pytest.raises(InvalidInput):
        store.add_person("Ana", email)
    assert store.people() == []
    assert check_email(" Ana.Ruiz+ops@Example.COM ") == "ana.ruiz+ops@example.com"


def test_emails_are_checked_in_one_place() -> None:
    import ictui

    source = Path(ictui.__file__).parent
    users = []
    for path in source.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = (
                    [node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
                )
                if any(n.startswith("email_validator") for n in names):
                    users.append(path.relative_to(source).as_posix())
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and "@[^" in node.value:
                users.append(f"{path.relative_to(source).as_posix()} (a regular expression of emails)")
    assert users == ["domain/roster.py"]


def test_the_command_line_refuses_a_markup_email(tmp_path: Path) -> None:
    env = cli_env(tmp_path)
    message = assert_one_clear_error(
        ictui(env, tmp_path / "e.db", "people", "add", "Ana", "[@click=app.bell]x")
    )
    assert "'[@click=app.bell]x' is not an email address" in message


# ---------------------------------------------------------------------- 5. a CSV in one pass


def test_a_people_csv_names_its_bad_rows_and_its_unknown_teams_together(
    any_store: Store, tmp_path: Path
) -> None:
    any_store.add_team("Web", [])
    from ictui.domain.roster import people_csv

    data = "name,email,team\nAna,ana@example.com,Web\nBo,not-an-email,Web\nCai,cai@example.com,Nope\n"
    rows, problems = people_csv(data.encode(), "people.csv")
    with pytest.raises(InvalidInput) as refused:
        any_store.import_people(rows, "people.csv", problems)
    message = str(refused.value)
    assert message.startswith("people.csv: 2 bad rows, nothing was imported")
    assert "row 3: 'not-an-email' is not an email address" in message
    assert "row 4: no team named 'Nope'" in message
    assert any_store.people() == []


def test_a_10000_row_csv_counts_every_bad_row_names_the_first_20_and_the_last(tmp_path: Path) -> None:
    lines = ["name,email,team"]
    bad = {5001, 6000, 10001}  # the file's lines (the header is line 1)
    for line in range(2, 10_002):
        email = "nobody" if line in bad else f"p{line}@example.com"
        team = "Nope" if line in (7000, 10000) else ""
        lines.append(f"Person {line},{email},{team}")
    path = tmp_path / "people.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    env = cli_env(tmp_path)
    db = tmp_path / "big.db"
    message = assert_one_clear_error(ictui(env, db, "people", "import", str(path)))
    assert "5 bad rows, nothing was imported" in message
    for line in (5001, 6000, 7000, 10000, 10001):
        assert f"row {line}:" in message, line
    # Beyond 20, counted, and the last one's row said.
    lines = ["name,email"] + [f"P{i},bad{i}" for i in range(25)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    message = assert_one_clear_error(ictui(env, db, "people", "import", str(path)))
    assert "25 bad rows" in message and "row 21:" in message and "row 22:" not in message
    assert message.endswith("and 5 more, the last on row 26")
    store = Store(db)
    try:
        assert store.people() == []
    finally:
        store.close()


# ---------------------------------------------------------------------- 6. bidi controls


def _put_raw(db: Path, sql: str, *values: str) -> None:
    """Text as an older ictui stored it, controls and all."""
    with sqlite3.connect(db) as connection:
        connection.execute(sql, values)


async def test_bidi_controls_reach_neither_the_store_the_screen_nor_the_export(store: Store) -> None:
    number = store.declare(f"Pay {BIDI}exe.txt", ic_email=None).number
    assert store.incident(number).title == "Pay exe.txt"
    store.add_action_item(number, "Alert", owner="Ana")
    _put_raw(store.path, "UPDATE incident SET title = ?", "Pay \u202etxt.exe")
    _put_raw(store.path, "UPDATE actionitem SET owner = ?", "\u202eAna")
    view = store.postmortem(number)
    assert not set(BIDI) & set(exports.markdown(view) + exports.action_items_csv(view))
    app = IctuiApp(store, Settings(user="ana"), cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        cockpit = "\n".join(screen_lines(app.screen))
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        await settle(pilot)
        review = "\n".join(screen_lines(app.screen))
    assert "Pay txt.exe" in cockpit and "Pay txt.exe" in review
    assert not set(BIDI) & set(cockpit + review)


# ---------------------------------------------------------------------- 9. smaller things


def test_a_file_name_that_is_not_utf8_is_printed_as_its_bytes(tmp_path: Path) -> None:
    env = cli_env(tmp_path)
    name = os.fsencode(tmp_path) + b"/\xff.csv"
    run = ictui_bytes(env, tmp_path / "x.db", "people", "import", name)
    assert run.returncode == 2
    assert b"\\udcff" not in run.stderr and b"\\xff.csv" in run.stderr, run.stderr


def test_backup_of_a_folder_says_it_is_a_directory(tmp_path: Path) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    message = assert_one_clear_error(ictui(cli_env(tmp_path), folder, "backup", str(tmp_path / "copy.db")))
    assert "is a directory" in message
    assert not (tmp_path / "copy.db").exists()
