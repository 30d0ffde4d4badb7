"""What one window changes reaches the others through ``runner.changed``, and each shows
only what the change touched."""

from __future__ import annotations

from ketqual.ops.codebook import codebook_ops
from ketqual.ops.coding import coding_ops
from ketqual.ops.importing import document_ops


def test_a_codebook_change_from_elsewhere_shows_in_the_main_window(window, demo_path):
    assert window.open_project(demo_path, coder="Coder A")
    cost = next(c for c in window.codebook_model.codes() if c.name == "Cost")
    shown_before = window.document_id
    message_before = window.statusBar().currentMessage()
    other_window = object()
    change = window.runner.run(
        lambda p: codebook_ops.rename_code(p, cost.id, "Costs"), initiator=other_window
    )
    assert change is not None and change.codebook
    assert "Costs" in [c.name for c in window.codebook_model.codes()]
    assert window.coding.paths[cost.id] == "Costs"
    # Not this window's doing: it keeps its document and says nothing in its status bar.
    assert window.document_id == shown_before
    assert window.statusBar().currentMessage() == message_before


def test_codings_from_elsewhere_update_counts_and_highlights_in_place(window, demo_path):
    assert window.open_project(demo_path, coder="Coder A")
    me, doc = window.coding.coder.id, window.document_id
    stigma = next(c for c in window.codebook_model.codes() if c.name == "Stigma")
    before = window.coding.shown_counts.get(stigma.id, 0)
    added = window.runner.run(
        lambda p: coding_ops.add_codings(p, me, [coding_ops.NewCoding(doc, stigma.id, 0, 7)])
    )
    [record] = added.payload.records
    assert record.id in window.coding.shown
    assert window.coding.shown_counts[stigma.id] == before + 1
    assert any(s.coding.id == record.id for s in window.text_view.codings_at(3))


def test_a_document_edit_from_elsewhere_keeps_the_shown_document(window, demo_path):
    assert window.open_project(demo_path, coder="Coder A")
    window.select_document(5)
    window.runner.run(
        lambda p: document_ops.update_document(p, 7, notetaker="scribe 7"), initiator=object()
    )
    assert window.document_id == 5
    assert window.documents_model.record_of(7).meta.notetaker == "scribe 7"
    # The same edit from this window's own menu shows the edited document.
    window.runner.run(
        lambda p: document_ops.update_document(p, 7, notetaker="scribe seven"), initiator=window
    )
    assert window.document_id == 7
    assert window.current_record().meta.notetaker == "scribe seven"
