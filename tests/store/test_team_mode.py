"""Team mode: --db and $ICTUI_DB take a database URL (issue 19). A plain path is still a
SQLite file; a PostgreSQL URL is a shared server; anything else is one line and exit 2,
and no file is made anywhere."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ictui.store.files import DatabaseError
from ictui.store.location import Server, parse
from support.cli import assert_one_clear_error, cli_env, ictui, ictui_many, ok
from support.pg_server import Cluster


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("ictui.db", Path("ictui.db")),
        ("/srv/ictui/ictui.db", Path("/srv/ictui/ictui.db")),
        ("sqlite:////srv/ictui.db", Path("/srv/ictui.db")),
        ("sqlite:///rel.db", Path("rel.db")),
        ("postgresql://postgres@db:5432/ictui", Server("postgresql+psycopg://postgres@db:5432/ictui")),
        ("postgres://u:pw@db/ictui", Server("postgresql+psycopg://u:pw@db/ictui")),
        (
            "postgresql+psycopg://u@127.0.0.1:5432/postgres",
            Server("postgresql+psycopg://u@127.0.0.1:5432/postgres"),
        ),
        ("C:\\Users\\ana\\ictui.db", Path("C:\\Users\\ana\\ictui.db")),
    ],
)
def test_a_location_is_a_file_or_a_server(given: str, expected: Path | Server) -> None:
    assert parse(given) == expected


@pytest.mark.parametrize(
    "given", ["mysql://root@db/ictui", "http://example.com/db", "sqlite://", "postgresql:///"]
)
def test_an_unknown_or_incomplete_url_is_refused(given: str) -> None:
    with pytest.raises(DatabaseError):
        parse(given)


def test_a_password_is_never_shown() -> None:
    server = parse("postgresql://ana:s3cret@db:5432/ictui")
    assert "s3cret" not in str(server) and "s3cret" not in server.shown
    assert server.conninfo == "postgresql://ana:s3cret@db:5432/ictui"


@pytest.mark.slow
def test_wrong_urls_are_one_line_exit_2_and_make_no_file(tmp_path: Path) -> None:
    env = cli_env(tmp_path)
    work = tmp_path / "work"
    work.mkdir()
    runs = ictui_many(
        env,
        {
            "scheme": ("mysql://root@127.0.0.1/ictui", ["list"]),
            "unreachable": ("postgresql://postgres@127.0.0.1:1/ictui", ["declare", "Checkout 500s"]),
            "psycopg unreachable": ("postgresql+psycopg://postgres@127.0.0.1:1/postgres", ["list"]),
        },
    )
    assert "does not know the database scheme 'mysql'" in assert_one_clear_error(runs["scheme"])
    for name in ("unreachable", "psycopg unreachable"):
        assert "cannot reach the PostgreSQL server at" in assert_one_clear_error(runs[name])
    env["ICTUI_DB"] = "postgresql://postgres:pw@127.0.0.1:1/ictui"
    run = ictui(env, None, "list")
    message = assert_one_clear_error(run)
    assert "cannot reach" in message and "pw" not in message.replace("postgresql", "")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["work"]
    assert list(work.iterdir()) == []


def test_the_cli_works_on_a_server(tmp_path: Path, pg_cluster: Cluster, pg_url: str) -> None:
    env = cli_env(tmp_path)
    url = pg_url.replace("postgresql+psycopg://", "postgresql://")
    ok(ictui(env, url, "declare", "Checkout returns 500s", "--severity", "SEV2"))
    ok(ictui(env, url, "note", "1", "CDN error rate back to normal"))
    env["ICTUI_DB"] = pg_url
    listed = json.loads(ok(ictui(env, None, "list", "--json")).stdout)
    assert [(i["number"], i["title"], i["severity"]) for i in listed] == [
        (1, "Checkout returns 500s", "SEV2")
    ]
    shown = ok(ictui(env, None, "show", "1")).stdout
    assert "CDN error rate back to normal" in shown
    refused = ictui(env, None, "backup", str(tmp_path / "copy.db"))
    assert "pg_dump" in assert_one_clear_error(refused)
    assert not (tmp_path / "copy.db").exists()


# ---------------------------------------------------------------------- live, one deliverer, numbers


def test_another_cockpits_write_is_seen_without_polling(pg_url: str) -> None:
    """The revision comes from the server's notifications (LISTEN/NOTIFY), not a query."""
    import time

    from ictui.store import Store

    mine, theirs = Store(pg_url), Store(pg_url)
    try:
        mine.revision(), theirs.revision()  # the first look starts the listening
        assert mine._revisions.wait_ready(5) and theirs._revisions.wait_ready(5)
        number = theirs.declare("Checkout returns 500s", author="bo").number
        before = mine.revision()

        def no_query() -> None:
            raise AssertionError("the revision was read from the tables")

        mine._driver_connection = no_query  # type: ignore[method-assign]
        _, made = theirs.add_note(number, "rolled back", author="bo")
        started = time.monotonic()
        while mine.revision() < made:
            assert time.monotonic() - started < 30.0, "never seen"  # a deadline for "never", not a speed
            time.sleep(0.01)
        assert made > before
        # The writer itself sees its own write at once, notification or not.
        assert theirs.revision() >= made
    finally:
        mine.close()
        theirs.close()


def test_one_deliverer_at_a_time_on_a_server(pg_url: str) -> None:
    from ictui.store import Store

    first, second = Store(pg_url), Store(pg_url)
    try:
        with first.delivery_lock() as mine:
            assert mine
            with second.delivery_lock() as theirs:
                assert not theirs
        with second.delivery_lock() as theirs:
            assert theirs
    finally:
        first.close()
        second.close()


def test_concurrent_declares_get_unique_sequential_numbers(pg_url: str) -> None:
    import threading

    from ictui.store import Store

    stores = [Store(pg_url) for _ in range(4)]
    numbers: list[int] = []
    errors: list[BaseException] = []

    def declare_many(store: Store, who: int) -> None:
        try:
            for i in range(10):
                numbers.append(store.declare(f"Incident {who}-{i}", author=f"ic{who}").number)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=declare_many, args=(s, n)) for n, s in enumerate(stores)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    try:
        assert errors == []
        assert sorted(numbers) == list(range(1, 41))
        assert sorted(r.number for r in stores[0].list_incidents()) == list(range(1, 41))
    finally:
        for s in stores:
            s.close()


# ---------------------------------------------------------------------- moving to a server


def test_copy_to_moves_every_row_of_a_file_to_a_server(tmp_path: Path, pg_url: str) -> None:
    import sqlalchemy as sa

    from ictui.demo import seed_demo
    from ictui.store import Store
    from ictui.store import tables as m

    source_path = tmp_path / "team.db"
    source = Store(source_path)
    seed_demo(source)
    instance = source.outbox_instance()
    before = {t.name: _rows(source, t) for t in m.SQLModel.metadata.sorted_tables}
    source.close()

    env = cli_env(tmp_path)
    run = ok(ictui(env, source_path, "copy-to", pg_url.replace("+psycopg", "")))
    assert run.stdout.startswith(f"copied {len(_incident_numbers(source_path))} incidents")

    server = Store(pg_url)
    try:
        after = {t.name: _rows(server, t) for t in m.SQLModel.metadata.sorted_tables}
        for name, rows in before.items():
            if name == "ictui_meta":
                continue
            assert after[name] == rows, name
        assert server.outbox_instance() == instance
        # New rows follow the copied ones: the sequences were moved past them.
        number = server.declare("After the move", author="ana").number
        assert number == max(_incident_numbers(source_path)) + 1
        with server.engine.connect() as c:
            assert (
                c.execute(sa.select(sa.func.count()).select_from(m.Incident)).scalar()
                == len(before["incident"]) + 1
            )
    finally:
        server.close()
    # A second copy into a database in use is refused, and changes nothing.
    again = ictui(env, source_path, "copy-to", pg_url)
    assert "already holds" in assert_one_clear_error(again)


def _rows(store: object, table: object) -> list[tuple[object, ...]]:
    import sqlalchemy as sa

    with store.engine.connect() as c:  # type: ignore[attr-defined]
        pk = list(table.primary_key.columns)  # type: ignore[attr-defined]
        return [tuple(r) for r in c.execute(sa.select(table).order_by(*pk))]


def _incident_numbers(path: Path) -> list[int]:
    import sqlite3

    with sqlite3.connect(path) as c:
        return [n for (n,) in c.execute("SELECT number FROM incident")]


def test_copy_to_a_file_from_a_server_and_never_into_itself(tmp_path: Path, pg_url: str) -> None:
    from ictui.store import Store

    server = Store(pg_url)
    server.declare("Checkout returns 500s", author="ana")
    server.add_note(1, "rolled back", author="ana")
    server.close()
    env = cli_env(tmp_path)
    ok(ictui(env, pg_url, "copy-to", str(tmp_path / "snapshot.db")))
    copy = Store(tmp_path / "snapshot.db")
    try:
        assert [e.text for e in copy.timeline(1)][-1] == "rolled back"
    finally:
        copy.close()
    assert "same database" in assert_one_clear_error(ictui(env, pg_url, "copy-to", pg_url))


def open_as(kind: str, url: str) -> Any:
    """The store as a command opens it, or as the cockpit does (psycopg alone at first)."""
    from ictui.store import Store
    from ictui.store.lazy_server import ServerLazyStore

    return Store(url) if kind == "command" else ServerLazyStore(parse(url))  # type: ignore[arg-type]


@pytest.mark.parametrize("kind", ["command", "cockpit"])
def test_a_server_lost_mid_way_is_one_line_and_coming_back_is_picked_up(
    pg_cluster: Cluster, pg_url: str, kind: str
) -> None:
    name = pg_url.rsplit("/", 1)[1]
    store = open_as(kind, pg_url)
    try:
        store.declare("Checkout returns 500s", author="ana")
        store.revision()
        pg_cluster.admin(f"ALTER DATABASE {name} ALLOW_CONNECTIONS false")
        pg_cluster.admin(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'")
        for read in (store.list_incidents, lambda: store.incident(1), store.outbox_items):
            with pytest.raises(DatabaseError, match=r"PostgreSQL server at .* failed") as caught:
                read()
            assert "\n" not in str(caught.value)
        with pytest.raises(DatabaseError) as caught:
            store.declare("Another one", author="ana")
        assert "\n" not in str(caught.value)
        pg_cluster.admin(f"ALTER DATABASE {name} ALLOW_CONNECTIONS true")
        assert [r.number for r in store.list_incidents()] == [1]
        store.add_note(1, "back", author="ana")
        assert store.timeline(1)[-1].text == "back"
    finally:
        pg_cluster.admin(f"ALTER DATABASE {name} ALLOW_CONNECTIONS true")
        store.close()


@pytest.mark.parametrize("kind", ["command", "cockpit"])
def test_a_newer_or_foreign_database_on_a_server_is_refused_untouched(
    pg_cluster: Cluster, pg_url: str, kind: str
) -> None:
    import psycopg

    from ictui.store import Store

    Store(pg_url).close()
    conninfo = pg_url.replace("+psycopg", "")
    with psycopg.connect(conninfo, autocommit=True) as c:
        c.execute("UPDATE ictui_meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(DatabaseError, match="newer ictui"):
        open_as(kind, pg_url)
    foreign = pg_cluster.new_database()
    try:
        with psycopg.connect(foreign.replace("+psycopg", ""), autocommit=True) as c:
            c.execute("CREATE TABLE invoices (id serial primary key)")
        with pytest.raises(DatabaseError, match="not an ictui database"):
            open_as(kind, foreign)
        with psycopg.connect(foreign.replace("+psycopg", ""), autocommit=True) as c:
            tables = [
                r[0]
                for r in c.execute(
                    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
                )
            ]
        assert tables == ["invoices"]
    finally:
        pg_cluster.drop_database(foreign)


def test_the_servers_connection_speaks_as_sqlites(pg_url: str) -> None:
    """store/pg.py: ? parameters, a literal %, times and JSON as text, one snapshot per BEGIN."""
    import psycopg

    from ictui.store.driver import read_transaction
    from ictui.store.pg import PgConnection

    with psycopg.connect(pg_url.replace("+psycopg", ""), autocommit=True) as raw:
        connection = PgConnection(raw)
        assert connection.execute("SELECT 'a%b'").fetchone() == ("a%b",)
        assert connection.execute("SELECT ? || '%', ?", ("50", 2)).fetchone() == ("50%", 2)
        when, listed = connection.execute(
            "SELECT CAST('2026-11-24 09:15:00.000001' AS timestamp), CAST('[\"a\"]' AS json)"
        ).fetchone()
        assert (when, listed) == ("2026-11-24 09:15:00.000001", '["a"]')
        assert not connection.in_transaction
        with read_transaction(connection):
            assert connection.in_transaction
            level = connection.execute("SHOW transaction_isolation").fetchone()
        assert level == ("repeatable read",) and not connection.in_transaction


def test_a_read_on_an_empty_server_database_creates_nothing(tmp_path: Path, pg_url: str) -> None:
    """As on a file: reading creates nothing; the first write sets the database up."""
    import psycopg

    env = cli_env(tmp_path)
    for command in (["list"], ["show", "1"], ["people", "list"], ["outbox"]):
        message = assert_one_clear_error(ictui(env, pg_url, *command))
        assert "there is no ictui database at" in message and "nothing was created" in message
    conninfo = pg_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(conninfo) as connection:
        assert connection.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()"
        ).fetchone() == (0,)
    ok(ictui(env, pg_url, "declare", "Checkout returns 500s"))
    assert "Checkout returns 500s" in ok(ictui(env, pg_url, "list")).stdout
