"""Small widgets the tool windows share."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QWidget


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
