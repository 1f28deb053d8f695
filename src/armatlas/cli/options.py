"""Options shared by every command, and the one way commands reach the data (Atlas)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from armatlas.atlas import Atlas

JSON = typer.Option(False, "--json", help="Print JSON (same fields as the Python and HTTP APIs).")
CSV = typer.Option(False, "--csv", help="Print CSV (tidy: one value per cell, with the source citation).")
PART = typer.Option(
    None, "--part", help="With --csv/--json: only this part of the result (see --json for names)."
)
OUT = typer.Option(None, "--out", help="Write one tidy CSV per part plus datapackage.json into this folder.")
RELEASE = typer.Option(None, "--release", help="Release (publisher's generated date); newest by default.")
PERIODS = typer.Option(None, "--period", "-p", help="Period such as 2020-2024 (repeatable).")


def atlas() -> Atlas:
    """The store of the current ARMATLAS_HOME, read-only: every command reads data through it."""
    from armatlas.atlas import open_atlas

    return open_atlas()


__all__ = ["CSV", "JSON", "OUT", "PART", "PERIODS", "RELEASE", "atlas"]
