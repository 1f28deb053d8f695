"""Cold start: `armatlas --help` and `armatlas profile Azerbaijan` against `import duckdb`.

Each command runs in a fresh interpreter (the OS file cache is warm, Python's is not), several
times interleaved, and the median wall time is compared with `python -c "import duckdb"`
measured in the same run. Targets (issue 12): --help <= 1.5x, profile <= 3x. Also lists the
heavy packages each command imports (`python -X importtime`): pandas and polars must be absent.

Bytecode: installed packages (duckdb, typer, rich...) come with their compiled bytecode, and
so does armatlas once pip installs it; a source checkout run with PYTHONDONTWRITEBYTECODE=1
recompiles every armatlas module on every start instead, which no user pays. So armatlas is
compiled once first (`compileall`, into the package's `__pycache__`, as an install or a first
run would); `--source` measures the checkout as it is, recompiling each time.

    .venv/bin/python bench/bench_startup.py [--home ARMATLAS_HOME] [--runs 7] [--source]
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import subprocess
import sys
import time

HEAVY = ("pandas", "polars", "pyarrow", "numpy", "duckdb", "fastapi", "openpyxl", "networkx", "jinja2")
CLI = "from armatlas.cli.main import run; run()"


def commands() -> dict[str, list[str]]:
    py = sys.executable
    return {
        "python -c pass": [py, "-c", "pass"],
        "import duckdb": [py, "-c", "import duckdb"],
        "armatlas --help": [py, "-c", CLI, "--help"],
        "armatlas profile Azerbaijan": [py, "-c", CLI, "profile", "Azerbaijan"],
    }


def wall(cmd: list[str], env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    r = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    dt = time.perf_counter() - t0
    if r.returncode:
        sys.exit(f"{' '.join(cmd[2:]) or cmd} failed:\n{r.stderr[-2000:]}")
    return dt


def heavy_imports(cmd: list[str], env: dict[str, str]) -> list[str]:
    """Top-level heavy packages imported by the command (from -X importtime)."""
    r = subprocess.run(
        [cmd[0], "-X", "importtime", *cmd[1:]],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    names = {
        line.rsplit("|", 1)[-1].strip() for line in r.stderr.splitlines() if line.startswith("import time:")
    }
    return [h for h in HEAVY if h in names]


def compile_armatlas(env: dict[str, str]) -> str:
    """armatlas's bytecode, written once as an install writes it; the folder compiled."""
    spec = importlib.util.find_spec("armatlas")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("armatlas is not importable: set PYTHONPATH=src or install it")
    folder = next(iter(spec.submodule_search_locations))
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", folder], env=env, check=True, stdout=subprocess.DEVNULL
    )
    return folder


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--home", default=os.environ.get("ARMATLAS_HOME"), help="store folder (built beforehand)")
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--source", action="store_true", help="do not compile armatlas first (see above)")
    args = ap.parse_args()
    env = dict(os.environ)
    if args.home:
        env["ARMATLAS_HOME"] = args.home
    if args.source:
        print("armatlas run from source: its modules are compiled on every start")
    else:
        print(f"armatlas bytecode compiled once beforehand, as an install does: {compile_armatlas(env)}")
    cmds = commands()
    times: dict[str, list[float]] = {k: [] for k in cmds}
    for cmd in cmds.values():  # one unmeasured run each: first-touch of the files
        wall(cmd, env)
    for _ in range(args.runs):  # interleaved, so load on the machine hits every command alike
        for name, cmd in cmds.items():
            times[name].append(wall(cmd, env))
    med = {k: statistics.median(v) for k, v in times.items()}
    base = med["import duckdb"]
    print(f"median of {args.runs} cold runs each (fresh interpreter):")
    for name, t in med.items():
        print(f"  {name:30s} {t * 1000:7.0f} ms   {t / base:5.2f}x import duckdb")
    print(f"ratio --help / import duckdb:   {med['armatlas --help'] / base:.2f} (target <= 1.5)")
    print(f"ratio profile / import duckdb:  {med['armatlas profile Azerbaijan'] / base:.2f} (target <= 3)")
    for name in ("armatlas --help", "armatlas profile Azerbaijan"):
        print(f"heavy imports of {name}: {', '.join(heavy_imports(cmds[name], env)) or 'none'}")


if __name__ == "__main__":
    main()
