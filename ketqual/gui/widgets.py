"""Small widgets the tool windows share."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QComboBox, QLabel, QWidget


def message_label(accessible_name: str) -> QLabel:
    """A hidden, wrapping, pale-yellow label for refusals and cautions in a window."""
    label = QLabel()
    label.setWordWrap(True)
    label.setAccessibleName(accessible_name)
    label.setStyleSheet("QLabel { background: #fff3cd; padding: 6px; }")
    label.hide()
    return label


def fit_to_screen(window: QWidget, *, margin: int = 24) -> None:
    """Shrink a window (and its minimum size) to the screen's available area.

    A laptop at 1366×768 with a task bar leaves about 1366×720; a window sized for a
    desktop monitor would put its buttons off screen.
    """
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        return
    area = screen.availableGeometry()
    width = min(window.width(), area.width() - margin)
    height = min(window.height(), area.height() - margin)
    minimum = window.minimumSize()
    window.setMinimumSize(min(minimum.width(), width), min(minimum.height(), height))
    window.resize(width, height)


class Choices(QAbstractListModel):
    """A combo box's entries as (label, value) pairs, replaced in one go.

    A filter listing every document of a large project (a thousand or more) costs a few
    milliseconds through ``QComboBox.addItem``, one call and one model row at a time;
    handed over as one list, the combo asks for labels only when it draws them. The value
    is the item's data (``currentData()``, ``findData()``), as with ``addItem(label, value)``.
    """

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.entries: list[tuple[str, object]] = []

    def set_entries(self, entries: Iterable[tuple[str, object]]) -> None:
        """Replace every entry."""
        self.beginResetModel()
        self.entries = list(entries)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802, B008 - Qt's name and default
        return 0 if parent.isValid() else len(self.entries)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> object:
        if not index.isValid() or index.row() >= len(self.entries):
            return None
        label, value = self.entries[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return label
        if role == Qt.ItemDataRole.UserRole:
            return value
        return None


def choice_combo(minimum_characters: int = 12) -> QComboBox:
    """A combo box whose entries are a :class:`Choices` model (see :func:`set_choices`),
    at least ``minimum_characters`` wide and otherwise as wide as its layout lets it be."""
    combo = QComboBox()
    combo.setModel(Choices(combo))
    # Sized by a number of characters, not by its longest entry: measuring every entry
    # would ask the model for each of them when the window first shows.
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(minimum_characters)
    return combo


def set_choices(combo: QComboBox, entries: Iterable[tuple[str, object]]) -> None:
    """Give a :func:`choice_combo` new entries and choose the first, without signals (the
    caller knows what it refilled)."""
    model = combo.model()
    assert isinstance(model, Choices), "set_choices needs a combo from choice_combo()"
    combo.blockSignals(True)
    model.set_entries(entries)
    combo.setCurrentIndex(0 if model.entries else -1)
    combo.blockSignals(False)
