"""The column-mapping dialog the app offers when a feedback sheet's columns cannot be guessed."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from ketqual.gui.importing.feedback_mapping_dialog import FeedbackMappingDialog, HeaderChoiceModel
from ketqual.gui.importing.import_dialogs import ImportResultsDialog
from ketqual.ops.importing import import_ops

HEADERS = ("Sess", "Table", "Person", "Years", "Worries", "Hopes")


def test_header_model_passes_the_model_tester(qtmodeltester):
    qtmodeltester.check(HeaderChoiceModel(HEADERS, ["Worries"]))


def test_mapping_dialog_builds_a_mapping_and_refuses_nonsense(qtbot):
    dialog = FeedbackMappingDialog("sheet.csv", HEADERS)
    qtbot.addWidget(dialog)
    assert dialog.mapping() is None and "at least one answer" in dialog.problem.text()
    for row in (4, 5):
        dialog.answers.setData(
            dialog.answers.index(row), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole
        )
    for field, header in (("session", "Sess"), ("group", "Table"), ("participant", "Person")):
        dialog.boxes[field].setCurrentIndex(dialog.boxes[field].findData(header))
    dialog.layout_box.setCurrentIndex(2)
    mapping = dialog.mapping()
    assert mapping.answer_columns == ("Worries", "Hopes")
    assert (mapping.session, mapping.group, mapping.participant, mapping.layout) == (
        "Sess",
        "Table",
        "Person",
        "participant",
    )
    assert "Years" not in mapping.mapped()  # kept as a participant attribute
    dialog.boxes["question"].setCurrentIndex(dialog.boxes["question"].findData("Worries"))
    assert dialog.mapping() is None and "only one thing" in dialog.problem.text()


def test_results_offer_to_map_columns(qtbot):
    report = import_ops.ImportReport(
        [
            import_ops.FileResult(
                Path("sheet.csv"),
                "failed",
                "cannot tell which columns hold the answers (headers are: a)",
            )
        ]
    )
    dialog = ImportResultsDialog(report)
    qtbot.addWidget(dialog)
    assert dialog.unmapped == [Path("sheet.csv")] and dialog.map_button is not None
    dialog.map_button.click()
    assert dialog.map_requested and dialog.result() == 1
    plain = ImportResultsDialog(
        import_ops.ImportReport([import_ops.FileResult(Path("x.txt"), "failed", "empty")])
    )
    qtbot.addWidget(plain)
    assert plain.map_button is None
    assert plain.findChild(QDialogButtonBox) is not None
