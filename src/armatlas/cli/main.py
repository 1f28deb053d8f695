"""Import every command module so that they register on the app."""

from armatlas.cli import (  # noqa: F401
    data_cmds,
    spending_cmds,
    trade_cmds,
    trade_extra_cmds,
)
from armatlas.cli.app import app, run

spending_cmds.register(app)
trade_extra_cmds.register(app)

__all__ = ["app", "run"]
