"""The house's rules that import-linter cannot state: no private names used across modules,
and no import circles (a module that needs another's helper gets a public, named one)."""

from __future__ import annotations

import ast
from pathlib import Path

import grimp

import ketqual

PACKAGE = Path(ketqual.__file__).parent
ROOT = PACKAGE.parent


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        if "resources" in path.relative_to(PACKAGE).parts:
            continue
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        found[name.removesuffix(".__init__")] = path
    return found


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def private_uses(path: Path, modules: dict[str, Path], where: str) -> list[str]:
    """``from ketqual.x import _y``, ``x._y`` on an imported ketqual module, and
    ``self.other._y`` (reaching into another object's insides, e.g. a main window's)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    aliases: dict[str, str] = {}
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("ketqual"):
            for alias in node.names:
                if _private(alias.name):
                    found.append(f"{where}:{node.lineno} imports {node.module}.{alias.name}")
                if f"{node.module}.{alias.name}" in modules:
                    aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("ketqual") and alias.asname:
                    aliases[alias.asname] = alias.name
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute) or not _private(node.attr):
            continue
        value = node.value
        if isinstance(value, ast.Name) and value.id in aliases:
            found.append(f"{where}:{node.lineno} uses {aliases[value.id]}.{node.attr}")
        elif (
            isinstance(value, ast.Attribute)
            and isinstance(value.value, ast.Name)
            and value.value.id == "self"
        ):
            found.append(f"{where}:{node.lineno} reaches into {ast.unparse(node)}")
    return found


def test_no_private_names_across_modules():
    modules = _modules()
    problems = [
        line
        for path in modules.values()
        for line in private_uses(path, modules, str(path.relative_to(ROOT)))
    ]
    assert not problems, "make these public and name them well:\n" + "\n".join(sorted(problems))


def test_the_private_scan_finds_each_kind(tmp_path):
    source = (
        "from ketqual.ops.team import coder_ops\n"
        "from ketqual.store.lifecycle import _reason\n"
        "def f(tx):\n"
        "    return coder_ops._find(tx, 1)\n"
        "class G:\n"
        "    def g(self):\n"
        "        return self.w._document_id, self._mine\n"
    )
    tree_path = tmp_path / "scan_example.py"
    tree_path.write_text(source, encoding="utf-8")
    found = private_uses(tree_path, {"ketqual.ops.team.coder_ops": tree_path}, "example.py")
    assert sorted(found) == [
        "example.py:2 imports ketqual.store.lifecycle._reason",
        "example.py:4 uses ketqual.ops.team.coder_ops._find",
        "example.py:7 reaches into self.w._document_id",
    ]


def test_no_import_circles():
    """Every import counts, also those inside functions (grimp sees them all)."""
    graph = grimp.build_graph("ketqual")
    edges = {m: graph.find_modules_directly_imported_by(m) for m in graph.modules}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []

    def visit(module: str) -> None:  # Tarjan's strongly connected components
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for other in edges.get(module, ()):
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in on_stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for module in sorted(edges):
        if module not in index:
            visit(module)
    assert not circles, "modules that import each other: " + "; ".join(
        " <-> ".join(c) for c in circles
    )


def test_operations_never_touch_a_session():
    """``tx.session`` (or a repository's) would let an operation run SQL past the store's
    repositories; the import-linter contract keeps SQLAlchemy and row classes out too."""
    found = []
    for path in sorted((PACKAGE / "ops").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Attribute) or node.attr not in ("session", "_session"):
                continue
            base = node.value
            while isinstance(base, ast.Attribute):
                base = base.value
            if isinstance(base, ast.Name) and base.id in ("tx", "source", "transaction"):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} {ast.unparse(node)}")
    assert not found, "add a repository method instead:\n" + "\n".join(found)
