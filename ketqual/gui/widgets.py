"""Small widgets the tool windows share."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel


def message_label(accessible_name: str) -> QLabel:
    """A hidden, wrapping, pale-yellow label for refusals and cautions in a window."""
    label = QLabel()
    label.setWordWrap(True)
    label.setAccessibleName(accessible_name)
    label.setStyleSheet("QLabel { background: #fff3cd; padding: 6px; }")
    label.hide()
    return label
