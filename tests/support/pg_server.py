"""A throwaway PostgreSQL cluster for the tests, and a fresh database on it for each test.

The cluster is made with the distribution's binaries (``initdb``, ``pg_ctl``) in a
temporary folder, listens on 127.0.0.1 only, on a free port, with its socket in that
folder; it is stopped and removed at the end of the session. PostgreSQL refuses to run
as root: where the tests run as root, the cluster runs as ``nobody``.

Without the binaries the PostgreSQL cases are skipped, saying why; in CI (``CI=true``)
they fail instead: a CI run that skipped them would prove nothing about the server.
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ENGINES = ("sqlite", "postgresql")
_INITDB_GLOBS = ("/usr/lib/postgresql/*/bin", "/usr/pgsql-*/bin", "/usr/local/pgsql/bin")


def pg_bin_dir() -> Path | None:
    """The folder of the newest initdb and pg_ctl found, or None."""
    for pattern in _INITDB_GLOBS:
        for folder in sorted(glob.glob(pattern), key=_version_key, reverse=True):
            if Path(folder, "initdb").is_file() and Path(folder, "pg_ctl").is_file():
                return Path(folder)
    initdb = shutil.which("initdb")
    if initdb and shutil.which("pg_ctl"):
        return Path(initdb).parent
    return None


def _version_key(folder: str) -> tuple[int, ...]:
    digits = "".join(c if c.isdigit() else " " for c in folder).split()
    return tuple(int(d) for d in digits)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Cluster:
    """One running cluster: ``url(name)`` names a database on it."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin_dir = bin_dir
        self.folder = Path(tempfile.mkdtemp(prefix="ictui-pg-"))
        self.data = self.folder / "data"
        self.port = _free_port()
        self._as: list[str] = []
        if os.geteuid() == 0:
            user = pwd.getpwnam("nobody")
            os.chown(self.folder, user.pw_uid, user.pw_gid)
            self._as = ["runuser", "-u", "nobody", "--"]
        self._names = itertools.count(1)

    def _run(self, *args: str) -> None:
        run = subprocess.run(
            [*self._as, *args], capture_output=True, text=True, timeout=120, cwd=self.folder
        )
        if run.returncode != 0:
            raise RuntimeError(f"{' '.join(args[:2])} failed: {run.stdout}{run.stderr}")

    def start(self) -> None:
        self._run(
            str(self.bin_dir / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust",
            "--locale=C", "--encoding=UTF8", "--no-sync",
        )
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -c unix_socket_directories={self.folder} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        self._run(
            str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-l", str(self.folder / "server.log"),
            "-o", options, "-w", "-t", "60", "start",
        )

    def stop(self) -> None:
        try:
            self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(f"postgresql://postgres@127.0.0.1:{self.port}/postgres", autocommit=True) as c:
            c.execute(sql)

    def new_database(self) -> str:
        """A fresh, empty database's URL."""
        name = f"t{os.getpid()}_{next(self._names)}"
        self.admin(f"CREATE DATABASE {name}")
        return self.url(name)

    def drop_database(self, url: str) -> None:
        self.admin(f"DROP DATABASE IF EXISTS {url.rsplit('/', 1)[1]} WITH (FORCE)")


def unavailable_reason() -> str | None:
    if pg_bin_dir() is None:
        return "PostgreSQL's initdb and pg_ctl are not installed (apt-get install postgresql)"
    return None


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    reason = unavailable_reason()
    if reason is not None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI must test PostgreSQL too: {reason}")
        pytest.skip(reason)
    cluster = Cluster(pg_bin_dir())  # type: ignore[arg-type]
    started = time.monotonic()
    cluster.start()
    cluster.started_in = time.monotonic() - started  # type: ignore[attr-defined]
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def pg_url(pg_cluster: Cluster) -> Iterator[str]:
    """A fresh database on the session's cluster, dropped after the test."""
    url = pg_cluster.new_database()
    try:
        yield url
    finally:
        pg_cluster.drop_database(url)


def database_for(request: pytest.FixtureRequest, engine: str, tmp_path: Path, name: str = "ictui.db") -> Path | str:
    """Where a test's store lives on ``engine``: a fresh file, or a fresh database's URL."""
    if engine == "sqlite":
        return tmp_path / name
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    """Each engine in turn: for the store's contract tests, which run on both."""
    return str(request.param)


@pytest.fixture
def any_store(request: pytest.FixtureRequest, engine: str, tmp_path: Path) -> Iterator[Any]:
    """An empty store on each engine in turn."""
    from ictui.store import Store

    opened = Store(database_for(request, engine, tmp_path))
    try:
        yield opened
    finally:
        opened.close()
