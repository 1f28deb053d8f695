"""UN Comtrade HS 93 fetcher against the local fake publisher (the documented response shape;
not validated against the live service)."""

from __future__ import annotations

import json

import fake_publishers
import pytest
from fake_publishers import Reply, Request

fake_publisher = fake_publishers.fake_publisher  # the fixture, made visible to this module

AZE, TUR, IRQ = 31, 792, 368
# (year, reporter, partner, flow, cmd, customsCode, motCode, value): a small documented-shape
# dataset; the C01 and motCode-1000 rows are breakdowns of the C00/0 totals above them.
ROWS = [
    (2020, AZE, TUR, "X", "9306", "C00", 0, 1000.0),
    (2020, AZE, 0, "X", "9306", "C00", 0, 1000.0),  # partner 0 = World
    (2020, TUR, AZE, "M", "9306", "C00", 0, 1200.0),  # mirror of a reported flow: not used
    (2021, TUR, AZE, "M", "9306", "C00", 0, 800.0),
    (2021, TUR, AZE, "M", "9306", "C01", 0, 300.0),
    (2021, IRQ, AZE, "M", "9301", "C00", 0, 500.0),
    (2021, IRQ, AZE, "M", "9301", "C00", 1000, 500.0),
]


def preview(req: Request) -> Reply:
    q = {k: v[0] for k, v in req.query.items()}
    years = q["period"].split(",")
    data = [
        {
            "refYear": y,
            "period": str(y),
            "reporterCode": rep,
            "flowCode": fl,
            "partnerCode": par,
            "partner2Code": 0,
            "cmdCode": cmd,
            "customsCode": cc,
            "motCode": mot,
            "primaryValue": v,
            "isReported": True,
            "isAggregate": False,
        }
        for y, rep, par, fl, cmd, cc, mot, v in ROWS
        if str(y) in years
        and fl == q["flowCode"]
        and cmd in q["cmdCode"].split(",")
        and ("reporterCode" not in q or int(q["reporterCode"]) == rep)
        and ("partnerCode" not in q or int(q["partnerCode"]) == par)
    ]
    return Reply(
        json.dumps({"elapsedTime": "0.1 secs", "count": len(data), "data": data, "error": ""}).encode()
    )


@pytest.fixture
def comtrade(fake_publisher):
    from armatlas.sources import comtrade as ct

    fake_publisher.route("GET", ct.PREVIEW, preview)
    fake_publisher.route(
        "GET",
        ct.REPORTERS,
        lambda r: Reply(
            json.dumps(
                {
                    "results": [
                        {
                            "id": 31,
                            "text": "Azerbaijan",
                            "reporterCode": 31,
                            "reporterCodeIsoAlpha3": "AZE",
                            "isGroup": False,
                        },
                        {
                            "id": 792,
                            "text": "Türkiye",
                            "reporterCode": 792,
                            "reporterCodeIsoAlpha3": "TUR",
                            "isGroup": False,
                        },
                        {
                            "id": 0,
                            "text": "World",
                            "reporterCode": 0,
                            "reporterCodeIsoAlpha3": "W00",
                            "isGroup": True,
                        },
                        {
                            "id": 890,
                            "text": "Yugoslavia",
                            "reporterCode": 890,
                            "reporterCodeIsoAlpha3": "YUG",
                            "isGroup": False,
                            "entryExpiredDate": "1991-12-31",
                        },
                    ]
                }
            ).encode()
        ),
    )
    return fake_publisher


def test_reporter_codes_from_the_reference_file(comtrade):
    from armatlas.sources.comtrade import reporter_codes

    assert reporter_codes(comtrade.url, retries=1, backoff=0) == {"AZE": 31, "TUR": 792}


def test_exports_with_mirror_flows(comtrade):
    from armatlas.sources.comtrade import exports_with_mirror

    rows = exports_with_mirror(AZE, [2020, 2021], comtrade.url, retries=1, backoff=0)
    assert rows == [
        {"year": 2020, "partner": TUR, "cmd": "9306", "value_usd": 1000.0, "basis": "reported export (FOB)"},
        {
            "year": 2021,
            "partner": IRQ,
            "cmd": "9301",
            "value_usd": 500.0,
            "basis": "mirror: partner's reported import (CIF)",
        },
        {
            "year": 2021,
            "partner": TUR,
            "cmd": "9306",
            "value_usd": 800.0,
            "basis": "mirror: partner's reported import (CIF)",
        },
    ]
    q = comtrade.hits("/public/v1/preview/C/A/HS")[0].query
    assert q["cmdCode"] == ["9301,9302,9303,9304,9305,9306,9307"] and q["flowCode"] == ["X"]


def test_error_inside_a_200_and_the_row_cap_are_errors(comtrade):
    from armatlas.errors import ArmatlasError
    from armatlas.sources.comtrade import parse

    with pytest.raises(ArmatlasError, match="error"):
        parse(b'{"count": 0, "data": [], "error": "Too many requests"}')
    full = {
        "data": [
            {
                "refYear": 2020,
                "reporterCode": 1,
                "partnerCode": 2,
                "flowCode": "X",
                "cmdCode": "9306",
                "primaryValue": 1.0,
            }
        ]
        * 500,
        "error": "",
    }
    with pytest.raises(ArmatlasError, match="cap"):
        parse(json.dumps(full).encode())
    with pytest.raises(ArmatlasError):
        parse(b"<html>maintenance</html>")
