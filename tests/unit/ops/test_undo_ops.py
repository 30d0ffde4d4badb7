"""Every undoable operation has an inverse that restores the project exactly, and back."""

from __future__ import annotations

import pytest

from ketqual.ops import undo_ops
from ketqual.ops.changes import Change
from ketqual.ops.codebook import codebook_ops
from ketqual.ops.coding import coding_ops
from ketqual.ops.coding.coding_ops import NewCoding
from ketqual.ops.errors import OperationError
from ketqual.ops.team import coder_ops
from tests.factories import add_document, make_project


def snapshot(project):
    """Everything an undo must put back: codes, codings and done marks."""
    with project.read() as tx:
        return tx.codes.list(), tx.codings.list(), tx.status.done()


@pytest.fixture
def world(tmp_path):
    project = make_project(tmp_path)
    doc = add_document(project)
    a = coder_ops.add_coder(project, "Coder A").details["coder_id"]
    codes = {p: codebook_ops.find_code(project, p).id for p in ("Monitoring", "Cost", "Stigma")}
    sub = codebook_ops.find_code(project, "Side-effects/Physical effects").id
    [c1, c2] = coding_ops.add_codings(
        project,
        a,
        [NewCoding(doc, codes["Cost"], 0, 10, "memo"), NewCoding(doc, sub, 20, 30)],
    ).details["added"]
    yield project, doc, a, codes, sub, c1, c2
    project.close()


CASES = {
    "add codings": lambda p, doc, a, codes, sub, c1, c2: coding_ops.add_codings(
        p, a, [NewCoding(doc, codes["Stigma"], 5, 9)]
    ),
    "remove codings": lambda p, doc, a, codes, sub, c1, c2: coding_ops.remove_codings(
        p, [c1.id, c2.id]
    ),
    "recode": lambda p, doc, a, codes, sub, c1, c2: coding_ops.recode_codings(
        p, {c1.id: codes["Stigma"]}
    ),
    "memo": lambda p, doc, a, codes, sub, c1, c2: coding_ops.set_memo(p, c1.id, "new"),
    "done": lambda p, doc, a, codes, sub, c1, c2: coding_ops.set_done(p, doc, a, True),
    "add code": lambda p, *_: codebook_ops.add_code(p, "Hope", actor="t"),
    "rename": lambda p, doc, a, codes, *_: codebook_ops.rename_code(
        p, codes["Cost"], "Costs", actor="t"
    ),
    "recolour": lambda p, doc, a, codes, *_: codebook_ops.recolour_code(
        p, codes["Cost"], "#123456", actor="t"
    ),
    "edit": lambda p, doc, a, codes, *_: codebook_ops.update_code(
        p, codes["Cost"], definition="Money", shortcut=None, actor="t"
    ),
    "retire": lambda p, doc, a, codes, *_: codebook_ops.retire_code(p, codes["Cost"], actor="t"),
    "move": lambda p, doc, a, codes, *_: codebook_ops.move_code(
        p, codes["Stigma"], parent_id=codes["Monitoring"], actor="t"
    ),
    "merge theme": lambda p, doc, a, codes, *_: codebook_ops.merge_codes(
        p, codes["Cost"], codes["Stigma"], actor="t"
    ),
    "merge subtheme": lambda p, doc, a, codes, sub, *_: codebook_ops.merge_codes(
        p, sub, codes["Monitoring"], actor="t"
    ),
    "delete with codings": lambda p, doc, a, codes, *_: codebook_ops.delete_code(
        p, codebook_ops.find_code(p, "Side-effects").id, confirm=True, actor="t"
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_inverse_restores_and_redo_repeats(world, name):
    project = world[0]
    before = snapshot(project)
    change = CASES[name](*world)
    after = snapshot(project)
    assert after != before
    undone = undo_ops.inverse(change)(project)
    assert snapshot(project) == before
    undo_ops.inverse(undone)(project)
    assert snapshot(project) == after


def test_changes_without_an_inverse_say_so(world):
    with pytest.raises(OperationError, match="cannot be undone"):
        undo_ops.inverse(Change("codebook.import", "Imported a codebook"))
