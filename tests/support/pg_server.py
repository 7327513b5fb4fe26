"""A throwaway PostgreSQL cluster for the tests, and a fresh database on it for each test.

The fixtures (``pg_cluster``, ``pg_url``, ``engine``, ``any_store``) are in tests/conftest.py.
The cluster (bench/pg.py, shared with the benchmark) is made with the distribution's
binaries (``initdb``, ``pg_ctl``) in a temporary folder, listens on 127.0.0.1 only, on a
free port; it is stopped and removed at the end of the session. PostgreSQL refuses to
run as root: where the tests run as root, the cluster runs as ``nobody``.

Without the binaries the PostgreSQL cases are skipped, saying why; in CI (``CI=true``)
they fail instead: a CI run that skipped them would prove nothing about the server.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.pg import Cluster

__all__ = ["ENGINES", "Cluster", "database_for"]

ENGINES = ("sqlite", "postgresql")


def database_for(
    request: pytest.FixtureRequest, engine: str, tmp_path: Path, name: str = "ictui.db"
) -> Path | str:
    """Where a test's store lives on ``engine``: a fresh file, or a fresh database's URL."""
    if engine == "sqlite":
        return tmp_path / name
    return str(request.getfixturevalue("pg_url"))
