"""Any bytes on the command line: text that is UTF-8 is stored, text that is not is
refused in one line with exit code 2 and nothing written; paths keep their bytes.

Run as a user runs it (``python -m ictui`` in a subprocess, the arguments as bytes), in
parallel: each run pays Python's start-up.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from ictui.store import Store
from support.cli import Run, cli_env, ictui_bytes

BAD = b"bad \xff byte"  # not UTF-8: a Latin-1 pasted text, a binary file's bytes
LATIN1 = "café".encode("latin-1")


def run_many(env: dict[str, str], db: Path, runs: dict[str, tuple[bytes | str, ...]]) -> dict[str, Run]:
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = {name: pool.submit(ictui_bytes, env, db, *args) for name, args in runs.items()}
        return {name: future.result() for name, future in futures.items()}


@pytest.mark.slow
def test_text_that_is_not_utf8_is_refused_in_one_line_and_nothing_is_written(tmp_path: Path) -> None:
    db = tmp_path / "ictui.db"
    store = Store(db)
    number = store.declare("Checkout fails").number
    store.add_action_item(number, "Alert on 502s")
    before = (len(store.timeline(number)), len(store.list_incidents()), len(store.updates(number)))
    store.close()
    env = cli_env(tmp_path)
    runs = run_many(
        env,
        db,
        {
            "note": ("note", str(number), BAD),
            "declare": ("declare", BAD),
            "declare --summary": ("declare", "Fine title", "--summary", LATIN1),
            "update": ("update", str(number), BAD),
            "status --note": ("status", str(number), "monitoring", "--note", BAD),
            "severity --reason": ("severity", str(number), "SEV2", "--reason", LATIN1),
            "action --owner": ("action", "1", "--owner", BAD),
        },
    )
    for name, result in runs.items():
        stderr = result.stderr.decode("utf-8", "backslashreplace")
        assert result.returncode == 2, (name, stderr)
        assert b"Traceback" not in result.stderr, (name, stderr)
        assert len(stderr.splitlines()) == 1, (name, stderr)
        assert "is not UTF-8 text" in stderr and "nothing was written" in stderr, (name, stderr)
    assert "--note is not UTF-8 text (the byte 0xFF after 'bad ')" in runs["status --note"].stderr.decode()
    assert "the title argument" in runs["declare"].stderr.decode()
    store = Store(db)
    try:
        assert (
            len(store.timeline(number)),
            len(store.list_incidents()),
            len(store.updates(number)),
        ) == before
        assert store.action_items(number)[0].owner == ""
    finally:
        store.close()


@pytest.mark.slow
def test_utf8_text_of_every_kind_is_stored_as_typed(tmp_path: Path) -> None:
    db = tmp_path / "ictui.db"
    env = cli_env(tmp_path)
    title = "Paiement échoue — الدفع 🔥 [/] <b>"
    assert ictui_bytes(env, db, "declare", title.encode()).returncode == 0
    note = "日本語 ✓ \\x00 \u202ertl\u202c [b]x[/b]"
    result = ictui_bytes(env, db, "note", "1", note.encode())
    assert result.returncode == 0, result.stderr
    store = Store(db)
    try:
        assert store.incident(1).title == title
        # Bidi overrides are dropped (they would turn the text around on screen and in
        # exports); every other character is kept as typed.
        assert store.timeline(1)[-1].text == note.replace("\u202e", "").replace("\u202c", "")
    finally:
        store.close()


@pytest.mark.slow
def test_a_path_keeps_bytes_that_are_not_utf8(tmp_path: Path) -> None:
    """A file name may hold any bytes: the backup is made where it was asked, and said."""
    db = tmp_path / "ictui.db"
    Store(db).close()
    target = os.fsencode(tmp_path) + b"/copy-\xff.db"
    env = cli_env(tmp_path)
    result = ictui_bytes(env, db, "backup", target)
    assert result.returncode == 0, result.stderr
    assert os.path.exists(target)
    # Even where the terminal's encoding refuses them, the name is printed, escaped.
    result = ictui_bytes({**env, "PYTHONIOENCODING": "utf-8:strict"}, db, "backup", target + b"2")
    assert result.returncode == 0 and b"Traceback" not in result.stderr, result.stderr


@pytest.mark.slow
def test_an_environment_variable_that_is_not_utf8_is_refused_in_one_line(tmp_path: Path) -> None:
    env = {**cli_env(tmp_path)}
    env_bytes = {os.fsencode(k): os.fsencode(v) for k, v in env.items()}
    env_bytes[b"ICTUI_USER"] = b"b\xffd"
    result = ictui_bytes(env_bytes, tmp_path / "x.db", "note", "1", "hello")
    assert result.returncode == 2 and b"Traceback" not in result.stderr, result.stderr
    assert result.stderr.decode().strip() == (
        "ictui: the environment variable ICTUI_USER is not UTF-8 text; set it again in UTF-8"
    )
