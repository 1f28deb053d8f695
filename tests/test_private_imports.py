"""No module reaches into another module's private names (`from armatlas.x import _helper`).

A helper that two modules share is public in the module that owns it, so renaming or changing a
private one never breaks a reader elsewhere. Private modules (`sources/_http.py`, `_xlsx.py`,
`entities/_normalise.py`, `analysis/_common.py`) are machinery by name: their public functions
may be imported; their `_names` may not, like any module's.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "armatlas"


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _module_of(path: Path) -> str:
    """src/armatlas/claims/reader.py -> armatlas.claims.reader (a package: its __init__)."""
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _absolute(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    """The module an ImportFrom names, relative imports resolved against the importing module."""
    if not node.level:
        return node.module or ""
    base = module.split(".")
    base = base if is_package else base[:-1]
    base = base[: len(base) - node.level + 1]
    return ".".join([*base, node.module] if node.module else base)


def private_imports(path: Path) -> list[str]:
    """'file:line: name' for each private name this file takes from another armatlas module."""
    module, is_package = _module_of(path), path.name == "__init__.py"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    modules = {_module_of(p) for p in PACKAGE.rglob("*.py")}
    aliases: dict[str, str] = {}  # local name -> armatlas module it is bound to
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name.startswith("armatlas"):
                    aliases[a.asname or a.name] = a.name
        elif isinstance(node, ast.ImportFrom):
            source = _absolute(node, module, is_package)
            if not source.startswith("armatlas") or source == module:
                continue
            for a in node.names:
                if f"{source}.{a.name}" in modules:
                    aliases[a.asname or a.name] = f"{source}.{a.name}"
                elif _private(a.name):
                    found.append(f"{path.relative_to(SRC)}:{node.lineno}: from {source} import {a.name}")
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and _private(node.attr)
            and isinstance(node.value, ast.Name)
            and aliases.get(node.value.id, module) != module
        ):
            found.append(f"{path.relative_to(SRC)}:{node.lineno}: {aliases[node.value.id]}.{node.attr}")
    return found


def test_no_module_imports_another_modules_private_names() -> None:
    found = [hit for path in sorted(PACKAGE.rglob("*.py")) for hit in private_imports(path)]
    assert found == [], "make the shared helper public in the module that owns it:\n" + "\n".join(found)


def test_the_check_sees_every_form_of_a_private_import(tmp_path, monkeypatch) -> None:
    """The walk flags absolute, relative and attribute reaches into another module, not its own."""
    pkg = tmp_path / "armatlas" / "claims"
    pkg.mkdir(parents=True)
    (tmp_path / "armatlas" / "__init__.py").write_text("", encoding="utf-8")
    (pkg / "__init__.py").write_text("from .reader import _inside\n", encoding="utf-8")
    (pkg / "reader.py").write_text("def _inside(): ...\n_inside()\n", encoding="utf-8")
    (pkg / "other.py").write_text(
        "from armatlas.claims.reader import _inside, public\n"
        "from . import reader\n"
        "import armatlas.claims.reader as r\n"
        "from armatlas.sources._http import fetch_page\n"
        "reader._inside(); r._inside(); r.public(); reader.__name__\n",
        encoding="utf-8",
    )
    monkeypatch.setitem(globals(), "SRC", tmp_path)
    monkeypatch.setitem(globals(), "PACKAGE", tmp_path / "armatlas")
    assert private_imports(pkg / "reader.py") == []
    assert private_imports(pkg / "__init__.py") == [
        "armatlas/claims/__init__.py:1: from armatlas.claims.reader import _inside"
    ]
    assert private_imports(pkg / "other.py") == [
        "armatlas/claims/other.py:1: from armatlas.claims.reader import _inside",
        "armatlas/claims/other.py:5: armatlas.claims.reader._inside",
        "armatlas/claims/other.py:5: armatlas.claims.reader._inside",
    ]
