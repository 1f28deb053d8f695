"""Import every command module so that they register on the app."""

from armatlas.cli import data_cmds, trade_cmds  # noqa: F401
from armatlas.cli.app import app, run

__all__ = ["app", "run"]
