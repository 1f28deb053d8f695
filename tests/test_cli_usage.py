"""Every ordinary mistake on the command line is one short message and exit 1 or 2, never a
traceback; `--debug` works anywhere; a reader that stops early (`| head`) is not a failure."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from armatlas.cli.app import split_debug


def armatlas(*args: str, home: Path | None = None, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": "80"}
    if home is not None:
        env["ARMATLAS_HOME"] = str(home)
    return subprocess.run(
        [sys.executable, "-m", "armatlas", *args], capture_output=True, env=env, input=stdin, timeout=120
    )


@pytest.fixture(scope="module")
def home(store_path, tmp_path_factory):
    import shutil

    d = tmp_path_factory.mktemp("home")
    shutil.copy(store_path, d / "armatlas.duckdb")
    return d


BAD_USAGE = [
    (["profile"], "Missing argument 'country'"),
    (["profile", "Azerbaijan", "--bogus"], "No such option: --bogus"),
    (["deals", "--from", "abc"], "Invalid value for '--from'"),
    (["cutoff", "Azerbaijan"], "Missing option '--supplier'"),
    (["profile", "--debug"], "Missing argument 'country'"),  # --debug after the command is understood
    (["trends", "--top", "x", "--debug"], "Invalid value for '--top'"),
]


@pytest.mark.parametrize(("args", "message"), BAD_USAGE, ids=[" ".join(a) for a, _ in BAD_USAGE])
def test_bad_usage_is_one_short_message(args, message, home):
    out = armatlas(*args, home=home)
    err = out.stderr.decode()
    assert out.returncode == 2, err
    assert message in err and "Traceback" not in err + out.stdout.decode()
    assert len(err.strip().splitlines()) <= 3  # the error, and where to read the usage
    assert f"armatlas {args[0]} --help" in err


def test_version():
    from importlib.metadata import version

    out = armatlas("--version")
    assert out.returncode == 0 and out.stdout.decode().strip() == f"armatlas {version('armatlas')}"


def test_unknown_country_panel_and_debug_anywhere(home):
    out = armatlas("dependence", "Azerbajan", home=home)
    err = out.stderr.decode()
    assert out.returncode == 1 and "unknown-country" in err and "Azerbaijan" in err and "Traceback" not in err
    for args in (["--debug", "dependence", "Azerbajan"], ["dependence", "Azerbajan", "--debug"]):
        out = armatlas(*args, home=home)
        assert out.returncode == 1 and "Traceback" in out.stderr.decode()  # asked for: the traceback


def test_check_reads_a_cp1252_article(home, tmp_path):
    article = tmp_path / "cp1252.txt"
    # 0x92 is a curly apostrophe and 0x96 an en dash in Windows-1252; invalid as UTF-8.
    article.write_bytes("Russia supplied 79% of Azerbaijan’s arms imports in 2011–2015.\n".encode("cp1252"))
    out = armatlas("check", str(article), "--csv", home=home)
    assert out.returncode == 0, out.stderr.decode()
    text = out.stdout.decode()
    assert "Traceback" not in out.stderr.decode()
    # the April 2024 exact rows give 78.9% (SIPRI's 2016 fact sheet said 75.1%, since revised);
    # the 2026 register, its years taken from those rows, 78.5%: within 1.5 points
    assert "supplier_share" in text and ",consistent," in text


def test_check_on_a_binary_file_is_a_short_error(home, tmp_path):
    junk = tmp_path / "a.txt"
    junk.write_bytes(b"Russia \x81\x8d\x8f\x90\x9d supplied")  # bytes undefined in cp1252, invalid UTF-8
    out = armatlas("check", str(junk), home=home)
    err = out.stderr.decode()
    assert out.returncode == 1 and "encoding-error" in err and "Traceback" not in err


def test_missing_store_is_a_short_error(tmp_path):
    out = armatlas("releases", home=tmp_path / "empty")
    err = out.stderr.decode()
    assert out.returncode == 1 and "Traceback" not in err and err.count("\n") < 12


@pytest.mark.parametrize("args", [["deals", "-r", "India"], ["deals", "-r", "India", "--csv"]])
def test_reader_that_stops_early_is_not_a_failure(home, args):
    env = {**os.environ, "COLUMNS": "80", "ARMATLAS_HOME": str(home)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "armatlas", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.readline()
    proc.stdout.close()  # like `| head -1`
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 0, err
    assert "Traceback" not in err and "BrokenPipe" not in err


def test_split_debug_keeps_everything_else():
    assert split_debug(["profile", "--debug", "India"]) == (["profile", "India"], True)
    assert split_debug(["check", "--", "--debug"]) == (["check", "--", "--debug"], False)


def test_a_named_command_reads_its_line_as_the_whole_app_does():
    """`run` builds only the command a line names (cli/app.app_for): its help, its usage errors
    and the group's help must be those of the app with every command."""
    import typer.main
    from typer.testing import CliRunner

    from armatlas.cli.app import app_for
    from armatlas.cli.main import app

    runner = CliRunner()
    names = sorted(typer.main.get_command(app).commands)  # type: ignore[attr-defined]
    assert len(names) > 20 and "profile" in names
    for name in names:
        for line in ([name, "--help"], ["--home", "x", name, "--no-such-option"]):
            one = app_for(line)
            assert list(typer.main.get_command(one).commands) == [name]  # type: ignore[attr-defined]
            got = runner.invoke(one, line, prog_name="armatlas")
            want = runner.invoke(app, line, prog_name="armatlas")
            assert (got.exit_code, got.output) == (want.exit_code, want.output), line
    for line in (["--help", "profile"], ["profil", "x"], []):  # group help; 'did you mean' sees all
        assert app_for(line) is app
