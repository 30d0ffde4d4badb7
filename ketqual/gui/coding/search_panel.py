"""Search within the document or across the project, and code every hit at once."""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ketqual.core.search import Hit, SearchError, compile_pattern

Index = QModelIndex | QPersistentModelIndex
HIT_ROLE = Qt.ItemDataRole.UserRole + 1


class SearchResultsModel(QAbstractListModel):
    """Hits with their document title and a line of context."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[Hit, str]] = []

    def set_hits(self, rows: list[tuple[Hit, str]]) -> None:
        """Replace the results (hit, label)."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def hits(self) -> list[Hit]:
        """Every hit listed."""
        return [hit for hit, _ in self._rows]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        hit, label = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return label
        if role == HIT_ROLE:
            return hit
        return None


class SearchPanel(QWidget):
    """Query box, options, results list and "code all hits"."""

    searchRequested = Signal(str, bool, bool, bool)  # query, regex, case, whole project
    hitActivated = Signal(object)  # Hit
    codeAllRequested = Signal(int)  # code id

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.query = QLineEdit(placeholderText="Search text…", clearButtonEnabled=True)
        self.query.setAccessibleName("Search text")
        self.regex = QCheckBox("Regular expression")
        self.case = QCheckBox("Match case")
        self.scope = QComboBox()
        self.scope.addItems(["This document", "All documents"])
        self.scope.setAccessibleName("Search scope")
        self.find_button = QPushButton("Find")
        self.status = QLabel()
        self.status.setAccessibleName("Search status")
        self.model = SearchResultsModel(self)
        self.results = QListView()
        self.results.setModel(self.model)
        self.results.setAccessibleName("Search results")
        self.results.setUniformItemSizes(True)
        self.code_choice = QComboBox()
        self.code_choice.setAccessibleName("Code for all hits")
        self.code_all = QPushButton("Code all hits")
        self.code_all.setEnabled(False)
        top = QHBoxLayout()
        for widget in (self.query, self.regex, self.case, self.scope, self.find_button):
            top.addWidget(widget)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(QLabel("with"))
        bottom.addWidget(self.code_choice)
        bottom.addWidget(self.code_all)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addLayout(top)
        layout.addWidget(self.results)
        layout.addLayout(bottom)
        self.query.returnPressed.connect(self._request)
        self.find_button.clicked.connect(self._request)
        self.results.activated.connect(lambda i: self.hitActivated.emit(i.data(HIT_ROLE)))
        self.results.clicked.connect(lambda i: self.hitActivated.emit(i.data(HIT_ROLE)))
        self.code_all.clicked.connect(self._code_all)

    def set_codes(self, codes: list[tuple[int, str]]) -> None:
        """Codes offered for "code all hits" as (id, path)."""
        current = self.code_choice.currentData()
        self.code_choice.clear()
        for code_id, path in codes:
            self.code_choice.addItem(path, code_id)
        index = self.code_choice.findData(current)
        if index >= 0:
            self.code_choice.setCurrentIndex(index)

    def _request(self) -> None:
        try:
            compile_pattern(self.query.text(), regex=self.regex.isChecked())
        except SearchError as exc:
            self.status.setText(str(exc))
            return
        self.status.setText("Searching…")
        self.searchRequested.emit(
            self.query.text(),
            self.regex.isChecked(),
            self.case.isChecked(),
            self.scope.currentIndex() == 1,
        )

    def show_hits(self, rows: list[tuple[Hit, str]], truncated: bool) -> None:
        """Show results; the status line counts hits and documents."""
        self.model.set_hits(rows)
        documents = len({hit.document_id for hit, _ in rows})
        text = f"{len(rows)} hit{'s' if len(rows) != 1 else ''} in {documents} document"
        text += "s" if documents != 1 else ""
        if truncated:
            text += f" (stopped at {len(rows)})"
        self.status.setText(text)
        self.code_all.setEnabled(bool(rows))

    def _code_all(self) -> None:
        code_id = self.code_choice.currentData()
        if code_id is not None and self.model.rowCount():
            self.codeAllRequested.emit(int(code_id))
