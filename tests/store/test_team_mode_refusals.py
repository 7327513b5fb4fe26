"""Team mode refuses plainly: no password printed in any form it can be written, a role
that may only read gets one line naming the right it lacks (exit 2, no SQL, no
traceback), and a mistyped URL creates nothing (issue 26, point 8)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from ictui.store.files import DatabaseError
from ictui.store.location import parse
from support.cli import assert_one_clear_error, cli_env, ictui, ok
from support.pg_server import Cluster

SECRET = "s3cr3t-Pw"


@pytest.mark.parametrize(
    "text",
    [
        f"postgresql://ic:{SECRET}@db.internal:5432/ictui",
        f"postgresql://ic@db.internal/ictui?password={SECRET}",
        f"postgresql://ic@db.internal/ictui?sslmode=require&PASSWORD={SECRET}#x",
        f"host=db.internal user=ic password={SECRET} dbname=ictui",
        f"host=db.internal password = '{SECRET} with spaces' dbname=ictui",
        f"cannot reach postgresql+psycopg://ic:{SECRET}@db.internal/ictui: timeout",
    ],
)
def test_one_helper_masks_every_way_a_password_is_written(text: str) -> None:
    from ictui.store.location import redact

    masked = redact(text)
    assert SECRET not in masked and "***" in masked
    assert "db.internal" in masked


@pytest.mark.slow
@pytest.mark.parametrize(
    "given",
    [
        "postgresql:/ic@127.0.0.1/postgres",
        "postgresql//ic@127.0.0.1/postgres",
        "postgresql+psycopg:",
        "postgres:x.db",
        f"postgresql:/ic:{SECRET}@127.0.0.1/postgres",
    ],
)
def test_a_mistyped_url_is_refused_with_the_url_meant_and_creates_nothing(tmp_path: Path, given: str) -> None:
    work = tmp_path / "work"
    work.mkdir()
    env = cli_env(tmp_path)
    run = ictui(env, given, "declare", "Checkout 500s", cwd=work)
    message = assert_one_clear_error(run)
    assert "did you mean postgresql://" in message and "Nothing was created" in message
    assert SECRET not in message
    assert list(work.iterdir()) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["work"]


def test_a_path_with_a_colon_is_written_as_a_path_or_refused_with_how(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError, match=r"write it \./name:1\.db"):
        parse("name:1.db")
    assert parse("./name:1.db") == Path("name:1.db")
    assert parse(str(tmp_path / "a:b.db")) == tmp_path / "a:b.db"


@pytest.mark.slow
def test_a_password_in_the_query_is_not_printed_when_the_server_cannot_be_reached(tmp_path: Path) -> None:
    env = cli_env(tmp_path)
    for url in (
        f"postgresql://ic@127.0.0.1:1/ictui?password={SECRET}",
        f"postgresql://ic@127.0.0.1:1/ictui?sslmode=disable&password={SECRET}",
    ):
        message = assert_one_clear_error(ictui(env, url, "list"))
        assert "cannot reach" in message and SECRET not in message
        message = assert_one_clear_error(ictui(env, url, "backup", str(tmp_path / "copy.db")))
        assert SECRET not in message


def test_a_role_that_may_only_read_gets_one_line_naming_the_right_it_lacks(
    tmp_path: Path, pg_cluster: Cluster, pg_url: str
) -> None:
    env = cli_env(tmp_path)
    owner_url = pg_url.replace("postgresql+psycopg://", "postgresql://")
    ok(ictui(env, owner_url, "declare", "Checkout returns 500s", "--severity", "SEV2"))
    database = owner_url.rsplit("/", 1)[1]
    pg_cluster.admin(
        "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'viewer') "
        "THEN CREATE ROLE viewer LOGIN; END IF; END $$"
    )
    pg_cluster.admin("GRANT SELECT ON ALL TABLES IN SCHEMA public TO viewer", database)
    viewer = owner_url.replace("postgres@", "viewer@")
    assert "Checkout returns 500s" in ok(ictui(env, viewer, "list")).stdout  # reading is allowed
    for args in (
        ["note", "1", "CDN back"],
        ["declare", "Login fails", "--severity", "SEV3"],
        ["status", "1", "monitoring"],
        ["people", "add", "Ana Ruiz", "ana@example.com"],
    ):
        run = ictui(env, viewer, *args)
        message = assert_one_clear_error(run)
        assert re.search(
            r"the PostgreSQL role 'viewer' lacks the (INSERT|UPDATE|DELETE)\b.* rights? on the table \w+ ",
            message,
        ), message
        assert "nothing was written" in message and "GRANT" in message
        assert "INSERT INTO" not in message and "%(" not in message and "[SQL" not in message
    listed = ok(ictui(env, owner_url, "show", "1")).stdout
    assert "CDN back" not in listed


async def test_the_cockpit_says_in_one_line_which_right_a_role_lacks(
    pg_cluster: Cluster, pg_url: str
) -> None:
    from ictui.config import Settings
    from ictui.store import Store
    from ictui.store.lazy_server import ServerLazyStore
    from ictui.tui.app import IctuiApp
    from support.cockpit import screen_text, type_text, wait_for
    from support.scenarios import settle

    owner = Store(pg_url)
    owner.declare("Checkout returns 500s")
    owner.close()
    pg_cluster.admin(
        "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'viewer') "
        "THEN CREATE ROLE viewer LOGIN; END IF; END $$"
    )
    pg_cluster.admin("GRANT SELECT ON ALL TABLES IN SCHEMA public TO viewer", pg_url.rsplit("/", 1)[1])
    server = parse(pg_url.replace("postgres@", "viewer@"))
    app = IctuiApp(ServerLazyStore(server), Settings(user="ana"), cursor_blink=False)
    async with app.run_test(size=(160, 40), notifications=True) as pilot:
        await settle(pilot)
        await wait_for(pilot, lambda: "Checkout returns 500s" in screen_text(app))
        await pilot.press("n")
        await type_text(pilot, "CDN back")
        await pilot.press("enter")
        await wait_for(pilot, lambda: "lacks the" in screen_text(app), seconds=20)
        said = screen_text(app)
        assert "the PostgreSQL role 'viewer' lacks the INSERT, UPDATE" in said
        assert "INSERT INTO" not in said and "psycopg" not in said and "Traceback" not in said
        assert app.is_running


def test_psycopgs_second_warning_after_a_failed_pipeline_is_not_printed() -> None:
    """A note refused on the server fails its pipeline, and psycopg then logs "error ignored
    terminating …: pipeline aborted" (when depends on how the replies arrive). The CLI's one
    line stays one line: that warning never reaches stderr."""
    script = (
        "import logging, ictui.store.pg; "
        "logging.getLogger('psycopg').warning('error ignored terminating <Pipeline>: pipeline aborted')"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0 and run.stderr == "", run.stderr
