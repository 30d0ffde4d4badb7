"""The attribute table of one target (participants, documents or focus groups): one row
per subject, one editable column per attribute, and a delegate offering a fixed list's
values (or yes/no) in a drop-down."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QComboBox, QStyledItemDelegate

from ketqual.core.attributes import TARGET_LABELS, AttributeDef
from ketqual.ops.attributes.attribute_ops import AttributeTable, Subject

SUBJECT_ROLE = Qt.ItemDataRole.UserRole + 1
ATTRIBUTE_ROLE = Qt.ItemDataRole.UserRole + 2
FIXED_COLUMNS = 2  # the subject and its details
_Index = QModelIndex | QPersistentModelIndex
_NO_INDEX = QModelIndex()
# Called with (subject key, attribute, typed text); returns the stored value, or raises
# nothing and returns ``False`` when the edit was refused (the runner said why).
Editor = Callable[[int | str, AttributeDef, str], "str | None | bool"]


class AttributeTableModel(QAbstractTableModel):
    """Subjects by attributes; editing a cell stores the value through ``editor``."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.table: AttributeTable | None = None
        self.editor: Editor | None = None

    def set_table(self, table: AttributeTable | None) -> None:
        """Show a table."""
        self.beginResetModel()
        self.table = table
        self.endResetModel()

    def subject(self, row: int) -> Subject | None:
        """The subject of a row."""
        if self.table is None or not 0 <= row < len(self.table.subjects):
            return None
        return self.table.subjects[row]

    def attribute(self, column: int) -> AttributeDef | None:
        """The attribute of a column (``None`` for the fixed columns)."""
        if self.table is None or column < FIXED_COLUMNS:
            return None
        index = column - FIXED_COLUMNS
        return self.table.attributes[index] if index < len(self.table.attributes) else None

    def rowCount(self, parent: _Index = _NO_INDEX) -> int:  # noqa: N802 - Qt's name
        return 0 if parent.isValid() or self.table is None else len(self.table.subjects)

    def columnCount(self, parent: _Index = _NO_INDEX) -> int:  # noqa: N802 - Qt's name
        if parent.isValid() or self.table is None:
            return 0
        return FIXED_COLUMNS + len(self.table.attributes)

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if self.table is None or orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if section == 0:
                return TARGET_LABELS[self.table.target].capitalize()
            if section == 1:
                return "Details"
            attribute = self.attribute(section)
            return attribute.name if attribute else None
        if role == Qt.ItemDataRole.ToolTipRole:
            attribute = self.attribute(section)
            if attribute is not None:
                extra = f": {', '.join(attribute.choices)}" if attribute.choices else ""
                return f"{attribute.name} ({attribute.type_label}{extra})"
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        subject = self.subject(index.row()) if index.isValid() else None
        if subject is None or self.table is None:
            return None
        column = index.column()
        attribute = self.attribute(column)
        if role == SUBJECT_ROLE:
            return subject
        if role == ATTRIBUTE_ROLE:
            return attribute
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if column == 0:
                return subject.label
            if column == 1:
                return subject.details
            if attribute is not None:
                return self.table.value(subject.key, attribute.id) or ""
        if role == Qt.ItemDataRole.ForegroundRole and column == 1:
            return QColor("#595959")
        if role == Qt.ItemDataRole.ToolTipRole and column == 0 and not subject.stored:
            return "Found in the text; setting a value adds this participant to the project"
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.attribute(index.column()) is not None and self.editor is not None:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: _Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        subject = self.subject(index.row()) if index.isValid() else None
        attribute = self.attribute(index.column()) if index.isValid() else None
        if role != Qt.ItemDataRole.EditRole or subject is None or attribute is None:
            return False
        if self.editor is None or self.table is None:
            return False
        text = "" if value is None else str(value)
        if text == (self.table.value(subject.key, attribute.id) or ""):
            return False
        stored = self.editor(subject.key, attribute, text)
        if stored is False:
            return False
        if stored is None:
            self.table.values.pop((subject.key, attribute.id), None)
        else:
            self.table.values[(subject.key, attribute.id)] = str(stored)
        self.dataChanged.emit(index, index)
        return True


class ValueDelegate(QStyledItemDelegate):
    """A drop-down for fixed lists and yes/no; a line of text for everything else."""

    def createEditor(self, parent, option, index):  # noqa: N802 - Qt's name
        attribute = index.data(ATTRIBUTE_ROLE)
        if attribute is not None and attribute.type in ("choice", "boolean"):
            box = QComboBox(parent)
            box.setAccessibleName(attribute.name)
            box.addItem("")
            box.addItems(list(attribute.choices) if attribute.type == "choice" else ["yes", "no"])
            return box
        editor = super().createEditor(parent, option, index)
        if (
            attribute is not None
            and attribute.type == "date"
            and hasattr(editor, "setPlaceholderText")
        ):
            editor.setPlaceholderText("2018-03-17 or 17/03/2018")
        return editor

    def setEditorData(self, editor, index) -> None:  # noqa: N802 - Qt's name
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(
                max(editor.findText(index.data(Qt.ItemDataRole.EditRole) or ""), 0)
            )
            return
        super().setEditorData(editor, index)

    def setModelData(self, editor, model, index) -> None:  # noqa: N802 - Qt's name
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentText(), Qt.ItemDataRole.EditRole)
            return
        super().setModelData(editor, model, index)
