"""Load run on loopback: /api/v1/countries/{c}/profile against /api/v1/health, same server.

uvicorn runs in a subprocess on 127.0.0.1; 32 concurrent httpx clients send a bounded number of
requests (and stop after a time cap); `--client httpx` uses httpx.AsyncClient instead of the
lighter raw asyncio client. Reports p50/p99 latency and requests/s for each endpoint,
the profile/trivial throughput ratio, and a cold pass (every profile computed, none cached).

    .venv/bin/python bench/bench_api.py [--store PATH] [--requests 3000] [--concurrency 32]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

COUNTRIES = ["India", "Ukraine", "Pakistan", "Saudi Arabia", "Qatar", "Egypt", "Japan", "Poland",
             "China", "Australia", "South Korea", "Israel", "Algeria", "Greece", "Turkey", "Brazil"]
TIME_CAP = 60.0  # seconds per phase at most


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(store: Path, port: int) -> subprocess.Popen:
    code = ("import uvicorn; from armatlas.api import create_app; "
            f"uvicorn.run(create_app({str(store)!r}), host='127.0.0.1', port={port}, "
            "log_level='warning', access_log=False)")
    proc = subprocess.Popen([sys.executable, "-c", code])
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=1).raise_for_status()
            return proc
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.terminate()
    raise SystemExit("server did not start")


class RawClient:
    """One keep-alive HTTP/1.1 connection on asyncio streams: GET, read status and Content-Length body.

    httpx's async client spends ~2.8 ms of CPU per request here (7x the server's ~0.4 ms on the
    same 2 cores), so with it the run measures the client; this one costs ~0.2 ms.
    """

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str) -> int:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        self.writer.write(f"GET {path} HTTP/1.1\r\nHost: {self.host}\r\n\r\n".encode())
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length = int(next(line.split(b":", 1)[1] for line in head.split(b"\r\n")
                          if line.lower().startswith(b"content-length:")))
        await self.reader.readexactly(length)
        return status

    async def aclose(self) -> None:
        if self.writer is not None:
            self.writer.close()


class HttpxClient:
    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    async def get(self, path: str) -> int:
        return (await self.client.get(path)).status_code

    async def aclose(self) -> None:
        pass


async def load(base: str, paths: list[str], total: int, concurrency: int, kind: str = "raw") -> dict[str, float]:
    """`total` requests cycling over `paths` from `concurrency` clients; latency stats."""
    lat: list[float] = []
    errors = 0
    counter = iter(range(total))
    stop_at = time.monotonic() + TIME_CAP
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    host, port = base.removeprefix("http://").split(":")
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as shared:
        async def worker() -> None:
            nonlocal errors
            client = RawClient(host, int(port)) if kind == "raw" else HttpxClient(shared)
            try:
                for i in counter:
                    if time.monotonic() > stop_at:
                        return
                    t0 = time.perf_counter()
                    status = await asyncio.wait_for(client.get(paths[i % len(paths)]), 30)
                    lat.append(time.perf_counter() - t0)
                    errors += status != 200
            finally:
                await client.aclose()

        t0 = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        wall = time.perf_counter() - t0
    lat.sort()
    return {"requests": len(lat), "errors": errors, "rps": len(lat) / wall,
            "p50_ms": 1000 * statistics.median(lat), "p99_ms": 1000 * lat[min(len(lat) - 1, int(0.99 * len(lat)))]}


def show(name: str, r: dict[str, float]) -> None:
    print(f"{name:<28} {r['requests']:>6.0f} req  {r['errors']:>3.0f} err  {r['rps']:>8.1f} req/s  "
          f"p50 {r['p50_ms']:>7.2f} ms  p99 {r['p99_ms']:>7.2f} ms")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", type=Path, default=None, help="store file (default: ARMATLAS_HOME's)")
    ap.add_argument("--requests", type=int, default=3000)
    ap.add_argument("--concurrency", type=int, default=32)
    ap.add_argument("--client", choices=["raw", "httpx"], default="raw",
                    help="raw asyncio keep-alive client (default) or httpx.AsyncClient")
    a = ap.parse_args()
    from armatlas import config

    store = a.store or config.store_path()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = start_server(store, port)
    try:
        profiles = [f"/api/v1/countries/{c.replace(' ', '%20')}/profile" for c in COUNTRIES]
        cold = asyncio.run(load(base, profiles, len(profiles), min(a.concurrency, len(profiles))))
        show("profile, cold (computed)", cold)
        asyncio.run(load(base, ["/api/v1/health"], 200, a.concurrency))  # warm-up of connections
        trivial = asyncio.run(load(base, ["/api/v1/health"], a.requests, a.concurrency, a.client))
        prof = asyncio.run(load(base, profiles, a.requests, a.concurrency, a.client))
        show("trivial /api/v1/health", trivial)
        show("profile (release-cached)", prof)
        ratio = prof["rps"] / trivial["rps"]
        print(f"profile/trivial throughput: {ratio:.2f}  (target >= 0.50);  "
              f"profile p99 {prof['p99_ms']:.1f} ms (target <= 50)")
        print(f"client {a.client}, concurrency {a.concurrency}, cpus {os.cpu_count()}, store {store}")
    finally:
        proc.terminate()
        proc.wait(10)


if __name__ == "__main__":
    main()
