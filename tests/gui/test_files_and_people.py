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
