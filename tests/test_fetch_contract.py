"""One fetch contract for every source (sources/contract.py), against the local fake publisher only.

`fetch(dest=None, *, release=None, progress=None, ...) -> list[Snapshot]`; `armatlas fetch`
goes through the registry `SOURCES`, so a source is wired once.
"""

from __future__ import annotations

import hashlib
import importlib
import inspect
from datetime import date

import fake_publishers
import pytest
from conftest import DATA
from fake_publishers import Reply, serve_file

from armatlas.errors import FetchError
from armatlas.sources.contract import SOURCES

MILEX = DATA / "sipri_milex" / "SIPRI-Milex-data-1949-2024_2.xlsx"
TOP100 = DATA / "sipri_arms_industry" / "SIPRI-Top-100-2002-2018_0.xlsx"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DAY = date(2026, 11, 24)
fake_publisher = fake_publishers.fake_publisher


def test_every_registered_source_has_the_contract_signature() -> None:
    assert list(SOURCES) == ["sipri-at", "milex", "worldbank", "industry"]
    for s in SOURCES.values():
        fn = importlib.import_module(s.module).fetch
        params = inspect.signature(fn).parameters
        first = next(iter(params.values()))
        assert (first.name, first.default) == ("dest", None), s.name
        for name in ("release", "progress"):
            assert params[name].kind is inspect.Parameter.KEYWORD_ONLY and params[name].default is None
        assert s.url_option in params, (s.name, s.url_option)
        assert inspect.signature(fn).return_annotation == "list[Snapshot]", s.name


@pytest.mark.parametrize("name", ["sipri-at", "milex", "worldbank"])
def test_a_past_release_is_refused_before_any_request(name, fake_publisher, tmp_path) -> None:
    with pytest.raises(FetchError) as err:
        SOURCES[name].fetch(tmp_path, release="2019-03-11", url=fake_publisher.url + "/x")
    assert err.value.code == "fetch-failed" and err.value.value == "2019-03-11"
    assert "current release" in err.value.message and "armatlas ingest" in (err.value.hint or "")
    assert not fake_publisher.hits("/x") and not list(tmp_path.rglob("*"))


def test_registry_fetch_reports_progress_and_returns_the_snapshot(fake_publisher, tmp_path) -> None:
    route = f"/sites/default/files/{MILEX.name}"
    fake_publisher.route("GET", route, serve_file(MILEX, XLSX))
    seen: list[tuple[int, int | None]] = []
    (snap,) = SOURCES["milex"].fetch(
        tmp_path, progress=lambda d, t: seen.append((d, t)), url=fake_publisher.url + route
    )
    size = MILEX.stat().st_size
    assert seen and seen[-1] == (size, size)  # every byte counted, against the announced length
    assert snap.source == "sipri_milex" and snap.path.read_bytes() == MILEX.read_bytes()
    assert snap.meta["sha256"] == hashlib.sha256(MILEX.read_bytes()).hexdigest()
    assert snap.folder == snap.path.parent and snap.folder.parent == tmp_path / "sipri_milex"


def test_industry_release_picks_that_workbook_not_the_newest(fake_publisher, tmp_path) -> None:
    from armatlas.sources.sipri_industry import fetch

    page = (
        b'<a href="/files/SIPRI-Top-100-2002-2018_0.xlsx">2018</a> '
        b'<a href="/files/SIPRI-Top-100-2002-2024.xlsx">2024</a>'
    )
    fake_publisher.route("GET", "/databases/armsindustry", lambda r: Reply(page, content_type="text/html"))
    fake_publisher.route("GET", "/files/SIPRI-Top-100-2002-2018_0.xlsx", serve_file(TOP100, XLSX))
    kw = {"page": fake_publisher.url + "/databases/armsindustry", "retries": 1, "backoff": 0, "today": DAY}
    (snap,) = fetch(tmp_path, release="2002-2018", **kw)
    assert snap.path.name == TOP100.name and snap.path.read_bytes() == TOP100.read_bytes()
    assert not fake_publisher.hits("/files/SIPRI-Top-100-2002-2024.xlsx")
    with pytest.raises(Exception, match="No Top 100 workbook linked from the page for 1999-2001"):
        fetch(tmp_path, release="1999-2001", **kw)


def test_cli_fetch_goes_through_the_registry(fake_publisher, tmp_path, monkeypatch) -> None:
    from typer.testing import CliRunner

    from armatlas.cli.main import app

    monkeypatch.setenv("ARMATLAS_HOME", str(tmp_path))
    route = f"/files/{MILEX.name}"
    fake_publisher.route("GET", route, serve_file(MILEX, XLSX))
    args = ["fetch", "--source", "milex", "--milex-url", fake_publisher.url + route, "--no-ingest"]
    r = CliRunner().invoke(app, args)
    assert r.exit_code == 0, r.output
    kept = list((tmp_path / "snapshots" / "sipri_milex").rglob(MILEX.name))
    assert len(kept) == 1 and kept[0].read_bytes() == MILEX.read_bytes()
    r = CliRunner().invoke(app, [*args, "--release", "1949-2020"])
    assert isinstance(r.exception, FetchError) and "current release" in r.exception.message
    r = CliRunner().invoke(app, ["fetch", "--source", "comtrade", "--no-ingest"])
    assert r.exit_code == 2 and "unknown source(s): comtrade" in r.output
