"""A throwaway PostgreSQL cluster for the tests, and a fresh database on it for each test.

The cluster (bench/pg.py, shared with the benchmark) is made with the distribution's
binaries (``initdb``, ``pg_ctl``) in a temporary folder, listens on 127.0.0.1 only, on a
free port; it is stopped and removed at the end of the session. PostgreSQL refuses to
run as root: where the tests run as root, the cluster runs as ``nobody``.

Without the binaries the PostgreSQL cases are skipped, saying why; in CI (``CI=true``)
they fail instead: a CI run that skipped them would prove nothing about the server.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bench.pg import Cluster, pg_bin_dir, unavailable_reason

ENGINES = ("sqlite", "postgresql")


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


def database_for(
    request: pytest.FixtureRequest, engine: str, tmp_path: Path, name: str = "ictui.db"
) -> Path | str:
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
