"""A local fake of the publishers' servers (127.0.0.1 only) with switchable failure modes.

Usage in a test:

    def test_x(fake_publisher):
        fake_publisher.route("GET", "/v2/thing", lambda req: Reply(b"[1, 2]"))
        fake_publisher.fail("/v2/thing", "500")          # the next request gets a 500
        fake_publisher.fail("/v2/thing", "500", always=True)  # every request does
        url = fake_publisher.url + "/v2/thing"

`add_sipri_routes(pub)` serves the real snapshot files the way SIPRI's backend does.
Failure modes: "timeout" (sleep past the client's timeout), "500", "404", "truncated"
(Content-Length larger than what is sent), "bad_json", "bad_base64" (SIPRI envelope only),
"html" (an error page with status 200), "wrong_csv" (valid envelope, not a SIPRI file),
"oversized" (a huge Content-Length and no body), "oversized_stream" (no Content-Length, more
bytes than any test limit).
"""

from __future__ import annotations

import base64
import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import REGISTER_2026, REGISTER_ID_2024, TIV_EXPORTS, TIV_IMPORTS

SIPRI_PREFIX = "/api/p"
SIPRI_MAX_YEAR = b"2025"
MODES = (
    "timeout",
    "500",
    "404",
    "truncated",
    "bad_json",
    "bad_base64",
    "html",
    "wrong_csv",
    "oversized",
    "oversized_stream",
)
HTML = b"<!DOCTYPE html><html><head><title>Maintenance</title></head><body>Back soon</body></html>"


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body or b"null")


@dataclass
class Reply:
    body: bytes
    status: int = 200
    content_type: str = "application/json"
    envelope: bool = False  # body is the payload inside SIPRI's {"bytes": base64} envelope


Handler = Callable[[Request], Reply]


@dataclass
class FakePublisher:
    """Routes, failure modes and a log of every request received."""

    url: str = ""
    sleep_s: float = 1.0
    routes: dict[tuple[str, str], Handler] = field(default_factory=dict)
    queued: dict[str, list[str]] = field(default_factory=dict)
    always: dict[str, str] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def route(self, method: str, path: str, handler: Handler) -> None:
        self.routes[(method.upper(), path)] = handler

    def fail(self, path: str, *modes: str, always: bool = False) -> None:
        """Queue failure modes for the next requests to `path` (or for all of them)."""
        for m in modes:
            if m not in MODES:
                raise ValueError(f"unknown mode {m!r}; known: {MODES}")
        with self.lock:
            if always:
                self.always[path] = modes[0]
            else:
                self.queued.setdefault(path, []).extend(modes)

    def reset(self) -> None:
        with self.lock:
            self.queued.clear()
            self.always.clear()
            self.requests.clear()

    def hits(self, path: str) -> list[Request]:
        return [r for r in self.requests if r.path == path]

    def next_mode(self, path: str) -> str | None:
        with self.lock:
            q = self.queued.get(path)
            if q:
                return q.pop(0)
            return self.always.get(path)


def _make_handler(pub: FakePublisher) -> type[BaseHTTPRequestHandler]:
    class H(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"  # one request per connection; body ends at close

        def do_GET(self) -> None:
            self._serve()

        def do_POST(self) -> None:
            self._serve()

        def log_message(self, *args: Any) -> None:  # keep test output quiet
            pass

        def _serve(self) -> None:
            parts = urlsplit(self.path)
            n = int(self.headers.get("Content-Length") or 0)
            req = Request(
                self.command,
                parts.path,
                parse_qs(parts.query),
                {k.lower(): v for k, v in self.headers.items()},
                self.rfile.read(n),
            )
            with pub.lock:
                pub.requests.append(req)
            handler = pub.routes.get((self.command, parts.path))
            try:
                if handler is None:
                    self._send(404, b"not found", "text/plain")
                    return
                self._reply(handler(req), pub.next_mode(parts.path))
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout test) or aborted (size cap)

        def _reply(self, reply: Reply, mode: str | None) -> None:
            if mode == "timeout":
                time.sleep(pub.sleep_s)
            if mode in ("500", "404"):
                self._send(int(mode), b'{"error": "server error"}', "application/json")
                return
            if mode == "html":
                self._send(200, HTML, "text/html")
                return
            if mode == "bad_json":
                self._send(200, b'{"bytes": "abc', "application/json")
                return
            if mode == "oversized":
                self._headers(200, "application/json", 10**12)
                return
            if mode == "oversized_stream":
                self._headers(200, "application/json", None)
                for _ in range(256):
                    self.wfile.write(b" " * 65536)  # 16 MiB in all, no Content-Length
                return
            payload = reply.body
            if mode == "wrong_csv":
                payload = b"name,value\nfoo,1\nbar,2\n"
            if reply.envelope:
                text = "!!not*base64!!" if mode == "bad_base64" else base64.b64encode(payload).decode()
                payload = json.dumps({"bytes": text}).encode()
            if mode == "truncated":
                self._headers(reply.status, reply.content_type, len(payload) + 1000)
                self.wfile.write(payload[: len(payload) // 2])
                return
            self._send(reply.status, payload, reply.content_type)

        def _headers(self, status: int, ctype: str, length: int | None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            if length is not None:
                self.send_header("Content-Length", str(length))
            self.end_headers()

        def _send(self, status: int, body: bytes, ctype: str) -> None:
            self._headers(status, ctype, len(body))
            self.wfile.write(body)

    return H


@cache
def _read(path: Path) -> bytes:
    return path.read_bytes()


def _filters(req: Request) -> set[str]:
    doc = req.json()
    return {f.get("field") for f in doc.get("filters", [])} if isinstance(doc, dict) else set()


def sipri_register(req: Request) -> Reply:
    """Web-layout register, or the ID (delivery-year) layout when `exportOption` is asked for."""
    src = REGISTER_ID_2024 if "exportOption" in _filters(req) else REGISTER_2026
    return Reply(_read(src), envelope=True)


def sipri_tiv_table(req: Request) -> Reply:
    """Importers' table, or the exporters' one when `orderbyseller` is asked for."""
    src = TIV_EXPORTS if "orderbyseller" in _filters(req) else TIV_IMPORTS
    return Reply(_read(src), envelope=True)


def add_sipri_routes(pub: FakePublisher) -> None:
    """Serve the real snapshot files the way atbackend.sipri.org does."""
    pub.route(
        "GET", f"{SIPRI_PREFIX}/trades/getMaxYear", lambda r: Reply(SIPRI_MAX_YEAR, content_type="text/plain")
    )
    pub.route("POST", f"{SIPRI_PREFIX}/trades/trade-register-csv/", sipri_register)
    pub.route("POST", f"{SIPRI_PREFIX}/trades/import-export-csv/", sipri_tiv_table)


def serve_file(path: Path, content_type: str = "text/csv") -> Handler:
    """A handler returning a file's bytes as they are (raw downloads, e.g. bulk CSV or xlsx)."""
    return lambda req: Reply(_read(path), content_type=content_type)


@pytest.fixture
def fake_publisher() -> Iterator[FakePublisher]:
    """A fresh server on 127.0.0.1 with the SIPRI backend routes; extra routes can be added."""
    with running() as pub:
        yield pub


@contextmanager
def running() -> Iterator[FakePublisher]:
    """The fake publisher for as long as the block runs (for fixtures of a wider scope)."""
    pub = FakePublisher()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _make_handler(pub))
    server.daemon_threads = True
    pub.url = f"http://127.0.0.1:{server.server_address[1]}"
    add_sipri_routes(pub)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield pub
    finally:
        server.shutdown()
        server.server_close()
