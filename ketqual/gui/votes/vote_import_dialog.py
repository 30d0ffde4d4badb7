"""Mapping the columns of a voting sheet before it is imported (the CLI's ``--columns``)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyledItemDelegate,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ketqual.core.votes_sheet import VoteColumns
from ketqual.gui import files
from ketqual.gui.votes.votes_models import ROLE_TEXT, ColumnRolesModel
from ketqual.gui.widgets import fit_to_screen, message_label
from ketqual.ops.votes.votes_ops import SheetPreview

SHAPES = (
    ("One row per participant (a column per question)", "participants"),
    ("A tally (question, option, count)", "tally"),
)
HELP = (
    "Each question's type and options come from a sheet named Questions in the file, or a "
    "question list you add here, or the questions already in the project; otherwise from the "
    "answers. Several columns headed 'Question [Option]' are one multiple-choice question "
    "with a tick (x, 1, yes) per option. Nothing is imported if any vote is wrong: the "
    "message names its row and column."
)


class RoleDelegate(QStyledItemDelegate):
    """A drop-down of the roles a column can take."""

    def createEditor(self, parent: QWidget, option, index: QModelIndex) -> QWidget:  # noqa: N802
        box = QComboBox(parent)
        box.setAccessibleName("What the column holds")
        for role in index.model().choices():
            box.addItem(ROLE_TEXT[role], role)
        return box

    def setEditorData(self, editor: QWidget, index: QModelIndex) -> None:  # noqa: N802
        role = index.data(ColumnRolesModel.ROLE)
        editor.setCurrentIndex(max(editor.findData(role), 0))

    def setModelData(self, editor: QWidget, model, index: QModelIndex) -> None:  # noqa: N802
        model.setData(index, editor.currentData())


class VoteImportDialog(QDialog):
    """Say what each column of a voting sheet holds, then import it.

    Args:
        path: The file.
        preview: Its headers, first rows and guessed columns.
        reread: Called with a sheet name to preview another worksheet (``None`` when the
            file has one).
    """

    def __init__(
        self,
        path: str,
        preview: SheetPreview,
        reread: Callable[[str], SheetPreview | None] | None = None,
        parent=None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import votes")
        self.resize(760, 560)
        fit_to_screen(self)
        self.path = path
        self.preview = preview
        self.reread = reread
        self.questions_file: str | None = None

        self.shape = QComboBox()
        self.shape.setAccessibleName("Shape of the sheet")
        for text, value in SHAPES:
            self.shape.addItem(text, value)
        self.sheet = QComboBox()
        self.sheet.setAccessibleName("Worksheet")
        for name in preview.sheets:
            self.sheet.addItem(name or "(the only table)", name)
        self.sheet.setEnabled(len(preview.sheets) > 1 and reread is not None)
        self.separator = QLineEdit(";")
        self.separator.setAccessibleName("Separator between answers in one cell")
        self.separator.setMaximumWidth(60)
        self.list_label = QLabel()
        self.list_label.setWordWrap(True)
        self.list_button = QPushButton("Add a question &list…")
        self.list_button.clicked.connect(self._choose_list)

        self.model = ColumnRolesModel(self)
        self.table = QTableView()
        self.table.setAccessibleName("Columns of the sheet")
        self.table.setModel(self.model)
        self.table.setItemDelegateForColumn(1, RoleDelegate(self.table))
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.AllEditTriggers
            & ~QAbstractItemView.EditTrigger.CurrentChanged
        )
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)

        self.message = message_label("Import problem")
        note = QLabel(HELP)
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = buttons.addButton("&Import", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow("File", QLabel(path))
        form.addRow("&Worksheet", self.sheet)
        form.addRow("&Shape", self.shape)
        separator_row = QHBoxLayout()
        separator_row.addWidget(self.separator)
        separator_row.addWidget(QLabel("(line breaks separate answers too)"))
        separator_row.addStretch(1)
        form.addRow("Separator in one cell", separator_row)
        list_row = QHBoxLayout()
        list_row.addWidget(self.list_label, 1)
        list_row.addWidget(self.list_button)
        form.addRow("Question list", list_row)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel("What each column holds (double-click to change):"))
        layout.addWidget(self.table, 1)
        layout.addWidget(note)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

        self.shape.currentIndexChanged.connect(self._shape_changed)
        self.sheet.currentIndexChanged.connect(self._sheet_changed)
        self._show(preview)

    def _show(self, preview: SheetPreview) -> None:
        self.preview = preview
        guessed = preview.columns
        shape = guessed.shape if guessed is not None else "participants"
        self.shape.blockSignals(True)
        self.shape.setCurrentIndex(0 if shape == "participants" else 1)
        self.shape.blockSignals(False)
        self._fill(shape, guessed)
        self.list_label.setText(
            "the file's Questions sheet"
            if preview.question_list
            else "none (types and options come from the answers)"
        )
        if guessed is None:
            self._say("Choose which column holds the participant ids (or switch to a tally).")

    def _fill(self, shape: str, guessed: VoteColumns | None) -> None:
        headers = list(self.preview.headers)
        samples = []
        for i in range(len(headers)):
            values = [row[i] for row in self.preview.sample if i < len(row) and row[i]]
            samples.append(", ".join(dict.fromkeys(values))[:80])
        roles = []
        for header in headers:
            if shape == "tally":
                g = guessed if guessed is not None and guessed.shape == "tally" else VoteColumns()
                role = {g.question: "t_question", g.option: "option", g.count: "count"}.get(
                    header, "skip"
                )
            else:
                g = (
                    guessed
                    if guessed is not None and guessed.shape == "participants"
                    else VoteColumns()
                )
                if header == g.participant:
                    role = "participant"
                elif header in g.skip or not header:
                    role = "skip"
                else:
                    role = "question"
            roles.append(role)
        self.model.set_columns(headers, samples, roles, shape)
        self.separator.setEnabled(shape == "participants")
        self.table.resizeColumnToContents(0)
        self.table.setColumnWidth(0, min(self.table.columnWidth(0), 300))

    @Slot()
    def _shape_changed(self) -> None:
        self.message.hide()
        self._fill(self.shape.currentData(), self.preview.columns)

    @Slot()
    def _sheet_changed(self) -> None:
        if self.reread is None:
            return
        preview = self.reread(self.sheet.currentData())
        if preview is not None:
            self._show(preview)

    @Slot()
    def _choose_list(self) -> None:
        path = files.open_file(self, "Question list", "Question lists (*.csv *.tsv *.xlsx)")
        if path:
            self.questions_file = path
            self.list_label.setText(path)

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def choice(self) -> dict:
        """The arguments of ``votes_ops.import_votes`` the dialog stands for.

        Raises:
            ValueError: With a sentence for the user when the roles do not add up.
        """
        roles = self.model.roles
        headers = self.model.headers

        def only(role: str, what: str) -> str:
            found = [h for h, r in zip(headers, roles, strict=True) if r == role]
            if len(found) != 1:
                raise ValueError(f"Choose exactly one column holding the {what}.")
            return found[0]

        skip = tuple(h for h, r in zip(headers, roles, strict=True) if r == "skip" and h)
        if self.model.shape == "tally":
            columns = VoteColumns(
                question=only("t_question", "question"),
                option=only("option", "option"),
                count=only("count", "count"),
            )
            multi: list[str] = []
        else:
            columns = VoteColumns(participant=only("participant", "participant ids"), skip=skip)
            multi = [h for h, r in zip(headers, roles, strict=True) if r == "multi"]
            if not any(r in ("question", "multi") for r in roles):
                raise ValueError("Choose at least one question column.")
        return {
            "columns": columns,
            "multi": multi,
            "separator": self.separator.text() or ";",
            "questions_file": self.questions_file,
            "sheet": self.sheet.currentData(),
        }

    @Slot()
    def _accept(self) -> None:
        try:
            self.choice()
        except ValueError as exc:
            self._say(str(exc))
            return
        self.accept()
