"""The large databases, generated with ``ictui seed`` and kept between runs.

A database is made once per set of parameters and per version of the code that writes
it (the seed, the models, the migrations): a cached file made by another schema would
be migrated by the first run that opens it, and that run would measure the migration.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.terminal import REPO, child_env

# 8 entries per incident plus one per status update, 3 updates for each declared incident:
# for 10,000 incidents, about 112,000 entries and 27,000 updates.
ENTRIES_PER_INCIDENT = 8
UPDATES_PER_INCIDENT = 3
BIG_TIMELINE = 5_000
_WRITERS = ("src/ictui/store/seed.py", "src/ictui/store/tables.py", "src/ictui/store/migrations.py")


@dataclass(frozen=True)
class Dataset:
    incidents: int
    path: Path
    counts: str  # what `ictui seed` reported writing
    seed_seconds: float | None  # None when it came from the cache


def default_cache() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "ictui-bench"


def database(incidents: int, cache: Path) -> Dataset:
    """The database with ``incidents`` generated incidents and one of 5,000 entries."""
    digest = hashlib.sha256(b"".join((REPO / name).read_bytes() for name in _WRITERS)).hexdigest()[:10]
    name = f"seed-{incidents}i-{ENTRIES_PER_INCIDENT}e-{UPDATES_PER_INCIDENT}u-{BIG_TIMELINE}b-{digest}"
    path = cache / f"{name}.db"
    report = cache / f"{name}.txt"
    if path.exists() and report.exists():
        return Dataset(incidents, path, report.read_text(encoding="utf-8").strip(), None)
    cache.mkdir(parents=True, exist_ok=True)
    partial = cache / f"{name}.partial.db"
    for leftover in cache.glob(f"{name}.partial.db*"):
        leftover.unlink()
    started = time.monotonic()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "ictui",
            "--db",
            str(partial),
            "seed",
            "--incidents",
            str(incidents),
            "--entries-per-incident",
            str(ENTRIES_PER_INCIDENT),
            "--updates-per-incident",
            str(UPDATES_PER_INCIDENT),
            "--big-timeline",
            str(BIG_TIMELINE),
        ],
        env=child_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"ictui seed failed: {done.stderr.strip()}")
    seconds = time.monotonic() - started
    partial.rename(path)
    counts = done.stdout.strip().split(" written to ")[0]  # "10001 incidents, ... post-mortems"
    report.write_text(counts + "\n", encoding="utf-8")
    return Dataset(incidents, path, counts, seconds)


def scratch_copy(dataset: Dataset, folder: Path) -> Path:
    """A copy to write notes into, so that every run starts from the same database."""
    target = folder / f"{dataset.path.stem}-scratch.db"
    for old in folder.glob(f"{target.name}*"):
        old.unlink()
    shutil.copyfile(dataset.path, target)
    return target


def load_into_server(dataset: Dataset, cluster: Any) -> tuple[str, float]:
    """The dataset copied into a new database on ``cluster`` (a bench.pg.Cluster) with
    ``ictui copy-to``; returns the database's name and the seconds the copy took. The
    database is a template: each run gets a fresh copy of it (``cluster.new_database``),
    so that the notes one session writes are not in the next one's."""
    name = f"bench_{dataset.incidents}"
    cluster.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    cluster.admin(f"CREATE DATABASE {name}")
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "ictui", "--db", str(dataset.path), "copy-to", cluster.url(name)],
        env=child_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"ictui copy-to failed: {(done.stderr or done.stdout).strip()}")
    cluster.admin("VACUUM ANALYZE", database=name)  # planner statistics, as autovacuum would soon make
    return name, time.monotonic() - started
