"""Turn a typed result into the bytes of a response (JSON or CSV), cached by URL."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, is_dataclass
from typing import Any, Literal

from fastapi import Request, Response

from armatlas.api.state import Cached, ServerState
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
            raise QueryError(
                f"Unknown part {part!r} for format=csv", value=part, hint="One of: " + ", ".join(value.parts)
            )
        return Cached(value.to_csv(part).encode(), CSV_TYPE)
    raise QueryError("This endpoint has no table to give as CSV", value="csv", hint="Use format=json.")


def state_of(request: Request) -> ServerState:
    return request.app.state.armatlas


def not_modified(request: Request, etag: str) -> bool:
    tags = request.headers.get("if-none-match", "")
    return etag in [t.strip().removeprefix("W/") for t in tags.split(",")] or tags.strip() == "*"


def cache_key(request: Request) -> tuple[Any, ...]:
    """The path and only the query parameters the route declares (FastAPI has validated them by
    now), so junk parameters never make new entries. Repeated values keep their order
    (`periods` is oldest first); names are sorted."""
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    names = {p.alias for p in dependant.query_params} if dependant is not None else set()
    items = [(k, v) for k, v in request.query_params.multi_items() if k in names]
    return (request.scope["path"], tuple(sorted(items, key=lambda kv: kv[0])))


async def respond(
    request: Request, fn: Callable[[Atlas], Any], fmt: Format = "json", part: str | None = None
) -> Response:
    """Answer from the cache, or run fn on a fresh cursor and cache the bytes; the ETag is the
    body's hash, so equal bodies carry equal tags whichever process served them."""
    state = state_of(request)
    # rendered in the worker too: a large body must not stall the event loop
    hit = await state.cached((state.etag, *cache_key(request)), lambda a: render(fn(a), fmt, part))
    headers = {"ETag": hit.etag, "Cache-Control": "no-cache"}
    if not_modified(request, hit.etag):
        return Response(status_code=304, headers=headers)
    if hit.media_type == CSV_TYPE:
        name = request.url.path.rstrip("/").rsplit("/", 1)[-1] or "armatlas"
        headers["Content-Disposition"] = f'inline; filename="{name}.csv"'
    return Response(hit.body, media_type=hit.media_type, headers=headers)
