"""Leases: one process per database does a recurring job (the Slack poll), whoever starts.

A lease is a row of ``ictui_meta`` (``lease:<name>`` → ``<owner> <expires, epoch s>``),
taken or renewed by a compare-and-swap inside one write transaction, so that two
cockpits (or a cockpit and a CLI, on one SQLite file or one PostgreSQL server) never both
hold it: the one whose update matched the value it read wins. A holder that dies lets
it lapse; another takes it at its next try. Taking a lease does not bump the database's
revision: cockpits do not reload for it.
"""

from __future__ import annotations

import time
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlmodel import col

from ictui.store import engine as eng
from ictui.store import tables as m
from ictui.store.records import Records


class Leases(Records):
    def hold_lease(self, name: str, owner: str, seconds: float) -> bool:
        """Take or renew the lease ``name`` for ``owner`` for ``seconds``; False when another
        holder's lease still runs (or the database is busy: try again at the next turn)."""
        key = f"lease:{name}"
        at = time.time()
        wanted = f"{owner} {at + seconds:.3f}"
        try:
            with Session(self._writer) as s, s.begin():
                current = s.execute(sa.select(col(m.Meta.value)).where(col(m.Meta.key) == key)).scalar()
                if current is None:
                    s.add(m.Meta(key=key, value=wanted))
                    s.flush()
                    return True
                holder, _, expires = current.partition(" ")
                if holder != owner and _number(expires) > at:
                    return False
                # An UPDATE's result is a CursorResult, which SQLAlchemy types as a Result.
                swapped = cast(
                    "sa.CursorResult[Any]",
                    s.execute(
                        sa.update(m.Meta)
                        .where(col(m.Meta.key) == key, col(m.Meta.value) == current)
                        .values(value=wanted)
                    ),
                )
                return swapped.rowcount == 1
        except sa.exc.IntegrityError:
            return False  # another took it first, inserting the same row
        except sa.exc.OperationalError as exc:
            if eng.is_busy_error(exc):
                return False
            raise

    def release_lease(self, name: str, owner: str) -> None:
        """Let go of a lease this owner holds (another may take it at once)."""
        key = f"lease:{name}"
        try:
            with Session(self._writer) as s, s.begin():
                s.execute(
                    sa.delete(m.Meta).where(col(m.Meta.key) == key, col(m.Meta.value).startswith(f"{owner} "))
                )
        except sa.exc.OperationalError as exc:
            if not eng.is_busy_error(exc):
                raise


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return 0.0
