"""Comparing layers: every shown layer's stripes are painted, labelled, clear of the text."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage

from ketqual.gui.coding.document_view import TEXT_GAP, StripeMargin
from ketqual.ops import demo_ops

TIP = Qt.ItemDataRole.ToolTipRole


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


@pytest.fixture(scope="module")
def three_coder_demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("three") / "demo.ketqual"
    project, _report = demo_ops.build_demo(path, meeting=True, third_coder=True)
    project.close()
    return path


def open_at_laptop_size(window, path, qtbot):
    window.resize(1366, 768)
    window.splitter.setSizes([456, 552, 350])
    window.show()
    assert window.open_project(path, coder="Supervisor")
    window.show_layers(["Coder A", "Coder B", "Coder C"])
    qtbot.waitExposed(window)


def test_every_coder_column_of_the_documents_list_is_in_view(
    window, three_coder_demo, qtbot, tmp_path
):
    import shutil

    path = tmp_path / "demo.ketqual"
    shutil.copy(three_coder_demo, path)
    open_at_laptop_size(window, path, qtbot)
    view = window.documents_view
    view.fit_columns()
    header, model = view.horizontalHeader(), view.model()
    room = view.viewport().width()
    names = {model.headerData(c, Qt.Orientation.Horizontal): c for c in range(model.columnCount())}
    # The supervisor codes nothing in the demo: no empty column for them.
    assert "Supervisor" not in names
    for coder in ("Coder A", "Coder B", "Coder C"):
        column = names[coder]
        assert not header.isSectionHidden(column)
        right = header.sectionViewportPosition(column) + header.sectionSize(column)
        assert right <= room, f"{coder}'s column ends at {right} of {room}"
    title = names["Title"]
    assert header.sectionSize(title) >= view.fontMetrics().horizontalAdvance("S1 G1 notes")
    # The full title is in the tooltip.
    assert "Session 1" in model.index(0, title).data(Qt.ItemDataRole.ToolTipRole)
    # Wide enough again, every column comes back.
    window.splitter.setSizes([1000, 200, 166])
    view.fit_columns()
    assert not any(header.isSectionHidden(c) for c in range(model.columnCount()))


def test_codebook_counts_the_layers_shown(window, three_coder_demo, qtbot, tmp_path):
    import shutil

    from ketqual.ops.coding import coding_ops
    from ketqual.ops.team import coder_ops

    path = tmp_path / "demo.ketqual"
    shutil.copy(three_coder_demo, path)
    assert window.open_project(path, coder="Supervisor")
    model = window.codebook_model
    stigma = next(c for c in model.codes() if c.name == "Stigma")
    project = window.project
    # A supervisor is shown the consensus layer first: its codings are counted.
    consensus = coding_ops.layer_counts(project, [None]).get(stigma.id, 0)
    cell = model.index_of(stigma.id).siblingAtColumn(2)
    assert consensus > 0 and cell.data() == str(consensus)
    assert "(Consensus)" in model.headerData(2, Qt.Orientation.Horizontal, TIP)
    window.show_layers(["Coder A", "Coder B", "Coder C"])
    expected = sum(
        coding_ops.coding_counts(project, coder_ops.find_coder(project, name).id).get(stigma.id, 0)
        for name in ("Coder A", "Coder B", "Coder C")
    )
    cell = model.index_of(stigma.id).siblingAtColumn(2)
    assert expected > 0 and cell.data() == str(expected)
    tip = model.headerData(2, Qt.Orientation.Horizontal, TIP)
    assert "summed over the layers shown (Coder A + Coder B + Coder C)" in tip
    assert "summed" in cell.data(TIP)


def test_the_stripe_margin_leaves_the_text_most_of_the_pane(
    window, three_coder_demo, qtbot, tmp_path
):
    import shutil

    path = tmp_path / "demo.ketqual"
    shutil.copy(three_coder_demo, path)
    open_at_laptop_size(window, path, qtbot)
    view = window.text_view
    assert len(view.layer_groups()) == 3
    assert view.margin_width() <= view.width() / 3
    assert {shown.coder for shown, _rect in view.stripe_rects()} == {
        "Coder A",
        "Coder B",
        "Coder C",
    }


def test_many_codes_get_lanes_only_on_screen(qtbot):
    from ketqual.core.records import CodingRecord
    from ketqual.gui.coding.document_view import DocumentView, ShownCoding

    view = DocumentView()
    qtbot.addWidget(view)
    view.resize(540, 400)
    view.show()
    qtbot.waitExposed(view)
    text = "".join(f"Line {i} of a long imported transcript.\n" for i in range(400))
    view.set_text(text, [])
    shown, line = [], len("Line 100 of a long imported transcript.\n")
    for layer, coder in enumerate(("Coder A", "Coder B")):
        for code in range(120):  # 120 codes in each layer, spread down the document
            start = 100 * line + code * 120
            if code == 0:
                start = 0  # one coding each at the top, on screen
            record = CodingRecord(
                id=layer * 1000 + code,
                uid=f"u{layer}-{code}",
                document_id=1,
                code_id=code,
                coder_id=layer + 1,
                start=start,
                end=start + 20,
                memo="",
            )
            shown.append(ShownCoding(record, "#aa3377", f"code {code}", coder, layer * 120 + code))
    view.set_codings(shown)
    assert view.lanes_follow_screen()
    assert view.margin_width() <= view.margin_budget() <= view.width() / 3 + 1
    rects = view.stripe_rects()
    assert {s.coder for s, _rect in rects} == {"Coder A", "Coder B"}
    assert set(view.layer_blocks()) == {"Coder A", "Coder B"}  # both layers keep their block
    assert max(rect.right() for _s, rect in rects) < view.margin_width() - TEXT_GAP + 1
