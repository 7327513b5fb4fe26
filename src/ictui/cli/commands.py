"""The command modules, in the order their commands appear in ``ictui --help``."""

from ictui.cli import (
    backup_cmds,
    cockpit,
    incidents,
    paging_cmds,
    postmortem_cmds,
    roster_cmds,
    search_cmds,
    slack_cmds,
)

MODULES = [
    cockpit,
    incidents,
    search_cmds,
    roster_cmds,
    postmortem_cmds,
    slack_cmds,
    paging_cmds,
    backup_cmds,
]
