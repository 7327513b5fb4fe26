"""A disk with slow syncs for the cockpit under test: tests/support/slow_fsync.c, built once."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

SOURCE = Path(__file__).with_name("slow_fsync.c")


def build_slow_fsync(folder: Path) -> Path:
    """The shared library (LD_PRELOAD) that makes fsync and fdatasync wait SLOW_FSYNC_MS."""
    compiler = shutil.which("cc") or shutil.which("gcc")
    if compiler is None:
        if os.environ.get("CI"):
            raise RuntimeError("no C compiler to build the slow-disk library (tests/support/slow_fsync.c)")
        pytest.skip("no C compiler: the slow-disk runs need one")
    library = folder / "libslowfsync.so"
    subprocess.run([compiler, "-shared", "-fPIC", "-O2", "-o", str(library), str(SOURCE), "-ldl"], check=True)
    return library
