"""The Typer app and the one place where errors become terminal output (never a traceback)."""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from collections.abc import Sequence
from typing import Any

import typer
from rich.console import Console
from rich.panel import Panel
from typer.core import TyperGroup
from typer.exceptions import Abort, Exit, TyperException

from armatlas import __version__
from armatlas.errors import ArmatlasError


class GroupedHelp(TyperGroup):
    """Plain `--help` (no Rich, see below) that still lists commands under their group headings."""

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        sections: dict[str, list[tuple[str, Any]]] = {}
        for name in self.list_commands(ctx):
            cmd = self.get_command(ctx, name)
            if cmd is not None and not cmd.hidden:
                sections.setdefault(getattr(cmd, "rich_help_panel", None) or "Commands", []).append(
                    (name, cmd)
                )
        if not sections:
            return
        widest = max(len(n) for rows in sections.values() for n, _ in rows)
        for heading, rows in sections.items():
            with formatter.section(heading):  # names padded alike so every section lines up
                formatter.write_dl(
                    [(n.ljust(widest), c.get_short_help_str(formatter.width - 6 - widest)) for n, c in rows]
                )


def _new_app() -> typer.Typer:
    """The app's settings: `app` has every command; `_click_command` may build one with a single one."""
    return typer.Typer(
        cls=GroupedHelp,
        name="armatlas",
        help="Public arms-transfer and military-spending data turned into checkable evidence.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        # Plain click help: Rich-formatted help imports ~190 ms of rich.markdown/traceback/attrs
        # before anything is printed (issue 12: `--help` within 1.5x of `import duckdb`).
        rich_markup_mode=None,
    )


app = _new_app()
err_console = Console(stderr=True)


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"armatlas {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks for errors (anywhere on the line)."),
    home: str | None = typer.Option(
        None, "--home", envvar="ARMATLAS_HOME", help="Data folder (store and snapshots); default ~/.armatlas."
    ),
    version: bool = typer.Option(
        False, "--version", callback=_show_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
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
    err_console.print(
        Panel(
            "\n".join(lines), title=f"error: {exc.code}", border_style="red", title_align="left", expand=False
        )
    )


def _show_usage_error(exc: TyperException) -> None:
    """Typer vendors click (typer._click): its usage errors become one line plus where to look."""
    ctx = getattr(exc, "ctx", None)
    if type(exc).__name__ == "NoArgsIsHelpError":  # bare `armatlas`: the help text is the answer
        typer.echo(exc.format_message(), err=True)
        return
    typer.echo(f"error: {exc.format_message()}", err=True)
    if ctx is not None:
        typer.echo(f"  see: {ctx.command_path} --help", err=True)


def split_debug(argv: Sequence[str]) -> tuple[list[str], bool]:
    """`--debug` is honoured anywhere on the line, before or after the command (not after `--`)."""
    args, debug, options_over = [], False, False
    for a in argv:
        if a == "--":
            options_over = True
        if a == "--debug" and not options_over:
            debug = True
            continue
        args.append(a)
    return args, debug


def _quiet_stdout() -> None:
    """After the reader of a pipe went away (`| head`): point stdout at /dev/null so the final
    flush cannot fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    with contextlib.suppress(OSError, ValueError):
        os.dup2(devnull, sys.stdout.fileno())


def _stdout_identity() -> tuple[int, int] | None:
    try:
        st = os.fstat(sys.stdout.fileno())
    except (OSError, ValueError):
        return None
    return st.st_dev, st.st_ino


def _pipe_closed_by_rich(before: tuple[int, int] | None) -> bool:
    """Rich answers a broken pipe by pointing stdout at /dev/null and exiting 1: that is a reader
    that had enough (`| head`), not a failure."""
    try:
        null = os.stat(os.devnull)
    except OSError:
        return False
    now = _stdout_identity()
    return now is not None and now != before and now == (null.st_dev, null.st_ino)


def _command_name(args: Sequence[str]) -> str | None:
    """The command a command line names: its first word that is neither an option nor the
    value of `--home`; None when `--help` or `--` comes first."""
    words = iter(args)
    for a in words:
        if a in ("--help", "--"):
            return None
        if a == "--home":
            next(words, None)
        elif not a.startswith("-"):
            return a
    return None


def app_for(args: Sequence[str]) -> typer.Typer:
    """The app for this command line: with the named command alone when it is one of ours
    (Typer builds every command's parameters from its signature, ~9 ms of a cold start), else
    `app` with every command (help, usage errors and suggestions see them all)."""
    name = _command_name(args)
    named = [
        info
        for info in app.registered_commands
        if info.callback is not None
        and (info.name or typer.main.get_command_name(info.callback.__name__)) == name
    ]
    if len(named) != 1:
        return app
    one = _new_app()
    one.registered_callback = app.registered_callback
    one.registered_commands = named
    return one


def _invoke(args: list[str]) -> int:
    from armatlas.cli.coercion import defer_coercion

    command = typer.main.get_command(app_for(args))
    defer_coercion(command)
    try:
        with command.make_context("armatlas", args) as ctx:
            command.invoke(ctx)
        sys.stdout.flush()
    except Exit as exc:
        return exc.exit_code
    return 0


def run(argv: Sequence[str] | None = None) -> None:
    """Console entry point: every failure is one short message on stderr and exit 1 (2 for usage)."""
    from armatlas.cli import main as _commands  # noqa: F401 - registers the commands

    args, debug = split_debug(sys.argv[1:] if argv is None else argv)
    stdout_before = _stdout_identity()
    try:
        code = _invoke(args)
    except SystemExit as exc:
        code = 0 if _pipe_closed_by_rich(stdout_before) else exc.code  # type: ignore[assignment]
    except BrokenPipeError:
        _quiet_stdout()
        code = 0
    except ArmatlasError as exc:
        if debug:
            raise
        show_error(exc)
        code = 1
    except KeyboardInterrupt:
        err_console.print("interrupted; the store is unchanged unless an ingest had committed")
        code = 130
    except TyperException as exc:  # click's usage errors, vendored as typer._click (no traceback
        _show_usage_error(exc)  # even under --debug: it would only show the parser's insides)
        code = getattr(exc, "exit_code", 2)
    except Abort:
        code = 1
    except Exception as exc:  # a bug: still one line, the traceback only under --debug
        from armatlas.store.db import damage_error

        if (damaged := damage_error(exc)) is not None:  # a damaged store file, found while reading
            show_error(damaged)
            sys.exit(1)
        if debug:
            raise
        typer.echo(f"error: unexpected {type(exc).__name__}: {exc}", err=True)
        typer.echo("  this is a bug in armatlas; run again with --debug for the traceback", err=True)
        code = 1
    if argv is None:  # the process ends here (console script, python -m armatlas)
        # Interpreter shutdown runs the cyclic collector over every object of every module
        # (~20 ms of a cold command, with duckdb, typer and rich loaded); they die with the
        # process, so freeze them: finalizers, atexit and stream flushing still run.
        gc.freeze()
    sys.exit(code)
