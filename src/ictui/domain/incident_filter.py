"""The incident list's filter: the few words an IC types after ``/``.

Words combine with AND, so ``sev1 active db`` is the active SEV1 incidents whose
number, title or IC mentions "db":

- ``sev1`` … ``sev4`` or ``sev:1,2``: any of these severities;
- ``status:investigating`` (a prefix is enough: ``status:inv``) or a bare status word
  such as ``resolved``: any of these statuses;
- ``active``: only incidents that still owe updates;
- anything else: text found in the number (``#41``), the title or the IC's name,
  whatever the case.

A filter is matched against thousands of rows on every keystroke, so the searchable
text of each row is built once (:func:`searchable`) and matching is plain ``in`` tests.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ictui.domain.enums import ACTIVE_STATUSES, Severity, Status
from ictui.domain.errors import InvalidInput
from ictui.domain.views import IncidentRow

_BARE_SEVERITY = re.compile(r"^sev(\d+)$")
_STATUS_WORDS = {status.value: status for status in Status}


@dataclass(frozen=True, slots=True)
class IncidentFilter:
    severities: frozenset[Severity] = frozenset()
    statuses: frozenset[Status] = frozenset()
    active_only: bool = False
    words: tuple[str, ...] = ()

    @classmethod
    def parse(cls, text: str) -> IncidentFilter:
        """Read a typed filter; a severity or status that does not exist is an error.

        A key with nothing after it yet (``sev:``, ``status:``) is ignored, so that a
        filter applied at every keystroke does not complain half-way through a word.
        """
        severities: set[Severity] = set()
        statuses: set[Status] = set()
        active_only = False
        words: list[str] = []
        for token in text.lower().split():
            key, colon, value = token.partition(":")
            if colon and key in ("sev", "severity"):
                severities.update(_severity(part) for part in value.split(",") if part)
            elif colon and key == "status":
                for part in filter(None, value.split(",")):
                    statuses.update(_statuses_starting(part))
            elif match := _BARE_SEVERITY.match(token):
                severities.add(_severity(match[1]))
            elif token in _STATUS_WORDS:
                statuses.add(_STATUS_WORDS[token])
            elif token == "active":
                active_only = True
            else:
                words.append(token)
        return cls(frozenset(severities), frozenset(statuses), active_only, tuple(words))

    def select(self, rows: Sequence[IncidentRow], searchable_texts: Sequence[str]) -> list[int]:
        """The indices of the rows that pass, in order; ``searchable_texts[i]`` is
        :func:`searchable` of ``rows[i]``.

        Each condition narrows the survivors of the one before in a single pass of
        plain comprehensions: 10,000 rows take a few milliseconds.
        """
        indices: Iterable[int] = range(len(rows))
        if self.severities:
            severities = self.severities
            indices = [i for i in indices if rows[i].severity in severities]
        if self.statuses or self.active_only:
            statuses = (self.statuses or frozenset(Status)) & (
                ACTIVE_STATUSES if self.active_only else frozenset(Status)
            )
            indices = [i for i in indices if rows[i].status in statuses]
        for word in self.words:
            indices = [i for i in indices if word in searchable_texts[i]]
        return list(indices)


def searchable(row: IncidentRow) -> str:
    """What free text is looked for in: the number, the title and the IC's name."""
    return f"#{row.number} {row.title} {row.ic_name}".lower()


def _severity(value: str) -> Severity:
    name = value.upper() if value.upper().startswith("SEV") else f"SEV{value}"
    try:
        return Severity(name)
    except ValueError:
        raise InvalidInput(f"no severity {value!r}; severities are sev1 (worst) to sev4") from None


def _statuses_starting(prefix: str) -> list[Status]:
    found = [status for word, status in _STATUS_WORDS.items() if word.startswith(prefix)]
    if not found:
        statuses = ", ".join(_STATUS_WORDS)
        raise InvalidInput(f"no status starts with {prefix!r}; statuses are {statuses}")
    return found
