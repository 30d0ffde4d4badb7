"""The consensus window's secondary tabs: the decision log and agreement before/after."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ketqual.gui.consensus.consensus_model import DecisionLogModel
from ketqual.ops.consensus.decision_log import AgreementFigure


class WindowKeysFirst(QObject):
    """Lets the window's shortcuts win over a text field's own keys (Ctrl+Z, Ctrl+E...).

    A line edit claims Ctrl+Z for its own text undo; in the review, Ctrl+Z must undo the
    decision wherever the focus is, so the field is not offered these key sequences.
    """

    def __init__(self, sequences: list[str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.sequences = [QKeySequence(s) for s in sequences]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.ShortcutOverride:
            pressed = QKeySequence(event.keyCombination())
            exact = QKeySequence.SequenceMatch.ExactMatch
            if any(pressed.matches(s) == exact for s in self.sequences):
                event.ignore()  # not the field's: the window's shortcut runs
                return True
        return False


class DecisionBar(QWidget):
    """Reason, dissent note and one button per decision (the keys are window shortcuts)."""

    def __init__(self, decisions, decide, parent=None) -> None:
        super().__init__(parent)
        self.reason = QLineEdit()
        self.reason.setAccessibleName("Reason")
        self.dissent = QLineEdit()
        self.dissent.setAccessibleName("Dissent")
        self.window_keys = WindowKeysFirst([shortcut for _k, _l, shortcut in decisions], self)
        self.reason.installEventFilter(self.window_keys)
        self.dissent.installEventFilter(self.window_keys)
        self.dissent.setPlaceholderText("Dissent note (optional): who disagrees, and why")
        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        for key, label, shortcut in decisions:
            button = QPushButton(f"{label}  ({shortcut})")
            button.clicked.connect(lambda _=False, k=key: decide(k))
            self.buttons[key] = button
            row.addWidget(button)
        self.read_only = QLabel(
            "<i>Read-only: only a supervisor can decide. You can follow the meeting here.</i>"
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.reason)
        layout.addWidget(self.dissent)
        layout.addLayout(row)
        layout.addWidget(self.read_only)


class LogPanel(QWidget):
    """The decision log as a table, with an export button."""

    def __init__(self, model: DecisionLogModel, parent=None) -> None:
        super().__init__(parent)
        self.view = QTableView()
        self.view.setModel(model)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setToolTip("Double-click a decision to see its passage in the main window")
        for column, width in enumerate((48, 130, 100, 150, 150, 240, 300)):
            self.view.setColumnWidth(column, width)
        self.export_button = QPushButton("Export log…")
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel("Every decision, oldest first. Nothing is ever removed: an undo is a new entry.")
        )
        layout.addWidget(self.view, 1)
        layout.addWidget(self.export_button, 0, Qt.AlignmentFlag.AlignRight)


def figures_html(figures: list[AgreementFigure]) -> str:
    """A small table of agreement figures; undefined values say so, never 0 or 1."""

    def cell(value: float | None, percent: bool = False) -> str:
        if value is None:
            return "<td align='right'>undefined</td>"
        text = f"{value * 100:.1f} %" if percent else f"{value:.3f}"
        return f"<td align='right'>{text}</td>"

    rows = "".join(
        f"<tr><td>{f.label}</td>{cell(f.percent_agreement, True)}"
        f"{cell(f.cohen_kappa)}{cell(f.krippendorff_alpha)}</tr>"
        for f in figures
    )
    return (
        "<table cellpadding='6' border='0'><tr><th align='left'>Layers</th>"
        "<th>Percent agreement</th><th>Cohen's κ</th><th>Krippendorff's α</th></tr>"
        f"{rows}</table>"
    )


class AgreementPanel(QWidget):
    """Agreement before the meeting and after it, computed on request."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        explanation = QLabel(
            "Agreement before the meeting (coder A with coder B) and after it (each coder with "
            "the consensus layer), at the review's unit, pooled over all codes."
        )
        explanation.setWordWrap(True)
        self.table = QLabel(
            "<i>Not computed yet: press Compute (it takes a moment on a large project).</i>"
        )
        self.table.setAccessibleName("Agreement before and after")
        self.table.setTextFormat(Qt.TextFormat.RichText)
        self.compute_button = QPushButton("Compute")
        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addWidget(self.compute_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.table)
        layout.addStretch()

    def show_figures(self, figures: list[AgreementFigure]) -> None:
        """Show computed figures."""
        self.table.setText(figures_html(figures))
