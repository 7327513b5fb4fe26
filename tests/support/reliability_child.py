"""A cockpit-like process for the reliability tests: it writes through the store API the
cockpit uses and says so on stdout after each call has returned.

    python tests/reliability_child.py DB NUMBER TAG [--deliver] [--watch] [--seconds S]
        [--interval S] [--wait-go]

Each write is a note (``Store.add_entry``) or, every third one, a status update
(``Store.queue_update``); once the call has returned, a line goes to stdout:

    ack note|update INDEX TEXT-ID MONOTONIC-TIME

An acknowledged write is one the IC was told is saved: it must survive anything.
``--deliver`` also runs the outbox delivery loop in a thread, as the cockpit's Slack
thread does (``SLACK_BOT_TOKEN`` and ``SLACK_API_URL`` from the environment).
``--watch`` polls for other processes' writes as the cockpit does (the revision every
``POLL_SECONDS``, then the timeline), prints ``watching MONOTONIC-TIME`` once it has read
what was there, then ``seen MONOTONIC-TIME TEXT`` for each new entry.
``--wait-go`` imports everything, prints ``warm``, then waits for ``go START`` on stdin
before opening the database: the crash test starts the next process while the current
one runs, so that a restart costs the time to open the database, not Python's start-up.
Any error ends the process with a traceback on stderr, which the tests treat as a failure.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from pathlib import Path

_PRINTING = threading.Lock()


def text_for(tag: str, kind: str, index: int) -> str:
    return f"{tag} {kind} {index}"


def say(line: str) -> None:
    """One whole line at a time: the writer and the watcher print from two threads."""
    with _PRINTING:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("db", type=Path)
    parser.add_argument("number", type=int)
    parser.add_argument("tag")
    parser.add_argument("--deliver", action="store_true")
    parser.add_argument("--watch", action="store_true")
    parser.add_argument("--seconds", type=float, default=0.0, help="stop writing after this long (0: never)")
    parser.add_argument("--interval", type=float, default=0.0, help="pause between writes")
    parser.add_argument("--wait-go", action="store_true")
    args = parser.parse_args()

    from ictui.config import load_settings
    from ictui.slack.outbox import deliver_pending
    from ictui.store import Store
    from ictui.tui.screens.cockpit import POLL_SECONDS

    start = 0
    if args.wait_go:
        say("warm")
        command = sys.stdin.readline().split()
        if command[:1] != ["go"]:
            return 0
        start = int(command[1])

    store = Store(args.db)
    stop = threading.Event()
    threads = []
    if args.deliver:
        settings = load_settings()

        def deliver() -> None:
            while not stop.is_set():
                deliver_pending(store, settings, stop=stop.is_set)
                stop.wait(0.02)

        threads.append(threading.Thread(target=deliver, daemon=True))
    if args.watch:

        def watch() -> None:
            revision = store.revision()
            known = {entry.id for entry in store.timeline(args.number)}
            mine = f"{args.tag} "
            say(f"watching {time.monotonic():.6f}")
            # At a fixed rate, as the cockpit's interval timer polls.
            tick = time.monotonic()
            while not stop.wait(max(tick + POLL_SECONDS - time.monotonic(), 0)):
                tick += POLL_SECONDS
                current = store.revision()
                if current == revision:
                    continue
                revision = current
                for entry in store.timeline(args.number):
                    if entry.id not in known:
                        known.add(entry.id)
                        if not entry.text.startswith(mine):
                            say(f"seen {time.monotonic():.6f} {entry.text}")

        threads.append(threading.Thread(target=watch, daemon=True))
    for thread in threads:
        thread.start()

    ends = time.monotonic() + args.seconds if args.seconds else None
    index = start
    while ends is None or time.monotonic() < ends:
        if index % 3 == 2:
            text = text_for(args.tag, "update", index)
            written = store.queue_update(args.number, text, author=args.tag).id
            kind = "update"
        else:
            text = text_for(args.tag, "note", index)
            written = store.add_entry(args.number, text, author=args.tag).id
            kind = "note"
        say(f"ack {kind} {index} {written} {time.monotonic():.6f}")
        index += 1
        if args.interval:
            time.sleep(args.interval)
    # Let the watcher see the others' last writes before saying goodbye.
    if args.watch:
        time.sleep(2 * POLL_SECONDS + 0.5)
    stop.set()
    for thread in threads:
        thread.join()
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
