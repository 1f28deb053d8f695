"""Turn a typed result into the bytes of a response (JSON or CSV), cached by URL."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, is_dataclass
from typing import Any, Literal

from fastapi import Request, Response

from armatlas.api.state import Cached, ServerState, cache_key
from armatlas.atlas import Atlas
from armatlas.errors import QueryError
from armatlas.results import CompositeResult, TableResult

Format = Literal["json", "csv"]
CSV_TYPE = "text/csv; charset=utf-8"
JSON_TYPE = "application/json"


def _plain(value: Any) -> Any:
    """json.dumps fallback: dataclasses (e.g. Entity) as dicts, anything else as text."""
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    return str(value)


def to_json_bytes(value: Any) -> bytes:
    if hasattr(value, "to_json"):  # TableResult, CompositeResult, NetworkResult
        return value.to_json().encode()
    return json.dumps(value, ensure_ascii=False, default=_plain).encode()


def render(value: Any, fmt: Format, part: str | None) -> Cached:
    """JSON of any result; CSV of a table, or of one part of a composite (?part=)."""
    if fmt == "json":
        return Cached(to_json_bytes(value), JSON_TYPE)
    if isinstance(value, TableResult):
        return Cached(value.to_csv().encode(), CSV_TYPE)
    if isinstance(value, CompositeResult):
        if part is None:
            part = next(iter(value.parts))
        if part not in value.parts:
            raise QueryError(f"Unknown part {part!r} for format=csv", value=part,
                             hint="One of: " + ", ".join(value.parts))
        return Cached(value.to_csv(part).encode(), CSV_TYPE)
    raise QueryError("This endpoint has no table to give as CSV", value="csv", hint="Use format=json.")


def state_of(request: Request) -> ServerState:
    return request.app.state.armatlas


def not_modified(request: Request, state: ServerState) -> bool:
    tags = request.headers.get("if-none-match", "")
    return state.etag in [t.strip().removeprefix("W/") for t in tags.split(",")] or tags.strip() == "*"


async def respond(request: Request, fn: Callable[[Atlas], Any], fmt: Format = "json",
                  part: str | None = None) -> Response:
    """Answer from the release-keyed cache, or run fn on a fresh cursor and cache the bytes."""
    state = state_of(request)
    headers = {"ETag": state.etag, "Cache-Control": "no-cache"}
    if not_modified(request, state):
        return Response(status_code=304, headers=headers)
    key = cache_key(request.url.path, request.query_params.multi_items())
    hit = state.cache.get(key)
    if hit is None:
        value = await state.run(fn)
        hit = render(value, fmt, part)
        state.cache.put(key, hit)
    if hit.media_type == CSV_TYPE:
        name = request.url.path.rstrip("/").rsplit("/", 1)[-1] or "armatlas"
        headers["Content-Disposition"] = f'inline; filename="{name}.csv"'
    return Response(hit.body, media_type=hit.media_type, headers=headers)
