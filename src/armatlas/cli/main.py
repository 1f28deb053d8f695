"""Import every command module so that they register on the app."""

from armatlas.cli import (  # noqa: F401
    check_cmds,
    data_cmds,
    industry_cmds,
    review_cmds,
    serve_cmds,
    spending_cmds,
    trade_cmds,
    trade_extra_cmds,
)
from armatlas.cli.app import app, run

for module in (spending_cmds, trade_extra_cmds, serve_cmds, check_cmds, review_cmds, industry_cmds):
    module.register(app)

__all__ = ["app", "run"]
