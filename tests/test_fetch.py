"""Downloader, snapshots and the SIPRI fetch, against a fake backend on 127.0.0.1 only."""

from __future__ import annotations

import hashlib
import json
import os
from datetime import date
from pathlib import Path

import fake_publishers
import pytest
from conftest import REGISTER_2026, REGISTER_ID_2024, TIV_EXPORTS, TIV_IMPORTS
from fake_publishers import SIPRI_PREFIX, FakePublisher, Reply, serve_file

from armatlas.errors import FetchError
from armatlas.sources import sipri_transfers_fetch as sf
from armatlas.sources._http import download
from armatlas.sources.snapshot import list_snapshots, read_meta, write_snapshot

pytestmark = pytest.mark.data  # reads the real snapshot files directly

fake_publisher = fake_publishers.fake_publisher  # the fixture, made visible to this module

DAY = date(2026, 11, 24)
REG = f"{SIPRI_PREFIX}/trades/trade-register-csv/"
TIV = f"{SIPRI_PREFIX}/trades/import-export-csv/"
MAXY = f"{SIPRI_PREFIX}/trades/getMaxYear"
# Short limits keep the failure cases fast; a "timeout" reply sleeps longer than `timeout`.
FAST = {"timeout": 0.4, "retries": 1, "backoff": 0.01}


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run_fetch(pub: FakePublisher, root: Path, **kw) -> list[Path]:
    snaps = sf.fetch(root, base_url=pub.url + SIPRI_PREFIX, today=kw.pop("today", DAY), **{**FAST, **kw})
    assert all(s.path.parent == s.folder and s.meta["file_name"] == s.path.name for s in snaps)
    return [s.path for s in snaps]


def tree(root: Path) -> dict[str, bytes]:
    """Every file under root (hidden ones included) with its bytes."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def good(fake_publisher: FakePublisher, tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    """A root holding one good fetch, and a copy of every byte in it."""
    root = tmp_path / "snapshots"
    run_fetch(fake_publisher, root)
    fake_publisher.reset()
    return root, tree(root)


def test_fetch_writes_the_publishers_bytes_with_meta(fake_publisher: FakePublisher, tmp_path: Path) -> None:
    root = tmp_path / "snapshots"
    seen: list[tuple[int, int | None]] = []
    paths = run_fetch(fake_publisher, root, progress=lambda d, t: seen.append((d, t)))
    assert [p.relative_to(root).as_posix() for p in paths] == [
        "sipri_transfers_register/2026-11-24/trade-register.csv",
        "sipri_transfers_tiv_imports/2026-11-24/import-values.csv",
        "sipri_transfers_tiv_exports/2026-11-24/export-values.csv",
        # by default the delivery-year ("ID") layout comes beside the web register
        "sipri_transfers_register_delivery_years/2026-11-24/trade-register_delivery-years.csv",
    ]
    for path, src, layout, generated in [
        (paths[0], REGISTER_2026, "web_register", "2026-05-18T14:29:20"),
        (paths[1], TIV_IMPORTS, "tiv_imports", "2024-10-13T12:33:29"),
        (paths[2], TIV_EXPORTS, "tiv_exports", "2024-10-13T12:33:53"),
    ]:
        assert path.read_bytes() == src.read_bytes()  # byte-identical to the snapshot copy
        meta = read_meta(path)
        assert meta["sha256"] == sha(src)  # the value PROVENANCE.md records
        assert meta["bytes"] == src.stat().st_size
        assert meta["layout"] == layout and meta["generated_at"] == generated
        assert meta["url"] == fake_publisher.url + (REG if layout == "web_register" else TIV)
        assert meta["retrieved_at"].endswith("+00:00") and meta["max_year"] == 2025
        assert meta["publisher"] == "SIPRI" and meta["citation"].startswith("Source: SIPRI Arms")
        assert sorted(p.name for p in path.parent.iterdir()) == sorted([path.name, "meta.json"])
    assert (
        json.loads((paths[0].parent / "meta.json").read_text())["citation"]
        == "Source: SIPRI Arms Transfers Database, 18 May 2026 2:29:20 PM"
    )
    # The requests carried the filters public callers send.
    reg = fake_publisher.hits(REG)[0].json()
    assert {f["field"] for f in reg["filters"]} == {"Delivery year", "Order year", "opendeals"}
    tables = [{f["field"] for f in r.json()["filters"]} for r in fake_publisher.hits(TIV)]
    assert ["orderbyseller" in t for t in tables] == [False, True]
    assert seen and seen[-1][0] == seen[-1][1]  # progress reached the announced total


def test_delivery_year_layout_on_request(fake_publisher: FakePublisher, tmp_path: Path) -> None:
    paths = run_fetch(fake_publisher, tmp_path, delivery_years=True)
    assert paths[-1].read_bytes() == REGISTER_ID_2024.read_bytes()
    assert read_meta(paths[-1])["layout"] == "delivery_years"
    assert "exportOption" in {f["field"] for f in fake_publisher.hits(REG)[-1].json()["filters"]}


def test_second_fetch_same_day_is_a_no_op(fake_publisher, good) -> None:
    root, before = good
    paths = run_fetch(fake_publisher, root)
    assert tree(root) == before
    assert all(p.parent.name == "2026-11-24" for p in paths)
    assert len(list_snapshots(root)) == 4


def test_changed_content_same_day_gets_a_new_folder(good) -> None:
    root, before = good
    new = REGISTER_2026.read_bytes().replace(b"18 May 2026", b"19 May 2026", 1)
    p = write_snapshot(root, "sipri_transfers_register", "trade-register.csv", new, {"url": "x"}, today=DAY)
    assert p.parent.name == "2026-11-24-2" and p.read_bytes() == new
    assert {k: v for k, v in tree(root).items() if k.split("/")[1] != "2026-11-24-2"} == before
    snaps = list_snapshots(root, "sipri_transfers_register")
    assert [s.folder.name for s in snaps] == ["2026-11-24", "2026-11-24-2"]
    assert snaps[1].meta["sha256"] == hashlib.sha256(new).hexdigest()
    # The next day starts a plain dated folder again.
    p3 = write_snapshot(
        root, "sipri_transfers_register", "trade-register.csv", b"x", today=date(2026, 11, 25)
    )
    assert p3.parent.name == "2026-11-25"


FAILURES = [
    # path, mode, always, words the message must contain
    (REG, "timeout", True, "timed out"),
    (TIV, "500", True, "HTTP 500"),
    (REG, "truncated", True, "truncated"),
    (REG, "bad_json", False, "not JSON"),
    (REG, "bad_base64", False, "not valid base64"),
    (TIV, "html", False, "not JSON"),
    (REG, "wrong_csv", False, "not a SIPRI export"),
    (REG, "oversized", False, "too large"),
    (REG, "oversized_stream", False, "too large"),
    (REG, "404", False, "HTTP 404"),
    (MAXY, "wrong_csv", False, "expected a year"),
    (MAXY, "html", False, "too large"),  # the year answer is capped at 64 bytes
]


@pytest.mark.parametrize(
    ("path", "mode", "always", "words"),
    FAILURES,
    ids=[f[1] + "@" + f[0].rsplit("/", 2)[-2] for f in FAILURES],
)
def test_failure_raises_and_keeps_the_good_snapshot(fake_publisher, good, path, mode, always, words) -> None:
    root, before = good
    fake_publisher.sleep_s = 1.0
    fake_publisher.fail(path, mode, always=always)
    with pytest.raises(FetchError) as info:
        # A later day: a success would add new folders, so an unchanged tree proves nothing was written.
        run_fetch(fake_publisher, root, today=date(2026, 11, 25), max_bytes=8_000_000)
    msg = str(info.value)
    assert words in msg and fake_publisher.url + path in msg and info.value.hint
    assert info.value.code == "fetch-failed"
    assert tree(root) == before  # same files, same bytes, same meta; no temp files or folders


def test_wrong_layout_is_refused(fake_publisher, tmp_path) -> None:
    # A register where a TIV table belongs.
    fake_publisher.route("POST", TIV, lambda r: Reply(REGISTER_2026.read_bytes(), envelope=True))
    with pytest.raises(FetchError, match="Expected the tiv_imports layout, got web_register"):
        run_fetch(fake_publisher, tmp_path / "s")
    assert not (tmp_path / "s").exists()


def test_500_then_success_is_retried(fake_publisher, tmp_path) -> None:
    fake_publisher.fail(REG, "500")
    fake_publisher.fail(TIV, "timeout")
    paths = run_fetch(fake_publisher, tmp_path, delivery_years=False)
    assert paths[0].read_bytes() == REGISTER_2026.read_bytes()
    assert len(fake_publisher.hits(REG)) == 2 and len(fake_publisher.hits(TIV)) == 3


def test_4xx_is_not_retried(fake_publisher, tmp_path) -> None:
    fake_publisher.fail(REG, "404", always=True)
    with pytest.raises(FetchError, match="HTTP 404"):
        run_fetch(fake_publisher, tmp_path, retries=3)
    assert len(fake_publisher.hits(REG)) == 1


def test_download_replaces_atomically_and_only_on_success(fake_publisher, tmp_path) -> None:
    fake_publisher.route("GET", "/files/imports.csv", serve_file(TIV_IMPORTS))
    url = fake_publisher.url + "/files/imports.csv"
    dest = tmp_path / "imports.csv"
    dest.write_bytes(b"previous good file")

    def refuse(data: bytes) -> None:
        raise ValueError("checksum list says otherwise")

    with pytest.raises(FetchError, match="checksum list says otherwise"):
        download(url, dest, validate=refuse, **FAST)
    fake_publisher.fail("/files/imports.csv", "truncated", always=True)
    with pytest.raises(FetchError, match="truncated"):
        download(url, dest, **FAST)
    assert dest.read_bytes() == b"previous good file"
    assert [p.name for p in tmp_path.iterdir()] == ["imports.csv"]  # no temp files left
    fake_publisher.reset()
    res = download(url, dest, transform=lambda b: b.upper(), **FAST)
    assert dest.read_bytes() == TIV_IMPORTS.read_bytes().upper()
    assert res.sha256 == sha(dest) and res.bytes == dest.stat().st_size and res.url == url


def test_snapshot_names_are_checked(tmp_path) -> None:
    for bad in ("../x", "a/b", ".hidden", ""):
        with pytest.raises(FetchError, match="Unsafe snapshot"):
            write_snapshot(tmp_path, bad, "f.csv", b"1")
        with pytest.raises(FetchError, match="Unsafe snapshot"):
            write_snapshot(tmp_path, "src", bad, b"1")
    assert list(tmp_path.iterdir()) == []


def test_fetched_table_ingests_with_its_provenance(fake_publisher, good, tmp_path) -> None:
    """The store reads url and retrieved_at from meta.json (the register is left out: slow)."""
    from armatlas.store.db import connect
    from armatlas.store.ingest import ingest_file

    root, _ = good
    snap = list_snapshots(root, "sipri_transfers_tiv_imports")[0]
    con = connect(tmp_path / "a.duckdb")
    try:
        r = ingest_file(con, snap.path)
        row = con.execute("SELECT layout, url, sha256, retrieved_at FROM snapshot").fetchone()
    finally:
        con.close()
    body = TIV_IMPORTS.read_text("cp1252").split("\nRecipient,", 1)[1].splitlines()[1:]
    recipients = [ln for ln in body if ln.strip() and not ln.startswith("Total world")]
    assert r.layout == "tiv_imports" and r.records == len(recipients)
    assert row[:3] == ("tiv_imports", snap.meta["url"], sha(TIV_IMPORTS))
    assert row[3].isoformat() == snap.meta["retrieved_at"].removesuffix("+00:00")


def test_stale_staging_folder_is_swept_and_never_listed(tmp_path) -> None:
    stale = tmp_path / "src" / ".staging-dead"
    stale.mkdir(parents=True)
    (stale / "f.csv").write_bytes(b"half")
    os.utime(stale, (0, 0))  # left by a process killed long ago
    assert list_snapshots(tmp_path) == []
    p = write_snapshot(tmp_path, "src", "f.csv", b"whole", today=DAY)
    assert not stale.exists() and [s.path for s in list_snapshots(tmp_path)] == [p]
