"""Map a feedback sheet's columns when KetQual cannot guess them: which columns hold the
answers (one or several, one per question), the session, group, participant and question,
and how the documents are laid out. Every other column is kept as a participant
attribute."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QListView,
    QVBoxLayout,
)

from ketqual.core import feedback

NONE = "(no such column)"
LAYOUT_LABELS = (
    ("One document per focus group", "group"),
    ("One document per question (and group)", "question"),
    ("One document per participant", "participant"),
)
_Index = QModelIndex | QPersistentModelIndex
_NO_INDEX = QModelIndex()


class HeaderChoiceModel(QAbstractListModel):
    """The sheet's headers with a tick box each (the answer columns)."""

    def __init__(self, headers: Sequence[str], ticked: Sequence[str] = (), parent=None) -> None:
        super().__init__(parent)
        self.headers = [h for h in headers if h.strip()]
        self.ticked = {h for h in ticked if h in self.headers}

    def rowCount(self, parent: _Index = _NO_INDEX) -> int:  # noqa: N802 - Qt's name
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.headers):
            return None
        header = self.headers[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return header
        if role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Checked if header in self.ticked else Qt.CheckState.Unchecked
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsUserCheckable
            | Qt.ItemFlag.ItemIsSelectable
        )

    def setData(self, index: _Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if not index.isValid() or role != Qt.ItemDataRole.CheckStateRole:
            return False
        header = self.headers[index.row()]
        if Qt.CheckState(value) == Qt.CheckState.Checked:
            self.ticked.add(header)
        else:
            self.ticked.discard(header)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        return True

    def chosen(self) -> list[str]:
        """Ticked headers in the sheet's order."""
        return [h for h in self.headers if h in self.ticked]


class FeedbackMappingDialog(QDialog):
    """Choose which columns are which; :meth:`mapping` gives the result."""

    def __init__(self, file_name: str, headers: Sequence[str], parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Map the columns of {file_name}")
        guess = feedback.guess_mapping(tuple(headers))
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Tick the columns holding answers (with several, each column's header is its "
            "question). Every column not used below is kept as an attribute of the "
            "participant (age, gender, role…); columns such as names are never kept."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.answers = HeaderChoiceModel(headers, guess.answer_columns if guess else (), self)
        self.answer_view = QListView()
        self.answer_view.setAccessibleName("Answer columns")
        self.answer_view.setModel(self.answers)
        layout.addWidget(QLabel("<b>Answer columns</b>"))
        layout.addWidget(self.answer_view)
        form = QFormLayout()
        self.boxes: dict[str, QComboBox] = {}
        for field in ("session", "group", "participant", "question"):
            box = QComboBox(accessibleName=f"{field.capitalize()} column")
            box.addItem(NONE, None)
            for header in self.answers.headers:
                box.addItem(header, header)
            chosen = getattr(guess, field) if guess else None
            box.setCurrentIndex(max(box.findData(chosen), 0))
            self.boxes[field] = box
            form.addRow(f"{field.capitalize()}:", box)
        self.layout_box = QComboBox(accessibleName="Documents")
        for label, value in LAYOUT_LABELS:
            self.layout_box.addItem(label, value)
        form.addRow("Documents:", self.layout_box)
        layout.addLayout(form)
        self.problem = QLabel()
        self.problem.setStyleSheet("QLabel { color: #a50026; }")
        self.problem.setWordWrap(True)
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Import")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def mapping(self) -> feedback.ColumnMapping | None:
        """The mapping as chosen, or ``None`` (with the reason shown) when it cannot work."""
        answers = self.answers.chosen()
        fields = {name: box.currentData() for name, box in self.boxes.items()}
        layout = self.layout_box.currentData()
        if not answers:
            self.problem.setText("Tick at least one answer column.")
            return None
        used = [h for h in fields.values() if h]
        if set(used) & set(answers) or len(used) != len(set(used)):
            self.problem.setText("Each column can be only one thing.")
            return None
        if layout == "participant" and not fields["participant"]:
            self.problem.setText("One document per participant needs the participant column.")
            return None
        self.problem.clear()
        return feedback.ColumnMapping(
            answer=answers[0], answers=tuple(answers[1:]), layout=layout, **fields
        )

    def accept(self) -> None:
        """Close only when the mapping can work (else say why in the dialog)."""
        if self.mapping() is not None:
            super().accept()
