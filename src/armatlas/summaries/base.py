"""The one way a summary class is declared: a frozen, keyword-only dataclass.

`@summary` is `@dataclass(frozen=True, kw_only=True)` whose equality, hash and repr come from
`Summary` instead of being generated per class: the same behaviour (fields compared, hashed
and shown as the dataclass would), defined once, because each generated method is compiled
from source when the class is defined (~0.2 ms a class of a cold start, 38 classes).
"""

from __future__ import annotations

import reprlib
from dataclasses import dataclass, field, fields
from typing import Any, TypeVar, dataclass_transform

T = TypeVar("T", bound=type)


class Summary:
    """Equality, hash and repr of a frozen dataclass, as `@dataclass` generates them."""

    __slots__ = ()

    def _compared(self) -> tuple[Any, ...]:
        return tuple(getattr(self, f.name) for f in fields(self) if f.compare)  # type: ignore[arg-type]

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return self._compared() == other._compared()
        return NotImplemented

    def __hash__(self) -> int:
        return hash(
            tuple(
                getattr(self, f.name)
                for f in fields(self)  # type: ignore[arg-type]
                if (f.compare if f.hash is None else f.hash)
            )
        )

    @reprlib.recursive_repr()
    def __repr__(self) -> str:
        shown = (f"{f.name}={getattr(self, f.name)!r}" for f in fields(self) if f.repr)  # type: ignore[arg-type]
        return f"{self.__class__.__qualname__}({', '.join(shown)})"


@dataclass_transform(frozen_default=True, kw_only_default=True, field_specifiers=(field,))
def summary(cls: T) -> T:
    """A summary dataclass: frozen, keyword-only, with `Summary`'s equality, hash and repr."""
    if not issubclass(cls, Summary):
        raise TypeError(f"{cls.__name__} must derive from Summary")
    return dataclass(frozen=True, kw_only=True, eq=False, repr=False)(cls)  # type: ignore[return-value]
