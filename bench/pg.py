"""A throwaway PostgreSQL cluster: for the benchmark's PostgreSQL column and for the tests.

The cluster is made with the distribution's binaries (``initdb``, ``pg_ctl``) in a
temporary folder, listens on 127.0.0.1 only, on a free port, with its socket in that
folder; ``stop`` removes it. PostgreSQL refuses to run as root: run as root, the cluster
runs as ``nobody``. Durability is off (fsync, synchronous_commit, full_page_writes), as
for any throwaway cluster: the benchmark says so in its report.

This module imports nothing from the tests (tests/support/pg_server.py imports it).
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

_INITDB_GLOBS = ("/usr/lib/postgresql/*/bin", "/usr/pgsql-*/bin", "/usr/local/pgsql/bin")
SETTINGS = "fsync=off, synchronous_commit=off, full_page_writes=off"


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


def unavailable_reason() -> str | None:
    """Why no cluster can be started here, or None."""
    if pg_bin_dir() is None:
        return "PostgreSQL's initdb and pg_ctl are not installed (apt-get install postgresql)"
    try:
        import psycopg  # noqa: F401 - only whether it imports
    except ImportError:
        return "the psycopg driver is not installed"
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
        run = subprocess.run([*self._as, *args], capture_output=True, text=True, timeout=120, cwd=self.folder)
        if run.returncode != 0:
            raise RuntimeError(f"{' '.join(args[:2])} failed: {run.stdout}{run.stderr}")

    def version(self) -> str:
        """The server's version, e.g. "15.18" (from ``pg_ctl (PostgreSQL) 15.18 (Debian …)``)."""
        done = subprocess.run([str(self.bin_dir / "pg_ctl"), "--version"], capture_output=True, text=True)
        found = re.search(r"\d+(?:\.\d+)+", done.stdout)
        return found.group(0) if found else done.stdout.strip()

    def start(self) -> None:
        self._run(
            str(self.bin_dir / "initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "--locale=C",
            "--encoding=UTF8",
            "--no-sync",
        )
        self.resume()

    def pause(self) -> None:
        """The server goes away (an outage), its data kept for :meth:`resume`."""
        self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def resume(self) -> None:
        """The server (back) on its port."""
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -c unix_socket_directories={self.folder} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        self._run(
            str(self.bin_dir / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.folder / "server.log"),
            "-o",
            options,
            "-w",
            "-t",
            "60",
            "start",
        )

    def stop(self) -> None:
        try:
            self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def admin(self, sql: str, database: str = "postgres") -> None:
        import psycopg

        with psycopg.connect(f"postgresql://postgres@127.0.0.1:{self.port}/{database}", autocommit=True) as c:
            c.execute(sql)

    def new_database(self, template: str | None = None) -> str:
        """A fresh database's URL: empty, or a copy of ``template`` (a database's name,
        which nobody may be connected to)."""
        name = f"t{os.getpid()}_{next(self._names)}"
        self.admin(f"CREATE DATABASE {name}" + (f" TEMPLATE {template}" if template else ""))
        return self.url(name)

    def drop_database(self, url: str) -> None:
        self.admin(f"DROP DATABASE IF EXISTS {url.rsplit('/', 1)[1]} WITH (FORCE)")
