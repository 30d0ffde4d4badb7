"""Comparing layers: every shown layer's stripes are painted, labelled, clear of the text."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QImage

from ketqual.gui.coding.document_view import TEXT_GAP, StripeMargin
from ketqual.ops import demo_ops


@pytest.fixture(scope="module")
def meeting_demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("meeting") / "demo.ketqual"
    project, _report = demo_ops.build_demo(path, meeting=True)  # unblinded, consensus started
    project.close()
    return path


def test_three_layers_all_painted(window, meeting_demo, qtbot, tmp_path):
    import shutil

    path = tmp_path / "demo.ketqual"
    shutil.copy(meeting_demo, path)
    window.resize(1366, 768)
    window.show()
    assert window.open_project(path, coder="Supervisor")
    rows = window.documents_model.rowCount()
    # The first scribe note with codings in all three layers.
    window.show_layers(["Coder A", "Coder B", "consensus"])
    for row in range(rows):
        window.select_document(window.documents_model.document_id(row))
        groups = window.text_view.layer_groups()
        if len(groups) == 3:
            break
    groups = window.text_view.layer_groups()
    assert set(groups) == {"Coder A", "Coder B", "Consensus"} or len(groups) == 3
    qtbot.waitExposed(window)
    view = window.text_view
    rects = view.stripe_rects()
    drawn_layers = {shown.coder for shown, _rect in rects}
    assert len(drawn_layers) == 3, f"stripes drawn for {drawn_layers}"
    margin = view.margin_width()
    for _shown, rect in rects:
        assert rect.right() < margin - TEXT_GAP + 1, "a stripe reaches into the text"
    blocks = view.layer_blocks()
    ordered = sorted(blocks.values())
    for (_a0, a1), (b0, _b1) in zip(ordered, ordered[1:], strict=False):
        assert a1 < b0  # blocks side by side, never overlapping
    # The margin really paints every stripe (not only computes it).
    margin_widget = view.findChild(StripeMargin)
    image = QImage(margin_widget.size(), QImage.Format.Format_ARGB32)
    margin_widget.render(image)
    band = margin_widget.fontMetrics().height() + 6  # the label band at the top
    checked = set()
    for shown, rect in rects:
        top, bottom = max(rect.top(), band), min(rect.bottom(), image.height() - 1)
        if bottom - top < 6:
            continue
        y = (top + bottom) // 2 + 2
        assert image.pixelColor(rect.center().x(), y) == QColor(shown.colour)
        checked.add(shown.coder)
    assert len(checked) == 3
