"""Cheap option coercion: Typer builds a Pydantic TypeAdapter for every parameter of a command
before it looks at the value, so `armatlas profile X` imported pydantic and built ten adapters
(~100 ms cold) to pass through strings and None. Here a parameter's adapter is built only when
a value needs one: None stays None and a string for a `str` parameter stays that string (what
Typer's adapter returns for them); everything else goes through Typer's own coercion, unchanged.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any

from typer._click import Context
from typer._coercion import RuntimeParam, TypeDescriptor, build_runtime_param


@dataclass(frozen=True)
class LazyRuntimeParam(RuntimeParam):
    """Typer's runtime coercion for one parameter, built on the first value that needs it."""

    descriptor: TypeDescriptor | None = None

    def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
        if self.annotation is str and self.parameter_info.parser is None and type(value) is str:
            return value
        assert self.descriptor is not None
        return build_runtime_param(self.descriptor)._coerce_value(value, param=param, ctx=ctx)


def defer_coercion(command: Any, parent: Context | None = None) -> None:
    """Give every parameter of the command (and its subcommands) the lazy coercion, its
    `--help` flag included (made here as the command's parse would make it). A Typer without
    these internals keeps its own coercion: every step checks the attribute first."""
    ctx = Context(command, parent=parent, **(getattr(command, "context_settings", None) or {}))
    params = list(getattr(command, "params", ()))
    with contextlib.suppress(AttributeError, TypeError):
        params.append(command.get_help_option(ctx))
    for p in params:
        descriptor = getattr(p, "type_descriptor", None)
        if descriptor is not None and getattr(p, "_runtime_param", False) is None:
            p._runtime_param = LazyRuntimeParam(
                parameter_info=descriptor.parameter_info,
                annotation=descriptor.annotation,
                descriptor=descriptor,
            )
    for sub in (getattr(command, "commands", None) or {}).values():
        defer_coercion(sub, ctx)
