"""A long-lived process that holds the store as the cockpit does (``LazyStore``), driven
line by line on stdin, for the tests that run several processes on one database.

    python tests/store_child.py DB

Each command is one JSON object on a line; each answer one JSON line on stdout, once the
call has returned:

    {"op": "note", "number": 41, "text": "..."}     the cockpit's fast note path
    {"op": "declare", "title": "..."}               a write on the full store (SQLAlchemy)
    {"op": "severity", "number": 41, "severity": "SEV2"}
    {"op": "update", "number": 41, "text": "..."}   an update queued in the outbox
    {"op": "deliver"}                               one outbox delivery run (Slack settings
                                                    from the environment)
    {"op": "texts"}                                 every timeline text and title it can read
    {"op": "quit"}

Answers are ``{"ok": ...}`` or ``{"error": "..."}``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any


def main() -> int:
    from ictui.config import load_settings
    from ictui.domain.enums import Severity
    from ictui.store.lazy import LazyStore

    store = LazyStore(Path(sys.argv[1]))
    settings = load_settings()

    def run(command: dict[str, Any]) -> Any:
        op = command["op"]
        if op == "note":
            return store.add_note(command["number"], command["text"], author="child")[0].id
        if op == "declare":
            return store.declare(command["title"], author="child").number
        if op == "severity":
            return str(
                store.change_severity(command["number"], Severity(command["severity"]), "child").severity
            )
        if op == "update":
            return store.queue_update(command["number"], command["text"], author="child").id
        if op == "deliver":
            from ictui.slack.outbox import deliver_pending

            report = deliver_pending(store, settings)
            return {"delivered": report.delivered, "pending": report.pending}
        if op == "texts":
            texts = []
            for row in store.list_incidents():
                texts.append(row.title)
                texts.extend(entry.text for entry in store.timeline(row.number))
            return texts
        raise ValueError(f"unknown op {op}")

    for line in sys.stdin:
        command = json.loads(line)
        if command["op"] == "quit":
            break
        try:
            answer = {"ok": run(command)}
        except Exception as exc:  # noqa: BLE001 - any error goes back to the test, which reads it
            answer = {"error": f"{type(exc).__name__}: {exc}"}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
