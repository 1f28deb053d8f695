"""Every command, registered one way and grouped by what the user does."""

from __future__ import annotations

from types import ModuleType

import typer

from armatlas.cli import (
    check_cmds,
    data_cmds,
    industry_cmds,
    lookup_cmds,
    review_cmds,
    serve_cmds,
    spending_cmds,
    trade_cmds,
)
from armatlas.cli.app import app, run

# (help panel, modules): each module's register(app) adds its commands; the panel groups them in --help.
GROUPS: list[tuple[str, tuple[ModuleType, ...]]] = [
    ("Get data", (data_cmds, review_cmds)),
    ("Look up", (lookup_cmds,)),
    ("Analyse trade", (trade_cmds,)),
    ("Spending and industry", (spending_cmds, industry_cmds)),
    ("Check and publish", (check_cmds, serve_cmds)),
]


def register_all(target: typer.Typer) -> None:
    """Add every group's commands to `target`, each under its group's heading."""
    for panel, modules in GROUPS:
        for module in modules:
            before = len(target.registered_commands)
            module.register(target)
            for info in target.registered_commands[before:]:
                info.rich_help_panel = panel


register_all(app)

__all__ = ["app", "register_all", "run"]
