"""The ingest's one-split reading of plain registers gives what the csv record reader gives."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import DATA, REGISTER_2026, REGISTER_TIDY, SHARED

from armatlas.errors import ParseError, StoreLockedError
from armatlas.sources.sipri_transfers import ParsedRegister, open_register, parse
from armatlas.store.db import connect

pytestmark = pytest.mark.data  # reads the real registers in ../shared


def _registers() -> list[Path]:
    """The real web and tidy registers (the layouts ingest reads as a stream)."""
    files = sorted((DATA / "sipri_arms_transfers").glob("*.csv"))
    files += sorted((SHARED / "data-other-releases").glob("trade-register_*.csv"))
    streams = [(f, open_register(f)) for f in files]
    for _, s in streams:
        if s is not None:
            s.close()
    return [f for f, s in streams if s is not None]


def _streamed(path: Path, chunk: int, raw: bool = False) -> tuple[ParsedRegister, bool]:
    """Read as ingest reads it: from the file, or (`raw`) from its bytes already in memory."""
    stream = open_register(path, path.read_bytes() if raw else None)
    assert stream is not None
    try:
        regs = list(stream.chunks(chunk))
        return _joined(regs), stream.plain is not None
    finally:
        stream.close()


def _joined(regs: list[ParsedRegister]) -> ParsedRegister:
    out = ParsedRegister(regs[0].layout, regs[0].file, regs[0].preamble)
    for reg in regs:
        for col, values in reg.deals.items():
            out.deals[col].extend(values)
        for col, values in reg.deliveries.items():
            out.deliveries[col].extend(values if col != "deal_index" else [reg.offset + i for i in values])
        out.rejects.extend(reg.rejects)
    return out


@pytest.mark.parametrize("path", _registers(), ids=lambda p: p.name)
def test_streamed_registers_read_as_the_record_reader_reads_them(path: Path) -> None:
    """Every real web and tidy register, read in chunks by ingest, has the deals, deliveries
    and rejects (lines included) that the csv record reader (`parse`) finds in it."""
    whole = parse(path)
    for chunk, raw in ((50_000, True), (50_000, False), (7_000, False)):
        got, _ = _streamed(path, chunk, raw)
        assert got.deals == whole.deals
        assert got.deliveries == {k: v if k != "deal_index" else list(v) for k, v in whole.deliveries.items()}
        assert [r[:4] for r in got.rejects] == [r[:4] for r in whole.rejects]


def test_the_publishers_export_is_split_in_one_go_and_broken_records_are_not() -> None:
    reg, plain = _streamed(REGISTER_2026, 50_000)
    assert plain and reg.n_deals == 29_916
    lines = REGISTER_2026.read_bytes().split(b"\n")
    header = next(i for i, ln in enumerate(lines) if ln.startswith(b"Recipient,Supplier,"))
    assert reg.deals["line"][0] == header + 2  # 1-based: the line after the header
    assert lines[header + 1].startswith(reg.deals["recipient_name"][0].encode() + b",")
    reg, plain = _streamed(REGISTER_TIDY, 50_000)
    assert not plain and sum(reg.deals["rejoined"]) == 2  # two comments broken over lines


def test_a_quoted_cell_is_left_to_the_csv_reader(tmp_path: Path) -> None:
    lines = REGISTER_2026.read_bytes().split(b"\n")
    at = next(i for i, ln in enumerate(lines) if ln.startswith(b"Recipient,Supplier,")) + 1
    name = lines[at].split(b",")[0]
    quoted = b'"' + name + b'"' + lines[at][len(name) :]
    f = tmp_path / "quoted.csv"
    f.write_bytes(b"\n".join([*lines[:at], quoted, *lines[at + 1 :]]))
    reg, plain = _streamed(f, 50_000)
    whole, _ = _streamed(REGISTER_2026, 50_000)
    assert not plain and reg.deals == whole.deals


def test_a_second_writer_in_the_same_program_is_told_the_store_is_open(tmp_path: Path) -> None:
    con = connect(tmp_path / "s.duckdb")
    try:
        with pytest.raises(StoreLockedError) as e:
            connect(tmp_path / "s.duckdb")
        assert "open already" in e.value.message
    finally:
        con.close()


def test_blank_lines_keep_the_split_and_every_line_number(tmp_path: Path) -> None:
    """Blank, space-only and comma-only lines inside the body (a hand-edited or re-saved file)
    are skipped as the csv reader skips them, and the records after them keep their own lines."""
    lines = REGISTER_2026.read_bytes().split(b"\n")
    at = next(i for i, ln in enumerate(lines) if ln.startswith(b"Recipient,Supplier,")) + 1
    blanks = [b"", b"   ", b"," * 15, b" ,\t, "]
    f = tmp_path / "blanks.csv"
    f.write_bytes(b"\n".join([*lines[: at + 100], *blanks, *lines[at + 100 :]]))
    reg, plain = _streamed(f, 50_000, raw=True)
    assert plain and reg.deals == parse(f).deals
    assert reg.deals["line"][100] == reg.deals["line"][99] + 1 + len(blanks)


def test_a_record_starting_with_a_space_splits_and_one_starting_empty_does_not(tmp_path: Path) -> None:
    """A record whose first cell starts with a space is still one line of cells (the space is
    the csv reader's too, and is stripped later); a record with an empty first cell is not
    plain: the record reader reads it and names it."""
    lines = REGISTER_2026.read_bytes().split(b"\n")
    at = next(i for i, ln in enumerate(lines) if ln.startswith(b"Recipient,Supplier,")) + 1
    spaced = tmp_path / "spaced.csv"
    spaced.write_bytes(b"\n".join([*lines[: at + 5], b" " + lines[at + 5], *lines[at + 6 :]]))
    reg, plain = _streamed(spaced, 50_000, raw=True)
    assert plain and reg.deals == parse(spaced).deals
    assert reg.deals["recipient_name"][5] == parse(REGISTER_2026).deals["recipient_name"][5]
    empty = tmp_path / "empty-first.csv"
    cells = lines[at + 5].split(b",", 1)
    empty.write_bytes(b"\n".join([*lines[: at + 5], b"," + cells[1], *lines[at + 6 :]]))
    with pytest.raises(ParseError) as err:
        _streamed(empty, 50_000, raw=True)
    assert err.value.line == at + 6 and err.value.column == "Recipient"
