"""File dialogs remember the last folder; the person dialog says the truth and picks you."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog

from ketqual.gui import files
from ketqual.gui.team.coder_dialog import NEW_ROW, CoderDialog


def test_dialogs_start_in_the_last_folder(qtbot, tmp_path, monkeypatch):
    starts = []

    def fake_open(parent, title, start, filters):
        starts.append(start)
        return str(tmp_path / "notes" / "a.txt"), ""

    (tmp_path / "notes").mkdir()
    monkeypatch.setattr(QFileDialog, "getOpenFileName", fake_open)
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda p, t, start, f: (starts.append(start) or "", "")
    )
    files.open_file(None, "Open", "Text (*.txt)")
    files.save_file(None, "Save", "out.xlsx", "Excel (*.xlsx)")
    assert Path(starts[1]) == tmp_path / "notes" / "out.xlsx"
    assert starts[0] != str(Path.cwd()) or Path.cwd() == Path.home()


def test_person_dialog(qtbot, demo_path):
    from ketqual.gui.runner import OperationRunner
    from ketqual.ops import project_ops

    with project_ops.open_project(demo_path, backup=False) as project:
        dialog = CoderDialog(OperationRunner(project), current="Coder B")
        qtbot.addWidget(dialog)
        assert dialog.list.currentItem().text().startswith("Coder B")
        texts = [dialog.list.item(i).text() for i in range(dialog.list.count())]
        assert NEW_ROW in texts and "➕" not in NEW_ROW
        from PySide6.QtWidgets import QLabel

        said = " ".join(label.text() for label in dialog.findChildren(QLabel))
        assert "The project is blinded" in said  # the demo as the coders left it


def test_a_saved_name_keeps_its_own_format_or_gets_the_chosen_one():
    known = ("docx", "xlsx", "csv")
    assert files.with_format("/d/report.XLSX", "docx", known) == ("/d/report.XLSX", "xlsx")
    assert files.with_format("/d/report", "docx", known) == ("/d/report.docx", "docx")
    assert files.with_format("/d/report.v2", "csv", known) == ("/d/report.v2.csv", "csv")
    assert files.with_format("/d/report", None, known) == ("/d/report", None)


def test_the_feature_windows_ask_for_files_through_the_remembering_dialogs():
    """Every file dialog starts in the last folder used: none calls QFileDialog itself."""
    from pathlib import Path

    gui = Path(files.__file__).parent
    direct = [
        str(path.relative_to(gui))
        for path in gui.rglob("*.py")
        if path.name != "files.py" and "QFileDialog" in path.read_text(encoding="utf-8")
    ]
    assert direct == []
