"""The server's resources stay bounded and its failures stay clear: cache, HEAD, damaged store,
the analysis queue, slow connections, and binding beyond loopback."""

from __future__ import annotations

import asyncio
import hashlib
import shutil
import socket
import threading
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from armatlas.api import create_app
from armatlas.api.state import Cached, ResponseCache
from armatlas.errors import StoreError


@pytest.fixture(scope="module")
def app(store_path: Path):
    a = create_app(store_path)
    yield a
    a.state.armatlas.close()


@pytest.fixture(scope="module")
def client(app) -> TestClient:
    return TestClient(app)


def test_junk_parameters_make_no_cache_entries(client, app) -> None:
    cache = app.state.armatlas.cache
    plain = client.get("/api/v1/countries/Armenia/dependence")
    before = (len(cache), cache.bytes)
    for n in range(20):
        resp = client.get("/api/v1/countries/Armenia/dependence", params={"junk": n, f"x{n}": "y"})
        assert resp.content == plain.content and resp.headers["etag"] == plain.headers["etag"]
    assert (len(cache), cache.bytes) == before
    # a declared parameter is part of the key; repeated values keep their order
    for order in (["India", "Pakistan"], ["Pakistan", "India"]):
        assert client.get("/api/v1/flows", params=[("entity", e) for e in order]).status_code == 200
    assert len(cache) == before[0] + 2


def test_cache_is_bounded_in_bytes_and_evicts_oldest(client) -> None:
    bodies = [client.get(f"/api/v1/countries/{c}/exports").content for c in ("France", "Germany", "Israel")]
    limit = len(bodies[1]) + len(bodies[2])
    cache = ResponseCache(max_bytes=limit, max_entry=limit)
    for i, body in enumerate(bodies):
        cache.put(("k", i), Cached(body, "application/json"))
    assert cache.bytes <= limit and cache.get(("k", 0)) is None and cache.get(("k", 2)) is not None
    small = ResponseCache(max_bytes=10 * len(bodies[0]), max_entry=len(bodies[0]) - 1)
    small.put(("big",), Cached(bodies[0], "application/json"))
    assert small.get(("big",)) is None and small.bytes == 0  # too big to keep, still served


def test_deals_not_cached_when_too_large(client, app) -> None:
    resp = client.get("/api/v1/deals", params={"recipient": "India"})
    assert resp.status_code == 200
    assert app.state.armatlas.cache.bytes <= app.state.armatlas.cache.max_bytes


def test_head_answers_like_get_without_body(client) -> None:
    for url in ("/api/v1/health", "/api/v1/countries/Azerbaijan/profile", "/api/v1/releases?format=csv"):
        got, head = client.get(url), client.head(url)
        assert head.status_code == 200 and head.content == b""
        assert head.headers["content-length"] == str(len(got.content))
        assert head.headers.get("etag") == got.headers.get("etag")
    assert client.head("/api/v1/nowhere").status_code == 404


def test_etag_is_the_sha256_of_the_body(client) -> None:
    resp = client.get("/api/v1/trends", params={"direction": "import", "top": 3})
    assert resp.headers["etag"] == '"' + hashlib.sha256(resp.content).hexdigest()[:32] + '"'
    assert (
        client.get(
            "/api/v1/trends",
            params={"direction": "import", "top": 3},
            headers={"If-None-Match": resp.headers["etag"]},
        ).status_code
        == 304
    )


def _damage(path: Path) -> None:
    """Overwrite the file from its first third to the end (DuckDB's block checksums will not
    match): the catalog at the start still opens, and the snapshot table's blocks are hit wherever
    the store's layout puts them."""
    size = path.stat().st_size
    with path.open("r+b") as f:
        f.seek(size // 3)
        f.write(bytes(range(256)) * ((size - size // 3) // 256 + 1))


def test_damaged_store_answers_503_not_a_bug(store_path: Path, tmp_path: Path) -> None:
    copy = tmp_path / "armatlas.duckdb"
    shutil.copyfile(store_path, copy)
    app2 = create_app(copy)
    try:
        _damage(copy)
        resp = TestClient(app2, raise_server_exceptions=False).get("/api/v1/countries/India/profile")
        assert resp.status_code == 503, resp.text
        err = resp.json()["error"]
        assert err["code"] == "store-unavailable" and "Corrupt" in err["value"]
        assert "this is a bug" not in resp.text and resp.headers["retry-after"]
    finally:
        app2.state.armatlas.close()
    with pytest.raises(StoreError) as raised:  # opening it now fails with the store's error
        create_app(copy)
    # Where the overwritten blocks fall decides whether DuckDB names the damage at open.
    assert raised.value.code in ("store-corrupt", "store-error")


def test_full_queue_answers_503_at_once_then_serves(store_path: Path) -> None:
    app2 = create_app(store_path, slots=1, timeout=10)
    state = app2.state.armatlas
    try:
        loop = asyncio.new_event_loop()
        assert loop.run_until_complete(state.gate.acquire(1.0))  # the one slot is busy
        state.gate.service = 8.0  # as if each analysis took 8 s: waiting + running > 10 s
        resp = TestClient(app2).get("/api/v1/countries/Chile/dependence")
        assert resp.status_code == 503 and resp.json()["error"]["code"] == "unavailable"
        assert resp.headers["retry-after"] == "8"
        state.gate.service = 0.05  # a short queue: the request waits, and is served when the slot frees
        out: dict[str, int] = {}
        t = threading.Thread(
            target=lambda: out.setdefault(
                "status", TestClient(app2).get("/api/v1/countries/Chile/dependence").status_code
            )
        )
        t.start()
        while not state.gate._waiters:
            t.join(0.01)
        state.gate.release()
        t.join()
        assert out == {"status": 200}
        assert state.gate.running == 0
        loop.close()
    finally:
        state.close()


def test_slow_request_connection_is_closed(store_path: Path) -> None:
    """A connection that never finishes its headers is closed; other clients are answered meanwhile."""
    import http.client

    import uvicorn

    from armatlas.api.serving import BoundedH11Protocol

    class Quick(BoundedH11Protocol):
        read_timeout = 0.5

    app2 = create_app(store_path)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app2, http=Quick, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        while not server.started:
            thread.join(0.02)
        idle = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(20)]
        idle[0].sendall(b"GET /api/v1/health HTTP/1.1\r\nHo")  # headers trickle, never end
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        conn.request("GET", "/api/v1/health")
        assert conn.getresponse().status == 200
        assert idle[0].recv(100) == b"" and idle[1].recv(100) == b""  # closed by the server
        for s in idle:
            s.close()
    finally:
        server.should_exit = True
        thread.join(10)
        app2.state.armatlas.close()


def test_serve_beyond_loopback_needs_public() -> None:
    from armatlas.cli.main import app as cli

    r = CliRunner().invoke(cli, ["serve", "--host", "0.0.0.0", "--port", "1"])
    assert r.exit_code == 1 and r.exception.code == "invalid-query" and "--public" in r.exception.hint
    from armatlas.api.serving import is_loopback

    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.4") and not is_loopback("example.org")


def test_same_question_at_once_is_computed_once(store_path: Path) -> None:
    """Eight clients asking the same uncached profile together share one computation."""
    app2 = create_app(store_path, slots=1)
    state = app2.state.armatlas
    calls: list[int] = []
    real = state.run

    async def counting_run(fn):  # type: ignore[no-untyped-def]
        calls.append(1)
        return await real(fn)

    state.run = counting_run
    try:
        out: list[bytes] = []
        threads = [
            threading.Thread(
                target=lambda: out.append(TestClient(app2).get("/api/v1/countries/Peru/profile").content)
            )
            for _ in range(8)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert len(out) == 8 and len(set(out)) == 1 and b'"Peru"' in out[0]
        assert len(calls) == 1  # the others waited for its answer, or found it cached
    finally:
        state.close()
