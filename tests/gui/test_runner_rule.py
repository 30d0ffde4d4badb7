"""The GUI calls operations only through its runner (``ketqual/gui/runner.py``).

An operation called straight from a window skips what the runner does for every call:
retrying after a dropped server connection, showing a refusal the one way, doing long work
off the GUI thread with its own connection, and announcing what changed to every window.
So every call to a function of a ``ketqual.ops`` module made in ``ketqual/gui`` must sit
inside a lambda or a nested function handed to the runner (or to one of the few names
that forward to it), unless it is one of the pure helpers listed below.
"""

from __future__ import annotations

import ast
from pathlib import Path

import ketqual.gui
import ketqual.ops

GUI = Path(ketqual.gui.__file__).parent
OPS = Path(ketqual.ops.__file__).parent

#: Calls that hand a lambda or function to the runner: its own methods, the undo stack's
#: entry (``CodingController.run_undoable``, which pushes an OperationCommand that runs each
#: step through the runner), and windows' one-line forwarders (``self._run(op)`` is
#: ``self.runner.run(op, ...)`` with the window's own error line), and the export guard
#: (``gui/privacy/export_guard.py``: runs an export through ``runner.run`` or
#: ``runner.run_in_background``, again with a supervisor's override when the identifier
#: check blocked it).
RUNNER_CALLS = {
    "run",
    "query",
    "run_in_background",
    "attempt",
    "run_undoable",
    "_run",
    "run_export",
    "run_export_in_background",
}

#: Operations-layer names the GUI may call directly, and why. Keep it short.
PURE = {
    # plain data the GUI builds to hand to an operation (frozen dataclasses)
    "ketqual.ops.coding.coding_ops.NewCoding",
    "ketqual.ops.consensus.consensus_ops.Edit",
    "ketqual.ops.consensus.consensus_ops.QueueFilter",
    "ketqual.ops.importing.import_ops.ImportOptions",
    "ketqual.ops.team.server_ops.ServerAddress",
    "ketqual.ops.team.server_ops.KeyringState",
    # pure functions of records or strings: no project, no files, no network
    "ketqual.ops.codebook.codebook_ops.code_path",
    "ketqual.ops.agreement.agreement_ops.short_title",
    "ketqual.ops.team.server_ops.is_server_url",
    "ketqual.ops.team.server_ops.parse_url",
    "ketqual.ops.team.server_ops.url_without_password",
    "ketqual.ops.team.server_ops.scrub",
    "ketqual.ops.team.server_ops.explain",
    # builds the inverse of a change; the undo command runs it through the runner
    "ketqual.ops.undo_ops.undo_of",
    # where the package data (icons, licences) lies: no project
    "ketqual.ops.resources.resources_dir",
}


def _module_of(name: str) -> bool:
    """Whether ``ketqual.ops...`` ``name`` is a module (not a function or class)."""
    parts = name.split(".")[2:]
    path = OPS.joinpath(*parts)
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def _aliases(tree: ast.Module) -> tuple[dict[str, str], dict[str, str]]:
    """Names bound to ops modules, and names bound to ops functions or classes."""
    modules: dict[str, str] = {}
    members: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("ketqual.ops"):
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                target = modules if _module_of(full) else members
                target[alias.asname or alias.name] = full
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("ketqual.ops") and alias.asname:
                    modules[alias.asname] = alias.name
    return modules, members


def _called(node: ast.Call, modules: dict[str, str], members: dict[str, str]) -> str | None:
    func = node.func
    if (
        isinstance(func, ast.Attribute)
        and isinstance(func.value, ast.Name)
        and func.value.id in modules
    ):
        return f"{modules[func.value.id]}.{func.attr}"
    if isinstance(func, ast.Name) and func.id in members:
        return members[func.id]
    return None


def _callee_name(node: ast.Call) -> str | None:
    func = node.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else None


def _handed_to_runner(tree: ast.Module) -> set[ast.AST]:
    """Lambdas and nested functions passed as an argument to a runner call."""
    handed: set[ast.AST] = set()
    for scope in ast.walk(tree):
        if not isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        nested = {
            n.name: n for n in ast.walk(scope) if isinstance(n, ast.FunctionDef) and n is not scope
        }
        for call in ast.walk(scope):
            if not isinstance(call, ast.Call) or _callee_name(call) not in RUNNER_CALLS:
                continue
            for arg in [*call.args, *(k.value for k in call.keywords)]:
                if isinstance(arg, ast.Lambda):
                    handed.add(arg)
                elif isinstance(arg, ast.Name) and arg.id in nested:
                    handed.add(nested[arg.id])
                # A method or module function handed over is checked where it is defined.
    return handed


def _violations(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    modules, members = _aliases(tree)
    handed = _handed_to_runner(tree)
    found: list[str] = []

    def visit(node: ast.AST, inside: bool) -> None:
        inside = inside or node in handed
        if isinstance(node, ast.Call):
            name = _called(node, modules, members)
            if name is not None and not inside and name not in PURE:
                found.append(f"{path.relative_to(GUI.parent.parent)}:{node.lineno} {name}")
        for child in ast.iter_child_nodes(node):
            visit(child, inside)

    visit(tree, False)
    return found


def test_gui_calls_operations_only_through_the_runner():
    problems = [
        line
        for path in sorted(GUI.rglob("*.py"))
        if path.name != "runner.py"
        for line in _violations(path)
    ]
    assert not problems, "ops called outside the runner:\n" + "\n".join(problems)


def test_the_rule_catches_a_direct_call(tmp_path):
    """The scan itself finds a direct call, and accepts the same call handed over."""
    bad = tmp_path / "bad.py"
    bad.write_text(
        "from ketqual.ops.coding import coding_ops\n"
        "class W:\n"
        "    def f(self):\n"
        "        coding_ops.remove_codings(self.project, [1])\n"
        "        self.runner.run(lambda p: coding_ops.remove_codings(p, [2]))\n"
        "        def work(project, progress):\n"
        "            return coding_ops.progress(project)\n"
        "        self.runner.run_in_background(work)\n"
        "        def stray(project):\n"
        "            return coding_ops.progress(project)\n"
        "        stray(None)\n",
        encoding="utf-8",
    )
    global GUI
    saved, GUI = GUI, tmp_path / "ketqual" / "gui"
    try:
        found = _violations(bad)
    finally:
        GUI = saved
    assert [line.split()[-1] for line in found] == [
        "ketqual.ops.coding.coding_ops.remove_codings",
        "ketqual.ops.coding.coding_ops.progress",
    ]
    assert ":4 " in found[0] and ":10 " in found[1]
