"""Opening a database safely: a damaged, empty, missing or read-only file is refused in one
line by every command and by the cockpit, nothing is written into it, and nothing is left
beside it.

Real files, real damage (a page overwritten), the real command line in subprocesses.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from ictui.config import load_settings
from ictui.store import DatabaseError, Store
from ictui.store.bulk_reads import read_incident_list
from ictui.store.lazy import LazyStore
from ictui.tui.app import IctuiApp
from support.cli import assert_one_clear_error, cli_env, digest, ictui, ictui_many, ok

# Every kind of command: reads, writes, the backup, the outbox, the roster.
COMMANDS = {
    "list": ["list"],
    "show": ["show", "1"],
    "stats": ["stats"],
    "actions": ["actions"],
    "outbox": ["outbox"],
    "people": ["people", "list"],
    "postmortem": ["postmortem", "1"],
    "backup": ["backup", "{folder}/copy.db"],
    "note": ["note", "1", "written into a damaged file?"],
    "declare": ["declare", "Declared into a damaged file?"],
    "status": ["status", "1", "identified"],
}


def two_incidents(path: Path) -> None:
    store = Store(path)
    store.declare("Login fails", author="ana")
    store.declare("Export times out", author="ana")
    store.add_note(1, "Rolled back the SSO change", author="ana")
    store.close()


def damage(path: Path, table: str) -> None:
    """Overwrite ``table``'s first page: the header and every other page stay sound."""
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode = DELETE")  # everything into the file itself
    (root,) = connection.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()
    (page_size,) = connection.execute("PRAGMA page_size").fetchone()
    connection.close()
    data = bytearray(path.read_bytes())
    data[(root - 1) * page_size : root * page_size] = b"\xee" * page_size
    path.write_bytes(bytes(data))


def files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.fixture
def damaged(tmp_path: Path) -> Path:
    """Two incidents, and the post-mortem table damaged: a note or a declaration does not
    touch it, so that SQLite alone would let them write."""
    folder = tmp_path / "team"
    folder.mkdir()
    path = folder / "ictui.db"
    two_incidents(path)
    damage(path, "postmortem")
    return path


# ---------------------------------------------------------------------- a damaged file


@pytest.mark.slow
def test_a_damaged_database_is_refused_by_every_command_and_never_written_into(damaged: Path) -> None:
    folder = damaged.parent
    before = digest(damaged)
    runs = ictui_many(
        cli_env(folder.parent),
        {name: (damaged, [a.format(folder=folder) for a in args]) for name, args in COMMANDS.items()},
    )
    for name, run in runs.items():
        line = assert_one_clear_error(run)
        assert f"{damaged} is damaged (SQLite: database disk image is malformed)" in line, name
        assert "nothing was written" in line and '"ictui backup"' in line and " recover " in line, name
    assert digest(damaged) == before, "nothing may be written into a damaged file"
    assert files_in(folder) == ["ictui.db"], "no copy, no -wal or -shm left beside it"


@pytest.mark.slow
def test_the_recovery_the_message_gives_saves_what_can_be_read(damaged: Path) -> None:
    env = cli_env(damaged.parent)
    line = assert_one_clear_error(ictui(env, damaged, "list"))
    recovered = damaged.with_name("ictui-recovered.db")
    assert f"ictui --db {damaged} recover {recovered}, then ictui --db {recovered} list" in line
    before = digest(damaged)
    said = ok(ictui(env, damaged, "recover", str(recovered))).stdout
    assert (
        said
        == f"recovered 2 incidents from {damaged} into {recovered}; damaged pages left out of: postmortem\n"
    )
    assert digest(damaged) == before
    listed = ok(ictui(env, recovered, "list")).stdout
    assert "Login fails" in listed and "Export times out" in listed
    assert "Rolled back the SSO change" in ok(ictui(env, recovered, "show", "1")).stdout
    assert "Recovered and going on" in ok(ictui(env, recovered, "note", "1", "Recovered and going on")).stdout


def test_recover_saves_the_rows_on_either_side_of_a_damaged_page(tmp_path: Path) -> None:
    from ictui.store.salvage import salvage

    path = tmp_path / "ictui.db"
    store = Store(path)
    store.declare("Login fails", author="ana")
    for n in range(400):  # a timeline of several pages
        store.add_note(1, f"note {n:03} " + "x" * 200, author="ana")
    store.close()
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode = DELETE")
    pages = (
        [
            p
            for (p,) in connection.execute(
                "SELECT DISTINCT pageno FROM dbstat WHERE name = 'timelineentry' AND pagetype = 'leaf' ORDER BY pageno"
            )
        ]
        if _has_dbstat(connection)
        else []
    )
    (page_size,) = connection.execute("PRAGMA page_size").fetchone()
    connection.close()
    if len(pages) < 3:
        pytest.skip("needs SQLite's dbstat table to find a leaf page in the middle")
    middle = pages[len(pages) // 2]
    data = bytearray(path.read_bytes())
    data[(middle - 1) * page_size : middle * page_size] = b"\xee" * page_size
    path.write_bytes(bytes(data))

    saved = salvage(path, tmp_path / "recovered.db")
    assert saved.damaged_tables == ["timelineentry"]
    kept = saved.rows["timelineentry"]
    assert 401 - 40 <= kept < 401, "only the rows on the damaged page are lost"
    recovered = Store(tmp_path / "recovered.db")
    texts = [e.text for e in recovered.timeline(1)]
    recovered.close()
    assert texts[0].startswith("Declared") and texts[-1].startswith("note 399")


def _has_dbstat(connection: sqlite3.Connection) -> bool:
    try:
        connection.execute("SELECT 1 FROM dbstat LIMIT 1")
        return True
    except sqlite3.Error:
        return False


async def test_the_cockpit_refuses_a_damaged_database_in_one_line(damaged: Path) -> None:
    before = digest(damaged)
    app = IctuiApp(
        lambda: LazyStore(damaged),
        load_settings(),
        cursor_blink=False,
        peek=lambda limit: read_incident_list(damaged, limit),
    )
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(100):
            if app.return_code is not None:
                break
            await pilot.pause(0.05)
    assert app.return_code == 2
    assert f"{damaged} is damaged" in app.error_message and "\n" not in app.error_message
    assert digest(damaged) == before
    assert files_in(damaged.parent) == ["ictui.db"]


def test_damage_beyond_the_checked_size_is_named_at_the_first_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from ictui.cli.main import main
    from ictui.store import health

    damaged = tmp_path / "ictui.db"
    two_incidents(damaged)
    damage(damaged, "incident")
    monkeypatch.setattr(health, "QUICK_CHECK_LIMIT", 0)  # as for a file too large to check at open
    assert main(["--db", str(damaged), "list"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"ictui: {damaged} is damaged") and err.count("\n") == 1


# ---------------------------------------------------------------------- an empty file


@pytest.mark.slow
def test_an_empty_file_is_refused_unless_init_says_to_set_it_up(tmp_path: Path) -> None:
    env = cli_env(tmp_path)
    empty = tmp_path / "x.db"
    empty.touch()
    runs = ictui_many(
        env,
        {
            "list": (empty, ["list"]),
            "declare": (empty, ["declare", "Into an empty file?"]),
            "cockpit": (empty, []),  # refused before the app starts
        },
    )
    for name, run in runs.items():
        line = assert_one_clear_error(run)
        assert f"{empty} is empty (0 bytes)" in line and f"ictui --db {empty} --init" in line, name
    assert empty.stat().st_size == 0 and files_in(tmp_path) == ["x.db"]

    ok(ictui(env, None, "--db", str(empty), "--init", "declare", "Set up on purpose"))
    assert "Set up on purpose" in ok(ictui(env, empty, "list")).stdout


def test_a_new_database_is_never_an_empty_file(tmp_path: Path) -> None:
    """Another ictui that finds the file being created must not take it for a failed copy."""
    from ictui.store.files import check_file, create_file

    path = tmp_path / "new.db"
    create_file(path)
    assert path.stat().st_size > 0 and (path.stat().st_mode & 0o777) == 0o600
    check_file(path)  # not refused
    store = Store(path)
    assert store.list_incidents() == []
    store.close()


# ---------------------------------------------------------------------- a missing file


READS = ["list", "show 1", "stats", "actions", "outbox", "postmortem 1", "people list", "teams list"]


@pytest.mark.slow
def test_a_read_on_a_missing_database_creates_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "nonexistent" / "dir" / "x.db"
    runs = ictui_many(cli_env(tmp_path), {read: (missing, read.split()) for read in READS})
    for read, run in runs.items():
        line = assert_one_clear_error(run)
        assert f"there is no database at {missing}" in line, read
    assert not (tmp_path / "nonexistent").exists()


@pytest.mark.slow
def test_a_write_on_a_missing_database_creates_it(tmp_path: Path) -> None:
    path = tmp_path / "new" / "x.db"
    env = cli_env(tmp_path)
    assert ok(ictui(env, path, "declare", "First one")).stdout == "1\n"
    assert "First one" in ok(ictui(env, path, "list")).stdout


# ---------------------------------------------------------------------- a file nobody can write


@pytest.fixture
def unwritable(tmp_path: Path) -> Iterator[Path]:
    """A database even root cannot write: immutable (chattr +i) for root, read-only otherwise."""
    path = tmp_path / "ictui.db"
    two_incidents(path)
    if os.geteuid() == 0:
        made = (
            subprocess.run(["chattr", "+i", str(path)], capture_output=True)
            if shutil.which("chattr")
            else None
        )
        if made is None or made.returncode != 0:
            pytest.skip("cannot make a file immutable here (chattr +i), and root writes any other")
        try:
            yield path
        finally:
            subprocess.run(["chattr", "-i", str(path)], check=True)
    else:
        path.chmod(0o444)
        yield path


@pytest.mark.slow
def test_a_file_that_cannot_be_written_is_refused_and_nothing_is_left_beside_it(unwritable: Path) -> None:
    folder = unwritable.parent
    env = cli_env(folder)
    for args in (["note", "1", "lost?"], ["declare", "lost?"], []):
        run = ictui(env, unwritable, *args)
        assert files_in(folder) == ["ictui.db"], args
        line = assert_one_clear_error(run)
        assert f"cannot write to {unwritable}: the file is read-only" in line, args
    # Reading it still works, and leaves nothing either.
    assert "Login fails" in ok(ictui(env, unwritable, "list")).stdout
    assert "Rolled back the SSO change" in ok(ictui(env, unwritable, "show", "1")).stdout
    assert files_in(folder) == ["ictui.db"]


def test_a_refused_opening_never_removes_a_wal_another_process_uses(tmp_path: Path) -> None:
    from ictui.store.health import Sidecars

    path = tmp_path / "ictui.db"
    two_incidents(path)
    sidecars = Sidecars(path)  # nothing beside it yet
    # Another process opens it (WAL and shared memory made) and holds it open.
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute('SELECT count(*) FROM incident')"
            ".fetchone(); print('open', flush=True); sys.stdin.read()",
            str(path),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None and child.stdout.readline() == "open\n"
        assert {"ictui.db-wal", "ictui.db-shm"} <= set(files_in(tmp_path))
        sidecars.remove_new()
        assert {"ictui.db-wal", "ictui.db-shm"} <= set(files_in(tmp_path)), "another process's files"
    finally:
        child.communicate("", timeout=30)


def test_a_store_refused_at_open_leaves_nothing_beside_the_file(damaged: Path) -> None:
    with pytest.raises(DatabaseError, match="is damaged"):
        Store(damaged)
    with pytest.raises(DatabaseError, match="is damaged"):
        LazyStore(damaged)
    assert files_in(damaged.parent) == ["ictui.db"]


async def test_the_cockpit_stops_on_damage_found_after_it_opened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file too large to check whole at open: the first read that meets the damage ends
    the cockpit with the same one line, and nothing more is written."""
    from ictui.store import health

    path = tmp_path / "ictui.db"
    two_incidents(path)
    damage(path, "incident")
    monkeypatch.setattr(health, "QUICK_CHECK_LIMIT", 0)
    before = digest(path)
    app = IctuiApp(lambda: LazyStore(path), load_settings(), cursor_blink=False)
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(100):
            if app.return_code is not None:
                break
            await pilot.pause(0.05)
    assert app.return_code == 2
    assert app.error_message.startswith(f"{path} is damaged") and "\n" not in app.error_message
    assert digest(path) == before
