"""Choosing the themes (and subthemes) a voting question speaks to."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QListView, QVBoxLayout

from ketqual.core.records import CodeRecord
from ketqual.gui.votes.votes_models import ThemeTicksModel
from ketqual.gui.widgets import fit_to_screen


class ThemeLinksDialog(QDialog):
    """Tick the themes a question is linked to; ``ticked()`` after it is accepted."""

    def __init__(self, question: str, codes: Sequence[CodeRecord], linked: set[int], parent=None):
        super().__init__(parent)
        self.setWindowTitle("Themes of the question")
        self.resize(460, 520)
        fit_to_screen(self)
        self.model = ThemeTicksModel(self)
        self.model.set_codes(codes, linked)
        self.view = QListView()
        self.view.setAccessibleName("Themes")
        self.view.setModel(self.model)
        label = QLabel(f"Link “{question}” to:")
        label.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)

    def ticked(self) -> list[int]:
        """The ids of the ticked codes."""
        return sorted(self.model.ticked)
