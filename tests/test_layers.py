"""Interfaces are siblings: the package import graph has no cycle and no forbidden edge.

Every `import armatlas.X` / `from armatlas.X import` in the source counts, lazy ones inside
functions too (they load the other package just the same, only later).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import networkx as nx

SRC = Path(__file__).resolve().parents[1] / "src" / "armatlas"
INTERFACES = {"web", "api", "report", "cli", "serve"}
CORE = {
    "analysis",
    "store",
    "sources",
    "entities",
    "categories",
    "results",
    "summaries",
    "errors",
    "atlas",
    "config",
    "limits",
}
# (from, to): the reason it must not exist.
FORBIDDEN = {
    **{
        ("report", x): "a report must not load the web or the HTTP stack"
        for x in ("web", "api", "serve", "cli")
    },
    **{
        ("web", x): "the web is mounted by armatlas.serve; it never imports the API"
        for x in ("api", "cli", "report")
    },
    **{
        ("api", x): "the API never imports the web (serve mounts both)"
        for x in ("web", "cli", "report", "serve")
    },
    **{("cli", x): "the CLI reaches the server only through armatlas.serve" for x in ("api", "web")},
    **{("render", x): "render sits below every interface" for x in (*INTERFACES, "claims")},
    **{("claims", x): "the claim dossier is a sibling of the other interfaces" for x in INTERFACES},
    **{
        (i, x): "interfaces reach data through Atlas"
        for i in ("web", "api", "report", "render")
        for x in ("analysis", "store", "sources")
    },
    **{(c, x): "the core never imports an interface" for c in CORE for x in (*INTERFACES, "render")},
}


def _unit(module: str) -> str:
    """armatlas.web.pages -> web; armatlas -> the root package."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "armatlas"


def _runtime_nodes(tree: ast.AST) -> list[ast.AST]:
    """Every node except those under `if TYPE_CHECKING:` (annotations only; nothing is loaded)."""
    out: list[ast.AST] = []
    todo = [tree]
    while todo:
        node = todo.pop()
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            todo.extend(node.orelse)
            continue
        out.append(node)
        todo.extend(ast.iter_child_nodes(node))
    return out


def package_edges() -> dict[tuple[str, str], list[str]]:
    """(from package, to package) -> the modules that make the edge."""
    edges: dict[tuple[str, str], list[str]] = defaultdict(list)
    for path in SRC.rglob("*.py"):
        module = ".".join(path.relative_to(SRC.parent).with_suffix("").parts).removesuffix(".__init__")
        for node in _runtime_nodes(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                targets = [node.module]
            else:
                continue
            for t in targets:
                if t.split(".")[0] == "armatlas" and _unit(t) != _unit(module):
                    edges[(_unit(module), _unit(t))].append(module)
    return edges


def test_the_walk_sees_known_edges() -> None:
    edges = package_edges()
    assert "armatlas.report.build" in edges[("report", "render")]
    assert "armatlas.serve" in edges[("serve", "web")] and "armatlas.serve" in edges[("serve", "api")]


def test_no_import_cycle_between_packages() -> None:
    graph = nx.DiGraph(e for e in package_edges() if "armatlas" not in e)
    cycles = list(nx.simple_cycles(graph))
    assert cycles == [], f"import cycles between packages: {cycles}"


def test_no_forbidden_edge() -> None:
    bad = {
        f"{a} -> {b} ({FORBIDDEN[(a, b)]}): {sorted(set(mods))}"
        for (a, b), mods in package_edges().items()
        if (a, b) in FORBIDDEN
    }
    assert not bad, "\n".join(sorted(bad))


def test_report_loads_no_web_stack() -> None:
    code = (
        "import sys, armatlas.report; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'fastapi', 'starlette', 'uvicorn'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
