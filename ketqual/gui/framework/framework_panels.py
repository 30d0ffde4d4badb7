"""The charting window's side panel: a cell's passages and the editor of its summary."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal, Slot
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QListView,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ketqual.core import framework_text as ft
from ketqual.core.framework import CellSummary
from ketqual.core.framework_quotes import QuotedPassage
from ketqual.gui.framework.framework_model import PASSAGE_ROLE, PassagesModel

STATES = (
    (ft.SUMMARY, "&Summary"),
    (ft.NOTHING_SUBSTANTIVE, "Discussed, &nothing substantive"),
    (ft.NOT_DISCUSSED, "Not &discussed"),
)


class SummaryPanel(QWidget):
    """Passages of the chosen cell and its summary.

    Signals:
        edited(): the summary text changed (the window saves it after a pause).
        stateChosen(): another state was chosen (saved at once).
        passageOpened(object): a passage (QuotedPassage) to show in its document.
    """

    edited = Signal()
    stateChosen = Signal()  # noqa: N815 - Qt naming
    passageOpened = Signal(object)  # noqa: N815

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.passages: tuple[QuotedPassage, ...] = ()
        self._loading = False
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setAccessibleName("Chosen cell")
        self.passages_model = PassagesModel(self)
        self.passage_list = QListView()
        self.passage_list.setAccessibleName("Passages of the cell")
        self.passage_list.setModel(self.passages_model)
        self.passage_list.setWordWrap(True)
        self.passage_list.setAlternatingRowColors(True)
        self.passage_list.setSpacing(3)
        self.passage_list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.passage_list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.passage_list.activated.connect(self._open)
        self.passage_list.doubleClicked.connect(self._open)
        self.insert_button = QPushButton("Insert &reference")
        self.insert_button.setToolTip("Cite the selected passages at the cursor")
        self.insert_button.clicked.connect(self.insert_references)
        self.fill_button = QPushButton("&Fill from quotes")
        self.fill_button.setToolTip(
            "Add a short quote of every passage with its reference, to rewrite in your words"
        )
        self.fill_button.clicked.connect(self.fill_from_quotes)
        self.state_group = QButtonGroup(self)
        states = QHBoxLayout()
        for i, (_state, label) in enumerate(STATES):
            button = QRadioButton(label)
            self.state_group.addButton(button, i)
            states.addWidget(button)
        states.addStretch(1)
        self.state_group.idClicked.connect(self._state_clicked)
        self.editor = QPlainTextEdit()
        self.editor.setAccessibleName("Summary")
        self.editor.setPlaceholderText(
            "The group's view on this subtheme, in your words. Cite passages with "
            "Insert reference; everything is saved as you type."
        )
        self.editor.textChanged.connect(self._text_changed)
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.setAccessibleName("Summary notice")
        self.saved_label = QLabel()
        self.saved_label.setAccessibleName("Saved")

        buttons = QHBoxLayout()
        buttons.addWidget(self.insert_button)
        buttons.addWidget(self.fill_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(QLabel("Coded passages (double-click to see one in its document):"))
        layout.addWidget(self.passage_list, 2)
        layout.addLayout(buttons)
        layout.addLayout(states)
        layout.addWidget(self.editor, 3)
        layout.addWidget(self.notice)
        layout.addWidget(self.saved_label)
        self.show_cell(None, (), None, editable=False, reason="Choose a cell of the matrix.")

    # -- what is shown ------------------------------------------------------------------

    def show_cell(
        self,
        title: str | None,
        passages: tuple[QuotedPassage, ...],
        summary: CellSummary | None,
        *,
        editable: bool,
        reason: str = "",
    ) -> None:
        """Show a cell; ``reason`` says why it cannot be edited, when it cannot."""
        self._loading = True
        self.title.setText(title or "")
        self.passages = passages
        self.passages_model.set_passages(passages)
        state = summary.state if summary is not None else ft.SUMMARY
        self.state_group.button([s for s, _ in STATES].index(state)).setChecked(True)
        self.editor.setPlainText(summary.text if summary is not None else "")
        for widget in (self.editor, *self.state_group.buttons()):
            widget.setEnabled(editable)
        self.insert_button.setEnabled(editable and bool(passages))
        self.fill_button.setEnabled(editable and bool(passages))
        self.saved_label.setText(_saved_text(summary))
        self._loading = False
        self._update_notice(reason)

    def state(self) -> str:
        """The chosen state."""
        return STATES[max(0, self.state_group.checkedId())][0]

    def text(self) -> str:
        """The summary text as typed."""
        return self.editor.toPlainText()

    def show_saved(self, summary: CellSummary | None) -> None:
        """Say that the cell was just saved."""
        self.saved_label.setText(_saved_text(summary) or "Cleared")
        self._update_notice()

    def _update_notice(self, reason: str = "") -> None:
        if reason:
            self.notice.setText(reason)
            return
        unknown = ft.unknown_references(self.text(), self.passages)
        self.notice.setText("Not a passage of this cell: " + ", ".join(unknown) if unknown else "")

    # -- editing ------------------------------------------------------------------------

    @Slot()
    def insert_references(self) -> None:
        """Cite the selected passages (or the current one) at the cursor."""
        rows = sorted(i.row() for i in self.passage_list.selectionModel().selectedIndexes())
        if not rows and self.passage_list.currentIndex().isValid():
            rows = [self.passage_list.currentIndex().row()]
        if not rows:
            # Say why nothing happened instead of doing nothing silently.
            self.notice.setText(
                "Choose a passage in the list first (click it, or Ctrl+click several), then "
                "Insert reference puts its reference id at the cursor."
            )
            return
        refs = " ".join(f"[{self.passages[r].ref}]" for r in rows)
        cursor = self.editor.textCursor()
        before = self.text()[: cursor.position()]
        cursor.insertText(refs if not before or before.endswith((" ", "\n")) else " " + refs)
        self.editor.setFocus()

    @Slot()
    def fill_from_quotes(self) -> None:
        """Add a draft from the passages at the end (undo with Ctrl+Z)."""
        draft, _refs = ft.draft_from_quotes(self.passages)
        if not draft:
            return
        cursor = self.editor.textCursor()
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.insertText(("\n\n" if self.text().strip() else "") + draft)
        self.editor.setTextCursor(cursor)
        self.editor.setFocus()

    @Slot()
    def _text_changed(self) -> None:
        if self._loading:
            return
        self.saved_label.setText("Editing…")
        self._update_notice()
        self.edited.emit()

    @Slot(int)
    def _state_clicked(self, _id: int) -> None:
        if not self._loading:
            self.stateChosen.emit()

    @Slot(QModelIndex)
    def _open(self, index: QModelIndex) -> None:
        passage = index.data(PASSAGE_ROLE)
        if passage is not None:
            self.passageOpened.emit(passage)


def _saved_text(summary: CellSummary | None) -> str:
    if summary is None:
        return ""
    when = summary.updated_at.replace("T", " ")[:16]
    return f"Saved {when} UTC by {summary.author}"
