"""The Typer app and the one place where library errors become terminal output."""

from __future__ import annotations

import os
import sys

import typer
from rich.console import Console
from rich.panel import Panel

from armatlas.errors import ArmatlasError

app = typer.Typer(
    name="armatlas",
    help="Public arms-transfer and military-spending data turned into checkable evidence.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err_console = Console(stderr=True)
STATE = {"debug": False}


@app.callback()
def main(
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks for errors."),
    home: str | None = typer.Option(None, "--home", envvar="ARMATLAS_HOME",
                                    help="Data folder (store and snapshots); default ~/.armatlas."),
) -> None:
    STATE["debug"] = debug
    if home:
        os.environ["ARMATLAS_HOME"] = home


def show_error(exc: ArmatlasError) -> None:
    lines = [f"[bold]{exc.message}[/bold]"]
    where = exc.where()
    if where:
        lines.append(f"where: {where}")
    if exc.value is not None:
        lines.append(f"value: {exc.value!r}")
    if exc.hint:
        lines.append(f"what to do: {exc.hint}")
    err_console.print(Panel("\n".join(lines), title=f"error: {exc.code}", border_style="red",
                            title_align="left", expand=False))


def run() -> None:
    """Console entry point: errors become a short red panel and exit code 1."""
    from armatlas.cli import main as _commands  # noqa: F401  (registers the commands)

    debug = "--debug" in sys.argv
    try:
        app(standalone_mode=False)
    except ArmatlasError as exc:
        if debug:
            raise
        show_error(exc)
        sys.exit(1)
    except KeyboardInterrupt:
        err_console.print("interrupted; the store is unchanged unless an ingest had committed")
        sys.exit(130)
    except Exception as exc:  # click usage errors
        import click

        if isinstance(exc, click.exceptions.Exit):
            sys.exit(exc.exit_code)
        if isinstance(exc, click.ClickException):
            exc.show()
            sys.exit(exc.exit_code)
        if isinstance(exc, click.exceptions.Abort):
            sys.exit(1)
        raise
