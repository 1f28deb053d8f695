"""Bounded load on loopback: junk parameters must not grow the server, idle connections must not
starve it (issue #16).

1. 10,000 requests (at most TIME_CAP seconds) over the API with random junk query parameters,
   16 clients; the server's RSS is sampled throughout. Target: peak RSS < 600 MB, no 5xx.
2. 300 connections opened and left idle or sending their headers a byte at a time, while one
   client keeps asking; target: every answer 200 (no 503), and the server closes the slow
   connections after its read deadline.

The server is `armatlas serve`'s own machinery in a subprocess on 127.0.0.1; nothing else is
contacted, every loop is bounded in count and time.

    .venv/bin/python bench/bench_load.py [--store PATH] [--requests 10000] [--idle 300]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import threading
import time
from collections import Counter
from pathlib import Path

from bench_api import RawClient, free_port, rss_mb, start_server

TIME_CAP = 300.0  # seconds for the junk phase at most
PATHS = [
    "/api/v1/health",
    "/api/v1/releases",
    "/api/v1/trends",
    "/api/v1/trends?direction=import",
    "/api/v1/countries/India/profile",
    "/api/v1/countries/Azerbaijan/dependence",
    "/api/v1/countries/France/exports",
    "/api/v1/deals?recipient=Armenia",
    "/api/v1/network?focus=India",
    "/api/v1/flows?entity=Pakistan",
    "/api/v1/snapshots",
    "/api/v1/entities?q=korea",
]
BIG = "/api/v1/deals"  # the whole register: the 17.5 MB answer of the issue (1 request in 500)


def junk_url(rnd: random.Random) -> str:
    path = BIG if rnd.random() < 0.002 else rnd.choice(PATHS)
    junk = "&".join(
        f"{rnd.choice(['junk', 'x', 'utm_source', 'q2'])}{rnd.randrange(10**6)}={rnd.randrange(10**9)}"
        for _ in range(rnd.randint(1, 3))
    )
    return path + ("&" if "?" in path else "?") + junk


class RssSampler(threading.Thread):
    """Peak resident memory of the server, sampled every 0.2 s."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self.stop = pid, 0.0, threading.Event()

    def run(self) -> None:
        while not self.stop.wait(0.2):
            self.peak = max(self.peak, rss_mb(self.pid))


async def junk_phase(port: int, total: int, clients: int) -> tuple[Counter[int], float, float]:
    rnd = random.Random(16)
    urls = [junk_url(rnd) for _ in range(total)]
    codes: Counter[int] = Counter()
    it = iter(urls)
    stop_at = time.monotonic() + TIME_CAP

    async def worker() -> None:
        client = RawClient("127.0.0.1", port)
        try:
            for url in it:
                if time.monotonic() > stop_at:
                    return
                codes[await asyncio.wait_for(client.get(url), 60)] += 1
        finally:
            await client.aclose()

    t0 = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(clients)))
    wall = time.perf_counter() - t0
    return codes, wall, sum(codes.values()) / wall


async def idle_phase(port: int, idle: int, asks: int, wait_close: float) -> dict[str, float]:
    """Hold `idle` connections (half silent, half trickling headers) while a client asks `asks` times."""
    conns = [await asyncio.open_connection("127.0.0.1", port) for _ in range(idle)]
    for i, (_, w) in enumerate(conns):
        if i % 2:
            w.write(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Slow: ")

    async def trickle() -> None:
        for _ in range(int(wait_close)):
            for i, (_, w) in enumerate(conns):
                if i % 2 and not w.is_closing():
                    try:
                        w.write(b"a")
                        await w.drain()
                    except (ConnectionError, OSError):
                        pass
            await asyncio.sleep(1)

    async def ask() -> tuple[Counter[int], list[float]]:
        client = RawClient("127.0.0.1", port)
        codes: Counter[int] = Counter()
        lat: list[float] = []
        for i in range(asks):
            t0 = time.perf_counter()
            codes[await asyncio.wait_for(client.get(PATHS[i % 5]), 30)] += 1
            lat.append(time.perf_counter() - t0)
        await client.aclose()
        return codes, lat

    trickler = asyncio.create_task(trickle())
    codes, lat = await ask()
    await trickler  # by now the server's read deadline has passed for every held connection
    closed = 0
    for r, _ in conns:
        try:
            closed += await asyncio.wait_for(r.read(100), 1) == b""
        except (ConnectionError, OSError):  # reset: closed by the server while we still wrote
            closed += 1
        except TimeoutError:  # still open
            pass
    for _, w in conns:
        w.close()
    lat.sort()
    return {
        "asked": asks,
        "ok": codes[200],
        "s503": codes[503],
        "s5xx": sum(n for c, n in codes.items() if c >= 500),
        "p50_ms": 1000 * statistics.median(lat),
        "p99_ms": 1000 * lat[min(len(lat) - 1, int(0.99 * len(lat)))],
        "closed": closed,
        "held": idle,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", type=Path, default=None, help="store file (default: ARMATLAS_HOME's)")
    ap.add_argument("--requests", type=int, default=10_000)
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--idle", type=int, default=300)
    a = ap.parse_args()
    from armatlas import config
    from armatlas.api.serving import READ_TIMEOUT

    store = a.store or config.store_path()
    port = free_port()
    proc = start_server(store, port)
    sampler = RssSampler(proc.pid)
    sampler.start()
    try:
        start_rss = rss_mb(proc.pid)
        codes, wall, rps = asyncio.run(junk_phase(port, a.requests, a.clients))
        fives = sum(n for c, n in codes.items() if c >= 500)
        print(
            f"junk parameters: {sum(codes.values())} requests in {wall:.1f} s ({rps:.0f} req/s), statuses "
            f"{dict(sorted(codes.items()))}; server RSS {start_rss:.0f} MB at start, peak {sampler.peak:.0f} MB, "
            f"end {rss_mb(proc.pid):.0f} MB (target < 600) -> {'MET' if sampler.peak < 600 and not fives else 'NOT MET'}"
        )
        r = asyncio.run(idle_phase(port, a.idle, 200, READ_TIMEOUT + 3))
        met = r["ok"] == r["asked"] and r["closed"] == r["held"]
        print(
            f"{r['held']} idle/trickling connections held: concurrent client got {r['ok']:.0f}/{r['asked']:.0f} "
            f"answers 200 ({r['s503']:.0f} x 503), p50 {r['p50_ms']:.1f} ms, p99 {r['p99_ms']:.1f} ms; server closed "
            f"{r['closed']:.0f}/{r['held']} held connections after its {READ_TIMEOUT:g} s read deadline "
            f"-> {'MET' if met else 'NOT MET'}"
        )
        print(f"peak server RSS over both phases {sampler.peak:.0f} MB; store {store}")
    finally:
        sampler.stop.set()
        proc.terminate()
        proc.wait(10)


if __name__ == "__main__":
    main()
