"""Typed changes: every operation names the areas it touched."""

import ast
from pathlib import Path

import ketqual.ops
from ketqual.ops.changes import Area, Change

OPS = Path(ketqual.ops.__file__).parent


def test_areas_are_what_the_operation_named():
    change = Change("coding.add", "x", areas={Area.CODINGS, Area.CONSENSUS})
    assert change.areas == frozenset({Area.CODINGS, Area.CONSENSUS})
    assert change.touched() == {Area.CODINGS, Area.CONSENSUS}
    assert change.touches(Area.CONSENSUS) and not change.touches(Area.CODEBOOK)
    assert Change("code.rename", "x", areas={Area.CODEBOOK}).codebook
    # The action is only a name for the audit log: nothing is read off it.
    assert Change("consensus.resolve", "x").touched() == frozenset()


def test_every_operation_names_its_areas():
    """A ``Change(...)`` built in ops without ``areas=`` would reach no window."""
    missing = []
    for path in sorted(OPS.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "Change"
                and not any(k.arg == "areas" for k in node.keywords)
            ):
                missing.append(f"{path.relative_to(OPS.parent.parent)}:{node.lineno}")
    assert not missing, "Change(...) without areas= at " + ", ".join(missing)
