"""The one Jinja environment of pages and reports: a name the data lack is an error, never a blank.

Jinja's default `Undefined` prints a misspelt field (or one a result does not have) as nothing,
so a page or report would silently show a blank figure. `StrictUndefined` raises instead, in
tests and in production alike; `template_error` turns that into an `ArmatlasError` that names the
template, its line and the missing name, which the CLI and the server show like any other error.
Optional values are written explicitly in the templates (`is defined`, `is not none`).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from types import TracebackType

from jinja2 import Environment, FileSystemLoader, StrictUndefined, UndefinedError, select_autoescape

from armatlas.errors import ArmatlasError
from armatlas.render.format import FILTERS


class TemplateError(ArmatlasError):
    """A template asked for a field its data do not have: a bug in armatlas, not in the input."""

    code = "template-error"


def environment(folders: Iterable[Path]) -> Environment:
    """Templates found in `folders`, first match wins; HTML autoescaped; strict about undefined names."""
    env = Environment(
        loader=FileSystemLoader([str(f) for f in folders]),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
    )
    env.filters.update(FILTERS)
    return env


def _template_frame(tb: TracebackType | None) -> tuple[str | None, int | None]:
    """The innermost template file and line in a traceback.

    `Template.render` rewrites its frames to the template's own lines; a macro called from
    Python keeps the compiled frames, whose lines the template maps back.
    """
    where: tuple[str | None, int | None] = (None, None)
    while tb is not None:
        name, line = tb.tb_frame.f_code.co_filename, tb.tb_lineno
        compiled = tb.tb_frame.f_globals.get("__jinja_template__")
        if compiled is not None:
            line = compiled.get_corresponding_lineno(line)
        if name.endswith(".html"):
            where = (Path(name).name, line)
        tb = tb.tb_next
    return where


def template_error(exc: UndefinedError, template: str) -> TemplateError:
    """The error to raise for an undefined name met while rendering `template`."""
    file, line = _template_frame(exc.__traceback__)
    return TemplateError(
        f"Template {template} asks for a value its data do not have: {exc.message}",
        file=file or template,
        line=line,
        hint="This is a bug in armatlas, not in your data or query: please report it with the "
        "page address or the command you ran.",
    )
